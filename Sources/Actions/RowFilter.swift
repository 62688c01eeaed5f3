import Churn
import CustomerData

/// A condition over the columns of a customer table in the rule language of the action catalog
/// (`InternetService != 'No' and tenure >= 12`; see `ExpressionParser`), choosing the rows a model
/// is fitted on, scored or evaluated (`--where`). A column is a number column when every non-blank
/// cell is a number, otherwise text; a blank cell is missing, and a comparison with it is false.
public struct RowFilter: Sendable {
    /// The condition as written.
    public let condition: String
    /// The option it came from, for error messages (`--where`).
    public let option: String
    let expression: Expression

    /// Parses `condition`; a syntax error points at the character.
    public init(_ condition: String, option: String = "--where") throws {
        self.condition = condition
        self.option = option
        do { expression = try ExpressionParser.parse(condition, action: option, field: option) } catch let error as ExpressionError {
            throw RowFilterError(error, option: option)
        }
    }

    /// The indices of the rows of `table` that satisfy the condition, in table order. A column the
    /// table lacks, or a comparison of a text column with a number, is an error naming the table's columns.
    public func rows(in table: CustomerTable) throws -> [Int] {
        for name in expression.columns where !table.hasColumn(name) {
            throw RowFilterError(option: option, condition: condition, position: position(of: name),
                                 problem: "\(table.source) has no column \(name)" + Self.hint(name, in: table.columnNames),
                                 remedy: "use one of its columns: \(table.columnNames.joined(separator: ", "))")
        }
        var columns = RuleTable(rowCount: table.rowCount)
        for name in expression.columns { columns.set(name, try Self.column(table.column(named: name))) }
        do {
            let rule = try CompiledRule(expression, source: condition, action: option, field: option, table: columns, expected: .boolean)
            let keep = rule.booleans(over: columns)
            return keep.indices.filter { keep[$0] }
        } catch let error as ExpressionError {
            throw RowFilterError(error, option: option)
        }
    }

    /// The filter as the churn module's row selection (its condition is stored in the model file).
    public var selection: RowSelection {
        let filter = self
        return RowSelection(condition: condition) { try filter.rows(in: $0) }
    }

    /// Numbers when every non-blank cell is one (blank: NaN), else trimmed texts (blank: "").
    static func column(_ raw: [String]) -> RuleTable.Column {
        var numbers: [Double] = []
        numbers.reserveCapacity(raw.count)
        for cell in raw {
            if ValueParsing.isBlank(cell) { numbers.append(.nan); continue }
            guard let x = ValueParsing.number(cell) else {
                return .text(TextColumn(raw.map { $0.trimmingCharacters(in: [" ", "\t"]) }))
            }
            numbers.append(x)
        }
        return .number(numbers)
    }

    private func position(of column: String) -> Int {
        var found = 1
        func visit(_ e: Expression) -> Bool {
            switch e {
            case .column(let name, let at): if name == column { found = at; return true }
            case .negate(let x, _), .not(let x, _): return visit(x)
            case .binary(_, let a, let b, _): return visit(a) || visit(b)
            case .member(let x, let list, _, _): return visit(x) || list.contains(where: visit)
            case .number, .text, .boolean: break
            }
            return false
        }
        _ = visit(expression)
        return found
    }

    /// Columns the name may have meant, or, when none is close, how a text value is written.
    private static func hint(_ name: String, in names: [String]) -> String {
        let lower = name.lowercased()
        let near = names.filter { $0.lowercased() == lower || $0.lowercased().contains(lower) || lower.contains($0.lowercased()) }
        return near.isEmpty ? " (to compare with a text, quote it: '\(name)')" : " (did you mean \(near.joined(separator: " or "))?)"
    }
}

/// A `--where` condition that cannot be parsed or does not fit the table: the option, the condition
/// with a caret at the character, what was wrong and what to do.
public struct RowFilterError: Error, CustomStringConvertible, Equatable, Sendable {
    public var option: String
    public var condition: String
    public var position: Int
    public var problem: String
    public var remedy: String

    public init(option: String, condition: String, position: Int, problem: String, remedy: String) {
        self.option = option; self.condition = condition; self.position = position; self.problem = problem; self.remedy = remedy
    }

    init(_ error: ExpressionError, option: String) {
        self.init(option: option, condition: error.source, position: error.position, problem: error.problem,
                  remedy: error.remedy.replacingOccurrences(of: "the score table or of --customers", with: "the table"))
    }

    public var description: String {
        let caret = String(repeating: " ", count: max(position - 1, 0)) + "^"
        return "\(option) at character \(position): \(problem). \(remedy)\n  \(condition)\n  \(caret)"
    }
}

extension RowFilter {
    /// The rows a logistic model scores or is evaluated on: those of its population (the condition
    /// stored in the model file) and, within them, those of `condition` (`--where`); nil for all rows.
    public static func selection(population: String?, where condition: String?, option: String = "--where") throws -> RowSelection? {
        let stored = try population.map { try RowFilter($0, option: "the model's population") }
        let given = try condition.map { try RowFilter($0, option: option) }
        switch (stored, given) {
        case (nil, nil): return nil
        case let (one?, nil), let (nil, one?): return one.selection
        case let (first?, second?):
            return RowSelection(condition: "(\(first.condition)) and (\(second.condition))") { table in
                let outer = try first.rows(in: table)
                return try second.rows(in: table.selectingRows(outer)).map { outer[$0] }
            }
        }
    }
}
