/// One row of the action list: a customer, the chosen action and why.
public struct ActionRow: Sendable, Equatable {
    public var customer: Int
    public var action: Int
    /// Expected net value: P(response) (or uplift) x value - cost.
    public var expectedValue: Double
    public var probability: Double
    public var value: Double
    /// Held out: recorded, never contacted.
    public var control: Bool
}
