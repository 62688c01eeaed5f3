import Churn
import CustomerData
import Foundation
import Models

/// Everything `klant score` (and the nightly rescoring) needs to value a customer base: the model
/// files, the customers, the money and the horizon. `run()` loads, joins, scores and returns the
/// table with its sidecar; the CLI only parses flags into this and prints.
public struct ScoringJob: Sendable {
    /// Where the customers come from.
    public enum Customers: Sendable {
        /// A customer summary (non-contractual: repeat-purchase + spend model).
        case summary(CustomerSummary, source: String)
        /// A customer table CSV (contractual: churn or sBG model).
        case table(URL)
    }

    public var modelPath: String
    public var spendModelPath: String?
    public var customers: Customers
    public var settings: ValueSettings
    /// A rate for every customer, or nil when `marginColumn` gives it per customer.
    public var margin: Double?
    public var marginColumn: String?
    public var allowNegativeMargin = false
    public var costPerOrder = 0.0
    public var costPerPeriod = 0.0
    public var costPerPeriodColumn: String?
    public var acquisitionCostColumn: String?
    /// Historic revenue per customer from the customer table (default: from the summary).
    public var revenueColumn: String?
    /// Contractual: the revenue per period (e.g. Telco's MonthlyCharges), times the margin.
    public var periodRevenueColumn: String?
    /// Contractual with an sBG model: the periods each customer has completed (e.g. tenure).
    public var tenureColumn: String?
    /// A customer table joined by id for the columns above (contractual: the scored table itself).
    public var customerTable: URL?
    public var customerIDColumn: String?
    /// How the customer tables (`--data`, `--customers`, referrals, channel log) are written: delimiter,
    /// decimal comma, thousands separator, currency, encoding.
    public var tableFormat = TableTextFormat()
    public var missingCustomers: MissingCustomers = .error
    public var blanksAsZero = false
    public var shard: CustomerShard?
    /// How the value matrix splits each axis: "median", "q0.8", "amount:250" or "current=...,potential=...".
    public var valueSplit = "median"
    /// A full run's sidecar whose segment cuts a shard reuses.
    public var boundariesFrom: URL?
    /// A `customer_id, referred_by` table: referral value credits the referrer with the referred CLV.
    public var referrals: URL?
    /// Per-unit values of customer-table columns, e.g. "reviews=2.5,feedback=10".
    public var knowledgeValues: String?
    public var recommendationValues: String?
    /// Multichannel value: the channel column of `channelLog` (one row per transaction), or, without
    /// a log, of the customer table (one channel group per customer, e.g. Hillstrom's `channel`).
    public var channelColumn: String?
    /// A comma-separated transaction log with a customer column and `channelColumn`.
    public var channelLog: URL?
    public var channelLogCustomerColumn = "customer_id"
    /// The columns to write after the id, in this order (nil: all). Everything is still computed,
    /// so the report and the sidecar are the same whatever is written.
    public var outputColumns: [String]?

    public init(modelPath: String, spendModelPath: String? = nil, customers: Customers, settings: ValueSettings) {
        self.modelPath = modelPath
        self.spendModelPath = spendModelPath
        self.customers = customers
        self.settings = settings
    }

    /// The scores, and what the sidecar and the report say about them.
    public struct Result: Sendable {
        public var table: ScoreTable
        public var metadata: ScoreMetadata
        /// Lines for the user (counts of missing/dropped customers, blanks, ...).
        public var notes: [String]
    }

    public func run() throws -> Result {
        if margin != nil, marginColumn != nil { throw ModelError.invalidParameters("give either --margin or --margin-column, not both") }
        let modelURL = URL(fileURLWithPath: modelPath)
        switch (try ModelLoader.load(modelURL), customers) {
        case let (.repeatPurchase(model, file), .summary(summary, source)):
            return try scoreNonContractual(model: model, file: file, summary: summary, source: source)
        case let (.churn(model), .table(url)):
            return try scoreContractual(churn: model, cohort: nil, table: url, kind: .logisticChurn)
        case let (.cohortRetention(model, _), .table(url)):
            return try scoreContractual(churn: nil, cohort: model, table: url, kind: .shiftedBetaGeometric)
        case (.repeatPurchase, .table):
            throw ModelError.invalidData("\(modelPath) is a repeat-purchase model: score it on a customer summary (--summary or --transactions), not a customer table")
        case (.churn, .summary), (.cohortRetention, .summary):
            throw ModelError.invalidData("\(modelPath) is a contractual model: score it on a customer table with --data FILE")
        case (.spend, _):
            throw ModelError.invalidData("\(modelPath) is a spend model: give the repeat-purchase model with --model and this file with --spend-model")
        case (.propensity, _), (.uplift, _):
            throw ModelError.invalidData("\(modelPath) is a response model: it predicts responses, not customer value; score with a repeat-purchase, churn or sBG model")
        }
    }

    // MARK: - Non-contractual

    func scoreNonContractual(model: any RepeatPurchaseModel, file: ModelFile, summary full: CustomerSummary, source: String) throws -> Result {
        guard let spendModelPath else {
            throw ModelError.invalidData("non-contractual CLV needs the spend per order: give a Gamma-Gamma model with --spend-model FILE")
        }
        try ModelLoader.requireSameUnit(model: file.calendarUnit, modelPath: modelPath, summary: full.timeUnit, summaryPath: source)
        let (spendModel, spendFile) = try ModelLoader.loadSpendModel(URL(fileURLWithPath: spendModelPath))
        var summary = shard.map { full.selecting($0) } ?? full
        var notes: [String] = []
        let joined = try joinCustomerTable(ids: summary.customerIDs, notes: &notes)
        if let keep = joined?.keptRows { summary = summary.selecting(rows: keep) }
        let economics = try makeEconomics(count: summary.count, joined: joined, periodRevenue: nil)
        let revenue = try revenueColumn.map { try joinedNumbers($0, joined) }
        let scoring = try NonContractualScoring(purchase: model, purchaseFile: file, spend: spendModel, spendFile: spendFile, settings: settings)
        var table = try scoring.score(summary, economics: economics, historicRevenue: revenue)
        let analytics = try appendAnalytics(to: &table, history: PurchaseHistory(summary: summary), joined: joined, notes: &notes)
        return try result(table, analytics: analytics, setting: "non-contractual",
                          models: [(modelPath, file.kind), (spendModelPath, spendFile.kind)], notes: notes)
    }

    // MARK: - Contractual

    func scoreContractual(churn: ChurnModel?, cohort: ShiftedBetaGeometric?, table url: URL, kind: ModelKind) throws -> Result {
        let customerTable = try CustomerTable(path: url.path, format: tableFormat)
        var ids: [String]
        var churnProbability: [Double]? = nil
        var notes: [String] = []
        let idColumn: String
        if let churn {
            let scores = try churn.predict(customerTable)
            if !scores.rejected.isEmpty {
                notes.append("\(scores.rejected.count) rows of \(url.path) not scored (blank model inputs), first at line \(scores.rejected[0].line)")
            }
            ids = scores.ids
            churnProbability = scores.probabilities
            idColumn = customerIDColumn ?? churn.idColumn ?? "customer_id"
        } else {
            idColumn = customerIDColumn ?? "customer_id"
            ids = try CustomerColumns(table: customerTable, idColumn: idColumn).table.column(named: idColumn)
        }
        var rows = Array(ids.indices)
        if let shard { rows = rows.filter { shard.contains(ids[$0]) } }
        ids = rows.map { ids[$0] }
        churnProbability = churnProbability.map { p in rows.map { p[$0] } }
        let columns = try CustomerColumns(table: customerTable, idColumn: idColumn)
        let tableRows = try columns.rows(for: ids, missing: .error)
        let joined = JoinedColumns(columns: columns, rows: tableRows, keptRows: nil)
        guard let periodRevenueColumn else {
            throw ModelError.invalidData("contractual CLV needs the revenue per period: name its column with --period-revenue-column (e.g. MonthlyCharges)")
        }
        let periodRevenue = try joinedNumbers(periodRevenueColumn, joined)
        let economics = try makeEconomics(count: ids.count, joined: joined, periodRevenue: periodRevenue)
        let d = settings.ratePerStep, steps = settings.horizon.steps
        var clv = [Double](), periods = [Double](), retention = [Double]()
        if let p = churnProbability {
            for i in ids.indices {
                let v = LifetimeValue.contractual(churnProbability: p[i], periodMargin: economics.margin[i] * periodRevenue[i],
                                                  costPerPeriod: economics.costPerPeriod[i], steps: steps, ratePerStep: d)
                clv.append(v.value); periods.append(v.expectedPeriods); retention.append(1 - p[i])
            }
        } else if let cohort {
            guard let tenureColumn else { throw ModelError.invalidData("an sBG model values customers by their tenure: name its column with --tenure-column (e.g. tenure)") }
            let tenure = try joinedNumbers(tenureColumn, joined)
            for i in ids.indices {
                let v = LifetimeValue.cohortResidualPeriods(cohort, tenure: tenure[i], steps: steps, ratePerStep: d)
                clv.append((economics.margin[i] * periodRevenue[i] - economics.costPerPeriod[i]) * v.discounted)
                periods.append(v.expected)
                retention.append((cohort.beta + tenure[i]) / (cohort.alpha + cohort.beta + tenure[i]))
            }
        }
        let revenue = try revenueColumn.map { try joinedNumbers($0, joined) } ?? [Double](repeating: .nan, count: ids.count)
        var table = ScoreTable(customerIDs: ids)
        table.append(.number("probability_alive", retention))
        if let churnProbability { table.append(.number("churn_probability", churnProbability)) }
        table.append(.number("expected_purchases", periods))
        table.append(.number("expected_average_spend", periodRevenue))
        table.append(.number("expected_revenue", zip(periods, periodRevenue).map { $0 * $1 }))
        table.append(.number("historic_revenue", revenue))
        table.append(.number("historic_net_value", revenue.indices.map { i in economics.margin[i] * revenue[i] - economics.acquisitionCost[i] }))
        table.append(.number("clv", clv))
        let analytics = try appendAnalytics(to: &table, history: nil, joined: joined, notes: &notes)
        return try result(table, analytics: analytics, setting: "contractual", models: [(modelPath, kind)], notes: notes)
    }

    /// The result as written: the `outputColumns` of the table, and the sidecar that describes them.
    func result(_ table: ScoreTable, analytics: Analytics, setting: String, models: [(path: String, kind: ModelKind)],
                notes: [String]) throws -> Result {
        let written = try outputColumns.map { try table.selecting(columns: $0) } ?? table
        let metadata = try ScoreMetadata(job: self, setting: setting, models: models, table: written, analytics: analytics)
        return Result(table: written, metadata: metadata, notes: notes)
    }

    // MARK: - Joins and money

    struct JoinedColumns {
        var columns: CustomerColumns
        var rows: [Int?]
        /// Rows of the scored customers kept (nil: all), under `--missing-customers drop`.
        var keptRows: [Int]?
    }

    func joinCustomerTable(ids: [String], notes: inout [String]) throws -> JoinedColumns? {
        guard let customerTable else {
            let needed = [marginColumn, costPerPeriodColumn, acquisitionCostColumn, revenueColumn].compactMap { $0 }
            if let first = needed.first {
                throw ModelError.invalidData("the column \(first) comes from a customer table: give it with --customers FILE (and --customer-id-column)")
            }
            return nil
        }
        let columns = try CustomerColumns(table: try CustomerTable(path: customerTable.path, format: tableFormat), idColumn: customerIDColumn ?? "customer_id")
        var rows = try columns.rows(for: ids, missing: missingCustomers)
        let missing = rows.filter { $0 == nil }.count
        var kept: [Int]? = nil
        if missing > 0 {
            switch missingCustomers {
            case .error: break
            case .zero: notes.append("\(missing) scored customers are not in \(customerTable.path): their table values count as 0")
            case .drop:
                kept = rows.indices.filter { rows[$0] != nil }
                rows = kept!.map { rows[$0] }
                notes.append("\(missing) scored customers are not in \(customerTable.path) and were left out")
            }
        }
        return JoinedColumns(columns: columns, rows: rows, keptRows: kept)
    }

    func joinedNumbers(_ column: String, _ joined: JoinedColumns?) throws -> [Double] {
        guard let joined else { throw ModelError.invalidData("the column \(column) comes from a customer table: give it with --customers FILE") }
        return try joined.columns.numbers(column, rows: joined.rows, blanksAsZero: blanksAsZero)
    }

    func makeEconomics(count: Int, joined: JoinedColumns?, periodRevenue: [Double]?) throws -> Economics {
        let margin: PerCustomer
        switch (self.margin, marginColumn) {
        case let (.some(rate), _): margin = .constant(rate)
        case let (nil, .some(column)): margin = .values(try joinedNumbers(column, joined))
        case (nil, nil): throw ModelError.invalidParameters("give the margin: --margin 0.3 (30% of revenue is profit) or --margin-column NAME")
        }
        guard costPerPeriod >= 0 else { throw ModelError.invalidParameters("the cost per period must be >= 0, got \(costPerPeriod)") }
        let perPeriod: PerCustomer = try costPerPeriodColumn.map { .values(try joinedNumbers($0, joined)) } ?? .constant(costPerPeriod)
        let acquisition: PerCustomer = try acquisitionCostColumn.map { .values(try joinedNumbers($0, joined)) } ?? .constant(0)
        return try Economics(margin: margin, costPerOrder: costPerOrder, costPerPeriod: perPeriod, acquisitionCost: acquisition,
                             allowNegativeMargin: allowNegativeMargin, count: count)
    }
}
