import CustomerData
import Foundation

/// Per-customer predictions, one row per customer id: P(alive) and expected purchases of a
/// repeat-purchase model over a horizon, expected spend and revenue of a spend model, and the
/// probability of a logistic (churn or propensity) model. Each part is optional, so the outputs
/// of several models are one table, joined by customer id (`joined(with:)`); what `klant predict`
/// writes. Every value is computed here; the export only formats the columns.
public struct CustomerPredictions: Sendable, Equatable {
    /// The id column's name in exports (`customer_id`, or a customer table's id column).
    public var idColumn: String
    public var customerIDs: [String]
    /// The horizon of `expectedPurchases`, in the repeat-purchase model's time unit.
    public var horizon: Double?
    public var probabilityAlive: [Double]?
    public var expectedPurchases: [Double]?
    /// Gamma-Gamma conditional expected average spend per transaction.
    public var expectedAverageSpend: [Double]?
    /// Expected purchases × expected average spend.
    public var expectedRevenue: [Double]?
    /// A logistic model's probability and its column (`churn_probability`, `propensity`).
    public var probability: NamedColumn?

    /// A named column of numbers.
    public struct NamedColumn: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public init(idColumn: String = "customer_id", customerIDs: [String], horizon: Double? = nil, probabilityAlive: [Double]? = nil,
                expectedPurchases: [Double]? = nil, expectedAverageSpend: [Double]? = nil, expectedRevenue: [Double]? = nil,
                probability: NamedColumn? = nil) {
        self.idColumn = idColumn
        self.customerIDs = customerIDs
        self.horizon = horizon
        self.probabilityAlive = probabilityAlive
        self.expectedPurchases = expectedPurchases
        self.expectedAverageSpend = expectedAverageSpend
        self.expectedRevenue = expectedRevenue
        self.probability = probability
    }

    /// Scores every customer of `summary` over `horizon`; with `spend`, also the expected average
    /// spend and revenue (q > 1 needed, else a clear error). A value outside the formulas' domain
    /// is an error naming the customer, never a silent NaN in the output.
    public static func compute(model: any RepeatPurchaseModel, summary: CustomerSummary, horizon: Double,
                               spend: GammaGamma? = nil) throws -> CustomerPredictions {
        guard horizon > 0, horizon.isFinite else {
            throw ModelError.invalidParameters("the horizon must be a positive number of time units, got \(horizon)")
        }
        let scored = model.score(horizon: horizon, frequency: summary.frequency, recency: summary.recency, T: summary.T)
        for i in 0..<summary.count where !(scored.probabilityAlive[i].isFinite && scored.expectedPurchases[i].isFinite) {
            let parameters = zip(type(of: model).parameterNames, model.parameters).map { "\($0) = \($1)" }.joined(separator: ", ")
            throw ModelError.invalidData("""
                customer \(summary.customerIDs[i]) (frequency \(summary.frequency[i]), recency \(summary.recency[i]), T \(summary.T[i])): \
                the \(type(of: model).kind.rawValue) prediction is not a finite number with \(parameters); \
                the model's formulas are outside their domain here (e.g. a horizon so long that a series does not converge); refit with a small penalizer or shorten the horizon
                """)
        }
        var predictions = CustomerPredictions(customerIDs: summary.customerIDs, horizon: horizon, probabilityAlive: scored.probabilityAlive,
                                              expectedPurchases: scored.expectedPurchases)
        if let spend {
            let perOrder = try summary.frequency.indices.map { i in
                try spend.conditionalExpectedAverageSpend(frequency: summary.frequency[i], monetaryValue: max(0, summary.monetaryValue[i]))
            }
            predictions.expectedAverageSpend = perOrder
            predictions.expectedRevenue = zip(perOrder, scored.expectedPurchases).map { $0 * $1 }
        }
        return predictions
    }

    /// The number of customers.
    public var count: Int { customerIDs.count }

    /// The columns present, in export order, after the id.
    var columns: [(name: String, values: [Double])] {
        var columns: [(String, [Double])] = []
        if let v = probabilityAlive { columns.append(("probability_alive", v)) }
        if let v = expectedPurchases { columns.append(("expected_purchases", v)) }
        if let v = expectedAverageSpend { columns.append(("expected_average_spend", v)) }
        if let v = expectedRevenue { columns.append(("expected_revenue", v)) }
        if let p = probability { columns.append((p.name, p.values)) }
        return columns
    }

    /// The export header: the id column, then the columns present.
    public var header: [String] { [idColumn] + columns.map(\.name) }

    /// The same customers with `other`'s columns added, matched by customer id (in this table's
    /// order). Ids in one table and not the other, duplicate ids, or a column in both are errors:
    /// nothing is dropped or overwritten silently.
    public func joined(with other: CustomerPredictions) throws -> CustomerPredictions {
        var position: [String: Int] = [:]
        position.reserveCapacity(other.count)
        for (k, id) in other.customerIDs.enumerated() where position.updateValue(k, forKey: id) != nil {
            throw ModelError.invalidData("customer \(id) appears twice in the predictions to join")
        }
        var rows: [Int] = []
        rows.reserveCapacity(count)
        var missing: [String] = []
        for id in customerIDs {
            if let k = position[id] { rows.append(k) } else { missing.append(id) }
        }
        guard missing.isEmpty, Set(customerIDs).count == count, other.count == count else {
            let onlyHere = missing.prefix(5).joined(separator: ", ")
            let here = Set(customerIDs)
            let onlyThere = other.customerIDs.filter { !here.contains($0) }.prefix(5).joined(separator: ", ")
            throw ModelError.invalidData("""
                the predictions to join are for different customers (\(count) and \(other.count) rows)\
                \(onlyHere.isEmpty ? "" : "; only in the first: \(onlyHere)")\(onlyThere.isEmpty ? "" : "; only in the second: \(onlyThere)"); \
                score the same customers with both models
                """)
        }
        func take(_ v: [Double]?) -> [Double]? { v.map { v in rows.map { v[$0] } } }
        var joined = self
        func merge(_ name: String, _ mine: inout [Double]?, _ theirs: [Double]?) throws {
            guard let theirs = take(theirs) else { return }
            guard mine == nil else { throw ModelError.invalidData("both predictions have the column \(name); join predictions of different models") }
            mine = theirs
        }
        try merge("probability_alive", &joined.probabilityAlive, other.probabilityAlive)
        try merge("expected_purchases", &joined.expectedPurchases, other.expectedPurchases)
        try merge("expected_average_spend", &joined.expectedAverageSpend, other.expectedAverageSpend)
        try merge("expected_revenue", &joined.expectedRevenue, other.expectedRevenue)
        if let p = other.probability {
            guard joined.probability == nil else { throw ModelError.invalidData("both predictions have a \(p.name) column; join predictions of different models") }
            joined.probability = NamedColumn(name: p.name, values: rows.map { p.values[$0] })
        }
        if joined.horizon == nil { joined.horizon = other.horizon }
        return joined
    }

    /// Customer `i`'s output row.
    func row(_ i: Int, columns: [(name: String, values: [Double])]) -> [CSVCell] {
        var row: [CSVCell] = []
        row.reserveCapacity(columns.count + 1)   // one allocation per row (the writer makes a million)
        row.append(.text(customerIDs[i]))
        for column in columns { row.append(.number(column.values[i])) }
        return row
    }

    /// Every customer's row in `header` order, made as it is read (for a database table through
    /// `Warehouse.TableDestination`); `TableWriter` formats them straight from the columns.
    public var rows: ColumnRows {
        ColumnRows([.texts(customerIDs)] + columns.map { .numbers($0.values) })
    }

    /// The predictions as CSV text (small tables and tests; files go through `write`). Ids are
    /// neutralised against spreadsheet formula injection.
    public func csv() -> CSVWriter {
        let columns = self.columns
        var writer = CSVWriter(header: header)
        for i in customerIDs.indices { writer.append(row(i, columns: columns)) }
        return writer
    }

    /// Streams the predictions to `path` atomically through `TableWriter` (`-` is standard
    /// output): CSV, or JSON lines; `format` nil takes it from the extension (`.jsonl`).
    public func write(toPath path: String, format: TableFormat? = nil) throws {
        let writer = try TableWriter(path: path, header: header, format: format)
        try writer.append(contentsOf: rows)
        try writer.commit()
    }
}
