import Foundation
import Testing

/// `klant score` and `klant actions` write into PostgreSQL tables (the server of `scripts/with-postgres.sh`,
/// KLANT_PG_URL) exactly what they write into files: same rows and values, names quoted, values bound,
/// and a hostile cell stays text. Fails, not skips, without the server.
@Suite struct SinkCLITests {
    let cli = CLITests()

    @Test func scoresAndActionListsLandInTablesAsInTheirFiles() throws {
        let url = try CLITests.serverURL()
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = "Sink \(UUID().uuidString.prefix(8))"
        _ = try cli.psql(url, ["CREATE SCHEMA \"\(schema)\""])
        defer { _ = try? cli.psql(url, ["DROP SCHEMA \"\(schema)\" CASCADE"]) }

        // Telco with one hostile id: a SQL fragment must arrive as text, not run.
        let telco = try String(contentsOfFile: CLITests.dataset("telco_churn.csv"), encoding: .utf8)
        let hostile = "x'); DROP TABLE scores; --"
        let customers = dir.appendingPathComponent("telco.csv").path
        try telco.replacingOccurrences(of: "7590-VHVEG,", with: "\"\(hostile)\",").write(toFile: customers, atomically: true, encoding: .utf8)

        let model = CLITests.packageRoot.appendingPathComponent("models/telco-churn.json").path
        let score = ["score", "--model", model, "--data", customers, "--period-revenue-column", "MonthlyCharges", "--margin", "0.3",
                     "--revenue-column", "TotalCharges", "--blanks", "zero", "--horizon", "12"]
        let file = dir.appendingPathComponent("scores.csv").path
        let toFile = try cli.klant(score + ["--out", file])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let table = "\"\(schema)\".\"Scores\""
        let toTable = try cli.klant(score + ["--out", url, "--out-table", table])
        #expect(toTable.status == 0, "\(toTable.stderr)")
        #expect(!FileManager.default.fileExists(atPath: url + ".meta.json"))

        // Same rows and values (CSV text vs the table's text form of double precision).
        let csv = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let clvAt = try #require(header.firstIndex(of: "clv"))
        var fileCLV: [String: Double] = [:]
        for line in csv.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if f.count == header.count { fileCLV[String(f[0])] = Double(f[clvAt]) }
        }
        let rows = try cli.psql(url, ["SELECT customer_id || '|' || clv FROM \(table)"]).split(separator: "\n")
        #expect(rows.count == 7043)
        var worst = 0.0
        for row in rows {
            let parts = row.split(separator: "|")
            guard let clv = Double(parts.last!), let expected = fileCLV[parts.dropLast().joined(separator: "|")] else { continue }
            worst = max(worst, abs(clv - expected) / max(1, abs(expected)))
        }
        #expect(worst <= 1e-9)
        #expect(try cli.psql(url, ["SELECT count(*) FROM \(table) WHERE customer_id = '\(hostile.replacingOccurrences(of: "'", with: "''"))'"])
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let columns = try cli.psql(url, ["SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '\(schema)' AND table_name = 'Scores'"])
        #expect(columns.hasPrefix("customer_id,") && columns.contains(",clv,"))

        // The action list of those scores, into a table, equals its file.
        let catalog = dir.appendingPathComponent("actions.yaml").path
        try """
            campaign: sink
            actions:
              - name: retain
                type: retention
                channel: phone
                cost: 5
                budget: 500
                control-share: 0.1
                eligible: "churn_probability > 0.3"
                response: { rate: 0.3 }
                value: "clv * 0.5"
            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let actions = ["actions", "--scores", file, "--catalog", catalog, "--as-of", "2026-12-01"]
        let listFile = dir.appendingPathComponent("actions.csv").path
        let a1 = try cli.klant(actions + ["--out", listFile])
        #expect(a1.status == 0, "\(a1.stderr)")
        let a2 = try cli.klant(actions + ["--out", url, "--out-table", "\"\(schema)\".next_best"])
        #expect(a2.status == 0, "\(a2.stderr)")
        let fileRows = try String(contentsOfFile: listFile, encoding: .utf8).split(separator: "\n").dropFirst()
        let tableRows = try cli.psql(url, ["SELECT customer_id || ',' || action || ',' || control FROM \"\(schema)\".next_best"]).split(separator: "\n")
        #expect(fileRows.count > 10 && tableRows.count == fileRows.count)
        let fileKeys = Set(fileRows.map { $0.split(separator: ",").prefix(2).joined(separator: ",") })
        #expect(Set(tableRows.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }) == fileKeys)

        // Replacing is atomic and repeatable; a table name without a database URL (or the reverse) is bad usage.
        #expect(try cli.klant(actions + ["--out", url, "--out-table", "\"\(schema)\".next_best"]).status == 0)
        let noTable = try cli.klant(actions + ["--out", url])
        #expect(noTable.status == 2 && noTable.stderr.contains("--out-table"))
        let noURL = try cli.klant(score + ["--out", file, "--out-table", "x"])
        #expect(noURL.status == 2 && noURL.stderr.contains("--out-table is only for a database output"))
    }
}
