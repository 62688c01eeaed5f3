import CustomerData
import Foundation
import Scoring

/// One pass over a score table (`klant score`, CSV or JSON lines): the aggregates the value
/// section draws, so a report over millions of customers draws a few hundred marks.
public struct ScoreTableSummary: Sendable {
    public struct Group: Sendable, Equatable {
        public var name: String
        public var customers: Int
        public var clv: Double
    }

    public var customers = 0
    public var totalCLV = 0.0
    public var totalExpectedRevenue = 0.0
    public var totalHistoricRevenue = 0.0
    /// Every customer's CLV, sorted ascending (for the histogram and quantiles).
    public var sortedCLV: [Double] = []
    /// Customers by P(alive) in tenths: [0, 0.1), ..., [0.9, 1].
    public var probabilityAliveCounts = [Int](repeating: 0, count: 10)
    /// Customers by churn probability in tenths, when the table has churn_probability.
    public var churnProbabilityCounts: [Int]?
    /// By value_segment, rfm_segment (when present), in order of first appearance.
    public var valueSegments: [Group] = []
    public var rfmSegments: [Group] = []

    public init(path: String) throws {
        let table = try TableReader(path: path)
        let clvColumn = try table.requiredColumn("clv", purpose: "the CLV distribution")
        let aliveColumn = table.columnIndex("probability_alive")
        let churnColumn = table.columnIndex("churn_probability")
        let segmentColumn = table.columnIndex("value_segment")
        let rfmColumn = table.columnIndex("rfm_segment")
        let expectedColumn = table.columnIndex("expected_revenue")
        let historicColumn = table.columnIndex("historic_revenue")
        var clv: [Double] = []
        var segments = GroupCounter(), rfm = GroupCounter()
        if churnColumn != nil { churnProbabilityCounts = [Int](repeating: 0, count: 10) }
        try table.forEachRow { row in
            let value = try row.number(clvColumn)
            clv.append(value)
            if let c = aliveColumn, let p = try row.optionalNumber(c) { probabilityAliveCounts[Self.tenth(p)] += 1 }
            if let c = churnColumn, let p = try row.optionalNumber(c) { churnProbabilityCounts![Self.tenth(p)] += 1 }
            if let c = expectedColumn { totalExpectedRevenue += try row.optionalNumber(c) ?? 0 }
            if let c = historicColumn { totalHistoricRevenue += try row.optionalNumber(c) ?? 0 }
            if let c = segmentColumn { segments.add(row.text(c), clv: value) }
            if let c = rfmColumn { rfm.add(row.text(c), clv: value) }
        }
        customers = clv.count
        totalCLV = clv.reduce(0, +)
        clv.sort()
        sortedCLV = clv
        valueSegments = segments.groups
        rfmSegments = rfm.groups
    }

    static func tenth(_ p: Double) -> Int { min(9, max(0, Int((p * 10).rounded(.down)))) }

    /// The CLV histogram: `bins` equal-width bins from the lowest CLV to the 99th percentile, the
    /// last one open (it also holds everyone above). Returns bin lower edges, widths and counts.
    public func clvHistogram(bins: Int = 24) -> (lower: [Double], width: Double, counts: [Int]) {
        guard let lo = sortedCLV.first else { return ([], 1, []) }
        let p99 = sortedCLV[min(sortedCLV.count - 1, Int(Double(sortedCLV.count) * 0.99))]
        let hi = max(p99, lo + 1e-9)
        let width = LinearScale.niceStep((hi - lo) / Double(bins))
        let start = (lo / width).rounded(.down) * width
        let count = max(1, Int(((hi - start) / width).rounded(.up)))
        var counts = [Int](repeating: 0, count: count)
        for v in sortedCLV { counts[min(count - 1, max(0, Int(((v - start) / width).rounded(.down))))] += 1 }
        return ((0..<count).map { start + Double($0) * width }, width, counts)
    }
}

/// Counts and CLV sums by a text column, in order of first appearance.
struct GroupCounter {
    var index: [String: Int] = [:]
    var groups: [ScoreTableSummary.Group] = []

    mutating func add(_ name: String, clv: Double) {
        if let i = index[name] {
            groups[i].customers += 1
            groups[i].clv += clv
        } else {
            index[name] = groups.count
            groups.append(.init(name: name, customers: 1, clv: clv))
        }
    }
}

/// The score table's `.meta.json` sidecar (the part the report draws).
public struct ScoreSidecar: Decodable, Sendable {
    public struct Profitability: Decodable, Sendable {
        public var customers: Int
        public var revenueShareTop5pct: Double?
        public var profitShareTop20pct: Double?
        public var profitableCustomers: Int?
        public var breakEvenCustomers: Int?
        public var lossMakingCustomers: Int?
        public var lossAmount: Double?
        public var gini: Double?
        /// (customer share, cumulative profit share), customers sorted by profit, most profitable first.
        public var lorenz: [[Double]]
        /// Per profit decile (1 = most profitable): customers, net value and revenue with their shares.
        public var deciles: [ProfitabilityPicture.DecileRow]?

        // Spelled out: the snake-case conversion would expect "top20Pct".
        enum CodingKeys: String, CodingKey {
            case customers, gini, lorenz, deciles
            case profitableCustomers = "profitable_customers"
            case breakEvenCustomers = "break_even_customers"
            case revenueShareTop5pct = "revenue_share_top5pct"
            case profitShareTop20pct = "profit_share_top20pct"
            case lossMakingCustomers = "loss_making_customers"
            case lossAmount = "loss_amount"
        }
    }
    public struct ValueCell: Decodable, Sendable {
        public var segment: String
        public var customers: Int
        public var valueShare: Double
        enum CodingKeys: String, CodingKey { case segment, customers, valueShare = "value_share" }
    }
    public struct SegmentCount: Decodable, Sendable {
        public var segment: String
        public var customers: Int
    }
    public var profitability: Profitability?
    public var valueMatrix: [ValueCell]?
    public var rfmSegments: [SegmentCount]?
    enum CodingKeys: String, CodingKey { case profitability, valueMatrix = "value_matrix", rfmSegments = "rfm_segments" }

    /// `<scores>.meta.json` (or the name without the table's extension), nil when neither exists.
    public static func location(forScores scores: URL) -> URL? {
        let candidates = [URL(fileURLWithPath: scores.path + ".meta.json"),
                          scores.deletingPathExtension().appendingPathExtension("meta.json")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    public static func read(from url: URL) throws -> ScoreSidecar {
        do { return try JSONDecoder().decode(ScoreSidecar.self, from: Data(contentsOf: url)) } catch {
            throw ReportError.input("the score sidecar \(url.path) cannot be read: \(error); give the .meta.json that klant score wrote next to the table")
        }
    }
}
