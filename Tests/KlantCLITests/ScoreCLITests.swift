import Foundation
import Testing

/// `klant score` end to end: the columns add up, the sidecar describes the table, and every bad
/// input is exit 2 before anything is written.
@Suite struct ScoreCLITests {
    let cli = CLITests()
    static let model = CLITests.packageRoot.appendingPathComponent("models/cdnow-bgnbd.json").path
    static let spend = CLITests.packageRoot.appendingPathComponent("models/cdnow-gamma-gamma.json").path
    static let summary = CLITests.dataset("cdnow_customers_summary_with_transactions.csv")

    func rows(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines[0], Array(lines.dropFirst()))
    }

    func score(_ extra: [String], out: String) throws -> CLITests.Run {
        try cli.klant(["score", "--model", Self.model, "--spend-model", Self.spend, "--summary", Self.summary,
                       "--horizon", "12", "--horizon-unit", "month", "--out", out] + extra)
    }

    @Test func scoresAddUpRowByRowAndTheSidecarDescribesTheTable() throws {
        let dir = try cli.temporaryDirectory()
        let out = dir.appendingPathComponent("scores.csv").path
        let r = try score(["--margin", "0.3", "--cost-per-order", "2", "--discount-rate", "0.1"], out: out)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("value matrix") && r.stdout.contains("of revenue"))
        let (header, rows) = try rows(out)
        #expect(rows.count == 2357)
        func col(_ name: String) -> [Double] { let k = header.firstIndex(of: name)!; return rows.map { Double($0[k])! } }
        let spend = col("expected_average_spend"), det = col("discounted_expected_purchases"), clv = col("clv")
        let expected = col("expected_purchases"), revenue = col("expected_revenue")
        let lower = col("clv_lower"), upper = col("clv_upper")
        for i in rows.indices {
            #expect(abs(clv[i] - (0.3 * spend[i] - 2) * det[i]) <= 1e-12 * max(1, abs(clv[i])))
            #expect(abs(revenue[i] - spend[i] * expected[i]) <= 1e-12 * max(1, revenue[i]))
            #expect(lower[i] <= clv[i] && clv[i] <= upper[i])
            #expect(det[i] < expected[i])   // discounting lowers the count
        }
        let segments = Set(rows.map { $0[header.firstIndex(of: "value_segment")!] })
        #expect(segments.isSubset(of: ["top", "opportunity", "retain", "tolerate"]) && segments.count == 4)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + ".meta.json"))) as! [String: Any]
        #expect(meta["customers"] as? Int == 2357)
        #expect((meta["columns"] as? [String]) == header)
        let matrix = meta["value_matrix"] as! [[String: Any]]
        #expect(matrix.map { $0["customers"] as! Int }.reduce(0, +) == 2357)
        #expect((meta["models"] as! [[String: Any]]).count == 2)
        // The same run as JSON lines holds the same numbers.
        let jsonl = dir.appendingPathComponent("scores.jsonl").path
        #expect(try score(["--margin", "0.3", "--cost-per-order", "2", "--discount-rate", "0.1"], out: jsonl).status == 0)
        let first = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").first!
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as! [String: Any]
        #expect(object["clv"] as? Double == clv[0])
        // Running twice gives the same bytes (no timestamps inside).
        let again = dir.appendingPathComponent("again.csv").path
        #expect(try score(["--margin", "0.3", "--cost-per-order", "2", "--discount-rate", "0.1"], out: again).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: out)))
    }

    @Test func chosenColumnsAreWrittenInTheirOrderWithTheFullRunsValuesAndPicture() throws {
        let dir = try cli.temporaryDirectory()
        let full = dir.appendingPathComponent("full.csv").path, some = dir.appendingPathComponent("some.csv").path
        let money = ["--margin", "0.3", "--discount-rate", "0.1", "--no-intervals"]
        #expect(try score(money, out: full).status == 0)
        let r = try score(money + ["--columns", "value_segment, clv"], out: some)
        #expect(r.status == 0, "\(r.stderr)")
        let (fullHeader, fullRows) = try rows(full), (header, rows) = try rows(some)
        #expect(header == ["customer_id", "value_segment", "clv"])
        let keep = header.map { fullHeader.firstIndex(of: $0)! }
        #expect(rows == fullRows.map { row in keep.map { row[$0] } })
        #expect(r.stdout == (try score(money, out: dir.appendingPathComponent("again.csv").path)).stdout)   // the same picture
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: some + ".meta.json"))) as! [String: Any]
        #expect((meta["columns"] as? [String]) == header)
        #expect(meta["value_matrix"] != nil && meta["profitability"] != nil)
        // Unknown, repeated or id columns: exit 2, the choices named, nothing written.
        for (columns, message) in [("clv,lifetime_value", "Choose from: probability_alive"), ("clv,clv", "listed twice"),
                                   ("customer_id,clv", "always written first"), (" , ", "no column is named")] {
            let bad = dir.appendingPathComponent("bad.csv").path
            let run = try score(money + ["--columns", columns], out: bad)
            #expect(run.status == 2 && run.stderr.contains(message), "\(columns): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: bad))
        }
    }

    @Test func badMoneyAndHorizonOptionsAreExitTwoAndWriteNothing() throws {
        let dir = try cli.temporaryDirectory()
        let out = dir.appendingPathComponent("scores.csv").path
        let cases: [([String], String)] = [
            (["--margin", "1.5"], "between 0 and 1"),
            (["--margin=-0.1"], "--allow-negative-margin"),
            (["--margin", "0.3", "--discount-rate=-1"], "above -1"),
            (["--margin", "0.3", "--cost-per-order=-2"], "cost per order"),
            (["--margin", "0.3", "--horizon", "0"], "between 1 and"),
            (["--margin", "0.3", "--horizon-unit", "fortnight"], "step length"),
            (["--margin", "0.3", "--interval-level", "1.2"], "interval level"),
            ([], "give the margin"),
            (["--margin", "0.3", "--margin-column", "m"], "not both"),
            (["--margin-column", "m"], "customer table"),
        ]
        for (args, message) in cases {
            let r = try score(args, out: out)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(args)")
        }
        #expect(try score(["--margin=-0.1", "--allow-negative-margin"], out: out).status == 0)
    }

    @Test func customerTablesMustMatchTheScoredIdsUnlessTheUserSaysWhatToDo() throws {
        let dir = try cli.temporaryDirectory()
        let out = dir.appendingPathComponent("scores.csv").path
        let table = dir.appendingPathComponent("customers.csv")
        try "customer_id,margin_rate,cac\n1,0.4,10\n2,0.2,5\n".write(to: table, atomically: true, encoding: .utf8)
        let base = ["--customers", table.path, "--customer-id-column", "customer_id", "--margin-column", "margin_rate"]
        let missing = try score(base, out: out)
        #expect(missing.status == 2 && missing.stderr.contains("2355 scored customers are not in the customer table"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let unknown = try score(["--customers", table.path, "--margin-column", "nosuch", "--missing-customers", "zero"], out: out)
        #expect(unknown.status == 2 && unknown.stderr.contains("no column nosuch"), "\(unknown.stderr)")
        let dropped = try score(base + ["--acquisition-cost-column", "cac", "--missing-customers", "drop"], out: out)
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(dropped.stderr.contains("2355 scored customers are not in"))
        #expect(try rows(out).rows.count == 2)
    }

    @Test func aSpendModelWithInfiniteMeanSpendIsRefused() throws {
        let dir = try cli.temporaryDirectory()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.spend))) as! [String: Any]
        json["parameters"] = (json["parameters"] as! [[String: Any]]).map { p in
            var p = p
            if p["name"] as? String == "q" { p["estimate"] = 0.9 }
            return p
        }
        let broken = dir.appendingPathComponent("gg-q-below-1.json")
        try JSONSerialization.data(withJSONObject: json).write(to: broken)
        let out = dir.appendingPathComponent("scores.csv").path
        let r = try cli.klant(["score", "--model", Self.model, "--spend-model", broken.path, "--summary", Self.summary, "--margin", "0.3", "--out", out])
        #expect(r.status == 2 && r.stderr.contains("q = 0.9"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aWriteThatFailsIsAnErrorNamingTheFileAndLeavesTheOldTable() throws {
        // The shell caps the size of files the process may write (ulimit -f, 64 KB) and ignores the
        // signal that cap raises, so writing the table fails with EFBIG early, as on a full disk. The
        // CDNOW customers are repeated to 150,000 rows: more than two of the writer's 65,536-row batches,
        // so the failure is noticed while later batches are formatted. (There, with a labels column in
        // the table, such an error once reached the CLI as a broken value and crashed it.)
        let dir = try cli.temporaryDirectory()
        let rows = try String(contentsOfFile: Self.summary, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let big = dir.appendingPathComponent("big-summary.csv").path
        try (["ID,x,t_x,T,zbar"] + (0..<150_000).map { k in
            let fields = rows[rows.startIndex + k % rows.count].split(separator: ",", maxSplits: 1)
            return "c\(k),\(fields[1])"
        }).joined(separator: "\n").write(toFile: big, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("scores.csv").path
        try "yesterday\n".write(toFile: out, atomically: true, encoding: .utf8)
        guard let klant = CLITests.executable() else { return }
        let command = ["score", "--model", Self.model, "--spend-model", Self.spend, "--summary", big,
                       "--horizon", "12", "--horizon-unit", "month", "--margin", "0.3", "--no-intervals", "--out", out].map { "'\($0)'" }
        let r = try cli.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "trap '' XFSZ; ulimit -f 64; exec '\(klant.path)' \(command.joined(separator: " "))"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("scores.csv") && r.stderr.contains("cannot write"), "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "yesterday\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["big-summary.csv", "scores.csv"])
    }

    @Test func aDailySummaryScoredWithAWeeklyModelIsRefusedNamingBoth() throws {
        let dir = try cli.temporaryDirectory()
        let daily = dir.appendingPathComponent("daily.csv").path
        #expect(try cli.klant(["summarize", CLITests.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2", "--date-column", "3",
                               "--amount-column", "5", "--date-format", "yyyyMMdd", "--unit", "day", "--calibration-end", "1997-09-30",
                               "--out", daily]).status == 0)
        let out = dir.appendingPathComponent("scores.csv").path
        let r = try cli.klant(["score", "--model", Self.model, "--spend-model", Self.spend, "--summary", daily, "--margin", "0.3", "--out", out])
        #expect(r.status == 2 && r.stderr.contains("week") && r.stderr.contains("day"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func contractualScoringOfTheTelcoTableValuesEveryCustomer() throws {
        let dir = try cli.temporaryDirectory()
        let out = dir.appendingPathComponent("telco.csv").path
        let model = CLITests.packageRoot.appendingPathComponent("models/telco-churn.json").path
        let args = ["score", "--model", model, "--data", CLITests.dataset("telco_churn.csv"), "--period-revenue-column", "MonthlyCharges",
                    "--margin", "0.3", "--revenue-column", "TotalCharges", "--horizon", "infinite", "--discount-rate", "0.01",
                    "--discount-period", "month", "--out", out]
        let blank = try cli.klant(args)
        #expect(blank.status == 2 && blank.stderr.contains("TotalCharges") && blank.stderr.contains("--blanks zero"), "\(blank.stderr)")
        let r = try cli.klant(args + ["--blanks", "zero"])
        #expect(r.status == 0, "\(r.stderr)")
        let (header, rows) = try rows(out)
        #expect(rows.count == 7043)
        func col(_ name: String) -> [Double] { let k = header.firstIndex(of: name)!; return rows.map { Double($0[k])! } }
        let p = col("churn_probability"), m = col("expected_average_spend"), clv = col("clv")
        for i in rows.indices {
            let r = 1 - p[i]
            #expect(abs(clv[i] - 0.3 * m[i] * r / (1.01 - r)) <= 1e-9 * clv[i])
        }
    }
}

extension ScoreCLITests {
    @Test func referralKnowledgeAndChannelValueComeFromTheGivenTables() throws {
        let dir = try cli.temporaryDirectory()
        let customers = dir.appendingPathComponent("customers.csv"), referrals = dir.appendingPathComponent("referrals.csv")
        var text = "customer_id,channel,reviews\n"
        for id in 1...2357 { text += "\(id),\(id % 2 == 0 ? "shop" : "web"),\(id % 3)\n" }
        try text.write(to: customers, atomically: true, encoding: .utf8)
        try "customer_id,referred_by\n2,1\n3,1\n5,4\n".write(to: referrals, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("scores.csv").path
        let r = try score(["--margin", "0.3", "--customers", customers.path, "--channel-column", "channel",
                           "--knowledge-values", "reviews=2.5", "--referrals", referrals.path], out: out)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("value by channel"))
        let (header, rows) = try rows(out)
        func col(_ name: String) -> [Double] { let k = header.firstIndex(of: name)!; return rows.map { Double($0[k])! } }
        let ids = rows.map { $0[0] }, clv = col("clv"), referral = col("referral_value"), knowledge = col("knowledge_value"), total = col("total_value")
        let row = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        #expect(abs(referral[row["1"]!] - (clv[row["2"]!] + clv[row["3"]!])) < 1e-9)
        #expect(abs(referral[row["4"]!] - clv[row["5"]!]) < 1e-9)
        #expect(referral[row["2"]!] == 0)
        for i in rows.indices {
            #expect(knowledge[i] == 2.5 * Double(Int(ids[i])! % 3))
            #expect(abs(total[i] - (clv[i] + referral[i] + knowledge[i])) < 1e-9)
        }
        #expect(Set(rows.map { $0[header.firstIndex(of: "channel")!] }) == ["shop", "web"])
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + ".meta.json"))) as! [String: Any]
        let channelRows = (meta["channel_value"] as! [String: Any])["rows"] as! [[String: Any]]
        #expect(channelRows.map { $0["customers"] as! Int }.reduce(0, +) == 2357)
    }
}
