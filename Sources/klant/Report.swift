import ArgumentParser
import Churn
import CustomerData
import Foundation
import Models
import Reports
import Scoring

/// `klant report`: one self-contained HTML page and/or a Jupyter notebook with the pictures of
/// fitted models, a score table and an action list.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw the report: model fit, holdout, tracking, P(alive), churn (ROC, lift, gains), uplift, cross-sell, value, action and campaign charts as HTML and a notebook.",
        discussion: """
            Every chart is inline SVG drawn by Klant: the page needs no network, no scripts and prints well.
              klant report --models models/ --summary cdnow_summary.csv --churn-data datasets/telco_churn.csv \\
                    --scores scores.csv --actions actions.csv --html report.html --notebook notebooks-export/cdnow.ipynb
              klant report --model models/cdnow-bgnbd.json --transactions datasets/CDNOW_master.txt --customer-column customer_id \\
                    --date-column date --amount-column dollar_value --date-format yyyyMMdd \\
                    --calibration-end 1997-09-30 --observation-end 1998-06-30 --html cdnow.html
            Sections appear where the inputs allow: the parameter table of every model; with --summary the repeat \
            transactions, holdout and P(alive) charts of repeat-purchase models and the ROC, lift, gains and calibration of \
            churn models fitted on a summary; with --transactions (summarised as klant summarize would, with the same \
            column, date and period options) also the cumulative and weekly tracking of actual vs expected repeat purchases \
            over calibration and holdout, every customer counted from their first purchase day; with --churn-data the same for churn models fitted on a customer table \
            (evaluated on the rows the fit held out when the file is the training data); with --uplift-data the Qini \
            curves of uplift models; for a cross-sell model its most bought items and most similar pairs, with \
            --cross-sell-evaluation its precision, recall and hit rate against popularity; with --scores the value section \
            (the table's .meta.json sidecar adds the profitability curve, value matrix and RFM segments); with --actions \
            the action section (its .meta.json sidecar from klant actions adds budget use, shadow prices and control \
            groups); with --campaign the campaign results with intervals. The notebook gets a folder <name>-data/ next to it with every chart's SVG and CSV.
            """)

    @Option(help: "A folder of model files (every *.json in it, by name). Example: --models models/")
    var models: String?

    @Option(name: .customLong("model"), help: "A model file; repeat for several (after those of --models). Example: --model models/cdnow-bgnbd.json")
    var modelFiles: [String] = []

    @OptionGroup var input: SummaryInput

    @Option(help: "A customer table with the target column, to evaluate churn models fitted on customer tables. Example: --churn-data datasets/telco_churn.csv")
    var churnData: String?

    @Option(help: "A campaign table with the treatment and outcome columns, to draw the Qini curves of uplift models. Example: --uplift-data datasets/hillstrom.csv")
    var upliftData: String?

    @Option(help: "A score table from klant score (CSV or JSON lines; its .meta.json sidecar is read too); repeat for several. Example: --scores quickstart-output/scores.csv")
    var scores: [String] = []

    @Option(help: "An action list (customer_id, action, type, channel, expected_value, cost, reason, control, campaign_id). Example: --actions actions.csv")
    var actions: String?

    @Option(help: "A cross-sell evaluation table (klant evaluate --model <cross-sell model> --top K --out FILE); repeat for several k to draw hit rate by k. Example: --cross-sell-evaluation retail-eval-top5.csv")
    var crossSellEvaluation: [String] = []

    @Option(help: "Campaign results from klant evaluate-campaign --out: uplift per treatment and outcome with 95% intervals. Example: --campaign quickstart-output/campaign.csv")
    var campaign: String?

    @Option(help: "Future period of the expected-purchases heatmap, in the summary's time unit. Example: --horizon 52")
    var horizon = 52.0

    @Option(help: "The page and notebook title. Example: --title \"CDNOW customers\"")
    var title = "Klant report"

    @Option(help: "Where to write the HTML page. Example: --html quickstart-output/report.html")
    var html: String?

    @Option(help: "Where to write the notebook (.ipynb); its data go to <name>-data/ beside it. Example: --notebook notebooks-export/cdnow.ipynb")
    var notebook: String?

    @OptionGroup var log: LogOptions

    func validate() throws {
        if html == nil && notebook == nil { throw ValidationError("give --html FILE and/or --notebook FILE: where to write the report") }
        if models == nil && modelFiles.isEmpty && scores.isEmpty && actions == nil && campaign == nil {
            throw ValidationError("nothing to report: give --models DIR, --model FILE, --scores FILE, --actions FILE or --campaign FILE")
        }
        guard horizon > 0, horizon.isFinite else { throw ValidationError("--horizon must be a positive number of time units, got \(horizon)") }
    }

    func run() throws {
        log.apply()
        try withChurnErrors {
            do {
                var inputs = ReportInputs()
                if let models { inputs.models = try ReportInputs.modelFiles(in: URL(fileURLWithPath: models)) }
                inputs.models += modelFiles.map { URL(fileURLWithPath: $0) }
                if input.isGiven {
                    // The summary is read for the first model with a calendar unit (its sidecar's unit must
                    // be that model's); without one, in its sidecar's unit or weeks, said at info level.
                    // Files that do not load are skipped here: the report builder names their error.
                    let first = inputs.models.lazy.compactMap { url -> (LoadedModel, String)? in
                        guard let loaded = try? ModelLoader.load(url), loaded.timeUnit != nil else { return nil }
                        return (loaded, url.path)
                    }.first
                    if input.transactions != nil {
                        // Summarised in the first calendar model's unit, with the purchases per day for the tracking charts.
                        let run = try input.summarizeTransactions(unit: first?.0.timeUnit ?? .week, countDailyPurchases: true)
                        inputs.summary = run.summary
                        inputs.dailyPurchases = run.dailyPurchases
                        inputs.calibrationEnd = try input.format.calibrationDay
                    } else {
                        inputs.summary = try first.map { try input.read(for: $0.0, modelPath: $0.1) } ?? input.read(unitOption: nil)
                    }
                }
                inputs.churnData = churnData.map { URL(fileURLWithPath: $0) }
                inputs.scores = scores.map { URL(fileURLWithPath: $0) }
                inputs.actions = actions.map { URL(fileURLWithPath: $0) }
                inputs.upliftData = upliftData.map { URL(fileURLWithPath: $0) }
                inputs.crossSellEvaluations = crossSellEvaluation.map { URL(fileURLWithPath: $0) }
                inputs.campaign = campaign.map { URL(fileURLWithPath: $0) }
                inputs.horizon = horizon
                let report = try ReportBuilder.build(inputs, title: title)
                if let html {
                    try HTMLPage.write(report, to: URL(fileURLWithPath: html))
                    Log.shared.info("wrote \(html): \(report.sections.count) sections, \(report.figures.count) charts", fields: ["event": "report", "out": html])
                }
                if let notebook {
                    try Notebook.write(report, to: URL(fileURLWithPath: notebook))
                    Log.shared.info("wrote \(notebook) and its data folder \(Notebook.dataFolderName(for: URL(fileURLWithPath: notebook)))/", fields: ["event": "report", "out": notebook])
                }
            } catch let error as ReportError {
                throw KlantFailure(message: error.description, exitCode: 2)
            }
        }
    }
}
