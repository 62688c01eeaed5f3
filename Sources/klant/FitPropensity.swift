import ArgumentParser
import Responses

/// `klant fit propensity`: the churn command's logistic model for any binary target.
struct FitPropensity: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "propensity",
        abstract: "Logistic propensity model for any binary target (who holds a product, who responded): the churn model's training path.",
        discussion: """
            The same encoding, penalties, cross-validation, holdout evaluation and scoring as `klant fit churn`; \
            the model file's kind is `propensity` and `klant predict` writes a `propensity` column. Scoring \
            customers who do not hold the product gives their cross-sell propensity. Example (Telco: who holds \
            online security, among customers with internet service):
              klant fit propensity --data datasets/telco_churn.csv --where "InternetService != 'No'" \\
                    --target OnlineSecurity --positive Yes --id customerID --exclude Churn,TotalCharges \\
                    --l2 1.0 --holdout 0.3 --out models/telco-online-security.json
              klant evaluate --model models/telco-online-security.json --data datasets/telco_churn.csv
            The --where condition is the model's population: predict and evaluate score only its rows. The \
            cross-sell propensity of those who do not hold the product yet:
              klant predict --model models/telco-online-security.json --data datasets/telco_churn.csv \\
                    --where "OnlineSecurity == 'No'" --out security-propensity.csv
            """)

    @OptionGroup var arguments: LogisticFitArguments

    func run() throws { try arguments.fit(kind: .propensity) }
}
