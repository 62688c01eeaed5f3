/// A rule that cannot be parsed or does not type-check: names the action and the catalog field,
/// points at the 1-based character position in the expression, says what was wrong and what to do.
public struct ExpressionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var action: String
    /// The catalog field holding the expression (`eligible`, `value`).
    public var field: String
    public var source: String
    public var position: Int
    public var problem: String
    public var remedy: String

    public var description: String {
        let caret = String(repeating: " ", count: max(position - 1, 0)) + "^"
        return "action \(action), \(field) at character \(position): \(problem). \(remedy)\n  \(source)\n  \(caret)"
    }
}
