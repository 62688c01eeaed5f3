import ArgumentParser
import CustomerData
import Foundation
import Responses

/// `klant evaluate-campaign`: what a campaign added, from its randomised control groups.
struct EvaluateCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate-campaign",
        abstract: "Measure a campaign: per treatment and outcome, treated vs control, uplift with 95% interval, p-value, incremental responses and revenue.",
        discussion: """
            Either one table with a treatment column and outcomes (a randomised experiment):
              klant evaluate-campaign --data datasets/hillstrom.csv --treatment-column segment --control "No E-Mail" \\
                    --outcome visit,conversion,spend --out campaign.csv
            or an action list with control flags (and optional costs) joined by customer id with a responses file:
              klant evaluate-campaign --actions actions.csv --responses responses.csv --id-column customer_id \\
                    --action-column action --control-column control --cost-column cost --outcome revenue
            0/1 outcomes are compared as rates (normal interval with unpooled variances), other outcomes as \
            means (Welch's t interval). Action-list customers without a responses row count as no response; \
            each action's control group is its rows flagged as control, or the control rows with a blank action.
            """)

    @Option(help: "One table with treatment and outcome columns. Example: --data datasets/hillstrom.csv")
    var data: String?

    @Option(help: "With --data: the column naming each customer's arm. Example: --treatment-column segment")
    var treatmentColumn: String?

    @Option(help: "With --data: the treatment column's control value. Example: --control \"No E-Mail\"")
    var control: String?

    @Option(help: "An action list: customer id, action, control flag (1/0), optional cost. Example: --actions actions.csv")
    var actions: String?

    @Option(help: "With --actions: the responses file, one row per customer with the outcome columns. Example: --responses responses.csv")
    var responses: String?

    @Option(help: "With --actions: the customer id column of both files. Example: --id-column customer_id")
    var idColumn = "customer_id"

    @Option(help: "With --actions: the action column. Example: --action-column action")
    var actionColumn = "action"

    @Option(help: "With --actions: the control-flag column (1/0, yes/no, true/false). Example: --control-column control")
    var controlColumn = "control"

    @Option(help: "With --actions: a contact-cost column; adds cost and ROI (amount outcomes). Example: --cost-column cost")
    var costColumn: String?

    @Option(parsing: .upToNextOption, help: "Outcome columns (space or comma separated). Example: --outcome visit,spend")
    var outcome: [String]

    @Option(help: "Write the table (CSV, or JSON lines for .jsonl; '-' = stdout), atomically. Example: --out campaign.csv")
    var out: String?

    @OptionGroup(title: "Input format of --data, --actions and --responses") var text: TextFormatOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            let outcomes = outcome.flatMap { $0.split(separator: ",").map(String.init) }
            try checkOutputs([("--out", out)], inputs: [("--data", data), ("--actions", actions), ("--responses", responses)])
            let format = try text.tableFormat()
            let read = { (path: String) in try CustomerTable(path: path, format: format) }
            let campaign: CampaignData
            switch (data, actions) {
            case let (data?, nil):
                guard let treatmentColumn, let control else { throw ValidationError("with --data give --treatment-column and --control") }
                campaign = try CampaignData(table: try read(data),
                                            treatmentColumn: treatmentColumn, control: control, outcomes: outcomes)
            case let (nil, actions?):
                guard let responses else { throw ValidationError("with --actions give the --responses file") }
                campaign = try CampaignData(actions: try read(actions),
                                            responses: try read(responses),
                                            idColumn: idColumn, actionColumn: actionColumn, controlColumn: controlColumn,
                                            costColumn: costColumn, outcomes: outcomes)
            default:
                throw ValidationError("give either --data (one table with a treatment column) or --actions with --responses")
            }
            let evaluation = try CampaignEvaluation(campaign, outcomes: outcomes)
            for note in evaluation.notes { Log.shared.warning(note) }
            print(evaluation.report)
            if let out {
                try evaluation.write(to: out)
                Log.shared.info("wrote \(out)", fields: ["event": "evaluate-campaign", "rows": evaluation.rows.count, "out": out])
            }
        }
    }
}
