import CustomerData
import Foundation
import Testing
@testable import Warehouse

/// The throwaway server `scripts/with-postgres.sh` starts for the test run (`make test` does). Tests that
/// need it fail, not skip, when it is missing, so CI cannot pass without having checked PostgreSQL.
enum TestServer {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "KLANT_PG_URL is not set: run the tests beside a server, e.g. `bash scripts/with-postgres.sh swift test --filter WarehouseTests` (make test does this)"
        }
    }

    /// The superuser location (trusted on loopback).
    static func location() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["KLANT_PG_URL"] else { throw Missing() }
        return try PostgresLocation(parsing: url)
    }

    /// A role that must give a password, and that password.
    static func passwordRole() throws -> (location: PostgresLocation, password: String) {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["KLANT_PG_PASSWORD_URL"], let password = env["KLANT_PG_PASSWORD"] else { throw Missing() }
        return (try PostgresLocation(parsing: url), password)
    }

    /// No password from the test process's own environment or home: lookups see only what a test gives.
    static let noPasswords = PasswordLookup(environment: ["HOME": "/nonexistent"])

    /// Runs `body` connected to the server inside a fresh schema of its own (dropped afterwards), so tests
    /// running in parallel never see each other's tables.
    static func withSchema<T>(_ body: (WarehouseConnection, String) async throws -> T) async throws -> T {
        try await WarehouseConnection.with(try location(), passwords: noPasswords) { connection in
            let schema = "klant test \(UUID().uuidString.prefix(8))"
            try await connection.execute("CREATE SCHEMA \(WarehouseSQL.quoteIdentifier(schema))", action: "creating the test schema")
            do {
                let result = try await body(connection, schema)
                try await connection.execute("DROP SCHEMA \(WarehouseSQL.quoteIdentifier(schema)) CASCADE", action: "dropping the test schema")
                return result
            } catch {
                try? await connection.execute("DROP SCHEMA \(WarehouseSQL.quoteIdentifier(schema)) CASCADE", action: "dropping the test schema")
                throw error
            }
        }
    }

    /// The CDNOW master rows as cells (customer id, yyyyMMdd date and amount, all as text), in file order.
    static func cdnowRows() throws -> [[CSVCell]] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("datasets/CDNOW_master.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return [.text(f[0]), .text(f[1]), .text(f[3])]
        }
    }

    static var cdnowFile: URL { packageRoot.appendingPathComponent("datasets/CDNOW_master.txt") }
}

extension WarehouseConnection {
    /// The first column of every row as text (test-side reader).
    func strings(_ sql: String) async throws -> [String?] {
        var out: [String?] = []
        for try await row in try await query(sql, action: "test query") { out.append(text(row.makeRandomAccess()[0])) }
        return out
    }
}
