/// Order statistics on plain arrays, the building blocks of the segment thresholds and scores.
/// Independent of row order.
enum SortedRanks {
    /// The q-quantile of `values` (non-empty, finite) by linear interpolation between order
    /// statistics: Hyndman & Fan (1996) definition 7, numpy's and R's default. q = 0.5 is the usual
    /// median (the mean of the two middle values for an even count). Selects the one or two order
    /// statistics it needs, without sorting all values.
    static func quantile(of values: [Double], _ q: Double) -> Double {
        quantile(count: values.count, q) { OrderStatistics.values(values, atSortedPositions: $0) }
    }

    /// Definition 7 from `count` values, given their order statistics at sorted positions.
    private static func quantile(count: Int, _ q: Double, at positions: ([Int]) -> [Double]) -> Double {
        precondition(count > 0 && q >= 0 && q <= 1)
        let h = Double(count - 1) * q
        let lo = Int(h.rounded(.down))
        guard lo + 1 < count else { return positions([count - 1])[0] }
        let fraction = h - Double(lo)
        if fraction == 0 { return positions([lo])[0] }
        let pair = positions([lo, lo + 1])
        return pair[0] + fraction * (pair[1] - pair[0])
    }
}
