import CustomerData
import Foundation
import PostgresNIO

/// Writes an export (column names and `CSVCell` rows, the rows `CustomerData.TableWriter` takes) into a
/// PostgreSQL table, replacing the table atomically: in one transaction the rows are loaded into a new
/// table (COPY, streamed in chunks), the old table is dropped and the new one renamed to its name. Readers
/// see the old table until the commit; if anything fails (a bad row, a lost connection, a view that depends
/// on the old table) the transaction is rolled back and the old table is left exactly as it was.
///
/// Column types follow the cells: whole numbers `bigint`, other numbers `double precision` (non-finite
/// values as Infinity/NaN), text `text`, empty cells NULL; a column whose later cells do not fit its type is
/// widened (bigint → double precision → text) before those rows are loaded. Identifiers are quoted; values
/// travel as COPY data, never as SQL. The new table has no grants, indexes or comments of the old one.
public enum PostgresTableSink {
    /// Rows looked at before the table is created, to choose column types.
    static let typeSampleRows = 1000
    /// COPY data is sent in chunks of about this many bytes.
    static let chunkBytes = 1 << 18

    /// Replaces `table` with `rows` under `columns`; returns the number of rows written.
    @discardableResult
    public static func replace(_ table: QualifiedName, columns: [String], rows: some Sequence<[CSVCell]>,
                               on connection: WarehouseConnection) async throws -> Int {
        try checkColumns(columns)
        var iterator = rows.makeIterator()
        var sample: [[CSVCell]] = []
        while sample.count < typeSampleRows, let row = iterator.next() { sample.append(row) }
        // Columns still blank after the sample start at the narrowest type, so later cells can widen them.
        var types = [ColumnType](repeating: .bigint, count: columns.count)
        var blank = [Bool](repeating: true, count: columns.count)
        for j in columns.indices {
            if let type = sample.reduce(ColumnType?.none, { ColumnType.widened($0, $1.count > j ? $1[j] : .empty) }) {
                types[j] = type
                blank[j] = false
            }
        }
        try await connection.execute("BEGIN", action: "starting the transaction")
        do {
            let count = try await load(table, columns: columns, types: &types, blank: &blank, sample: sample, rest: &iterator, on: connection)
            try await connection.execute("COMMIT", action: "committing the new \(table)")
            return count
        } catch {
            try? await connection.execute("ROLLBACK", action: "rolling back")
            throw error
        }
    }

    /// Inside the transaction: create the load table, COPY every row (widening columns as needed), swap.
    private static func load<I: IteratorProtocol<[CSVCell]>>(_ table: QualifiedName, columns: [String], types: inout [ColumnType],
                                                            blank: inout [Bool], sample: [[CSVCell]], rest: inout I,
                                                            on connection: WarehouseConnection) async throws -> Int {
        let schema = try await targetSchema(table, on: connection)
        let loadName = "klant_load_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let loadTable = try QualifiedName(schema: schema, name: loadName)
        let definitions = zip(columns, types).map { "\(WarehouseSQL.quoteIdentifier($0)) \($1.rawValue)" }
        try await connection.execute("CREATE TABLE \(loadTable.sql) (\(definitions.joined(separator: ", ")))",
                                     action: "creating the load table for \(table)")
        // COPY names its table unqualified: point this transaction's search_path at the schema (a bound value).
        var binds = PostgresBindings()
        binds.append(WarehouseSQL.quoteIdentifier(schema))
        try await connection.execute("SELECT pg_catalog.set_config('search_path', $1, true)", binds: binds,
                                     action: "selecting the schema \(schema)")
        /// Changes column types of the load table (its rows so far are converted by the server).
        func widenColumns(_ widen: [(Int, ColumnType)]) async throws {
            for (j, wider) in widen {
                let column = WarehouseSQL.quoteIdentifier(columns[j])
                try await connection.execute("ALTER TABLE \(loadTable.sql) ALTER COLUMN \(column) TYPE \(wider.rawValue) USING CAST(\(column) AS \(wider.rawValue))",
                                             action: "widening column \(column) to \(wider.rawValue)")
                types[j] = wider
            }
        }
        var rowNumber = 0
        var sampleIndex = 0
        var held: [CSVCell]? = nil
        func nextRow() -> [CSVCell]? {
            if let row = held { held = nil; return row }
            if sampleIndex < sample.count { sampleIndex += 1; return sample[sampleIndex - 1] }
            return rest.next()
        }
        while true {
            var widen: [(Int, ColumnType)] = []
            do {
                try await connection.connection.copyFrom(table: loadName, logger: connection.logger) { writer in
                    var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 4096)
                    while let row = nextRow() {
                        guard row.count == columns.count else {
                            throw WarehouseError(kind: .badData, location: connection.location.description,
                                                 problem: "row \(rowNumber + 1) has \(row.count) cells for \(columns.count) columns",
                                                 remedy: "give every row one cell per column")
                        }
                        widen = zip(row, types).enumerated().compactMap { j, pair in
                            let wider = ColumnType.widened(pair.1, pair.0)
                            return wider == pair.1 ? nil : (j, wider!)
                        }
                        if !widen.isEmpty { held = row; break }
                        for (j, cell) in row.enumerated() where blank[j] && cell != .empty { blank[j] = false }
                        rowNumber += 1
                        try CopyText.append(row, to: &buffer, row: rowNumber, columns: columns, location: connection.location)
                        if buffer.readableBytes >= chunkBytes {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            } catch let error as WarehouseError {
                throw error
            } catch {
                throw WarehouseError.wrap(error, location: connection.location, action: "loading rows into \(table)")
            }
            guard !widen.isEmpty else { break }
            try await widenColumns(widen)
        }
        // A column blank throughout is text, the type that says least.
        try await widenColumns(columns.indices.filter { blank[$0] && types[$0] != .text }.map { ($0, .text) })
        try await connection.execute("DROP TABLE IF EXISTS \(table.sql)", action: "dropping the old \(table)")
        try await connection.execute("ALTER TABLE \(loadTable.sql) RENAME TO \(WarehouseSQL.quoteIdentifier(table.name))",
                                     action: "renaming the new table to \(table)")
        return rowNumber
    }

    /// The schema the table is in (or will be created in): the given one, else the existing table's, else
    /// the first schema of the search path.
    private static func targetSchema(_ table: QualifiedName, on connection: WarehouseConnection) async throws -> String {
        if let schema = table.schema { return schema }
        var binds = PostgresBindings()
        binds.append(table.sql)
        let sql = """
            SELECT COALESCE((SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.oid = pg_catalog.to_regclass($1)), pg_catalog.current_schema())
            """
        let rows = try await connection.query(sql, binds: binds, action: "finding the schema of \(table)")
        var schema: String?
        for try await row in rows { schema = try row.decode(String?.self) }
        guard let schema else {
            throw WarehouseError(kind: .badName, location: connection.location.description,
                                 problem: "no schema to create \(table) in (the search path names no existing schema)",
                                 remedy: "give the table as schema.table")
        }
        return schema
    }

    static func checkColumns(_ columns: [String]) throws {
        guard !columns.isEmpty else { throw WarehouseError.badName("the table has no columns", remedy: "give at least one column") }
        var seen = Set<String>()
        for name in columns {
            try QualifiedName.check(name, "column")
            guard seen.insert(name).inserted else {
                throw WarehouseError.badName("the column name \(WarehouseSQL.quoteIdentifier(name)) appears twice", remedy: "give each column its own name")
            }
        }
    }
}

/// A column type of an exported table, from narrowest to widest.
enum ColumnType: String, Comparable {
    case bigint = "bigint"
    case double = "double precision"
    case text = "text"

    private var rank: Int { self == .bigint ? 0 : self == .double ? 1 : 2 }
    static func < (a: ColumnType, b: ColumnType) -> Bool { a.rank < b.rank }

    /// The narrowest type holding both what `current` holds and `cell` (nil: nothing seen yet).
    static func widened(_ current: ColumnType?, _ cell: CSVCell) -> ColumnType? {
        let needed: ColumnType?
        switch cell {
        case .empty: needed = nil
        case .integer: needed = .bigint
        case .number: needed = .double
        case .text: needed = .text
        }
        guard let needed else { return current }
        guard let current else { return needed }
        return max(current, needed)
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes for `\`, tab, LF and CR.
enum CopyText {
    static func append(_ row: [CSVCell], to buffer: inout ByteBuffer, row rowNumber: Int, columns: [String],
                       location: PostgresLocation) throws {
        for (j, cell) in row.enumerated() {
            if j > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch cell {
            case .empty: buffer.writeStaticString("\\N")
            case .integer(let k): buffer.writeString(String(k))
            case .number(let x): buffer.writeString(number(x))
            case .text(let s):
                guard !s.utf8.contains(0) else {
                    throw WarehouseError(kind: .badData, location: location.description,
                                         problem: "row \(rowNumber), column \(WarehouseSQL.quoteIdentifier(columns[j])): the text contains a NUL character, which PostgreSQL cannot store",
                                         remedy: "remove NUL characters from the data")
                }
                escape(s, into: &buffer)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Shortest round-trip form; PostgreSQL's spelling of the non-finite values.
    static func number(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        return x.description
    }

    static func escape(_ s: String, into buffer: inout ByteBuffer) {
        guard s.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else {
            buffer.writeString(s)
            return
        }
        for byte in s.utf8 {
            switch byte {
            case 92: buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
