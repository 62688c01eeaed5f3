/// What to do with negative amounts (returns, refunds).
///
/// - `net` (default, as lifetimes): a negative amount is added into its day's total like any other row,
///   and the day still counts as a purchase day, even when the day's total is zero or negative.
///   A return on a day without a purchase therefore counts as a (repeat) purchase day; if your
///   returns are separate rows on later days, filter them out first or use `reject`.
///   A customer whose returns outweigh purchases can get a negative monetary value; the run report counts them.
/// - `reject`: a negative amount is invalid input (an error, or a rejected row with `skipInvalid`).
public enum NegativeAmountPolicy: String, Sendable, CaseIterable {
    case net, reject

    /// Parses a command-line value (`net` or `reject`).
    public init(parsing text: String) throws {
        guard let policy = NegativeAmountPolicy(rawValue: text.lowercased()) else {
            throw InputError(kind: .badOption, columnName: "negative amounts", value: text, problem: "unknown policy for negative amounts",
                             remedy: "use net (add returns into the day's total) or reject (treat negative amounts as invalid)")
        }
        self = policy
    }
}
