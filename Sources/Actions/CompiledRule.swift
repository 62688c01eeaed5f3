/// A rule expression checked against the columns of a `RuleTable` (names and types, before any
/// row is computed) and evaluated over all rows at once, column by column.
///
/// Semantics: arithmetic on numbers (division by zero gives ±inf or NaN); a comparison with a
/// missing value (empty cell: NaN or empty text) is false, whatever the operator; `and`, `or`,
/// `not` on booleans; `x in [...]` compares with each listed literal of x's type.
public struct CompiledRule: Sendable {
    public let expression: Expression
    public let source: String
    public let type: RuleTable.ValueType

    /// Parses `source` and checks it against `table`'s columns; `expected` is the type the catalog
    /// field needs (boolean for `eligible`, number for `value`).
    public init(_ source: String, action: String, field: String, table: RuleTable, expected: RuleTable.ValueType) throws {
        let expression = try ExpressionParser.parse(source, action: action, field: field)
        try self.init(expression, source: source, action: action, field: field, table: table, expected: expected)
    }

    public init(_ expression: Expression, source: String, action: String, field: String, table: RuleTable, expected: RuleTable.ValueType) throws {
        let checker = TypeChecker(source: source, action: action, field: field, table: table)
        let type = try checker.type(of: expression)
        guard type == expected else {
            throw checker.error("the expression is a \(type.rawValue) but \(field) needs a \(expected.rawValue)", at: 1,
                                remedy: expected == .boolean ? "write a condition, e.g. churn_probability > 0.4" : "write an amount, e.g. clv * 0.8")
        }
        self.expression = expression
        self.source = source
        self.type = type
    }

    /// Throws the unknown-column error for the first column of `expression` not in `available`
    /// (names only: a check that needs no rows).
    public static func checkColumns(_ expression: Expression, source: String, action: String, field: String, available: Set<String>) throws {
        var probe = RuleTable(rowCount: 0)
        for name in available { probe.set(name, .number([])) }
        let checker = TypeChecker(source: source, action: action, field: field, table: probe)
        func visit(_ e: Expression) throws {
            switch e {
            case .column(let name, _): if !available.contains(name) { _ = try checker.type(of: e) }
            case .negate(let x, _), .not(let x, _): try visit(x)
            case .binary(_, let a, let b, _): try visit(a); try visit(b)
            case .member(let x, let list, _, _): try visit(x); try list.forEach(visit)
            case .number, .text, .boolean: break
            }
        }
        try visit(expression)
    }

    /// The values of a number expression for every row.
    public func numbers(over table: RuleTable) -> [Double] {
        guard case .numbers(let x) = Evaluator(table: table).evaluate(expression) else { preconditionFailure("CompiledRule: not a number rule") }
        return x
    }

    /// The values of a condition for every row.
    public func booleans(over table: RuleTable) -> [Bool] {
        guard case .booleans(let b) = Evaluator(table: table).evaluate(expression) else { preconditionFailure("CompiledRule: not a condition") }
        return b
    }
}

/// Static types of expressions over a table's columns.
private struct TypeChecker {
    let source: String
    let action: String
    let field: String
    let table: RuleTable

    func error(_ problem: String, at position: Int, remedy: String) -> ExpressionError {
        ExpressionError(action: action, field: field, source: source, position: position, problem: problem, remedy: remedy)
    }

    func type(of e: Expression) throws -> RuleTable.ValueType {
        switch e {
        case .number: return .number
        case .text: return .text
        case .boolean: return .boolean
        case .column(let name, let at):
            guard let column = table.columns[name] else {
                let known = table.columns.keys.sorted()
                let near = known.filter { $0.lowercased() == name.lowercased() || $0.lowercased().contains(name.lowercased()) }
                throw error("unknown column \(name)" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: " or "))?)"), at: at,
                            remedy: "use a column of the score table or of --customers: \(known.joined(separator: ", "))")
            }
            return column.type
        case .negate(let x, let at):
            try require(x, .number, at: at, what: "'-' negates numbers")
            return .number
        case .not(let x, let at):
            try require(x, .boolean, at: at, what: "not applies to conditions")
            return .boolean
        case .binary(let op, let a, let b, let at):
            let ta = try type(of: a), tb = try type(of: b)
            if op.isArithmetic {
                guard ta == .number, tb == .number else {
                    throw error("'\(op.rawValue)' needs numbers on both sides, found \(ta.rawValue) and \(tb.rawValue)", at: at,
                                remedy: "use arithmetic on number columns only")
                }
                return .number
            }
            if op.isOrdering {
                guard ta == .number, tb == .number else {
                    throw error("'\(op.rawValue)' compares numbers, found \(ta.rawValue) and \(tb.rawValue)", at: at,
                                remedy: "compare texts with == or in ['a', 'b']")
                }
                return .boolean
            }
            if op.isEquality {
                guard ta == tb else {
                    throw error("'\(op.rawValue)' compares a \(ta.rawValue) with a \(tb.rawValue)", at: at,
                                remedy: "compare values of one type (quote texts: value_segment == 'top')")
                }
                return .boolean
            }
            guard ta == .boolean, tb == .boolean else {
                throw error("'\(op.rawValue)' joins conditions, found \(ta.rawValue) and \(tb.rawValue)", at: at,
                            remedy: "write a comparison on each side, e.g. clv > 200 and churn_probability > 0.4")
            }
            return .boolean
        case .member(let x, let list, _, let at):
            let tx = try type(of: x)
            guard tx != .boolean else { throw error("'in' looks up a number or text, found a condition", at: at, remedy: "write column in [...]") }
            for item in list where try type(of: item) != tx {
                throw error("the list holds a \(try type(of: item).rawValue) but the value is a \(tx.rawValue)", at: item.position,
                            remedy: tx == .text ? "quote the texts: in ['top', 'retain']" : "list numbers: in [1, 2]")
            }
            return .boolean
        }
    }

    private func require(_ e: Expression, _ t: RuleTable.ValueType, at: Int, what: String) throws {
        let found = try type(of: e)
        guard found == t else { throw error("\(what), found a \(found.rawValue)", at: at, remedy: "check the expression around this position") }
    }
}

/// Column-at-a-time evaluation of a type-checked expression.
private struct Evaluator {
    enum Values {
        case numbers([Double])
        case booleans([Bool])
        case textColumn(TextColumn)
        case textLiteral(String)
        case constantNumber(Double)
        case constantBoolean(Bool)
    }

    let table: RuleTable
    var n: Int { table.rowCount }

    func evaluate(_ e: Expression) -> Values {
        switch evaluateRaw(e) {
        case .constantNumber(let x): return .numbers([Double](repeating: x, count: n))
        case .constantBoolean(let b): return .booleans([Bool](repeating: b, count: n))
        case let other: return other
        }
    }

    private func numbers(_ e: Expression) -> [Double] {
        switch evaluateRaw(e) {
        case .numbers(let x): return x
        case .constantNumber(let x): return [Double](repeating: x, count: n)
        default: preconditionFailure("type-checked: number")
        }
    }

    private func booleans(_ e: Expression) -> [Bool] {
        switch evaluateRaw(e) {
        case .booleans(let b): return b
        case .constantBoolean(let b): return [Bool](repeating: b, count: n)
        default: preconditionFailure("type-checked: boolean")
        }
    }

    private func evaluateRaw(_ e: Expression) -> Values {
        switch e {
        case .number(let x, _): return .constantNumber(x)
        case .text(let s, _): return .textLiteral(s)
        case .boolean(let b, _): return .constantBoolean(b)
        case .column(let name, _):
            switch table.columns[name]! {
            case .number(let x): return .numbers(x)
            case .text(let t): return .textColumn(t)
            }
        case .negate(let x, _): return .numbers(numbers(x).map { -$0 })
        case .not(let x, _): return .booleans(booleans(x).map { !$0 })
        case .binary(let op, let a, let b, _): return binary(op, a, b)
        case .member(let x, let list, let negated, _): return .booleans(member(x, list, negated: negated))
        }
    }

    private func binary(_ op: Expression.BinaryOperator, _ a: Expression, _ b: Expression) -> Values {
        switch op {
        case .and: return .booleans(zip(booleans(a), booleans(b)).map { $0 && $1 })
        case .or: return .booleans(zip(booleans(a), booleans(b)).map { $0 || $1 })
        case .add: return arithmetic(a, b, +)
        case .subtract: return arithmetic(a, b, -)
        case .multiply: return arithmetic(a, b, *)
        case .divide: return arithmetic(a, b, /)
        case .less: return compareNumbers(a, b, <)
        case .lessOrEqual: return compareNumbers(a, b, <=)
        case .greater: return compareNumbers(a, b, >)
        case .greaterOrEqual: return compareNumbers(a, b, >=)
        case .equal, .notEqual:
            let equal = op == .equal
            switch (evaluateRaw(a), evaluateRaw(b)) {
            case (.textColumn(let t), .textLiteral(let s)), (.textLiteral(let s), .textColumn(let t)):
                return .booleans(textEquals(t, s, equal: equal))
            case (.textLiteral(let s), .textLiteral(let r)): return .constantBoolean(!s.isEmpty && !r.isEmpty && (s == r) == equal)
            case (.textColumn(let t), .textColumn(let u)):
                return .booleans((0..<n).map { i in
                    let x = t[i], y = u[i]
                    return !x.isEmpty && !y.isEmpty && (x == y) == equal
                })
            case (.booleans, _), (.constantBoolean, _):
                return .booleans(zip(booleans(a), booleans(b)).map { ($0 == $1) == equal })
            default:
                return compareNumbers(a, b, equal ? { $0 == $1 } : { $0 != $1 })
            }
        }
    }

    private func textEquals(_ t: TextColumn, _ s: String, equal: Bool) -> [Bool] {
        let target = s.isEmpty ? nil : t.code(of: s)
        let missing = t.code(of: "")
        return t.codes.map { c in c != missing && ((c == target) == equal) }
    }

    private func arithmetic(_ a: Expression, _ b: Expression, _ f: (Double, Double) -> Double) -> Values {
        switch (evaluateRaw(a), evaluateRaw(b)) {
        case (.constantNumber(let x), .constantNumber(let y)): return .constantNumber(f(x, y))
        case (.numbers(let x), .constantNumber(let y)): return .numbers(x.map { f($0, y) })
        case (.constantNumber(let x), .numbers(let y)): return .numbers(y.map { f(x, $0) })
        default: return .numbers(zip(numbers(a), numbers(b)).map(f))
        }
    }

    /// Comparisons with a missing (NaN) side are false.
    private func compareNumbers(_ a: Expression, _ b: Expression, _ f: @escaping (Double, Double) -> Bool) -> Values {
        let g: (Double, Double) -> Bool = { x, y in !x.isNaN && !y.isNaN && f(x, y) }
        switch (evaluateRaw(a), evaluateRaw(b)) {
        case (.constantNumber(let x), .constantNumber(let y)): return .constantBoolean(g(x, y))
        case (.numbers(let x), .constantNumber(let y)): return .booleans(x.map { g($0, y) })
        case (.constantNumber(let x), .numbers(let y)): return .booleans(y.map { g(x, $0) })
        default: return .booleans(zip(numbers(a), numbers(b)).map(g))
        }
    }

    private func member(_ x: Expression, _ list: [Expression], negated: Bool) -> [Bool] {
        switch evaluateRaw(x) {
        case .textColumn(let t):
            var inList = [Bool](repeating: false, count: t.levels.count)
            for case .text(let s, _) in list { if let c = t.code(of: s) { inList[Int(c)] = true } }
            let missing = t.code(of: "")
            return t.codes.map { c in c != missing && inList[Int(c)] != negated }
        case .textLiteral(let s):
            let found = list.contains { if case .text(s, _) = $0 { return true }; return false }
            return [Bool](repeating: !s.isEmpty && found != negated, count: n)
        default:
            let values = Set(list.compactMap { if case .number(let v, _) = $0 { return v }; return nil })
            return numbers(x).map { v in !v.isNaN && values.contains(v) != negated }
        }
    }
}
