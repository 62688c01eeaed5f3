import CustomerData
import Foundation

/// Where an export goes: a file (CSV or JSON lines through `CustomerData.TableWriter`, `-` for standard
/// output) or a PostgreSQL table (`--out postgresql://... --out-table NAME`, replaced atomically by
/// `PostgresTableSink`). Commands that export (`summarize`, `predict`, `score`, `actions`) build one from
/// their `--out` / `--out-table` options and hand it the header and rows.
public enum TableDestination: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation, QualifiedName)

    /// From the command's options: a `postgresql://` URL needs a table name, and a table name needs a URL.
    public init(out: String, outTable: String?) throws {
        if PostgresLocation.isLocation(out) {
            guard let outTable else {
                throw WarehouseError.badName("--out \(out) is a database: the table to write is missing",
                                             remedy: "add --out-table NAME (or schema.table)")
            }
            self = .postgres(try PostgresLocation(parsing: out), try QualifiedName(parsing: outTable))
        } else {
            if outTable != nil {
                throw WarehouseError.badName("--out-table is only for a database output",
                                             remedy: "give --out postgresql://user@host:port/database with --out-table, or drop --out-table")
            }
            self = .file(out)
        }
    }

    public var description: String {
        switch self {
        case .file(let path): return path == "-" ? "standard output" : path
        case let .postgres(location, table): return "\(location) table \(table)"
        }
    }

    /// Writes the table (atomically in both cases) and returns the number of rows. Blocks: call it from
    /// synchronous code; async callers use `PostgresTableSink.replace` directly. A file's rows are
    /// dropped once written and `beforeCommit` runs before the file is published: a caller that gave
    /// the rows' last reference can free their memory there while the commit runs (`BackgroundRelease`).
    /// A database table streams its rows inside the transaction, so there it runs after the commit.
    @discardableResult
    public func write(header: [String], rows: consuming some Sequence<[CSVCell]>, format: TableFormat? = nil,
                      warn: @escaping (String) -> Void = { _ in }, beforeCommit: () -> Void = {}) throws -> Int {
        switch self {
        case .file(let path):
            let writer = try TableWriter(path: path, header: header, format: format)
            try writer.append(contentsOf: consume rows)
            beforeCommit()
            try writer.commit()
            return writer.rowCount
        case let .postgres(location, table):
            // The rows are consumed on the task's thread while this one waits: they stream, never copied whole.
            let streamed = rows
            let count = try runBlocking {
                try await WarehouseConnection.with(location, warn: warn) { connection in
                    try await PostgresTableSink.replace(table, columns: header, rows: streamed, on: connection)
                }
            }
            beforeCommit()
            return count
        }
    }
}
