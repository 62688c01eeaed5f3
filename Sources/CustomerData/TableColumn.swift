/// One column of an exported table kept as its values, so `TableWriter` formats rows straight from
/// the columns (on all cores, no `[CSVCell]` per row). Score tables and predictions are made of these.
public enum TableColumn: Sendable {
    /// Numbers; a non-finite value is an empty cell (null in JSON lines).
    case numbers([Double])
    case integers([Int])
    case texts([String])
    /// Few distinct texts (segments, RFM scores): per row a code into `labels`.
    case labels(codes: [UInt8], labels: [String])

    public var count: Int {
        switch self {
        case .numbers(let v): return v.count
        case .integers(let v): return v.count
        case .texts(let v): return v.count
        case .labels(let codes, _): return codes.count
        }
    }

    /// The cell of `row`.
    public func cell(_ row: Int) -> CSVCell {
        switch self {
        case .numbers(let v): return v[row].isFinite ? .number(v[row]) : .empty
        case .integers(let v): return .integer(v[row])
        case .texts(let v): return .text(v[row])
        case .labels(let codes, let labels): return .text(labels[Int(codes[row])])
        }
    }
}

/// The rows of a table kept by column, as `[CSVCell]` arrays for sinks that take rows (a database
/// table); `TableWriter` recognises it and formats straight from the columns.
public struct ColumnRows: RandomAccessCollection, Sendable {
    public let columns: [TableColumn]

    /// The columns must have equal counts.
    public init(_ columns: [TableColumn]) {
        precondition(columns.allSatisfy { $0.count == columns.first?.count }, "ColumnRows: columns of unequal length")
        self.columns = columns
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.first?.count ?? 0 }

    public subscript(row: Int) -> [CSVCell] { columns.map { $0.cell(row) } }
}
