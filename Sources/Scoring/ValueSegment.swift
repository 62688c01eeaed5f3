/// A quadrant of the customer relationship matrix: current value (historic net value) against
/// potential value (CLV). What marketing does with each follows the usual portfolio reading.
public enum ValueSegment: String, CaseIterable, Codable, Sendable {
    /// High now, high potential: the customers to keep at all cost.
    case top
    /// Low now, high potential: grow revenue with personal offers.
    case opportunity
    /// High now, low potential: lengthen the relationship.
    case retain
    /// Low now, low potential: serve cheaply.
    case tolerate

    /// Position in `allCases` (the order of the quadrant table).
    var index: Int {
        switch self {
        case .top: return 0
        case .opportunity: return 1
        case .retain: return 2
        case .tolerate: return 3
        }
    }

    /// The quadrant for a customer who is (or is not) high on each axis.
    public init(highCurrent: Bool, highPotential: Bool) {
        switch (highCurrent, highPotential) {
        case (true, true): self = .top
        case (false, true): self = .opportunity
        case (true, false): self = .retain
        case (false, false): self = .tolerate
        }
    }
}
