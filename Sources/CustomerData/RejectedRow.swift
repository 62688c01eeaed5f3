/// One rejected input row: where, why, and its original text.
public struct RejectedRow: Equatable, Sendable {
    public var line: Int
    public var reason: String
    public var text: String
}
