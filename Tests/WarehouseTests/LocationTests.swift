import CustomerData
import Foundation
import PostgresNIO
import Testing
@testable import Warehouse

/// URL, name and password-file handling, and the COPY encoding: no server needed.
@Suite struct LocationTests {
    @Test func parsesUserHostPortDatabaseAndSSLMode() throws {
        let l = try PostgresLocation(parsing: "postgresql://analyst@db.example.com:6543/shop?sslmode=require")
        #expect(l == PostgresLocation(user: "analyst", host: "db.example.com", port: 6543, database: "shop", tls: .require))
        let d = try PostgresLocation(parsing: "postgres://me@localhost/sales", environment: [:])
        #expect(d.port == 5432 && d.database == "sales" && d.tls == .prefer)
        let socket = try PostgresLocation(parsing: "postgresql://me@%2Fvar%2Frun%2Fpostgresql/shop")
        #expect(socket.isUnixSocket && socket.host == "/var/run/postgresql")
        let v6 = try PostgresLocation(parsing: "postgresql://me@[::1]:5433/shop")
        #expect(v6.host == "::1" && v6.port == 5433)
        #expect(try PostgresLocation(parsing: "postgresql://localhost/", environment: ["PGUSER": "etl"]).user == "etl")
    }

    @Test func refusesAPasswordInTheURLWithoutRepeatingIt() {
        do {
            _ = try PostgresLocation(parsing: "postgresql://analyst:hunter2@localhost:5432/shop")
            Issue.record("a password in the URL was accepted")
        } catch let error as WarehouseError {
            #expect(error.isBadInput)
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("PGPASSWORD"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func refusesBadPortsParametersAndSchemes() {
        for bad in ["postgresql://me@host:0/db", "postgresql://me@host:port/db", "postgresql://me@host/db?password=x",
                    "postgresql://me@host/db?sslmode=maybe", "mysql://me@host/db"] {
            #expect(throws: WarehouseError.self, "\(bad)") { try PostgresLocation(parsing: bad) }
        }
    }

    @Test func descriptionShowsNoSecretAndRoundTrips() throws {
        let l = try PostgresLocation(parsing: "postgresql://analyst@db:5433/shop?sslmode=disable")
        #expect(l.description == "postgresql://analyst@db:5433/shop?sslmode=disable")
        #expect(try PostgresLocation(parsing: l.description) == l)
    }

    @Test func passwordComesFromPGPASSWORDThenThePasswordFile() throws {
        let l = PostgresLocation(user: "etl", host: "db", port: 5432, database: "shop")
        var env = PasswordLookup(environment: ["PGPASSWORD": "from-env", "HOME": "/nonexistent"])
        #expect(env.password(for: l) == "from-env")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("pgpass").path
        try """
            # comment
            other:5432:shop:etl:wrong
            db:5432:shop:someone:wrong
            db:*:shop:etl:pa\\:ss\\\\word
            *:*:*:*:fallback
            """.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        var lookup = PasswordLookup(environment: ["PGPASSFILE": file])
        #expect(lookup.password(for: l) == "pa:ss\\word")
        #expect(lookup.password(for: PostgresLocation(user: "x", host: "y", database: "z")) == "fallback")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        var open = PasswordLookup(environment: ["PGPASSFILE": file])
        #expect(open.password(for: l) == nil)
        #expect(open.warnings.first?.contains("chmod 0600") == true)
    }

    @Test func tableNamesParseWithQuotesAndSchemas() throws {
        #expect(try QualifiedName(parsing: "orders") == QualifiedName(name: "orders"))
        #expect(try QualifiedName(parsing: "sales.orders") == QualifiedName(schema: "sales", name: "orders"))
        #expect(try QualifiedName(parsing: "\"Sales Data\".\"my.table\"") == QualifiedName(schema: "Sales Data", name: "my.table"))
        let hostile = try QualifiedName(parsing: "\"x\"\"; DROP TABLE y; --\"")
        #expect(hostile.name == "x\"; DROP TABLE y; --")
        #expect(hostile.sql == "\"x\"\"; DROP TABLE y; --\"")
        for bad in ["a.b.c", "\"open", "\"a\"b", "", String(repeating: "x", count: 64)] {
            #expect(throws: WarehouseError.self, "\(bad)") { try QualifiedName(parsing: bad) }
        }
    }

    @Test func copyTextEscapesEverythingSpecial() throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        let location = PostgresLocation(user: "u", host: "h", database: "d")
        try CopyText.append([.text("a\\b\tc\nd\re"), .empty, .text(""), .text("\\N"), .number(.infinity), .number(-0.5), .integer(-7)],
                            to: &buffer, row: 1, columns: ["a", "b", "c", "d", "e", "f", "g"], location: location)
        #expect(String(buffer: buffer) == "a\\\\b\\tc\\nd\\re\t\\N\t\t\\\\N\tInfinity\t-0.5\t-7\n")
        #expect(throws: WarehouseError.self) {
            try CopyText.append([.text("nul\u{0}")], to: &buffer, row: 2, columns: ["a"], location: location)
        }
    }

    @Test func aFileDestinationRunsBeforeCommitAfterItsRowsAndBeforeTheFileAppears() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-destination-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scores.csv").path
        var sawTemporaryFileOnly = false
        let rows = try TableDestination.file(path).write(header: ["customer_id", "clv"], rows: [[.text("a"), .number(1.5)], [.text("b"), .number(2)]]) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            sawTemporaryFileOnly = !FileManager.default.fileExists(atPath: path) && names.count == 1 && names[0].hasSuffix(".tmp")
        }
        #expect(rows == 2)
        #expect(sawTemporaryFileOnly)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "customer_id,clv\na,1.5\nb,2.0\n")
    }

    @Test func destinationNeedsATableForADatabaseAndOnlyThen() throws {
        #expect(try TableDestination(out: "scores.csv", outTable: nil) == .file("scores.csv"))
        #expect(try TableDestination(out: "postgresql://me@db/shop", outTable: "crm.scores")
                == .postgres(PostgresLocation(user: "me", host: "db", database: "shop"), QualifiedName(schema: "crm", name: "scores")))
        #expect(throws: WarehouseError.self) { try TableDestination(out: "postgresql://me@db/shop", outTable: nil) }
        #expect(throws: WarehouseError.self) { try TableDestination(out: "scores.csv", outTable: "scores") }
    }
}
