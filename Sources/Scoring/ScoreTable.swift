import CustomerData
import Foundation

/// The per-customer result of scoring: one row per customer, columns in a fixed order, written
/// streaming and atomically as CSV (text cells formula-injection safe) or JSON lines.
public struct ScoreTable: Sendable {
    /// One named column of values.
    public enum Column: Sendable {
        case number(String, [Double])
        case integer(String, [Int])
        case text(String, [String])
        /// Few distinct texts (segments, RFM scores): per customer a code into `labels`.
        case labels(String, codes: [UInt8], labels: [String])

        public var name: String {
            switch self {
            case .number(let n, _), .integer(let n, _), .text(let n, _), .labels(let n, _, _): return n
            }
        }

        /// The values, as `TableWriter` takes them.
        public var values: TableColumn {
            switch self {
            case .number(_, let v): return .numbers(v)
            case .integer(_, let v): return .integers(v)
            case .text(_, let v): return .texts(v)
            case .labels(_, let codes, let labels): return .labels(codes: codes, labels: labels)
            }
        }

        /// The texts of a text or labels column.
        public var texts: [String]? {
            switch self {
            case .text(_, let v): return v
            case .labels(_, let codes, let labels): return codes.map { labels[Int($0)] }
            case .number, .integer: return nil
            }
        }
    }

    public var idColumn: String
    public var customerIDs: [String]
    public private(set) var columns: [Column] = []

    public init(idColumn: String = "customer_id", customerIDs: [String]) {
        self.idColumn = idColumn
        self.customerIDs = customerIDs
    }

    public var count: Int { customerIDs.count }
    public var header: [String] { [idColumn] + columns.map(\.name) }

    /// Adds a column (its length must equal the number of customers).
    public mutating func append(_ column: Column) {
        precondition(column.values.count == count, "ScoreTable: column \(column.name) has \(column.values.count) values for \(count) customers")
        columns.append(column)
    }

    /// The numbers of a column, if there is a numeric column of that name.
    public func numbers(_ name: String) -> [Double]? {
        for case let .number(n, v) in columns where n == name { return v }
        return nil
    }

    /// The texts of a column, if there is a text (or labels) column of that name.
    public func texts(_ name: String) -> [String]? {
        columns.first { $0.name == name }?.texts
    }

    /// The table with only the named columns, in the order given; the id column stays first.
    /// An unknown or repeated name is an error that lists the table's columns.
    public func selecting(columns names: [String]) throws -> ScoreTable {
        guard !names.isEmpty else {
            throw InputError(kind: .badOption, columnName: "--columns", problem: "no column is named",
                             remedy: "Name at least one of: \(columns.map(\.name).joined(separator: ", "))")
        }
        var selected = ScoreTable(idColumn: idColumn, customerIDs: customerIDs)
        for name in names {
            guard let column = columns.first(where: { $0.name == name }) else {
                throw InputError(kind: .badOption, columnName: "--columns", value: name,
                                 problem: name == idColumn ? "\(name) is always written first; leave it out of the list" : "the score table has no column \(name)",
                                 remedy: "Choose from: \(columns.map(\.name).joined(separator: ", "))")
            }
            guard !selected.columns.contains(where: { $0.name == name }) else {
                throw InputError(kind: .badOption, columnName: "--columns", value: name, problem: "column \(name) is listed twice",
                                 remedy: "Name each column once")
            }
            selected.append(column)
        }
        return selected
    }

    /// Streams the table to `path` ("-" is standard output); the format follows the extension
    /// unless given. Non-finite numbers are written as empty cells (null in JSON lines).
    public func write(to path: String, format: TableFormat? = nil) throws {
        let writer = try TableWriter(path: path, header: header, format: format)
        try writer.append(contentsOf: rows)
        try writer.commit()
    }

    /// The rows under `header`, each made when it is read (for any sink: a file, a database table);
    /// `TableWriter` formats them straight from the columns, on all cores.
    public var rows: ColumnRows { ColumnRows([.texts(customerIDs)] + columns.map(\.values)) }
}
