import Foundation
import PostgresNIO

/// A problem reaching or using the database. Messages name the location (never a password), what was being
/// done, the server's own message with its SQLSTATE, and what to do. `isBadInput` separates what the user
/// can fix in the command (a bad URL, name, table, column or query: exit code 2) from failures (exit code 1).
public struct WarehouseError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case badLocation, badName, connection, authentication, server, badData
    }

    public var kind: Kind
    /// The database (as `PostgresLocation.description`), when known.
    public var location: String?
    public var problem: String
    public var remedy: String
    /// The server's SQLSTATE (e.g. 42P01 for an unknown table), when the server reported the problem.
    public var sqlState: String?

    public init(kind: Kind, location: String? = nil, problem: String, remedy: String, sqlState: String? = nil) {
        self.kind = kind
        self.location = location
        self.problem = problem
        self.remedy = remedy
        self.sqlState = sqlState
    }

    static func badLocation(_ problem: String, remedy: String) -> WarehouseError {
        WarehouseError(kind: .badLocation, problem: problem, remedy: remedy)
    }

    static func badName(_ problem: String, remedy: String) -> WarehouseError {
        WarehouseError(kind: .badName, problem: problem, remedy: remedy)
    }

    /// Bad usage or input (exit code 2): the URL, a name, a missing table or column, a query that does not
    /// parse, data the server refuses. Connection and authentication problems are failures (exit code 1).
    public var isBadInput: Bool {
        switch kind {
        case .badLocation, .badName, .badData: return true
        case .connection, .authentication: return false
        case .server:
            // SQLSTATE classes 22 (data exception), 23 (constraint), 42 (syntax, unknown object, privilege).
            return sqlState.map { $0.hasPrefix("22") || $0.hasPrefix("23") || $0.hasPrefix("42") } ?? false
        }
    }

    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        let state = sqlState.map { " (SQLSTATE \($0))" } ?? ""
        return "\(prefix)\(problem)\(state). \(remedy)"
    }

    public var errorDescription: String? { description }

    /// The error of a failed database operation in Klant's terms; `action` says what was being done
    /// ("reading table \"orders\""). Other errors (e.g. `InputError` from a row) pass through unchanged.
    static func wrap(_ error: any Error, location: PostgresLocation, action: String) -> any Error {
        guard let psql = error as? PSQLError else { return error }
        let where_ = location.description
        if psql.code == .server, let info = psql.serverInfo {
            let state = info[.sqlState]
            var problem = "\(action): \(info[.message] ?? "the server reported an error")"
            if let detail = info[.detail] { problem += " (\(detail))" }
            var remedy = info[.hint].map { "\($0)." } ?? ""
            if state?.hasPrefix("28") == true {
                remedy += (remedy.isEmpty ? "" : " ") + passwordRemedy
                return WarehouseError(kind: .authentication, location: where_, problem: problem, remedy: remedy, sqlState: state)
            }
            if remedy.isEmpty { remedy = remedyFor(state) }
            return WarehouseError(kind: .server, location: where_, problem: problem, remedy: remedy, sqlState: state)
        }
        switch psql.code {
        case .authMechanismRequiresPassword:
            return WarehouseError(kind: .authentication, location: where_,
                                  problem: "\(action): the server asks for a password and none is configured", remedy: passwordRemedy)
        case .sslUnsupported:
            return WarehouseError(kind: .connection, location: where_, problem: "\(action): the server does not support TLS",
                                  remedy: "use sslmode=prefer or sslmode=disable in the URL, or enable TLS on the server")
        default:
            let reason = psql.underlying.map { String(describing: $0) } ?? psql.code.description
            return WarehouseError(kind: .connection, location: where_, problem: "\(action): \(reason)",
                                  remedy: "check that the server runs and accepts connections at this host and port (pg_isready -h HOST -p PORT)")
        }
    }

    static let passwordRemedy = "Give the password in the environment (PGPASSWORD) or in ~/.pgpass (host:port:database:user:password, mode 0600); never in the URL or an argument"

    private static func remedyFor(_ state: String?) -> String {
        switch state {
        case "42P01": return "check the table name (schema-qualify it as schema.table; names are case-sensitive)"
        case "42703": return "check the column names (they are case-sensitive in the database)"
        case "42601": return "check the query's syntax"
        case "42501": return "ask for the privilege, or use a role that has it"
        case "3F000": return "check the schema name"
        default: return "see the server's message"
        }
    }
}
