/// Parses Klant's rule language, a small expression language over table columns:
///
///     expression := or
///     or         := and ('or' and)*
///     and        := not ('and' not)*
///     not        := 'not' not | comparison
///     comparison := sum (('<' | '<=' | '>' | '>=' | '==' | '=' | '!=') sum | 'not'? 'in' '[' literal (',' literal)* ']')?
///     sum        := product (('+' | '-') product)*
///     product    := unary (('*' | '/') unary)*
///     unary      := '-' unary | primary
///     primary    := number | 'text' | "text" | true | false | column | `column with spaces` | '(' expression ')'
///
/// Keywords (`and`, `or`, `not`, `in`, `true`, `false`) are lower case; columns are names of the
/// score or customer table. Errors carry the position of the offending character.
public struct ExpressionParser {
    enum Token: Equatable {
        case number(Double), text(String), name(String), quotedName(String), symbol(String), end
    }

    private var tokens: [(token: Token, at: Int)] = []
    private var index = 0
    private let source: String
    private let action: String
    private let field: String

    /// Parses `source`; `action` and `field` name where it came from for error messages.
    public static func parse(_ source: String, action: String, field: String) throws -> Expression {
        var parser = ExpressionParser(source: source, action: action, field: field)
        try parser.tokenize()
        let expression = try parser.parseOr()
        guard case .end = parser.current else {
            throw parser.error("unexpected \(parser.describe(parser.current)) after a complete expression",
                               remedy: "join conditions with and / or, and check the brackets")
        }
        return expression
    }

    private init(source: String, action: String, field: String) {
        self.source = source
        self.action = action
        self.field = field
    }

    private var current: Token { tokens[index].token }
    private var position: Int { tokens[index].at }

    private func error(_ problem: String, at position: Int? = nil, remedy: String) -> ExpressionError {
        ExpressionError(action: action, field: field, source: source, position: position ?? self.position, problem: problem, remedy: remedy)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .number(let x): return "number \(x)"
        case .text(let s): return "text '\(s)'"
        case .name(let n), .quotedName(let n): return "'\(n)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of the expression"
        }
    }

    // MARK: Tokens

    private mutating func tokenize() throws {
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            let c = chars[i], at = i + 1
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count && (chars[j].isNumber || chars[j] == ".") { j += 1 }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    if k < chars.count && chars[k].isNumber {
                        j = k
                        while j < chars.count && chars[j].isNumber { j += 1 }
                    }
                }
                guard let x = Double(String(chars[i..<j])) else {
                    throw error("'\(String(chars[i..<j]))' is not a number", at: at, remedy: "write numbers as 0.4, 200 or 1e3")
                }
                tokens.append((.number(x), at)); i = j
            } else if c == "'" || c == "\"" || c == "`" {
                var j = i + 1
                while j < chars.count && chars[j] != c { j += 1 }
                guard j < chars.count else {
                    throw error("the quote \(c) is never closed", at: at, remedy: "close the text with \(c)")
                }
                let body = String(chars[(i + 1)..<j])
                tokens.append((c == "`" ? .quotedName(body) : .text(body), at)); i = j + 1
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                tokens.append((.name(String(chars[i..<j])), at)); i = j
            } else {
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                if ["<=", ">=", "==", "!="].contains(two) {
                    tokens.append((.symbol(two), at)); i += 2
                } else if "<>=+-*/()[],".contains(c) {
                    tokens.append((.symbol(c == "=" ? "==" : String(c)), at)); i += 1
                } else {
                    throw error("unexpected character '\(c)'", at: at,
                                remedy: "use and, or, not, in [...], comparisons (< <= > >= == !=), + - * / and brackets")
                }
            }
        }
        tokens.append((.end, chars.count + 1))
    }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func isKeyword(_ word: String) -> Bool { current == .name(word) }

    private func isSymbol(_ s: String) -> Bool { current == .symbol(s) }

    private mutating func expect(_ s: String, remedy: String) throws {
        guard isSymbol(s) else { throw error("expected '\(s)' but found \(describe(current))", remedy: remedy) }
        advance()
    }

    // MARK: Grammar

    private mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        while isKeyword("or") {
            let at = position; advance()
            left = .binary(.or, left, try parseAnd(), at: at)
        }
        return left
    }

    private mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        while isKeyword("and") {
            let at = position; advance()
            left = .binary(.and, left, try parseNot(), at: at)
        }
        return left
    }

    private mutating func parseNot() throws -> Expression {
        if isKeyword("not") {
            let at = position; advance()
            return .not(try parseNot(), at: at)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expression {
        let left = try parseSum()
        if case .symbol(let s) = current, let op = Expression.BinaryOperator(rawValue: s), !op.isArithmetic {
            let at = position; advance()
            return .binary(op, left, try parseSum(), at: at)
        }
        var negated = false
        let at = position
        if isKeyword("not") {
            negated = true; advance()
            guard isKeyword("in") else { throw error("expected 'in' after 'not' here", remedy: "write x not in ['a', 'b'], or not (condition)") }
        }
        if isKeyword("in") {
            advance()
            try expect("[", remedy: "write the list in brackets: in ['top', 'retain']")
            var items: [Expression] = []
            repeat {
                if !items.isEmpty { advance() }
                let itemAt = position
                switch current {
                case .number(let x): items.append(.number(x, at: itemAt))
                case .text(let s): items.append(.text(s, at: itemAt))
                case .symbol("-"):
                    advance()
                    guard case .number(let x) = current else { throw error("expected a number after '-'", remedy: "list numbers or texts") }
                    items.append(.number(-x, at: itemAt))
                default: throw error("expected a number or a quoted text in the list, found \(describe(current))",
                                     remedy: "list literal values: in ['top', 'retain'] or in [1, 2]")
                }
                advance()
            } while isSymbol(",")
            try expect("]", remedy: "close the list with ]")
            return .member(left, items, negated: negated, at: at)
        }
        return left
    }

    private mutating func parseSum() throws -> Expression {
        var left = try parseProduct()
        while case .symbol(let s) = current, s == "+" || s == "-" {
            let at = position; advance()
            left = .binary(s == "+" ? .add : .subtract, left, try parseProduct(), at: at)
        }
        return left
    }

    private mutating func parseProduct() throws -> Expression {
        var left = try parseUnary()
        while case .symbol(let s) = current, s == "*" || s == "/" {
            let at = position; advance()
            left = .binary(s == "*" ? .multiply : .divide, left, try parseUnary(), at: at)
        }
        return left
    }

    private mutating func parseUnary() throws -> Expression {
        if isSymbol("-") {
            let at = position; advance()
            return .negate(try parseUnary(), at: at)
        }
        return try parsePrimary()
    }

    private static let keywords: Set<String> = ["and", "or", "not", "in"]

    private mutating func parsePrimary() throws -> Expression {
        let at = position
        switch current {
        case .number(let x): advance(); return .number(x, at: at)
        case .text(let s): advance(); return .text(s, at: at)
        case .quotedName(let n): advance(); return .column(n, at: at)
        case .name("true"): advance(); return .boolean(true, at: at)
        case .name("false"): advance(); return .boolean(false, at: at)
        case .name(let n) where !Self.keywords.contains(n): advance(); return .column(n, at: at)
        case .symbol("("):
            advance()
            let inner = try parseOr()
            try expect(")", remedy: "close the bracket opened at character \(at)")
            return inner
        case .end:
            throw error("the expression ends where a value was expected", remedy: "complete the expression, e.g. churn_probability > 0.4")
        default:
            throw error("expected a value (number, quoted text or column) but found \(describe(current))",
                        remedy: "check the operators around it")
        }
    }
}
