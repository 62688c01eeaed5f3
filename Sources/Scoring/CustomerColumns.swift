import CustomerData
import Foundation
import Models

/// What to do with scored customers that a customer table does not list.
public enum MissingCustomers: String, CaseIterable, Sendable {
    /// A clear error listing the first missing ids (the default).
    case error
    /// Their table values count as 0 (counted in the report).
    case zero
    /// They are left out of the scores (counted in the report).
    case drop
}

/// Numeric columns of a customer table joined to scored customers by id: margins, costs,
/// revenue and other per-customer inputs of `klant score`.
public struct CustomerColumns: Sendable {
    public var table: CustomerTable
    public var idColumn: String
    /// Row of each id in the table.
    let rowOfID: [String: Int]

    public init(table: CustomerTable, idColumn: String) throws {
        guard table.hasColumn(idColumn) else {
            throw InputError(kind: .missingColumn, file: table.source, line: 1, columnName: idColumn,
                             problem: "no id column \(idColumn); the columns are \(table.columnNames.joined(separator: ", "))",
                             remedy: "name the customer id column with --id-column")
        }
        var rows: [String: Int] = [:]
        let ids = try table.column(named: idColumn)
        for (row, id) in ids.enumerated() {
            if let earlier = rows[id] {
                throw InputError(kind: .duplicateCustomer, file: table.source, line: table.lineNumbers[row], columnName: idColumn,
                                 value: id, problem: "the customer id also appears on line \(table.lineNumbers[earlier])",
                                 remedy: "give each customer one row in the customer table")
            }
            rows[id] = row
        }
        self.table = table
        self.idColumn = idColumn
        self.rowOfID = rows
    }

    /// For each of `ids`, its row in the table (nil when missing). Throws under `.error` when any is missing.
    public func rows(for ids: [String], missing: MissingCustomers) throws -> [Int?] {
        let rows = ids.map { rowOfID[$0] }
        let absent = ids.indices.filter { rows[$0] == nil }
        if !absent.isEmpty, missing == .error {
            let first = absent.prefix(5).map { ids[$0] }.joined(separator: ", ")
            throw InputError(kind: .missingColumn, file: table.source, columnName: idColumn,
                             problem: "\(absent.count) scored customers are not in the customer table (first: \(first))",
                             remedy: "add them, or choose --missing-customers zero (their table values count as 0) or drop (they are not scored)")
        }
        return rows
    }

    /// The numbers of `column` for `rows` (0 for missing rows). Blank cells are an error naming the
    /// line unless `blanksAsZero`; anything else that is not a finite number is always an error.
    public func numbers(_ column: String, rows: [Int?], blanksAsZero: Bool = false) throws -> [Double] {
        guard table.hasColumn(column) else {
            throw InputError(kind: .missingColumn, file: table.source, line: 1, columnName: column,
                             problem: "no column \(column); the columns are \(table.columnNames.joined(separator: ", "))",
                             remedy: "check the column name (names are case-sensitive)")
        }
        let values = try table.column(named: column)
        let number = table.columnNames.firstIndex(of: column).map { $0 + 1 }
        return try rows.map { row in
            guard let row else { return 0 }
            let text = values[row].trimmingCharacters(in: .whitespaces)
            if text.isEmpty, blanksAsZero { return 0 }
            guard let v = Double(text), v.isFinite else {
                throw InputError(kind: .badSummaryValue, file: table.source, line: table.lineNumbers[row], columnName: column,
                                 columnNumber: number, value: values[row],
                                 problem: text.isEmpty ? "blank value" : "not a number",
                                 remedy: text.isEmpty ? "fill it in, or choose --blanks zero to count blanks as 0" : "write a plain decimal number")
            }
            return v
        }
    }

    /// The texts of `column` for `rows` ("" for missing rows).
    public func texts(_ column: String, rows: [Int?]) throws -> [String] {
        guard table.hasColumn(column) else {
            throw InputError(kind: .missingColumn, file: table.source, line: 1, columnName: column,
                             problem: "no column \(column); the columns are \(table.columnNames.joined(separator: ", "))",
                             remedy: "check the column name (names are case-sensitive)")
        }
        let values = try table.column(named: column)
        return rows.map { $0.map { values[$0] } ?? "" }
    }
}
