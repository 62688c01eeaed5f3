/// When a customer counts as breaking even: |net value| ≤ max(`amount`, `revenueFraction` × |revenue|).
/// The default, 5% of the customer's own revenue, reads "kept or lost less than 5 cents per euro
/// they spent"; customers without revenue break even only at a net value of exactly 0 (or within
/// `amount`). Customers above the band are profitable, below it loss-making, so the three groups
/// partition the base.
public struct BreakEvenTolerance: Codable, Equatable, Sendable {
    /// An absolute band in the input's currency (default 0).
    public var amount: Double
    /// A band relative to the customer's revenue (default 0.05).
    public var revenueFraction: Double

    public init(amount: Double = 0, revenueFraction: Double = 0.05) {
        self.amount = amount
        self.revenueFraction = revenueFraction
    }

    /// The half-width of the break-even band for a customer with this revenue.
    func band(revenue: Double) -> Double { max(amount, revenueFraction * abs(revenue)) }

    enum CodingKeys: String, CodingKey {
        case amount, revenueFraction = "revenue_fraction"
    }
}
