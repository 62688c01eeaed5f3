import ArgumentParser
import CustomerData
import Foundation
import Models
import Scoring
import Warehouse

/// `klant score`: what each customer is worth — CLV net of costs with an interval, historic value,
/// segments — from fitted models, margins, costs and a discount rate.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Value every customer: P(alive), expected purchases and spend, CLV net of costs with a 90% interval, historic value.",
        discussion: """
            Non-contractual (shops): a repeat-purchase model (bg-nbd, mbg-nbd, pareto-nbd) with a Gamma-Gamma spend model, on a summary:
              klant score --model models/cdnow-bgnbd.json --spend-model models/cdnow-gamma-gamma.json \\
                  --summary cdnow_summary.csv --margin 0.3 --cost-per-order 2 \\
                  --horizon 12 --horizon-unit month --discount-rate 0.10 --out scores.csv
            CLV = sum over steps k = 1..n of (margin x expected spend - cost per order) x (expected purchases in step k) / (1 + d)^k \
            - cost per period x (discounted expected periods alive), d the discount rate per step. \
            With --horizon infinite, Pareto/NBD uses the closed-form DERT of Fader, Hardie & Lee (2005) (continuous discounting), \
            BG/NBD and MBG/NBD sum the series exactly until the rest is below 1e-12 of the sum.
            Contractual (subscriptions): a churn model (per-period churn probability p) or an sBG cohort model, on a customer table:
              klant score --model models/telco-churn.json --data datasets/telco_churn.csv --period-revenue-column MonthlyCharges \\
                  --margin 0.3 --revenue-column TotalCharges --blanks zero --horizon infinite --discount-rate 0.10 --out telco_scores.csv
            CLV = (margin x revenue per period - cost per period) x r / (1 + d - r) with r = 1 - p (finite horizons: the sum over n periods).
            The interval (clv_lower, clv_upper) comes from the fitted parameters' covariance by the delta method: it says how well \
            the model is known, not how a single customer's purchases scatter.
            Output: one row per customer (CSV, or JSON lines for .jsonl / --format jsonl, or a PostgreSQL table with \
            --out postgresql://etl@db:5432/crm --out-table crm.customer_value, replaced atomically; the password from PGPASSWORD \
            or ~/.pgpass), written atomically, and for files a sidecar \
            <out>.meta.json with the models' fingerprints and every option.
            """)

    @Option(help: "The value model: a repeat-purchase model (with --spend-model), a churn model or an sBG model. Example: --model models/cdnow-bgnbd.json")
    var model: String

    @Option(help: "Gamma-Gamma spend model for non-contractual CLV. Example: --spend-model models/cdnow-gamma-gamma.json")
    var spendModel: String?

    @OptionGroup var input: SummaryInput

    @Option(help: "Contractual models: the customer table CSV to score (its columns feed the model and the money columns). Example: --data datasets/telco_churn.csv")
    var data: String?

    @Option(help: "Margin as a share of revenue, 0 to 1. Example: --margin 0.3")
    var margin: Double?

    @Option(help: "Per-customer margin rate from a column of the customer table (--customers, or --data). Example: --margin-column margin_rate")
    var marginColumn: String?

    @Flag(help: "Accept negative margin rates (customers served at a loss).")
    var allowNegativeMargin = false

    @Option(help: "Cost of handling one order, in the input's currency. Example: --cost-per-order 2")
    var costPerOrder = 0.0

    @Option(help: "Cost of serving a customer for one horizon step while alive. Example: --cost-per-period 0.5")
    var costPerPeriod = 0.0

    @Option(help: "Per-customer cost per period from a column of the customer table. Example: --cost-per-period-column service_cost")
    var costPerPeriodColumn: String?

    @Option(help: "Per-customer acquisition cost from a column of the customer table, charged to the historic net value. Example: --acquisition-cost-column cac")
    var acquisitionCostColumn: String?

    @Option(help: "Historic revenue from a column of the customer table (default: frequency x monetary_value, the calibration period's repeat purchases). Example: --revenue-column TotalCharges")
    var revenueColumn: String?

    @Option(help: "Contractual: revenue per period from a column of the customer table. Example: --period-revenue-column MonthlyCharges")
    var periodRevenueColumn: String?

    @Option(help: "Contractual with an sBG model: periods completed per customer. Example: --tenure-column tenure")
    var tenureColumn: String?

    @Option(help: "Non-contractual: a customer table CSV joined by id for the --*-column options. Example: --customers customers.csv")
    var customers: String?

    @Option(help: "The id column of --customers or --data (default: the churn model's id column, or customer_id). Example: --customer-id-column customerID")
    var customerIDColumn: String?

    @Option(help: "Scored customers missing from --customers: error (default, lists the first ids), zero (table values count as 0) or drop (not scored); counts are reported. Example: --missing-customers zero")
    var missingCustomers: String = "error"

    @Option(help: "Blank cells in money columns: error (default, names the line) or zero. Example: --blanks zero")
    var blanks: String = "error"

    @Option(help: "Number of horizon steps, or infinite. Example: --horizon 12")
    var horizon: String = "12"

    @Option(help: "Length of one horizon step: day, week, month (365.25/12 days), year, or a number and a unit ('30 days', '4.345 weeks' as lifetimes' months). Example: --horizon-unit month")
    var horizonUnit: String = "month"

    @Option(help: "Discount rate per --discount-period (0.10 = 10%). Example: --discount-rate 0.10")
    var discountRate: Double = 0.10

    @Option(help: "The period the discount rate is quoted for: year (default), month, week, day, or step (per horizon step, as lifetimes' discount_rate). Example: --discount-period month")
    var discountPeriod: String = "year"

    @Option(help: "Level of the CLV interval. Example: --interval-level 0.95")
    var intervalLevel: Double = 0.9

    @Flag(help: "Leave out the CLV interval (clv_lower, clv_upper).")
    var noIntervals = false

    @Option(help: "How the value matrix splits each axis (current = historic net value, potential = CLV): median (default), a quantile q0.8, an amount amount:250, or per axis current=q0.8,potential=amount:250. Example: --value-split q0.8")
    var valueSplit = "median"

    @Option(help: "With --shard: the .meta.json of a full run, whose segment cuts (value matrix, RFM, deciles) the shard reuses so its segments equal the full run's. Example: --boundaries-from scores.csv.meta.json")
    var boundariesFrom: String?

    @Option(help: "A customer_id,referred_by CSV: referral_value credits each referrer with the CLV of the customers she brought in (each counted once). Example: --referrals referrals.csv")
    var referrals: String?

    @Option(help: "knowledge_value from customer-table columns times per-unit values. Example: --knowledge-values reviews=2.5,feedback=10")
    var knowledgeValues: String?

    @Option(help: "recommendation_value from customer-table columns times per-unit values. Example: --recommendation-values promoter_score=5,shares=1")
    var recommendationValues: String?

    @Option(help: "Multichannel value: the channel column, in --channel-log (one row per transaction: channels_used per customer) or else in the customer table (one channel group per customer); value by channel goes to the report and sidecar. Example: --channel-column channel")
    var channelColumn: String?

    @Option(help: "A transaction log (written as the input-format options say) with a customer id column and --channel-column. Example: --channel-log orders.csv")
    var channelLog: String?

    @Option(help: "The customer id column of --channel-log. Example: --channel-log-customer-column customer_id")
    var channelLogCustomerColumn = "customer_id"

    @Option(help: "Output format: csv or jsonl (default from the --out extension). Example: --format jsonl")
    var format: String?

    @Option(help: "Output file (written atomically; - for standard output), with a sidecar <out>.meta.json; or a postgresql://user@host:port/database URL with --out-table (the table replaced atomically; no sidecar). Example: --out scores.csv")
    var out: String

    @Option(help: ArgumentHelp("With --out postgresql://user@host:port/database: the table to replace (atomically) with the scores, optionally schema-qualified. Example: --out-table crm.customer_value", valueName: "name"))
    var outTable: String?

    @Option(help: ArgumentHelp("Write only these columns, in this order, after customer_id (default: all). Everything is still computed: the printed picture and the sidecar do not change. Example: --columns clv,value_segment", valueName: "names"))
    var columns: String?

    @Option(help: "Score only shard k of N (customers whose id hashes to it). Example: --shard 3/8")
    var shard: String?

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withChurnErrors {
            let destination = try TableDestination(out: out, outTable: outTable)   // a bad combination fails before any work
            let sidecar = out == "-" || PostgresLocation.isLocation(out) ? nil : out + ".meta.json"
            try checkOutputs([("--out", out), ("--out (sidecar)", sidecar)],
                             inputs: input.inputFiles + [("--model", model), ("--spend-model", spendModel), ("--data", data), ("--customers", customers),
                                                         ("--referrals", referrals), ("--boundaries-from", boundariesFrom), ("--channel-log", channelLog)])
            var job: ScoringJob? = try makeJob()
            var result: ScoringJob.Result? = try job!.run()
            let (metadata, notes, customers) = (result!.metadata, result!.notes, result!.table.count)
            // The sidecar is encoded on another core while the table is written; once the rows are
            // written, the scored base is freed on another core while the table is published.
            let sidecarBytes = sidecar.map { _ in BackgroundResult { try metadata.encoded() } }
            let memory = BackgroundRelease()
            defer { memory.wait() }
            try writeTable(header: result!.table.header, rows: result!.table.rows, to: destination, what: "score",
                           format: try format.map(parseFormat), beforeCommit: { memory.release((job.take(), result.take())) })
            if let sidecar, let sidecarBytes { try AtomicFile.write(try sidecarBytes.value(), to: URL(fileURLWithPath: sidecar)) }
            for note in notes { Log.shared.warning(note) }
            if out != "-" { print(ScoreReport.text(metadata)) }
            Log.shared.info("scored \(customers) customers -> \(out)",
                            fields: ["event": "score", "customers": customers, "out": out, "setting": metadata.setting])
        }
    }

    func makeJob() throws -> ScoringJob {
        let settings = try ValueSettings(horizon: ValueHorizon(parsing: horizon, stepLength: horizonUnit),
                                         discounting: Discounting(rate: discountRate, parsingPeriod: discountPeriod),
                                         intervalLevel: noIntervals ? nil : intervalLevel)
        let customersInput: ScoringJob.Customers
        if let data {
            if input.isGiven { throw ValidationError("give either --data (contractual) or --summary/--transactions (non-contractual), not both") }
            customersInput = .table(URL(fileURLWithPath: data))
        } else {
            let loaded = try ModelLoader.load(URL(fileURLWithPath: model))
            customersInput = .summary(try input.read(for: loaded, modelPath: model), source: input.source ?? "summary")
        }
        var job = ScoringJob(modelPath: model, spendModelPath: spendModel, customers: customersInput, settings: settings)
        job.margin = margin
        job.marginColumn = marginColumn
        job.allowNegativeMargin = allowNegativeMargin
        job.costPerOrder = costPerOrder
        job.costPerPeriod = costPerPeriod
        job.costPerPeriodColumn = costPerPeriodColumn
        job.acquisitionCostColumn = acquisitionCostColumn
        job.revenueColumn = revenueColumn
        job.periodRevenueColumn = periodRevenueColumn
        job.tenureColumn = tenureColumn
        job.customerTable = customers.map { URL(fileURLWithPath: $0) }
        job.customerIDColumn = customerIDColumn
        job.tableFormat = try input.format.text.tableFormat()
        guard let missing = MissingCustomers(rawValue: missingCustomers) else {
            throw ValidationError("--missing-customers must be error, zero or drop, not \(missingCustomers)")
        }
        job.missingCustomers = missing
        guard blanks == "error" || blanks == "zero" else { throw ValidationError("--blanks must be error or zero, not \(blanks)") }
        job.blanksAsZero = blanks == "zero"
        job.shard = try shard.map(CustomerShard.init(parsing:))
        job.outputColumns = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        job.valueSplit = valueSplit
        job.boundariesFrom = boundariesFrom.map { URL(fileURLWithPath: $0) }
        job.referrals = referrals.map { URL(fileURLWithPath: $0) }
        job.knowledgeValues = knowledgeValues
        job.recommendationValues = recommendationValues
        job.channelColumn = channelColumn
        job.channelLog = channelLog.map { URL(fileURLWithPath: $0) }
        job.channelLogCustomerColumn = channelLogCustomerColumn
        return job
    }

    func parseFormat(_ text: String) throws -> TableFormat {
        guard let f = TableFormat(rawValue: text.lowercased()) else { throw ValidationError("--format must be csv or jsonl, not \(text)") }
        return f
    }
}
