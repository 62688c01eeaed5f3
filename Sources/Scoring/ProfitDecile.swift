/// Profit deciles by net value: decile 1 holds the most profitable tenth of the customers,
/// decile 10 the least profitable (usually the loss-makers).
///
/// Ties honour equal values: sort from most to least profitable; the customer at 0-based position
/// p would get decile ⌊10p/n⌋ + 1, and every customer gets the decile of the first position holding
/// their net value, so equal net values share a decile whatever the row order (pandas:
/// `floor(10 * (x.rank(method="min", ascending=False) - 1) / n) + 1`). The cuts (`RankBins`) learnt
/// on the full base also place the customers of a shard of it.
public enum ProfitDecile {
    /// The decile (1...10) of each customer, in input order. Throws on empty input or
    /// non-finite values.
    public static func deciles(netValue: [Double]) throws -> [UInt8] {
        try boundaries(netValue: netValue).bins(netValue)
    }

    /// The decile cuts of a base (descending: decile 1 holds the largest net values).
    public static func boundaries(netValue: [Double]) throws -> RankBins {
        try ValueChecks.requireCustomers(netValue.count, "profit deciles")
        try ValueChecks.requireFinite(netValue, "historic_net_value")
        return RankBins(learning: netValue, bins: 10, direction: .descending)
    }

    /// The decile cuts from net values already sorted ascending (non-empty, finite).
    static func boundaries(netAscending: [Double]) -> RankBins {
        RankBins(ascending: netAscending, bins: 10, direction: .descending)
    }

    /// Deciles from cuts learnt on the full base (for a shard of it).
    public static func deciles(netValue: [Double], boundaries: RankBins) throws -> [UInt8] {
        try ValueChecks.requireFinite(netValue, "historic_net_value")
        return boundaries.bins(netValue)
    }
}
