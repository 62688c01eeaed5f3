import CustomerData
import Foundation

/// Reads small numeric CSV tables through `CustomerTable` (RFC 4180): weighted purchase patterns
/// such as the BG/BB donations panel (`frequency,recency,periods,weights`: one row per distinct
/// (x, t_x, n) with the number of customers who share it), and single columns such as the
/// survivors per period of an sBG cohort.
public enum PatternTable {
    /// Weighted patterns; the weight column is optional (default 1 per row).
    public static func read(from url: URL) throws -> PurchasePatterns {
        let table = try load(url)
        let x = try numbers(table, ["frequency", "x"])!
        let tx = try numbers(table, ["recency", "t_x"])!
        let n = try numbers(table, ["periods", "n", "T"])!
        let w = try numbers(table, ["weights", "weight", "count"], required: false)
        return PurchasePatterns(frequency: x, recency: tx, T: n, weight: w)
    }

    /// One numeric column (e.g. survivors per period for the sBG model), in file order.
    public static func numericColumn(_ name: String, from url: URL) throws -> [Double] {
        try numbers(try load(url), [name], nonNegative: false)!
    }

    private static func load(_ url: URL) throws -> CustomerTable {
        let table: CustomerTable
        do { table = try CustomerTable(contentsOf: url) } catch let error as CustomerTableError {
            throw InputError(kind: .unreadableFile, file: url.path, problem: error.description, remedy: "give a CSV file with a header line")
        }
        guard table.rowCount > 0 else {
            throw InputError(kind: .headerOnly, file: url.path, line: 1, problem: "the file has a header but no rows",
                             remedy: "add at least one row")
        }
        return table
    }

    /// The first column named in `names`, parsed as finite numbers (≥ 0 unless told otherwise);
    /// errors name file, line, column and value.
    private static func numbers(_ table: CustomerTable, _ names: [String], required: Bool = true,
                                nonNegative: Bool = true) throws -> [Double]? {
        guard let name = names.first(where: table.hasColumn) else {
            guard required else { return nil }
            throw InputError(kind: .missingColumn, file: table.source, line: 1, columnName: names[0],
                             problem: "no column named \(names.joined(separator: " or ")); the columns are \(table.columnNames.joined(separator: ", "))",
                             remedy: "rename the column or choose an existing one")
        }
        let cells = try table.column(named: name)
        let columnNumber = (table.columnNames.firstIndex(of: name) ?? 0) + 1
        return try cells.indices.map { i in
            let text = cells[i].trimmingCharacters(in: .whitespaces)
            guard let v = Double(text), v.isFinite, v >= 0 || !nonNegative else {
                throw InputError(kind: .badSummaryValue, file: table.source, line: table.lineNumbers[i], columnName: name,
                                 columnNumber: columnNumber, value: cells[i],
                                 problem: nonNegative ? "not a finite number >= 0" : "not a finite number",
                                 remedy: "write a plain number")
            }
            return v
        }
    }
}
