/// A named RFM segment, from the recency and frequency scores (see `RFMSegmentMap`).
public enum RFMSegment: String, CaseIterable, Codable, Sendable {
    case champions
    case loyal
    case potentialLoyalist = "potential_loyalist"
    case new
    case promising
    case needAttention = "need_attention"
    case aboutToSleep = "about_to_sleep"
    case atRisk = "at_risk"
    case cannotLose = "cannot_lose"
    case hibernating
    case lost
}
