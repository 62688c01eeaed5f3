/// Order statistics on plain arrays, the building blocks of the segment thresholds and scores.
/// All are O(n log n) (one sort) and independent of row order.
enum SortedRanks {
    /// The q-quantile of `sorted` (ascending) by linear interpolation between order statistics:
    /// Hyndman & Fan (1996) definition 7, numpy's and R's default. q = 0.5 is the usual median
    /// (the mean of the two middle values for an even count).
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty && q >= 0 && q <= 1)
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
        let fraction = h - Double(lo)
        return fraction == 0 ? sorted[lo] : sorted[lo] + fraction * (sorted[lo + 1] - sorted[lo])
    }
}
