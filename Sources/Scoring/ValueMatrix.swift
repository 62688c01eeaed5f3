import CustomerData
import Foundation

/// The customer relationship matrix: each customer's current value (historic net value) against
/// their potential value (CLV), split per axis into high and low, giving the segments `top`
/// (high/high), `opportunity` (low now, high potential), `retain` (high now, low potential) and
/// `tolerate` (low/low).
///
/// A customer is high on an axis when their value is **above** that axis's threshold
/// (`value > threshold`), so ties at the threshold are low and the result does not depend on row
/// order. Strictly above, because value axes are often zero-inflated (one-time buyers have no
/// repeat revenue): with a median of 0, "at or above" would call every zero customer high. Default thresholds: the median of each axis (`ValueSplit.median`); quantiles or fixed
/// amounts per axis through `Splits`.
///
/// The quadrant table gives customers and their share, the sum of CLV and its share of the total
/// CLV, and the sum of historic value and its share. Shares are sums divided by the total over all
/// quadrants (so they add up to 1); with negative values (costs exceed revenue) a share can be
/// negative or above 1; when a total is exactly 0 its shares are reported as 0.
public struct ValueMatrix: Sendable {
    /// The split of each axis. Text syntax: one split for both axes (`q0.8`), or per axis
    /// `current=q0.8,potential=median` (an axis left out keeps the median).
    public struct Splits: Equatable, Sendable, CustomStringConvertible {
        /// Split of the current-value axis (historic net value).
        public var current: ValueSplit
        /// Split of the potential-value axis (CLV).
        public var potential: ValueSplit

        public init(current: ValueSplit = .median, potential: ValueSplit = .median) {
            self.current = current
            self.potential = potential
        }

        public init(parsing text: String) throws {
            guard text.contains("=") else {
                let split = try ValueSplit(parsing: text)
                self.init(current: split, potential: split)
                return
            }
            self.init()
            var seen = Set<String>()
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { throw Self.badAxis(String(part)) }
                guard seen.insert(pair[0].lowercased()).inserted else {
                    throw InputError(kind: .badOption, value: text, problem: "value split \"\(text)\" sets the \(pair[0]) axis twice",
                                     remedy: "Give each axis once: current=q0.8,potential=median")
                }
                switch pair[0].lowercased() {
                case "current": current = try ValueSplit(parsing: pair[1])
                case "potential": potential = try ValueSplit(parsing: pair[1])
                default: throw Self.badAxis(String(part))
                }
            }
        }

        private static func badAxis(_ part: String) -> InputError {
            InputError(kind: .badOption, value: part, problem: "value split part \"\(part)\" names no axis",
                       remedy: "Write one split for both axes (median, q0.8, amount:250) or per axis: current=q0.8,potential=amount:250")
        }

        public var description: String { "current=\(current),potential=\(potential)" }
    }

    /// One row of the quadrant table (sidecar `value_matrix`).
    public struct Quadrant: Codable, Equatable, Sendable {
        public var segment: ValueSegment
        public var customers: Int
        public var customerShare: Double
        /// Sum of CLV (potential value) in the quadrant, and its share of the total CLV.
        public var valueSum: Double
        public var valueShare: Double
        /// Sum of historic net value (current value), and its share of the total.
        public var historicValueSum: Double
        public var historicValueShare: Double

        enum CodingKeys: String, CodingKey {
            case segment, customers, customerShare = "customer_share", valueSum = "value_sum", valueShare = "value_share"
            case historicValueSum = "historic_value_sum", historicValueShare = "historic_value_share"
        }
    }

    public let splits: Splits
    /// Threshold of the current-value axis (historic net value above it is high).
    public let currentThreshold: Double
    /// Threshold of the potential-value axis (CLV above it is high).
    public let potentialThreshold: Double
    /// The segment of each customer, in input order.
    public let segments: [ValueSegment]
    /// One row per segment, in the order top, opportunity, retain, tolerate.
    public let quadrants: [Quadrant]

    /// Segments customers by historic net value (current) and CLV (potential), one value of each
    /// per customer in the same order. Throws on empty input, unequal lengths and non-finite values.
    public init(historicNetValue: [Double], clv: [Double], splits: Splits = Splits()) throws {
        try ValueChecks.requireCustomers(clv.count, "the value matrix")
        try ValueChecks.requireLength(historicNetValue, clv.count, "historic_net_value")
        try ValueChecks.requireFinite(historicNetValue, "historic_net_value")
        try ValueChecks.requireFinite(clv, "clv")
        let current = splits.current.threshold(of: historicNetValue)
        let potential = splits.potential.threshold(of: clv)
        self.splits = splits
        self.currentThreshold = current
        self.potentialThreshold = potential
        self.segments = zip(historicNetValue, clv).map { ValueSegment(highCurrent: $0 > current, highPotential: $1 > potential) }
        self.quadrants = Self.table(segments: segments, historic: historicNetValue, clv: clv)
    }

    /// The segment's row in the quadrant table.
    public func quadrant(_ segment: ValueSegment) -> Quadrant {
        quadrants.first { $0.segment == segment }!
    }

    private static func table(segments: [ValueSegment], historic: [Double], clv: [Double]) -> [Quadrant] {
        let all = ValueSegment.allCases
        var counts = [Int](repeating: 0, count: all.count)
        var value = [CompensatedSum](repeating: CompensatedSum(), count: all.count)
        var past = [CompensatedSum](repeating: CompensatedSum(), count: all.count)
        for (i, s) in segments.enumerated() {
            let k = s.index
            counts[k] += 1
            value[k].add(clv[i])
            past[k].add(historic[i])
        }
        let valueTotal = CompensatedSum.total(value.map(\.value))
        let pastTotal = CompensatedSum.total(past.map(\.value))
        return all.indices.map { k in
            Quadrant(segment: all[k], customers: counts[k], customerShare: Double(counts[k]) / Double(segments.count),
                     valueSum: value[k].value, valueShare: share(value[k].value, of: valueTotal),
                     historicValueSum: past[k].value, historicValueShare: share(past[k].value, of: pastTotal))
        }
    }

    static func share(_ part: Double, of total: Double) -> Double { total == 0 ? 0 : part / total }
}
