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

    @Test func upliftScoresAndRecommendationsLandInTablesAsInTheirFiles() throws {
        let url = try CLITests.serverURL()
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = "Responses \(UUID().uuidString.prefix(8))"
        _ = try cli.psql(url, ["CREATE SCHEMA \"\(schema)\""])
        defer { _ = try? cli.psql(url, ["DROP SCHEMA \"\(schema)\" CASCADE"]) }

        let hillstrom = try String(contentsOfFile: CLITests.dataset("hillstrom.csv"), encoding: .utf8)
        let data = dir.appendingPathComponent("h.csv").path
        try (hillstrom.split(separator: "\n").prefix(3001).joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("u.json").path
        let fit = try cli.klant(["fit", "uplift", "--data", data, "--treatment-column", "segment", "--control", "No E-Mail", "--target", "visit",
                                 "--positive", "1", "--exclude", "conversion,spend,history_segment", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        let file = dir.appendingPathComponent("u.csv").path
        #expect(try cli.klant(["predict", "--model", model, "--data", data, "--out", file]).status == 0)
        let toTable = try cli.klant(["predict", "--model", model, "--data", data, "--out", url, "--out-table", "\"\(schema)\".\"Uplift\""])
        #expect(toTable.status == 0, "\(toTable.stderr)")
        let sum = { (values: [Double]) in values.reduce(0, +) }
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let at = try #require(lines[0].split(separator: ",").firstIndex(of: "uplift_Womens E-Mail"))
        let fileColumn = lines.dropFirst().map { Double($0.split(separator: ",")[at])! }
        let tableColumn = try cli.psql(url, ["SELECT \"uplift_Womens E-Mail\" FROM \"\(schema)\".\"Uplift\""]).split(separator: "\n").map { Double($0)! }
        #expect(tableColumn.count == 3000 && abs(sum(tableColumn) - sum(fileColumn)) <= 1e-9 * max(1, abs(sum(fileColumn))))

        let log = dir.appendingPathComponent("log.csv").path
        try """
            InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID
            1,x,1,2011-01-01 10:00,a
            1,y,2,2011-01-01 10:00,a
            2,x,1,2011-01-02 09:00,b
            2,y,1,2011-01-02 09:00,b
            2,z,1,2011-01-02 09:00,b
            3,y,1,2011-01-03 09:00,c
            3,z,1,2011-01-03 09:00,c
            3,w,1,2011-01-03 09:00,c
            4,x,1,2011-01-04 09:00,d
            4,w,1,2011-01-04 09:00,d

            """.write(toFile: log, atomically: true, encoding: .utf8)
        let columns = ["--transactions", log, "--customer-column", "CustomerID", "--item-column", "StockCode", "--date-column", "InvoiceDate",
                       "--quantity-column", "Quantity", "--invoice-column", "InvoiceNo"]
        let cs = dir.appendingPathComponent("cs.json").path
        #expect(try cli.klant(["fit", "cross-sell", "--neighbours", "3", "--out", cs] + columns).status == 0)
        let recommended = try cli.klant(["predict", "--model", cs, "--top", "2", "--out", url, "--out-table", "\"\(schema)\".recs"] + columns)
        #expect(recommended.status == 0, "\(recommended.stderr)")
        #expect(try cli.psql(url, ["SELECT count(*) || ',' || max(rank) FROM \"\(schema)\".recs"]).trimmingCharacters(in: .whitespacesAndNewlines) == "6,2")   // 4 items: c and b have one unbought item left
    }
}
