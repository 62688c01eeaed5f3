import CustomerData

/// Equal-count bins that honour ties (quintiles for RFM, deciles for profit), learnt on one base
/// and applicable to any customer, so shards of a base (`--shard k/N`) and later rescoring use the
/// full base's cuts.
///
/// Learning: order the customers from worst to best; the customer at 0-based position p would get
/// bin ⌊bins·p/n⌋ + 1, and every customer gets the bin of the first position holding their value,
/// so equal values share a bin whatever the row order (pandas:
/// `floor(bins * (x.rank(method="min") - 1) / n) + 1`). That rule is a step function of the value
/// with `bins - 1` cuts: for bin s ≥ 2 the cut is the value at sorted position ⌈(s-1)·n/bins⌉ - 1,
/// and a value gets bin 1 + (number of cuts it is strictly beyond). Applying the cuts to the
/// base they were learnt on reproduces the rule exactly.
public struct RankBins: Codable, Equatable, Sendable {
    /// Whether the bin number grows with the value (frequency, monetary value) or as the value
    /// falls (time since the last purchase; profit deciles, where decile 1 is the most profitable).
    public enum Direction: String, Codable, Sendable {
        case ascending, descending
    }

    public let direction: Direction
    /// The `bins - 1` cuts in the value's own units, in bin order.
    public let cuts: [Double]

    public var bins: Int { cuts.count + 1 }

    /// Learns the cuts of `bins` bins on `values` (non-empty, finite), selecting the cut values
    /// without sorting them all.
    public init(learning values: [Double], bins: Int, direction: Direction) {
        precondition(!values.isEmpty && bins >= 2 && bins <= 255)
        self.direction = direction
        self.cuts = OrderStatistics.values(values, atSortedPositions: Self.cutPositions(count: values.count, bins: bins, direction: direction))
    }

    /// Learns the cuts from values already sorted ascending.
    init(ascending sorted: [Double], bins: Int, direction: Direction) {
        precondition(!sorted.isEmpty && bins >= 2 && bins <= 255)
        self.direction = direction
        self.cuts = Self.cutPositions(count: sorted.count, bins: bins, direction: direction).map { sorted[$0] }
    }

    /// Where the cuts sit in the values sorted ascending: for bin s ≥ 2 (in bin order) the k-th
    /// value from the low end (ascending) or the high end (descending), k = ⌈(s-1)·n/bins⌉.
    static func cutPositions(count n: Int, bins: Int, direction: Direction) -> [Int] {
        (2...bins).map { s in
            let k = ((s - 1) * n + bins - 1) / bins  // in 1...n
            return direction == .ascending ? k - 1 : n - k
        }
    }

    /// Cuts given directly (from a sidecar); they must be in bin order.
    public init(cuts: [Double], direction: Direction) throws {
        let ordered = zip(cuts, cuts.dropFirst()).allSatisfy { direction == .ascending ? $0 <= $1 : $0 >= $1 }
        guard !cuts.isEmpty, cuts.count < 255, ordered, cuts.allSatisfy(\.isFinite) else {
            throw InputError(kind: .badOption, problem: "bin cuts must be finite and in \(direction) order",
                             remedy: "Use the cuts written to the sidecar by an earlier run")
        }
        self.cuts = cuts
        self.direction = direction
    }

    /// The bin (1...bins) of a value.
    @inline(__always)
    public func bin(_ x: Double) -> UInt8 {
        var b: UInt8 = 1
        switch direction {
        case .ascending: for c in cuts where x > c { b += 1 }
        case .descending: for c in cuts where x < c { b += 1 }
        }
        return b
    }

    /// The bin of every value, as `bin` gives it: one pass per cut over a block of values (a
    /// compare and add the compiler vectorises, five times faster than cut by cut per value).
    public func bins(_ values: [Double]) -> [UInt8] {
        var out = [UInt8](repeating: 1, count: values.count)
        let block = 4_096
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for start in stride(from: 0, to: v.count, by: block) {
                    let end = min(start + block, v.count)
                    for c in cuts {
                        switch direction {
                        case .ascending: for i in start..<end { o[i] &+= v[i] > c ? 1 : 0 }
                        case .descending: for i in start..<end { o[i] &+= v[i] < c ? 1 : 0 }
                        }
                    }
                }
            }
        }
        return out
    }
}
