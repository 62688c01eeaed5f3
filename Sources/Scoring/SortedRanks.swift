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

    /// The number of elements of `sorted` (ascending) strictly less than `x` (binary search).
    static func countBelow(_ x: Double, in sorted: [Double]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Equal-count bins that honour ties: sort ascending; the customer at 0-based position p would
    /// get bin ⌊bins·p/n⌋ + 1, and every customer gets the bin of the *first* position holding their
    /// value, so equal values share a bin whatever the row order (pandas:
    /// `floor(bins * (x.rank(method="min") - 1) / n) + 1`). Higher values get higher bins.
    static func tiedBins(_ values: [Double], bins: Int) -> [UInt8] {
        precondition(bins >= 1 && bins <= 255)
        let sorted = values.sorted()
        let n = values.count
        return values.map { x in UInt8(bins * countBelow(x, in: sorted) / n + 1) }
    }
}
