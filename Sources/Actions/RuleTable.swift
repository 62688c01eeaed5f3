/// The columns rules can read: the score table's and the customer table's, one row per scored
/// customer, as numbers (NaN = missing) or texts (dictionary-coded, "" = missing).
public struct RuleTable: Sendable {
    public enum Column: Sendable {
        case number([Double])
        case text(TextColumn)

        var type: ValueType {
            switch self {
            case .number: return .number
            case .text: return .text
            }
        }
    }

    public var rowCount: Int
    public private(set) var columns: [String: Column] = [:]

    public init(rowCount: Int) { self.rowCount = rowCount }

    /// Adds (or replaces) a column; it must have one value per row.
    public mutating func set(_ name: String, _ column: Column) {
        switch column {
        case .number(let x): precondition(x.count == rowCount, "RuleTable: column \(name) has \(x.count) rows, not \(rowCount)")
        case .text(let t): precondition(t.codes.count == rowCount, "RuleTable: column \(name) has \(t.codes.count) rows, not \(rowCount)")
        }
        columns[name] = column
    }

    public func numbers(_ name: String) -> [Double]? {
        if case .number(let x)? = columns[name] { return x }
        return nil
    }

    /// Value types of rule expressions.
    public enum ValueType: String, Sendable { case number, text, boolean }
}

/// A text column stored as codes into its distinct values.
public struct TextColumn: Sendable {
    public private(set) var levels: [String] = []
    public private(set) var codes: [Int32] = []
    private var index: [String: Int32] = [:]

    public init() {}

    public init(_ values: [String]) {
        codes.reserveCapacity(values.count)
        for v in values { append(v) }
    }

    public mutating func append(_ value: String) {
        if let code = index[value] { codes.append(code); return }
        let code = Int32(levels.count)
        levels.append(value)
        index[value] = code
        codes.append(code)
    }

    /// The code of `value`, nil when no row has it.
    public func code(of value: String) -> Int32? { index[value] }

    public subscript(row: Int) -> String { levels[Int(codes[row])] }
}
