/// Profit deciles by net value: decile 1 holds the most profitable tenth of the customers,
/// decile 10 the least profitable (usually the loss-makers).
///
/// Ties honour equal values: sort from most to least profitable; the customer at 0-based position
/// p would get decile ⌊10p/n⌋ + 1, and every customer gets the decile of the first position holding
/// their net value, so equal net values share a decile whatever the row order (pandas:
/// `floor(10 * (x.rank(method="min", ascending=False) - 1) / n) + 1`).
public enum ProfitDecile {
    /// The decile (1...10) of each customer, in input order. Throws on empty input or
    /// non-finite values.
    public static func deciles(netValue: [Double]) throws -> [UInt8] {
        try ValueChecks.requireCustomers(netValue.count, "profit deciles")
        try ValueChecks.requireFinite(netValue, "historic_net_value")
        // Bins count from the low end, so rank the negated values: the most profitable come first.
        return SortedRanks.tiedBins(netValue.map { -$0 }, bins: 10)
    }
}
