import ArgumentParser
import CustomerData
import Foundation
import Models

/// `klant predict`: per-customer P(alive), expected purchases (and spend) over a horizon.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score customers with a fitted model: P(alive), expected purchases over a horizon, expected spend.",
        discussion: """
            Example: klant predict --model models/cdnow-bgnbd.json --summary cdnow_summary.csv --horizon 52 \\
                           --spend-model models/cdnow-gg.json --out predictions.csv
            The output CSV has customer_id, probability_alive, expected_purchases and, with --spend-model,
            expected_average_spend and expected_revenue. Text cells are protected against spreadsheet formulas.
            """)

    @Option(help: "A repeat-purchase model file (bg-nbd, mbg-nbd, pareto-nbd, bg-bb). Example: --model models/cdnow-bgnbd.json")
    var model: String

    @OptionGroup var input: SummaryInput

    @Option(help: "Prediction horizon in the model's time unit (weeks for CDNOW). Example: --horizon 52")
    var horizon: Double

    @Option(help: "Optional Gamma-Gamma model file for expected spend. Example: --spend-model models/cdnow-gg.json")
    var spendModel: String?

    @Option(help: "Output CSV, written atomically. Example: --out predictions.csv")
    var out: String

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            let file = try ModelFile.read(from: URL(fileURLWithPath: model))
            let purchaseModel = try ModelCatalog.loadRepeatPurchaseModel(file)
            let unit = (try? TimeUnit(parsing: file.timeUnit)) ?? .week
            let customers = try input.read(unit: unit)
            let spend = try spendModel.map { try GammaGamma(file: ModelFile.read(from: URL(fileURLWithPath: $0))) }
            let predictions = try CustomerPredictions.compute(model: purchaseModel, summary: customers, horizon: horizon, spend: spend)
            try AtomicFile.write(predictions.csv().data, to: URL(fileURLWithPath: out))
            Log.shared.info("scored \(customers.count) customers over \(horizon) \(file.timeUnit)s -> \(out)",
                            fields: ["event": "predict", "customers": customers.count, "out": out, "horizon": horizon])
        }
    }
}
