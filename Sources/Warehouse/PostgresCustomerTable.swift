import CustomerData
import PostgresNIO

/// A customer table (one row per customer, e.g. for churn scoring) read from PostgreSQL into
/// `CustomerData.CustomerTable`, the form a CSV file is read into: every column as text (NULL as a blank,
/// numbers in PostgreSQL's text form), so the consumer types the columns exactly as for a file.
/// Rows are numbered from 1 in the messages ("line" in `CustomerTable` terms).
public enum PostgresCustomerTable {
    public static func read(_ relation: WarehouseRelation, on connection: WarehouseConnection) async throws -> CustomerTable {
        let source = PostgresTransactions.label(relation, connection)
        let columns = try await connection.columns(of: relation, source: source)
        let select = columns.map { "CAST(\(WarehouseSQL.quoteIdentifier($0.name)) AS TEXT)" }.joined(separator: ", ")
        var values = [[String]](repeating: [], count: columns.count)
        var rowNumbers: [Int] = []
        let action = "reading the \(relation)"
        let rows = try await connection.query("SELECT \(select) FROM \(relation.from)", action: action)
        do {
            for try await row in rows {
                for (j, cell) in row.enumerated() { values[j].append(text(cell) ?? "") }
                rowNumbers.append(rowNumbers.count + 1)
            }
        } catch {
            throw WarehouseError.wrap(error, location: connection.location, action: action)
        }
        return try CustomerTable(columnNames: columns.map(\.name), columns: values, lineNumbers: rowNumbers, source: source)
    }
}
