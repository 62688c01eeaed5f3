import CustomerData
import Foundation
import PostgresNIO
import Testing
@testable import Warehouse

/// Exports written to PostgreSQL: exact round trips with hostile names and values, atomic replacement,
/// and passwords only from the environment or the password file.
@Suite struct SinkTests {
    static let hostileColumns = ["customer_id", "we\"ird \"\" col", "drop table x; --", "ünï cödé", "a.b", "Mixed Case", "n"]
    static let hostileRows: [[CSVCell]] = [
        [.text("'); DROP TABLE t; --"), .number(0.1), .integer(Int.max), .text("tab\there"), .empty, .text("=cmd|' /C calc'!A0"), .integer(1)],
        [.text("back\\slash \\N"), .number(-.infinity), .integer(Int.min), .text("line\nbreak\r\nCRLF"), .text(""), .text("\"quoted\""), .integer(2)],
        [.text("😀 émoji"), .number(.nan), .empty, .text("\\."), .text("NULL"), .text("  spaces  "), .integer(3)],
        [.text(""), .number(.leastNonzeroMagnitude), .integer(0), .empty, .text("\\N"), .empty, .integer(4)],
    ]

    /// The table's rows as cells, typed from the column types the sink chose, ordered by column "n".
    static func readBack(_ table: QualifiedName, _ connection: WarehouseConnection) async throws -> [[CSVCell]] {
        var out: [[CSVCell]] = []
        for try await row in try await connection.query("SELECT * FROM \(table.sql) ORDER BY \"n\"", action: "reading back") {
            out.append(try row.map { cell -> CSVCell in
                guard cell.bytes != nil else { return .empty }
                switch cell.dataType {
                case .int8: return .integer(try cell.decode(Int.self))
                case .float8: return .number(try cell.decode(Double.self))
                default: return .text(try cell.decode(String.self))
                }
            })
        }
        return out
    }

    /// Equality with NaN equal to itself.
    static func same(_ a: [[CSVCell]], _ b: [[CSVCell]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ra, rb in
            ra.count == rb.count && zip(ra, rb).allSatisfy { x, y in
                if case .number(let p) = x, case .number(let q) = y, p.isNaN && q.isNaN { return true }
                return x == y
            }
        }
    }

    @Test func hostileNamesAndValuesRoundTripExactly() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "scores\"; DROP SCHEMA public; --")
            let written = try await PostgresTableSink.replace(table, columns: Self.hostileColumns, rows: Self.hostileRows, on: connection)
            #expect(written == Self.hostileRows.count)
            let back = try await Self.readBack(table, connection)
            #expect(Self.same(back, Self.hostileRows), "\(back)")
            let names = try await connection.strings("""
                SELECT column_name FROM information_schema.columns WHERE table_schema = \(WarehouseSQL.quoteLiteral(schema))
                AND table_name = \(WarehouseSQL.quoteLiteral(table.name)) ORDER BY ordinal_position
                """)
            #expect(names == Self.hostileColumns)
            #expect(try await connection.strings("SELECT count(*)::text FROM pg_namespace WHERE nspname = 'public'") == ["1"])
        }
    }

    @Test func replacingSwapsTheWholeTableAndLeavesNoLoadTable() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "scores")
            try await PostgresTableSink.replace(table, columns: ["id", "p"], rows: (1...5000).map { [.text("c\($0)"), .number(Double($0) / 7)] }, on: connection)
            try await PostgresTableSink.replace(table, columns: ["id", "p", "segment"], rows: [[.text("only"), .number(0.5), .text("top")]], on: connection)
            #expect(try await connection.strings("SELECT id || ',' || p || ',' || segment FROM \(table.sql)") == ["only,0.5,top"])
            #expect(try await loadTables(connection, schema) == 0)
        }
    }

    @Test func aFailedLoadLeavesTheOldTable() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "scores")
            let old: [[CSVCell]] = [[.text("a"), .number(0.25)], [.text("b"), .number(0.75)]]
            try await PostgresTableSink.replace(table, columns: ["id", "p"], rows: old, on: connection)
            let oldText = try await connection.strings("SELECT id || '=' || p FROM \(table.sql) ORDER BY id")

            // A bad row deep in the stream (after several COPY chunks were sent): NUL in a text cell.
            let many = (0..<40_000).lazy.map { i -> [CSVCell] in [.text(i == 39_999 ? "bad\u{0}" : "x\(i)"), .number(Double(i))] }
            await #expect(throws: WarehouseError.self) {
                try await PostgresTableSink.replace(table, columns: ["id", "p"], rows: many, on: connection)
            }
            #expect(try await connection.strings("SELECT id || '=' || p FROM \(table.sql) ORDER BY id") == oldText)

            // A row of the wrong width.
            await #expect(throws: WarehouseError.self) {
                try await PostgresTableSink.replace(table, columns: ["id", "p"], rows: [[.text("x"), .number(1)], [.text("y")]], on: connection)
            }
            // The server refusing the swap: a view depends on the old table.
            try await connection.execute("CREATE VIEW \(WarehouseSQL.quoteIdentifier(schema)).v AS SELECT * FROM \(table.sql)", action: "view")
            do {
                try await PostgresTableSink.replace(table, columns: ["id", "p"], rows: [[.text("new"), .number(1)]], on: connection)
                Issue.record("the swap succeeded despite a dependent view")
            } catch let error as WarehouseError {
                #expect(error.sqlState == "2BP01")
                #expect(error.description.contains("dropping the old"))
            }
            #expect(try await connection.strings("SELECT id || '=' || p FROM \(table.sql) ORDER BY id") == oldText)
            #expect(try await loadTables(connection, schema) == 0)
            // The connection is usable after the rollback.
            #expect(try await connection.strings("SELECT 'ok'") == ["ok"])
        }
    }

    @Test func columnsWidenWhenLaterCellsDoNotFit() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "mixed")
            var rows: [[CSVCell]] = (1...PostgresTableSink.typeSampleRows).map { [.integer($0), .integer($0), .empty, .integer($0), .empty] }
            rows.append([.number(2.5), .text("n/a"), .number(1), .integer(999_999), .empty])
            try await PostgresTableSink.replace(table, columns: ["a", "b", "c", "n", "blank"], rows: rows, on: connection)
            let types = try await connection.strings("""
                SELECT data_type FROM information_schema.columns WHERE table_schema = \(WarehouseSQL.quoteLiteral(schema))
                AND table_name = 'mixed' ORDER BY ordinal_position
                """)
            #expect(types == ["double precision", "text", "double precision", "bigint", "text"])
            #expect(try await connection.strings("SELECT a::text || '|' || b FROM \(table.sql) WHERE n IN (7, 999999) ORDER BY n") == ["7|7", "2.5|n/a"])
        }
    }

    @Test func badColumnNamesAreRefusedBeforeAnythingIsWritten() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "t")
            for columns in [["a", "a"], ["a", ""], [String(repeating: "c", count: 64)], []] {
                await #expect(throws: WarehouseError.self) {
                    try await PostgresTableSink.replace(table, columns: columns, rows: [[CSVCell]](), on: connection)
                }
            }
            #expect(try await connection.strings("SELECT count(*)::text FROM pg_tables WHERE schemaname = \(WarehouseSQL.quoteLiteral(schema))") == ["0"])
        }
    }

    @Test func passwordsComeFromTheEnvironmentOrThePasswordFile() async throws {
        let (location, password) = try TestServer.passwordRole()
        // From PGPASSWORD.
        let user = try await WarehouseConnection.with(location, passwords: PasswordLookup(environment: ["PGPASSWORD": password, "HOME": "/nonexistent"])) {
            try await $0.strings("SELECT current_user")
        }
        #expect(user == ["klant_pw"])
        // From a password file (PGPASSFILE), mode 0600.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("klant-pgpass-\(UUID().uuidString)").path
        try "127.0.0.1:\(location.port):\(location.database):klant_pw:\(password.replacingOccurrences(of: ":", with: "\\:"))\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let viaFile = try await WarehouseConnection.with(location, passwords: PasswordLookup(environment: ["PGPASSFILE": file])) {
            try await $0.strings("SELECT current_user")
        }
        #expect(viaFile == ["klant_pw"])
        // None, or a wrong one: an authentication error that says where a password goes and never shows one.
        for lookup in [TestServer.noPasswords, PasswordLookup(environment: ["PGPASSWORD": "wrong-\(password)"])] {
            do {
                _ = try await WarehouseConnection.with(location, passwords: lookup) { _ in 0 }
                Issue.record("connected without the right password")
            } catch let error as WarehouseError {
                #expect(error.kind == .authentication, "\(error)")
                #expect(error.description.contains("PGPASSWORD"))
                #expect(!error.description.contains(password))
                #expect(!error.isBadInput)
            }
        }
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        let location = PostgresLocation(user: "klant", host: "127.0.0.1", port: 1, database: "postgres", tls: .disable)
        do {
            _ = try await WarehouseConnection.with(location, passwords: TestServer.noPasswords) { _ in 0 }
            Issue.record("connected to port 1")
        } catch let error as WarehouseError {
            #expect(error.kind == .connection)
            #expect(error.description.contains("postgresql://klant@127.0.0.1:1/postgres"))
        }
    }

    func loadTables(_ connection: WarehouseConnection, _ schema: String) async throws -> Int {
        Int(try await connection.strings("""
            SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(WarehouseSQL.quoteLiteral(schema)) AND c.relname LIKE 'klant\\_load\\_%'
            """)[0]!)!
    }
}
