import CustomerData
import Foundation

/// Customer value by channel group, measured on the data: per group (number of channels used, or
/// a channel label such as Hillstrom's Phone/Web/Multichannel) the customers and their share, and
/// the mean and median revenue and CLV. Whether multichannel customers are worth more is read
/// off this table, never assumed. Medians of an even count are the mean of the two middle values.
public struct ChannelValueTable: Codable, Equatable, Sendable {
    /// One row per group (sidecar `channel_value`).
    public struct Row: Codable, Equatable, Sendable {
        /// The group: the number of channels ("1", "2", ...) or the channel label.
        public var group: String
        public var customers: Int
        public var customerShare: Double
        public var meanRevenue: Double
        public var medianRevenue: Double
        public var meanCLV: Double?
        public var medianCLV: Double?

        enum CodingKeys: String, CodingKey {
            case group, customers, customerShare = "customer_share", meanRevenue = "mean_revenue"
            case medianRevenue = "median_revenue", meanCLV = "mean_clv", medianCLV = "median_clv"
        }
    }

    public let rows: [Row]

    /// The table by number of channels used (rows in increasing order of channels).
    public init(channelsUsed: [Int], revenue: [Double], clv: [Double]? = nil) throws {
        try ValueChecks.requireCustomers(channelsUsed.count, "the channel value table")
        guard let low = channelsUsed.min(), let high = channelsUsed.max(), low >= 0, high <= 64 else {
            throw InputError(kind: .badSummaryValue, columnName: "channels_used",
                             problem: "channels used must be counts from 0 to 64",
                             remedy: "Pass ChannelUsage.channelsUsed")
        }
        var position = [Int](repeating: -1, count: high + 1)
        for c in channelsUsed { position[c] = 0 }
        let keys = position.indices.filter { position[$0] == 0 }
        for (k, key) in keys.enumerated() { position[key] = k }
        try self.init(group: channelsUsed.map { position[$0] }, labels: keys.map(String.init), revenue: revenue, clv: clv)
    }

    /// The table by a label per customer (rows in sorted label order).
    public init(groups: [String], revenue: [Double], clv: [Double]? = nil) throws {
        let keys = Array(Set(groups)).sorted()
        var position = [String: Int]()
        for (k, key) in keys.enumerated() { position[key] = k }
        try self.init(group: groups.map { position[$0]! }, labels: keys, revenue: revenue, clv: clv)
    }

    private init(group: [Int], labels: [String], revenue: [Double], clv: [Double]?) throws {
        let n = group.count
        try ValueChecks.requireCustomers(n, "the channel value table")
        try ValueChecks.requireLength(revenue, n, "revenue")
        try ValueChecks.requireFinite(revenue, "revenue")
        if let clv {
            try ValueChecks.requireLength(clv, n, "clv")
            try ValueChecks.requireFinite(clv, "clv")
        }
        var sizes = [Int](repeating: 0, count: labels.count)
        for g in group { sizes[g] += 1 }
        var revenueBy = sizes.map { [Double](repeating: 0, count: $0) }
        var clvBy = sizes.map { clv == nil ? [] : [Double](repeating: 0, count: $0) }
        var filled = [Int](repeating: 0, count: labels.count)
        for i in 0..<n {
            let g = group[i]
            revenueBy[g][filled[g]] = revenue[i]
            if let clv { clvBy[g][filled[g]] = clv[i] }
            filled[g] += 1
        }
        rows = labels.indices.map { k in
            Row(group: labels[k], customers: revenueBy[k].count, customerShare: Double(revenueBy[k].count) / Double(n),
                meanRevenue: Self.mean(revenueBy[k]), medianRevenue: Self.median(revenueBy[k]),
                meanCLV: clv == nil ? nil : Self.mean(clvBy[k]), medianCLV: clv == nil ? nil : Self.median(clvBy[k]))
        }
    }

    static func mean(_ v: [Double]) -> Double { CompensatedSum.total(v) / Double(v.count) }
    static func median(_ v: [Double]) -> Double { SortedRanks.quantile(of: v, 0.5) }
}
