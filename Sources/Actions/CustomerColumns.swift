import CustomerData

/// The score table (one row per customer, `customer_id` first) and, optionally, a customer table
/// joined by id, read into the columns the catalog's rules use. Only the named columns are kept;
/// a column is a number column when every non-empty cell is a number, otherwise text.
public struct CustomerColumns: Sendable {
    public var ids: [String]
    public var table: RuleTable
    /// Row of each id.
    public var index: [String: Int32]
    /// Scored customers that the customer table does not have.
    public var missingFromCustomers = 0

    public static let idColumn = "customer_id"

    /// The column names of a table file without reading its rows.
    public static func header(path: String, format: TableFormat? = nil) throws -> [String] {
        try TableReader(path: path, format: format).columnNames
    }

    /// Reads `wanted` columns (those present) of the score table at `scoresPath` and of the customer
    /// table at `customersPath` (joined on `customerIDColumn`; the score table wins for a name in both).
    public init(scoresPath: String, scoresFormat: TableFormat? = nil, customersPath: String?, customerIDColumn: String,
                wanted: Set<String>) throws {
        try self.init(scoresPath: scoresPath, scoresFormat: scoresFormat, customers: try customersPath.map { try CustomerTable(path: $0) },
                      customerIDColumn: customerIDColumn, wanted: wanted)
    }

    /// As above with the customer table already read (in its own text format).
    public init(scoresPath: String, scoresFormat: TableFormat? = nil, customers: CustomerTable?, customerIDColumn: String,
                wanted: Set<String>) throws {
        let scores = try TableReader(path: scoresPath, format: scoresFormat)
        let idAt = try scores.requiredColumn(Self.idColumn, purpose: "the customer of each score")
        let scoreColumns = scores.columnNames.enumerated().filter { wanted.contains($0.element) && $0.offset != idAt }
        var ids: [String] = []
        var index: [String: Int32] = [:]
        // One pass: a column is read as numbers until a cell is not a number; from that row on it is
        // read as text, and only the rows before it are read again (usually none: the first cell).
        var numbers = scoreColumns.map { _ in [Double]() }
        var texts = scoreColumns.map { _ in TextColumn() }
        var textFrom = [Int?](repeating: nil, count: scoreColumns.count)
        try scores.forEachRow { row in
            let id = row.text(idAt)
            let r = ids.count
            guard index.updateValue(Int32(r), forKey: id) == nil else {
                throw InputError(kind: .duplicateCustomer, file: scoresPath, line: row.line, columnName: Self.idColumn, value: id,
                                 problem: "the customer appears twice in the score table", remedy: "give one score row per customer")
            }
            ids.append(id)
            for (k, column) in scoreColumns.enumerated() {
                if textFrom[k] != nil { texts[k].append(row.text(column.offset)); continue }
                do {
                    numbers[k].append(try row.optionalNumber(column.offset) ?? .nan)   // an empty cell is a missing number
                    continue
                } catch {}
                textFrom[k] = r
                numbers[k] = []
                texts[k].append(row.text(column.offset))
            }
        }
        try Self.readTextPrefixes(scores, columns: scoreColumns.map(\.offset), from: textFrom, into: &texts)
        var table = RuleTable(rowCount: ids.count)
        for (k, column) in scoreColumns.enumerated() {
            table.set(column.element, textFrom[k] == nil ? .number(numbers[k]) : .text(texts[k]))
        }
        self.ids = ids
        self.index = index
        self.table = table
        if let customers {
            try join(customers: customers, idColumn: customerIDColumn, wanted: wanted.subtracting(scores.columnNames))
        }
    }

    /// Completes the columns that turned out to be text at row `from[k]` > 0: reads their first
    /// `from[k]` cells again (stopping at the last such row) and puts them before the rest.
    private static func readTextPrefixes(_ reader: TableReader, columns: [Int], from: [Int?], into texts: inout [TextColumn]) throws {
        let redo = from.enumerated().compactMap { k, r in r.flatMap { $0 > 0 ? (k, $0) : nil } }
        guard let stop = redo.map(\.1).max() else { return }
        struct Done: Error {}
        var prefixes = redo.map { _ in TextColumn() }
        var r = 0
        do {
            try reader.forEachRow { row in
                guard r < stop else { throw Done() }
                for (j, (k, end)) in redo.enumerated() where r < end { prefixes[j].append(row.text(columns[k])) }
                r += 1
            }
        } catch is Done {}
        for (j, (k, _)) in redo.enumerated() {
            let rest = texts[k]
            for i in 0..<rest.codes.count { prefixes[j].append(rest[i]) }
            texts[k] = prefixes[j]
        }
    }

    /// Adds the `wanted` columns of a customer table, matched by id (missing customers: empty).
    private mutating func join(customers: CustomerTable, idColumn: String, wanted: Set<String>) throws {
        guard let idAt = customers.columnNames.firstIndex(of: idColumn) else {
            throw InputError(kind: .missingColumn, file: customers.source, line: 1, columnName: idColumn,
                             problem: "the table has no column \(idColumn) (needed for joining customers to the score table (set --customer-id-column)); its columns are \(customers.columnNames.joined(separator: ", "))",
                             remedy: "give the table written by the command that makes it, or add the column")
        }
        let columns = customers.columnNames.enumerated().filter { wanted.contains($0.element) && $0.offset != idAt }
        var raw = columns.map { _ in [String](repeating: "", count: ids.count) }
        var seen = [Bool](repeating: false, count: ids.count)
        let customerIDs = customers.columns[idAt]
        for (row, id) in customerIDs.enumerated() {
            guard let i = index[id].map(Int.init) else { continue }
            seen[i] = true
            for (k, column) in columns.enumerated() { raw[k][i] = customers.columns[column.offset][row] }
        }
        missingFromCustomers = seen.filter { !$0 }.count
        for (k, column) in columns.enumerated() {
            let parsed = raw[k].map { $0.isEmpty ? Double.nan : Double($0.trimmingCharacters(in: .whitespaces)) }
            if parsed.allSatisfy({ $0 != nil }) {
                table.set(column.element, .number(parsed.map { $0! }))
            } else {
                table.set(column.element, .text(TextColumn(raw[k])))
            }
        }
    }
}
