/// What an action is for; it shapes the row's `reason`.
public enum ActionType: String, CaseIterable, Sendable {
    case retention
    case upsell
    case crossSell = "cross-sell"
}
