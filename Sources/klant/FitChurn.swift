import Actions
import ArgumentParser
import Churn
import CustomerData
import Foundation
import Models
import Scoring
import Warehouse

/// `klant fit churn`: a logistic churn model on a customer table.
struct FitChurn: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "churn",
        abstract: "Logistic-regression churn model (Newton/IRLS through BLAS/LAPACK) on a customer table.",
        discussion: """
            Numeric columns are used as they are, Yes/No-style columns as 1/0, other columns one-hot encoded with \
            the most frequent level as reference (drop-first). The encoding is stored in the model, so scoring new \
            data applies exactly the same transform. The unpenalised fit prints a statsmodels-style table \
            (estimate, standard error, z, p-value, 95% interval); --l2 λ adds λ/2·||β||² (intercept unpenalised), \
            which is scikit-learn's C = 1/λ; --l1 λ₁ adds λ₁·||β||₁ (lasso, or elastic net with --l2), which sets \
            coefficients exactly to 0 (scikit-learn's elasticnet C, l1_ratio ρ: λ₁ = ρ/C, λ₂ = (1 − ρ)/C). \
            L1 penalties are in the units of the coefficients: use --standardize so they weigh features alike. \
            Example:
              klant fit churn --data datasets/telco_churn.csv --target Churn --positive Yes --id customerID \\
                    --exclude TotalCharges --l2 1.0 --holdout 0.3 --out models/telco-churn.json
            Non-contractual form: features from a calibration-period summary (frequency, recency, T, monetary \
            value, their logs, optionally P(alive) from a fitted repeat-purchase model), churned = no purchase \
            in the holdout period (the summary needs holdout columns):
              klant fit churn --summary cdnow_summary.csv --purchase-model models/cdnow-bgnbd.json \\
                    --holdout 0.3 --out models/cdnow-churn.json
            or straight from the transaction log (summarised in memory, the options of `klant summarize`):
              klant fit churn --transactions datasets/CDNOW_master.txt --customer-column customer_id \\
                    --date-column date --amount-column dollar_value --date-format yyyyMMdd \\
                    --calibration-end 1997-09-30 --observation-end 1998-06-30 --out models/cdnow-churn.json
            """)

    @OptionGroup var arguments: LogisticFitArguments

    func run() throws { try arguments.fit(kind: ChurnModel.kind) }
}

/// The options of every logistic customer-table model (`fit churn`, `fit propensity`): one training path.
struct LogisticFitArguments: ParsableArguments {
    @Option(help: "Customer table CSV with a header, or a postgresql://user@host:port/database URL with --table or --query. Example: --data datasets/telco_churn.csv")
    var data: String?

    @Option(help: "The binary target column of a customer table (churned, holds a product, responded). Example: --target Churn")
    var target: String?

    @OptionGroup var input: SummaryInput

    @Option(help: "Summary form: the summary's time unit (default: its sidecar's, else week). Example: --unit week")
    var unit: String?

    @Option(help: "Summary form: a repeat-purchase model whose P(alive) becomes a feature (scoring then needs the same model). Example: --purchase-model models/cdnow-bgnbd.json")
    var purchaseModel: String?

    @Option(name: .customLong("where"), help: "Customer table: fit on the rows satisfying this condition only (the model's population, stored in the model file; predict and evaluate apply it too). The rule language of the action catalog: columns, 'texts', numbers, == != < <= > >=, in ['a', 'b'], and / or / not. Example: --where \"InternetService != 'No'\"")
    var condition: String?

    @Option(help: "The target value that counts as 1 (churned, holds the product; default: inferred from Yes/No, True/False, 1/0). Example: --positive Yes")
    var positive: String?

    @Option(help: "Customer id column: never a feature, copied to scores. Example: --id customerID")
    var id: String?

    @Option(parsing: .upToNextOption, help: "Columns to leave out (space or comma separated). Example: --exclude TotalCharges gender")
    var exclude: [String] = []

    @Option(parsing: .upToNextOption, help: "Use only these feature columns. Example: --include tenure Contract MonthlyCharges")
    var include: [String] = []

    @Option(help: "A column of sample weights (not a feature). Example: --weight-column w")
    var weightColumn: String?

    @Option(help: "L2 penalty λ on the coefficients (intercept unpenalised); 0 = plain maximum likelihood. Example: --l2 1.0")
    var l2 = 0.0

    @Option(help: "L1 penalty λ₁ on the coefficients (lasso; with --l2 the elastic net): sets weak coefficients exactly to 0. Example: --l1 20 --standardize")
    var l1 = 0.0

    @Option(parsing: .upToNextOption, help: "Choose the L2 λ from this grid by k-fold cross-validation (lowest held-out log-loss). Example: --l2-grid 0.01 0.1 1 10")
    var l2Grid: [Double] = []

    @Option(parsing: .upToNextOption, help: "Choose the L1 λ₁ from this grid by k-fold cross-validation (with --l2-grid: every pair). Example: --l1-grid 1 5 20 50 --standardize")
    var l1Grid: [Double] = []

    @Option(help: "Folds for cross-validation. Example: --folds 5")
    var folds = 5

    @Option(help: "Seed for the folds and the holdout split (reproducible). Example: --seed 20240601")
    var seed: UInt64 = CrossValidation.defaultSeed

    @Option(help: "Hold out this fraction of rows (seeded split), fit on the rest and evaluate on it. Example: --holdout 0.3")
    var holdout: Double?

    @Flag(help: "Also evaluate by k-fold cross-validation (out-of-fold probabilities), when no --holdout is given.")
    var crossValidate = false

    @Flag(help: "Drop design columns that duplicate others exactly (e.g. Telco's '*_No internet service' dummies) instead of stopping with an error naming them.")
    var dropCollinear = false

    @Option(help: "Class weights: none, balanced (n / (2 n_class), as scikit-learn), or NEG:POS. Example: --class-weight balanced")
    var classWeight = "none"

    @Option(help: "Blank values in feature columns: error (default, names the lines), drop-rows, impute-mean or impute-zero. Example: --blanks drop-rows")
    var blanks = "error"

    @Option(help: "With --blanks drop-rows: CSV that receives the dropped rows and why. Example: --rejects churn-rejects.csv")
    var rejects: String?

    @Flag(help: "Standardise numeric columns (mean 0, standard deviation 1); the means and scales are stored in the model.")
    var standardize = false

    @Option(help: "Categorical columns with more levels than this are refused (usually ids or free text).")
    var maxLevels = 100

    @Option(help: "Probability threshold for accuracy and the confusion matrix. Example: --threshold 0.5")
    var threshold = 0.5

    @Option(help: "Where to write the model file (atomically). Example: --out models/telco-churn.json")
    var out: String

    @OptionGroup var log: LogOptions

    /// Fits a logistic model whose file has `kind` (churn or propensity: one training path).
    func fit(kind: ModelKind) throws {
        log.apply()
        try withChurnErrors {
            try checkOutputs([("--out", out), ("--rejects", rejects)],
                             inputs: input.inputFiles + [("--data", data), ("--purchase-model", purchaseModel)])
            let weights: ClassWeight
            switch classWeight {
            case "none": weights = .none
            case "balanced": weights = .balanced
            default:
                let parts = classWeight.split(separator: ":").compactMap { Double($0) }
                guard parts.count == 2 else { throw ValidationError("--class-weight must be none, balanced or NEG:POS, not \(classWeight)") }
                weights = .custom(negative: parts[0], positive: parts[1])
            }
            guard let blankPolicy = BlankPolicy(rawValue: blanks) else {
                throw ValidationError("--blanks must be one of \(BlankPolicy.allCases.map(\.rawValue).joined(separator: ", ")), not \(blanks)")
            }
            let split = { (list: [String]) in list.flatMap { $0.split(separator: ",").map(String.init) } }
            if input.isGiven, data != nil { throw ValidationError("give either --data (a customer table) or --summary/--transactions (customer histories), not both") }
            guard input.isGiven || data != nil else { throw ValidationError("give the training data: --data FILE (customer table), --summary FILE (customer summary) or --transactions FILE (transaction log)") }
            guard input.isGiven || target != nil else { throw ValidationError("a customer table needs --target COLUMN") }
            let encoding = EncodingOptions(target: target ?? "churned", positive: positive, idColumn: id, exclude: split(exclude),
                                           include: include.isEmpty ? nil : split(include), weightColumn: weightColumn,
                                           standardize: standardize, blankPolicy: blankPolicy, maxLevels: maxLevels)
            var options = ChurnFitOptions(encoding: encoding, l2: l2, l2Grid: l2Grid.isEmpty ? nil : l2Grid, l1: l1,
                                          l1Grid: l1Grid.isEmpty ? nil : l1Grid, folds: folds, seed: seed,
                                          dropCollinear: dropCollinear, classWeight: weights,
                                          rejectsPath: rejects.map { URL(fileURLWithPath: $0) }, holdoutFraction: holdout,
                                          crossValidatedEvaluation: crossValidate, threshold: threshold)
            options.modelKind = kind
            if let condition {
                guard data != nil else { throw ValidationError("--where selects rows of a customer table (--data), not of a summary") }
                options.population = try RowFilter(condition).selection
            }
            var result: ChurnTrainingResult = try ProgressLine.run("fitting the \(kind.rawValue) model") {
                if let data, PostgresLocation.isLocation(data) {
                    var trained = try ChurnModel.train(table: try input.warehouse.customerTable(url: data), options: options)
                    trained.model.training.source = try input.warehouse.sourceDescription(url: data)
                    return trained
                }
                if let data {
                    try input.warehouse.checkUnused()
                    return try ChurnModel.train(csv: inputURL(data), format: input.format.text.tableFormat(), options: options)
                }
                let summary = try input.read(unitOption: unit)
                return try ChurnModel.train(summary: summary, purchaseModel: try loadPurchaseModel(purchaseModel), options: options)
            }
            print(result.report)
            if result.model.training.source == nil { result.model.training.source = input.source }
            guard result.model.convergence.converged else {
                throw KlantFailure(message: "the \(kind.rawValue) model did not converge; no model was written. Try --l2 1.0, --standardize, or exclude columns that separate the classes.", exitCode: 1)
            }
            try result.model.write(to: URL(fileURLWithPath: out))
            Log.shared.info("wrote \(out)", fields: ["event": "fit", "kind": kind.rawValue, "out": out])
        }
    }
}

/// Loads the optional repeat-purchase model whose P(alive) a summary-based churn model uses.
func loadPurchaseModel(_ path: String?) throws -> (any RepeatPurchaseModel)? {
    try path.map { try ModelLoader.loadRepeatPurchaseModel(URL(fileURLWithPath: $0)).model }
}

/// Runs `body`, mapping churn and table errors to exit codes: bad data 2, numerical failure 1.
func withChurnErrors(_ body: () throws -> Void) throws {
    try withInputErrors {
        do {
            try body()
        } catch let error as ChurnError {
            if case .numerical = error { throw KlantFailure(message: error.description, exitCode: 1) }
            throw KlantFailure(message: error.description, exitCode: 2)
        } catch let error as CustomerTableError {
            throw KlantFailure(message: error.description, exitCode: 2)
        } catch let error as RowFilterError {
            throw KlantFailure(message: error.description, exitCode: 2)
        }
    }
}
