import CustomerData
import PostgresNIO

/// The rows to read: a table (or view) or the result of a query. The query is the user's own SQL and is
/// run as given, as a subquery; table names are always quoted.
public enum WarehouseRelation: Sendable, Equatable, CustomStringConvertible {
    case table(QualifiedName)
    case query(String)

    /// The same relation for the SQL generator (`WarehouseSQL`).
    public var sqlSource: SQLSource {
        switch self {
        case .table(let name): return .table(name.parts)
        case .query(let sql): return .query(sql)
        }
    }

    /// The FROM item.
    var from: String { WarehouseSQL.fromClause(sqlSource) }

    /// `table "sales"."orders"` or `query`, for messages.
    public var description: String {
        switch self {
        case .table(let name): return "table \(name)"
        case .query: return "query"
        }
    }
}

/// A column of the relation as the server describes it.
struct RelationColumn: Equatable {
    var name: String
    var type: PostgresDataType

    var isDateLike: Bool { type == .date || type == .timestamp || type == .timestamptz }
    var isNumeric: Bool { [.int2, .int4, .int8, .float4, .float8, .numeric, .money].contains(type) }
}

extension WarehouseConnection {
    /// The relation's columns (names and types) from its first row; a relation without rows is an
    /// `InputError` (empty input), as an empty file is.
    func columns(of relation: WarehouseRelation, source: String) async throws -> [RelationColumn] {
        let action = "reading the columns of the \(relation)"
        let rows = try await query("SELECT * FROM \(relation.from) LIMIT 1", action: action)
        do {
            for try await row in rows {
                return row.map { RelationColumn(name: $0.columnName, type: $0.dataType) }
            }
        } catch {
            throw WarehouseError.wrap(error, location: location, action: action)
        }
        throw InputError(kind: .emptyFile, file: source, problem: "the \(relation) has no rows",
                         remedy: "check the table or query, and that the data was loaded")
    }
}

/// Finds a column as a file header is searched: by name (exact, else one case-insensitive match) or by
/// 1-based position; otherwise an `InputError` listing the columns there are.
func resolve(_ column: Column, in columns: [RelationColumn], role: String, source: String) throws -> RelationColumn {
    let names = columns.map(\.name)
    switch column {
    case .number(let k):
        guard k >= 1 && k <= columns.count else {
            throw InputError(kind: .missingColumn, file: source, columnNumber: k,
                             problem: "the \(role) column number \(k) is beyond the \(columns.count) columns (\(names.joined(separator: ", ")))",
                             remedy: "give a column name or a number from 1 to \(columns.count)")
        }
        return columns[k - 1]
    case .name(let name):
        if let exact = columns.first(where: { $0.name == name }) { return exact }
        let folded = columns.filter { $0.name.lowercased() == name.lowercased() }
        if folded.count == 1 { return folded[0] }
        throw InputError(kind: .missingColumn, file: source, columnName: name,
                         problem: "no \(role) column named \"\(name)\"\(folded.count > 1 ? " (several differ only in case)" : ""); the columns are \(names.joined(separator: ", "))",
                         remedy: "name the \(role) column with its option (e.g. --\(role)-column)")
    }
}
