/// A parsed rule expression (`churn_probability > 0.4 and value_segment in ['top', 'retain']`).
/// Every node keeps its 1-based character position in the source text, so type errors can point
/// at it. Grammar and semantics: `ExpressionParser`.
public indirect enum Expression: Equatable, Sendable {
    case number(Double, at: Int)
    case text(String, at: Int)
    case boolean(Bool, at: Int)
    case column(String, at: Int)
    case negate(Expression, at: Int)
    case not(Expression, at: Int)
    case binary(BinaryOperator, Expression, Expression, at: Int)
    /// `x in [a, b]`, or `x not in [...]` when `negated`.
    case member(Expression, [Expression], negated: Bool, at: Int)

    public enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
        case and, or

        var isArithmetic: Bool { [.add, .subtract, .multiply, .divide].contains(self) }
        var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
        var isEquality: Bool { self == .equal || self == .notEqual }
    }

    /// The 1-based position of the node's first character (of the operator for binary nodes).
    public var position: Int {
        switch self {
        case .number(_, let p), .text(_, let p), .boolean(_, let p), .column(_, let p), .negate(_, let p), .not(_, let p),
             .binary(_, _, _, let p), .member(_, _, _, let p):
            return p
        }
    }

    /// The column names the expression reads, in order of first use.
    public var columns: [String] {
        var seen: [String] = []
        func visit(_ e: Expression) {
            switch e {
            case .column(let name, _): if !seen.contains(name) { seen.append(name) }
            case .negate(let x, _), .not(let x, _): visit(x)
            case .binary(_, let a, let b, _): visit(a); visit(b)
            case .member(let x, let list, _, _): visit(x); list.forEach(visit)
            case .number, .text, .boolean: break
            }
        }
        visit(self)
        return seen
    }
}
