import Actions
import ArgumentParser
import Churn
import CustomerData
import Foundation
import Store
import Warehouse

/// `klant actions`: the next-best action per customer from scores, a catalog and the contact history.
struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "Choose the next-best action per customer (retention, upsell, cross-sell or none) under budgets, capacities and contact rules.",
        discussion: """
            From a score table (`klant score`), an action catalog (YAML) and the contact history in a store:
              klant actions --scores scores.csv --catalog examples/actions.yaml --customers customers.csv \\
                  --customer-id-column customerID --store klant.sqlite --as-of 2026-12-01 --record --out actions.csv
            Expected net value per eligible (customer, action) = P(response) x value - cost; with an uplift model the \
            incremental response replaces P(response). One action per customer, unless the catalog's \
            max-actions-per-customer: N allows up to N different actions (never the same one twice; each counts against \
            the contact policy's max-contacts). Budgets and channel capacities are met by \
            Lagrangian relaxation (one shadow price per limit), compared with greedy and an upper bound in the summary. \
            Each action's control share is held out by a stable hash of (customer id, action, campaign id): marked control, \
            never contacted, still recorded. Rules (eligible, value) are expressions over the columns of the score and customer \
            tables: numbers, 'texts', and / or / not, < <= > >= == !=, in ['a', 'b'], + - * /; see docs/actions.md.
            Output: one row per chosen (customer, action): customer_id, action, type, channel, expected_value, cost, \
            response_probability, value, control, campaign_id, as_of, reason; ordered by expected net value; CSV (formula-safe) \
            or JSON lines, written atomically. Beside it \
            <out>.meta.json: counts and money per action and channel, each limit's use, capacity and shadow price, control \
            groups and the arbitration (read by klant report --actions).
            """)

    @Option(help: "The score table from `klant score` (CSV or .jsonl), with a customer_id column. Example: --scores quickstart-output/telco_scores.csv")
    var scores: String

    @Option(help: "The action catalog (YAML: actions, contact-policy, optional campaign, currency, budget-amount, max-actions-per-customer; see docs/actions.md). Example: --catalog examples/actions.yaml")
    var catalog: String

    @Option(help: "A customer table CSV: its columns feed the rules, and response models are scored on it. Example: --customers datasets/telco_churn.csv")
    var customers: String?

    @Option(help: "The id column of --customers. Example: --customer-id-column customerID")
    var customerIDColumn = "customer_id"

    @Option(help: "The store (SQLite; created and migrated if needed) with the contact history and opt-outs. Example: --store klant.sqlite")
    var store: String?

    @Option(help: "The run's date (yyyy-MM-dd): contact rules count back from it and recorded contacts carry it. Example: --as-of 2026-12-01")
    var asOf: String

    @Option(help: "Campaign id for control groups and the history (default: the catalog's campaign, else actions-<as-of>). Example: --campaign-id winter-2026")
    var campaignID: String?

    @Option(help: "Do-not-contact list CSV with customer_id and optionally channel (empty or * = every channel); always wins, and is kept in the store with --record. Example: --opt-outs optouts.csv")
    var optOuts: String?

    @Flag(help: "Write the chosen contacts (control rows flagged) into --store in one transaction; a rerun of the same --as-of and campaign records nothing twice.")
    var record = false

    @Option(help: "Response models: a categorical level unseen in training is an error (default) or scored as the reference level. Example: --unseen-levels reference")
    var unseenLevels = "error"

    @Option(help: "The action list, written atomically; - is standard output; or a postgresql://user@host:port/database URL with --out-table (the table replaced atomically; no sidecar). Example: --out actions.csv")
    var out: String

    @Option(help: ArgumentHelp("With --out postgresql://user@host:port/database: the table to replace (atomically) with the action list, optionally schema-qualified. Example: --out-table crm.next_best_actions", valueName: "name"))
    var outTable: String?

    @Option(help: "Output format: csv or jsonl (default: by the extension of --out). Example: --format jsonl")
    var format: String?

    @OptionGroup(title: "Input format of --customers") var text: TextFormatOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            try withActionErrors {
                try checkOutputs([("--out", out)], inputs: [("--scores", scores), ("--catalog", catalog), ("--customers", customers),
                                                            ("--store", store), ("--opt-outs", optOuts)])
                let destination = try TableDestination(out: out, outTable: outTable)   // a bad combination fails before any work
                let tableFormat = try format.map { f -> TableFormat in
                    guard let t = TableFormat(rawValue: f) else { throw ValidationError("--format must be csv or jsonl, not \(f)") }
                    return t
                }
                guard let policy = UnseenLevelPolicy(rawValue: unseenLevels) else {
                    throw ValidationError("--unseen-levels must be error or reference, not \(unseenLevels)")
                }
                if record && store == nil { throw ValidationError("--record writes into the store: give --store FILE") }
                let day = try CalendarDay(parsing: asOf, option: "--as-of")
                let optOutList = try optOuts.map(readOptOuts) ?? []
                var options = ActionRunOptions(scoresPath: scores, customersPath: customers, customerIDColumn: customerIDColumn,
                                               catalog: try ActionCatalog.load(path: catalog), asOf: day, campaignID: campaignID,
                                               optOuts: optOutList, unseenLevels: policy)
                options.customersFormat = try text.tableFormat()
                let klantStore = try store.map { try KlantStore(path: $0) }
                let plan = try ActionPlanner.plan(options, store: klantStore)
                try writeTable(header: ActionPlan.header, rows: plan.cells, to: destination, what: "action", format: tableFormat)
                if case .file = destination, let sidecar = ActionPlan.sidecarPath(forList: out) { try plan.writeSidecar(to: URL(fileURLWithPath: sidecar)) }
                print(plan.summary)
                Log.shared.info("wrote \(plan.rows.count) actions to \(out)", fields: ["event": "actions", "rows": plan.rows.count, "out": out,
                                                                                      "campaign_id": plan.campaignID, "value": plan.assignment.value])
                if record, let klantStore {
                    if !optOutList.isEmpty { try klantStore.addOptOuts(optOutList, source: optOuts ?? "") }
                    switch try klantStore.record(plan.contactRecords()) {
                    case .recorded(let k):
                        Log.shared.info("recorded \(k) contacts in \(klantStore.path)", fields: ["event": "record", "contacts": k])
                    case .alreadyRecorded(let k):
                        Log.shared.warning("campaign \(plan.campaignID) already has \(k) contacts recorded on \(day): nothing recorded again",
                                           fields: ["event": "record", "existing": k])
                    }
                }
            }
        }
    }

    /// A do-not-contact CSV: customer_id, and channel when present.
    private func readOptOuts(_ path: String) throws -> [OptOut] {
        let reader = try TableReader(path: path, format: .csv)
        let id = try reader.requiredColumn("customer_id", purpose: "the customers who opted out")
        let channel = reader.columnIndex("channel")
        var list: [OptOut] = []
        try reader.forEachRow { row in list.append(OptOut(customerID: row.text(id), channel: channel.map { row.text($0) } ?? OptOut.anyChannel)) }
        return list
    }
}

/// Catalog, rule and store errors as Klant failures: bad catalogs and rules are bad input (2), a
/// store that cannot be opened or written is a failure (1).
func withActionErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as CatalogError {
        throw KlantFailure(message: error.description, exitCode: 2)
    } catch let error as ExpressionError {
        throw KlantFailure(message: error.description, exitCode: 2)
    } catch let error as StoreError {
        throw KlantFailure(message: error.description, exitCode: 1)
    }
}
