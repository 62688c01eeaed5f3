import Actions
import ArgumentParser
import Churn
import CustomerData
import Foundation
import Models
import Responses
import Scoring
import Warehouse

/// `klant evaluate`: how well a model predicts data it can be checked against.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a model: holdout purchases for repeat-purchase models; AUC, log-loss, Brier, lift for churn models.",
        discussion: """
            Repeat-purchase models need a summary with holdout columns (summarise with --calibration-end):
              klant evaluate --model models/cdnow-bgnbd.json --summary cdnow_summary.csv
            prints MAE, RMSE, total predicted vs actual and mean actual vs predicted by calibration frequency. \
            Churn models need a customer table with the target column:
              klant evaluate --model models/telco-churn.json --data datasets/telco_churn.csv
            prints AUC with its 95% interval, log-loss, Brier score, accuracy and confusion matrix at --threshold, \
            lift, cumulative gains and calibration by decile. Propensity models the same way. Uplift models need \
            held-out customers with the treatment and outcome columns:
              klant evaluate --model models/email-uplift.json --data hillstrom_test.csv --out uplift-eval.csv
            prints per treatment the Qini area and the observed uplift among the top 10/20/30/50% by predicted \
            uplift, beside a random ranking. Cross-sell models need the purchase log running past their calibration \
            end: precision@k, recall@k and hit rate of the new items bought afterwards, beside the popularity baseline:
              klant evaluate --model models/retail-cross-sell.json --transactions datasets/online_retail.csv.gz \
                    --customer-column CustomerID --item-column StockCode --date-column InvoiceDate \
                    --quantity-column Quantity --invoice-column InvoiceNo --top 5
            """)

    @Option(help: "A model file from `klant fit`. Example: --model models/cdnow-bgnbd.json")
    var model: String

    @OptionGroup var input: SummaryInput

    @Option(help: "Churn models: a customer table CSV with the target column, or a postgresql:// URL with --table or --query. Example: --data datasets/telco_churn.csv")
    var data: String?

    @Option(name: .customLong("where"), help: "Churn and propensity models on a customer table: only the rows satisfying this condition (within the model's own population, which is always applied). Example: --where \"OnlineSecurity == 'No'\"")
    var condition: String?

    @Option(help: "Summary-based churn models: the repeat-purchase model they were trained with; also adds the logistic vs 1 - P(alive) vs blend comparison. Example: --purchase-model models/cdnow-bgnbd.json")
    var purchaseModel: String?

    @Option(help: "Churn models: probability threshold for accuracy and the confusion matrix. Example: --threshold 0.5")
    var threshold = 0.5

    @Option(help: "Uplift and cross-sell models: also write the evaluation (uplift: Qini, uplift@k, model and random; cross-sell: precision, recall, hit rate, model and popularity) as CSV. Example: --out uplift-eval.csv")
    var out: String?

    @OptionGroup var crossSell: CrossSellOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            if try ResponseModelKind.of(URL(fileURLWithPath: model)) == .crossSell {
                return try evaluateCrossSell(model: URL(fileURLWithPath: model), transactions: input.transactions,
                                             format: input.format, options: crossSell, out: out)
            }
            let loaded = try ModelLoader.load(URL(fileURLWithPath: model))
            switch loaded {
            case .churn(let churnModel), .propensity(let churnModel): try evaluateChurn(churnModel)
            case .uplift(let upliftModel): try evaluateUplift(upliftModel, path: model, data: data, format: try input.format.text.tableFormat(), out: out)
            case .repeatPurchase(let purchaseModel, _):
                let customers = try input.read(for: loaded, modelPath: model)
                print(try HoldoutEvaluation(model: purchaseModel, summary: customers).description)
            case .spend, .cohortRetention(_, _):
                throw ValidationError("\(model) is not a model evaluate checks: give a repeat-purchase model (against a summary's holdout columns) or a churn model")
            }
        }
    }

    /// AUC, log-loss, Brier, deciles of a churn or propensity model (one logistic path).
    private func evaluateChurn(_ churnModel: ChurnModel) throws {
        if churnModel.usesTransactionSummary {
            if condition != nil { throw ValidationError("--where selects rows of a customer table (--data); this model is evaluated on a summary") }
            let customers = try input.read(for: .churn(churnModel), modelPath: model)
            print(try churnModel.evaluate(summary: customers, purchaseModel: try loadPurchaseModel(purchaseModel), threshold: threshold).report)
        } else {
            guard let data else { throw ValidationError("this \(churnModel.purpose) model is evaluated on a customer table: give --data FILE") }
            let rows = try RowFilter.selection(population: churnModel.population?.condition, where: condition)
            if PostgresLocation.isLocation(data) {
                print(try churnModel.evaluate(try input.warehouse.customerTable(url: data), threshold: threshold, selecting: rows).report)
            } else {
                try input.warehouse.checkUnused()
                print(try churnModel.evaluate(csv: inputURL(data), format: input.format.text.tableFormat(), threshold: threshold, selecting: rows).report)
            }
        }
    }
}
