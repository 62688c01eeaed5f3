import ArgumentParser
import Churn
import CustomerData
import Foundation
import Responses

/// `klant fit uplift`: response models per arm of a randomised campaign, one file for all treatments.
struct FitUplift: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uplift",
        abstract: "Uplift model from a randomised campaign: how much each treatment adds to the response, per customer.",
        discussion: """
            --method two-model fits a logistic response model per arm (control and each treatment) through \
            the churn module's IRLS; uplift = P(response | treatment) − P(response | control). \
            --method class-transformation fits one logistic model per treatment on z = y·t + (1 − y)(1 − t) \
            (arms weighted to halves), uplift = 2 P(z = 1) − 1; it gives the uplift only, no per-arm probabilities. \
            The feature encoding is that of churn models and is stored in the model. With --holdout the model \
            is evaluated on the held-out customers (Qini, uplift at the top 10/20/30/50% vs random). Example \
            (Hillstrom's e-mail experiment):
              klant fit uplift --data datasets/hillstrom.csv --treatment-column segment --control "No E-Mail" \\
                    --target visit --positive 1 --exclude conversion,spend,history_segment --holdout 0.3 \\
                    --out models/email-uplift.json
              klant predict --model models/email-uplift.json --data new_customers.csv --out uplift.csv
              klant evaluate --model models/email-uplift.json --data hillstrom_test.csv --out uplift-eval.csv
            """)

    @Option(help: "Customer table CSV with the treatment and outcome columns. Example: --data datasets/hillstrom.csv")
    var data: String

    @Option(help: "The column that names each customer's arm. Example: --treatment-column segment")
    var treatmentColumn: String

    @Option(help: "The treatment column's value of the control arm. Example: --control \"No E-Mail\"")
    var control: String

    @Option(help: "The binary outcome column. Example: --target visit")
    var target: String

    @Option(help: "The outcome value that counts as a response (default: inferred from 1/0, Yes/No, True/False). Example: --positive 1")
    var positive: String?

    @Option(help: "Customer id column: never a feature, copied to scores (default: scores carry the line number). Example: --id customer_id")
    var id: String?

    @Option(parsing: .upToNextOption, help: "Columns to leave out (space or comma separated), e.g. other outcomes. Example: --exclude conversion,spend")
    var exclude: [String] = []

    @Option(help: "two-model or class-transformation. Example: --method class-transformation")
    var method = "two-model"

    @Option(help: "L2 penalty λ on every logistic part (intercept unpenalised; scikit-learn's C = 1/λ). Example: --l2 1.0")
    var l2 = 0.0

    @Flag(help: "Standardise numeric columns (means and scales stored in the model).")
    var standardize = false

    @Option(help: "Hold out this fraction of rows (seeded), fit on the rest and evaluate on it. Example: --holdout 0.3")
    var holdout: Double?

    @Option(help: "Seed of the holdout split. Example: --seed 20240601")
    var seed: UInt64 = CrossValidation.defaultSeed

    @Option(help: "Where to write the model file (atomically). Example: --out models/email-uplift.json")
    var out: String

    @OptionGroup(title: "Input format of --data") var text: TextFormatOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            guard let method = UpliftMethod(rawValue: method) else {
                throw ValidationError("--method must be one of \(UpliftMethod.allCases.map(\.rawValue).joined(separator: ", ")), not \(self.method)")
            }
            try checkOutputs([("--out", out)], inputs: [("--data", data)])
            let encoding = EncodingOptions(target: target, positive: positive, idColumn: id,
                                           exclude: exclude.flatMap { $0.split(separator: ",").map(String.init) },
                                           standardize: standardize)
            let options = UpliftFitOptions(encoding: encoding, treatmentColumn: treatmentColumn, control: control, method: method,
                                           l2: l2, holdoutFraction: holdout, seed: seed)
            let result = try ProgressLine.run("fitting the uplift model") {
                try UpliftModel.train(csv: inputURL(data), format: try text.tableFormat(), options: options)
            }
            print(result.report)
            guard result.model.converged else {
                throw KlantFailure(message: "an arm's response model did not converge; no model was written. Try --l2 1.0 or --standardize.", exitCode: 1)
            }
            try result.model.write(to: URL(fileURLWithPath: out))
            Log.shared.info("wrote \(out)", fields: ["event": "fit", "kind": UpliftModel.kind, "out": out])
        }
    }
}

/// Runs `body` with churn/table/input errors mapped as `withChurnErrors` does, and response errors
/// to their exit codes (bad input 2, numerical failure 1).
func withResponseErrors(_ body: () throws -> Void) throws {
    try withChurnErrors {
        do { try body() } catch let error as ResponseError {
            throw KlantFailure(message: error.description, exitCode: error.exitCode)
        }
    }
}
