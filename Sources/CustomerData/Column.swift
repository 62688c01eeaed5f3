/// A column chosen by header name or by 1-based position (for headerless files).
public enum Column: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case name(String)
    case number(Int)

    public init(stringLiteral value: String) { self = .name(value) }
    public init(integerLiteral value: Int) { self = .number(value) }

    /// Parses a command-line value: digits mean a 1-based column number, anything else a header name.
    public init(parsing text: String) {
        if let n = Int(text), n >= 1 { self = .number(n) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .name(let n): return "\"\(n)\""
        case .number(let k): return "column \(k)"
        }
    }
}
