/// The arbitration's answer: the candidates taken (aligned with the problem's candidates), its
/// value, the greedy value and a Lagrangian upper bound for comparison, and a shadow price per
/// limit.
public struct Assignment: Sendable {
    /// Per candidate of the problem: taken or not.
    public var taken: [Bool]
    /// Total expected net value of `taken`.
    public var value: Double
    /// Value of the Lagrangian heuristic's own assignment (before comparing with greedy).
    public var lagrangianValue: Double
    /// Value of greedy assignment in order of expected net value.
    public var greedyValue: Double
    /// No assignment within the limits can exceed this (the best Lagrangian dual value found).
    public var upperBound: Double
    /// Per limit: expected value one more unit (contact or money) would add, from the dual.
    public var shadowPrices: [Double]
    /// Per limit: what `taken` uses.
    public var usage: [Double]
    /// Which assignment was kept: "lagrangian" or "greedy".
    public var method: String
}
