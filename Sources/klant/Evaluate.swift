import ArgumentParser
import CustomerData
import Foundation
import Models

/// `klant evaluate`: how well a model predicts the holdout period.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a model's predictions with the holdout period: MAE, RMSE, totals and the table by calibration frequency.",
        discussion: """
            The summary needs holdout columns (summarise with --calibration-end and --observation-end).
            Example: klant evaluate --model models/cdnow-bgnbd.json --summary cdnow_summary.csv
            """)

    @Option(help: "A repeat-purchase model file. Example: --model models/cdnow-bgnbd.json")
    var model: String

    @OptionGroup var input: SummaryInput

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            let file = try ModelFile.read(from: URL(fileURLWithPath: model))
            let purchaseModel = try ModelCatalog.loadRepeatPurchaseModel(file)
            let unit = (try? TimeUnit(parsing: file.timeUnit)) ?? .week
            let customers = try input.read(unit: unit)
            let evaluation = try HoldoutEvaluation(model: purchaseModel, summary: customers)
            print(evaluation.description)
        }
    }
}
