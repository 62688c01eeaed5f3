import Foundation
import Testing

/// `klant` against the throwaway PostgreSQL server of `scripts/with-postgres.sh` (KLANT_PG_URL): summaries
/// from a table (streamed and pushed down) equal the file's, exports land in tables, and database mistakes
/// get Klant's exit codes. Fails, not skips, without the server.
extension CLITests {
    struct NoServer: Error, CustomStringConvertible {
        var description: String { "KLANT_PG_URL is not set: run `bash scripts/with-postgres.sh swift test` (make test does)" }
    }

    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["KLANT_PG_URL"] else { throw NoServer() }
        return url
    }

    /// Runs psql against the test server and returns its unaligned output.
    func psql(_ url: String, _ commands: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", String(url.prefix { $0 != "?" }), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"] + commands.flatMap { ["-c", $0] }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql \(commands)")
        return String(decoding: data, as: UTF8.self)
    }

    /// A summary CSV as customer id -> numbers.
    func summaryRows(_ path: String) throws -> [String: [Double]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(uniqueKeysWithValues: lines.map { line in
            let f = line.split(separator: ",")
            return (String(f[0]), f.dropFirst().map { Double($0)! })
        })
    }

    @Test func summariesFromPostgresEqualTheFileAndExportsLandInTables() throws {
        let url = try Self.serverURL()
        let dir = try temporaryDirectory()
        let schema = "cli \(UUID().uuidString.prefix(8))"
        let csv = dir.appendingPathComponent("tx.csv").path
        // CDNOW as CSV with ISO dates, loaded into a table with DATE and NUMERIC columns.
        let master = try String(contentsOfFile: Self.dataset("CDNOW_master.txt"), encoding: .utf8)
        var rows = "customer_id,date,dollar_value\n"
        for line in master.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: " ")
            let d = f[1]
            rows += "\(f[0]),\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2)),\(f[3])\n"
        }
        try rows.write(toFile: csv, atomically: true, encoding: .utf8)
        let table = "\"\(schema)\".transactions"
        _ = try psql(url, ["CREATE SCHEMA \"\(schema)\"",
                           "CREATE TABLE \(table) (customer_id text, date date, dollar_value numeric(10, 2))",
                           "\\copy \(table) FROM '\(csv)' CSV HEADER"])
        defer { _ = try? psql(url, ["DROP SCHEMA \"\(schema)\" CASCADE"]) }

        let periods = ["--customer-column", "customer_id", "--date-column", "date", "--amount-column", "dollar_value", "--unit", "week",
                       "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30"]
        let fromFile = dir.appendingPathComponent("file.csv").path
        let f = try klant(["summarize", Self.dataset("CDNOW_master.txt"), "--date-format", "yyyyMMdd", "--out", fromFile] + periods)
        #expect(f.status == 0, "\(f.stderr)")
        let streamed = dir.appendingPathComponent("streamed.csv").path
        let s = try klant(["summarize", url, "--table", table, "--out", streamed] + periods)
        #expect(s.status == 0, "\(s.stderr)")
        #expect(try summaryRows(streamed) == summaryRows(fromFile))
        let pushed = dir.appendingPathComponent("pushed.csv").path
        let p = try klant(["summarize", url, "--query", "SELECT * FROM \(table)", "--push-down", "--out", pushed] + periods)
        #expect(p.status == 0, "\(p.stderr)")
        let expected = try summaryRows(fromFile), got = try summaryRows(pushed)
        #expect(Set(got.keys) == Set(expected.keys))
        let worst = expected.map { id, row in zip(row, got[id] ?? []).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1 }.max()!
        #expect(worst <= 1e-9)

        // Summary and predictions into tables; a model fitted straight from the table.
        let toTable = try klant(["summarize", url, "--table", table, "--out", url, "--out-table", "\"\(schema)\".\"Summary\""] + periods)
        #expect(toTable.status == 0, "\(toTable.stderr)")
        #expect(try psql(url, ["SELECT count(*) FROM \"\(schema)\".\"Summary\""]).trimmingCharacters(in: .whitespacesAndNewlines) == "23570")
        let model = dir.appendingPathComponent("bgnbd.json").path
        let fit = try klant(["fit", "bgnbd", "--transactions", url, "--table", table, "--out", model] + periods)
        #expect(fit.status == 0, "\(fit.stderr)")
        let predict = try klant(["predict", "--model", model, "--summary", fromFile, "--horizon", "52",
                                 "--out", url, "--out-table", "\"\(schema)\".clv"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let count = try psql(url, ["SELECT count(*) || ',' || round(sum(expected_purchases)::numeric, 6) FROM \"\(schema)\".clv"])
        #expect(count.hasPrefix("23570,"), "\(count)")
    }

    @Test func databaseMistakesGetKlantsExitCodes() throws {
        let url = try Self.serverURL()
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("s.csv").path
        let withPassword = url.replacingOccurrences(of: "klant@", with: "klant:sup3rsecret@")
        let p = try klant(["summarize", withPassword, "--table", "t", "--out", out])
        #expect(p.status == 2)
        #expect(!p.stderr.contains("sup3rsecret"))
        #expect(p.stderr.contains("PGPASSWORD"))
        let missing = try klant(["summarize", url, "--table", "no_such_table", "--out", out])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("42P01"), "\(missing.stderr)")
        let noTable = try klant(["summarize", url, "--out", out])
        #expect(noTable.status == 2)
        let strayTable = try klant(["summarize", Self.dataset("CDNOW_sample.txt"), "--table", "t", "--out", out])
        #expect(strayTable.status == 2)
        let strayOutTable = try klant(["summarize", Self.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2",
                                       "--date-column", "3", "--date-format", "yyyyMMdd", "--out", out, "--out-table", "t"])
        #expect(strayOutTable.status == 2)
        let unreachable = try klant(["summarize", "postgresql://klant@127.0.0.1:1/postgres?sslmode=disable", "--table", "t", "--out", out])
        #expect(unreachable.status == 1, "\(unreachable.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

extension CLITests {
    /// The model's coefficients by name.
    func coefficientsByName(_ path: String) throws -> [String: Double] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let rows = json["coefficients"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0["estimate"] as! Double) })
    }

    /// A score CSV as id -> probability.
    func scores(_ path: String) throws -> [String: Double] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(uniqueKeysWithValues: lines.map { line in
            let f = line.split(separator: ",")
            return (String(f[0]), Double(f[1])!)
        })
    }

    @Test func churnModelTrainsScoresAndEvaluatesOnATableAsOnTheCSV() throws {
        let url = try Self.serverURL()
        let dir = try temporaryDirectory()
        let schema = "churn \(UUID().uuidString.prefix(8))"
        let csv = Self.dataset("telco_churn.csv")
        let header = try String(contentsOfFile: csv, encoding: .utf8).prefix { !$0.isNewline }
        let columns = header.split(separator: ",").map { "\"\($0)\" text" }.joined(separator: ", ")
        let table = "\"\(schema)\".telco"
        _ = try psql(url, ["CREATE SCHEMA \"\(schema)\"", "CREATE TABLE \(table) (\(columns))",
                           "\\copy \(table) FROM '\(csv)' CSV HEADER"])
        defer { _ = try? psql(url, ["DROP SCHEMA \"\(schema)\" CASCADE"]) }

        let options = ["--target", "Churn", "--positive", "Yes", "--id", "customerID", "--exclude", "TotalCharges", "--l2", "1.0"]
        let fromCSV = dir.appendingPathComponent("csv.json").path, fromTable = dir.appendingPathComponent("table.json").path
        let a = try klant(["fit", "churn", "--data", csv, "--out", fromCSV] + options)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try klant(["fit", "churn", "--data", url, "--table", table, "--out", fromTable] + options)
        #expect(b.status == 0, "\(b.stderr)")
        let ca = try coefficientsByName(fromCSV), cb = try coefficientsByName(fromTable)
        #expect(Set(ca.keys) == Set(cb.keys))
        #expect(ca.allSatisfy { name, x in abs(x - (cb[name] ?? .nan)) <= 1e-9 * max(1, abs(x)) }, "\(ca) vs \(cb)")

        let scoresCSV = dir.appendingPathComponent("scores-csv.csv").path, scoresTable = dir.appendingPathComponent("scores-table.csv").path
        #expect(try klant(["predict", "--model", fromCSV, "--data", csv, "--out", scoresCSV]).status == 0)
        let p = try klant(["predict", "--model", fromCSV, "--data", url, "--query", "SELECT * FROM \(table) WHERE \"Contract\" <> 'Two year'",
                           "--out", scoresTable])
        #expect(p.status == 0, "\(p.stderr)")
        let sa = try scores(scoresCSV), sb = try scores(scoresTable)
        #expect(sb.count == 7043 - 1695)   // the two-year contracts left out by the query
        #expect(sb.allSatisfy { id, x in abs(x - (sa[id] ?? .nan)) <= 1e-12 })

        let e = try klant(["evaluate", "--model", fromCSV, "--data", url, "--table", table])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(e.stdout.contains("AUC"))
    }
}
