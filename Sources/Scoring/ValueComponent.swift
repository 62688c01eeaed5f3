import CustomerData
import Foundation

/// A non-financial contribution a customer gives, valued per unit: feedback given, reviews
/// written, referrals promoted, shares ... (`knowledge_value`, `recommendation_value`).
/// Text syntax for a flag: `name=value` pairs separated by commas, e.g. `reviews=2.5,feedback=10`,
/// where the name is a column of the customer table and the value the worth of one unit.
public struct ValueComponent: Equatable, Sendable {
    /// The customer-table column holding the counts (or scores) per customer.
    public var column: String
    /// What one unit is worth, in the currency of the CLV.
    public var unitValue: Double

    public init(column: String, unitValue: Double) {
        self.column = column
        self.unitValue = unitValue
    }

    /// Parses `column=value[,column=value...]`.
    public static func parseList(_ text: String) throws -> [ValueComponent] {
        try text.split(separator: ",").map { part in
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, let v = Double(pair[1]), v.isFinite else {
                throw InputError(kind: .badOption, value: String(part),
                                 problem: "value component \"\(part)\" is not column=value",
                                 remedy: "Write the column and the worth of one unit, e.g. reviews=2.5,feedback=10")
            }
            return ValueComponent(column: pair[0], unitValue: v)
        }
    }

    /// The column's counts from a customer table, in table row order. A blank cell means nothing
    /// given (0); anything else must be a finite number, or the error names the line and column.
    public func counts(in table: CustomerTable) throws -> [Double] {
        let raw: [String]
        do { raw = try table.column(named: column) } catch {
            throw InputError(kind: .missingColumn, file: table.source, columnName: column, problem: "\(error)",
                             remedy: "Name a column of the customer table in the value component")
        }
        return try raw.enumerated().map { i, cell in
            let t = cell.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return 0 }
            guard let v = Double(t), v.isFinite else {
                throw InputError(kind: .badSummaryValue, file: table.source, line: table.lineNumbers[i], columnName: column,
                                 value: cell, problem: "not a finite number",
                                 remedy: "Give a count or score per customer (blank means none)")
            }
            return v
        }
    }
}
