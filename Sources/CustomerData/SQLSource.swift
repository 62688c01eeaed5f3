/// Where the transactions are for the generated SQL.
public enum SQLSource: Sendable, Equatable {
    /// A table or view, optionally schema-qualified: each part is quoted as one identifier.
    case table([String])
    /// A CSV file read with DuckDB's `read_csv` (header row, every column as text so ids keep leading zeros).
    case duckDBCSV(path: String)
    /// The rows of a query (run as a subquery; trailing semicolons are dropped).
    case query(String)
}
