/// Checks that a summary can train a repeat-purchase model, with messages that say why not and
/// what to do instead of a numerical failure later.
extension CustomerSummary {
    /// Customers with T = 0 (first purchase on the calibration end day). Their likelihood
    /// contribution is P(no purchase in no time) = 1 under every model, so they carry no
    /// information and leaving them out of a fit changes nothing but the customer count.
    public var zeroTRows: [Int] { T.indices.filter { T[$0] == 0 } }

    /// The summary without its T = 0 customers, and how many were left out.
    public func droppingZeroT() -> (summary: CustomerSummary, dropped: Int) {
        let zero = zeroTRows
        guard !zero.isEmpty else { return (self, 0) }
        let keep = T.indices.filter { T[$0] != 0 }
        return (selecting(rows: keep), zero.count)
    }

    /// Throws `InputError` (kind `.noValidRows`) when no customer made a repeat purchase: purchase
    /// rate and dropout cannot be told apart then, and any penalty would only return its own prior.
    public func requireRepeatBuyers(source: String?) throws {
        guard count > 0 else {
            throw InputError(kind: .noValidRows, file: source, problem: "the summary has no customers to fit",
                             remedy: "check the file, and that the calibration end is not before every first purchase")
        }
        guard !frequency.contains(where: { $0 > 0 }) else { return }
        throw InputError(kind: .noValidRows, file: source, columnName: "frequency", value: "0",
                         problem: "none of the \(count) customers made a repeat purchase (frequency is 0 for all), so the purchase rate and the dropout cannot be estimated; no model (penalised or not) would mean anything",
                         remedy: "use a longer calibration period, check that the customer id column is the right one (not an order id), and that the dates are not all the same day")
    }
}
