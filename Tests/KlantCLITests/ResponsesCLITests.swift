import Foundation
import Testing

/// Response-model commands end to end: the population of a propensity model (`--where`).
@Suite struct ResponsesCLITests {
    let cli = CLITests()

    @Test func propensityWhereFitsScoresAndEvaluatesThePopulation() throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("security.json").path
        let telco = CLITests.dataset("telco_churn.csv")
        let fit = try cli.klant(["fit", "propensity", "--data", telco, "--where", "InternetService != 'No'", "--target", "OnlineSecurity",
                                 "--positive", "Yes", "--id", "customerID", "--exclude", "Churn,TotalCharges,InternetService",
                                 "--l2", "1", "--drop-collinear", "--holdout", "0.3", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("population: InternetService != 'No' (5517 of 7043 rows)"))
        #expect(fit.stdout.contains("OnlineSecurity = Yes:") && !fit.stdout.contains("churners"))

        let evaluation = try cli.klant(["evaluate", "--model", model, "--data", telco])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        #expect(evaluation.stdout.contains("rows where InternetService != 'No': 5517 of 7043"))
        #expect(evaluation.stdout.contains("rows: 5517, OnlineSecurity = Yes: 2019"))

        let scores = dir.appendingPathComponent("scores.csv").path
        let predict = try cli.klant(["predict", "--model", model, "--data", telco, "--where", "OnlineSecurity == 'No'", "--out", scores])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "customerID,propensity")
        #expect(lines.count - 1 == 3498)   // Telco: 3,498 customers with internet service and no OnlineSecurity
    }

    @Test func actionsOfferAPropensityModelsProductOnlyWithinItsPopulation() throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let telco = CLITests.dataset("telco_churn.csv")
        let model = dir.appendingPathComponent("security.json").path
        let fit = try cli.klant(["fit", "propensity", "--data", telco, "--where", "InternetService != 'No'", "--target", "OnlineSecurity",
                                 "--positive", "Yes", "--id", "customerID", "--exclude", "Churn,TotalCharges,InternetService",
                                 "--l2", "1", "--drop-collinear", "--out", model])
        #expect(fit.status == 0, "\(fit.stderr)")
        let scores = dir.appendingPathComponent("scores.csv").path
        let churn = CLITests.packageRoot.appendingPathComponent("models/telco-churn.json").path
        let score = try cli.klant(["score", "--model", churn, "--data", telco, "--period-revenue-column", "MonthlyCharges", "--margin", "0.3",
                                   "--revenue-column", "TotalCharges", "--blanks", "zero", "--horizon", "12", "--out", scores])
        #expect(score.status == 0, "\(score.stderr)")
        let catalog = dir.appendingPathComponent("actions.yaml").path
        try """
            campaign: security
            actions:
              - name: security
                type: cross-sell
                channel: email
                cost: 0.1
                eligible: "OnlineSecurity == 'No' or OnlineSecurity == 'No internet service'"
                response: { model: \(model) }
                value: "60"
            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("actions.csv").path
        let run = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--customers", telco, "--customer-id-column", "customerID",
                                 "--as-of", "2026-12-01", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let offered = Set(try String(contentsOfFile: out, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) })
        // The rule admits customers without internet service; the model's population leaves them out.
        let table = try String(contentsOfFile: telco, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let withoutInternet = Set(table.filter { $0[8] == "No" }.map { String($0[0]) })
        let withoutSecurity = Set(table.filter { $0[9] == "No" }.map { String($0[0]) })
        #expect(withoutInternet.count == 1526 && offered.isDisjoint(with: withoutInternet))
        #expect(offered == withoutSecurity)
    }

    @Test func aWhereOnAnUnknownColumnIsBadInputNamingTheColumns() throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m.json").path
        let run = try cli.klant(["fit", "propensity", "--data", CLITests.dataset("telco_churn.csv"), "--where", "Internet != 'No'",
                                 "--target", "OnlineSecurity", "--out", out])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--where at character 1: ") && run.stderr.contains("has no column Internet (did you mean InternetService?)"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let summary = try cli.klant(["fit", "churn", "--summary", "x.csv", "--where", "a > 1", "--out", out])
        #expect(summary.status == 2 && summary.stderr.contains("--where selects rows of a customer table"))
    }

    // MARK: - Dutch exports: ';', decimal comma, thousands point, byte-order mark, CRLF

    /// The CSV text in a Dutch spreadsheet's export style: `;`-separated, decimals as `1.889,50`,
    /// a UTF-8 byte-order mark and CRLF line ends.
    static func dutch(_ csv: String) -> String {
        func number(_ field: Substring) -> String {
            guard field.range(of: #"^-?[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil else { return String(field) }
            let parts = field.split(separator: ".")
            var whole = String(parts[0]), grouped = ""
            let negative = whole.hasPrefix("-")
            if negative { whole.removeFirst() }
            for (k, c) in whole.reversed().enumerated() { if k > 0 && k % 3 == 0 { grouped.append(".") }; grouped.append(c) }
            return (negative ? "-" : "") + String(grouped.reversed()) + "," + parts[1]
        }
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: true)
        return "\u{FEFF}" + lines.map { fields($0).map(number).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The comma-separated fields of one line, quoted fields (`"7) $1,000 +"`) kept whole with their quotes.
    static func fields(_ line: Substring) -> [Substring] {
        var out: [Substring] = [], start = line.startIndex, quoted = false
        for i in line.indices {
            if line[i] == "\"" { quoted.toggle() } else if line[i] == "," && !quoted { out.append(line[start..<i]); start = line.index(after: i) }
        }
        out.append(line[start...])
        return out
    }

    /// The first `rows` data lines of a dataset, plain and as a Dutch export, in `dir`.
    func plainAndDutch(_ name: String, rows: Int, in dir: URL) throws -> (plain: String, dutch: String) {
        let text = try String(contentsOfFile: CLITests.dataset(name), encoding: .utf8)
        let head = text.split(separator: "\n", omittingEmptySubsequences: true).prefix(rows + 1).joined(separator: "\n") + "\n"
        let plain = dir.appendingPathComponent("plain-\(name)").path, dutch = dir.appendingPathComponent("dutch-\(name)").path
        try head.write(toFile: plain, atomically: true, encoding: .utf8)
        try Self.dutch(head).write(toFile: dutch, atomically: true, encoding: .utf8)
        return (plain, dutch)
    }

    static let dutchOptions = ["--delimiter", "semicolon", "--decimal-comma", "--thousands-separator", "."]

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test func upliftAndCampaignEvaluationReadADutchExportAsTheOriginal() throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (plain, dutch) = try plainAndDutch("hillstrom.csv", rows: 6000, in: dir)
        #expect(try String(contentsOfFile: dutch, encoding: .utf8).contains(";1.009,44;"))   // history above 1,000: a thousands point
        let fit = ["fit", "uplift", "--treatment-column", "segment", "--control", "No E-Mail", "--target", "visit", "--positive", "1",
                   "--exclude", "conversion,spend,history_segment"]
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        let r1 = try cli.klant(fit + ["--data", plain, "--out", a])
        let r2 = try cli.klant(fit + ["--data", dutch, "--out", b] + Self.dutchOptions)
        #expect(r1.status == 0 && r2.status == 0, "\(r1.stderr)\(r2.stderr)")
        #expect(NSDictionary(dictionary: try json(a)).value(forKey: "parts") as? NSArray == NSDictionary(dictionary: try json(b)).value(forKey: "parts") as? NSArray)
        // Without the options the decimal comma is an error that suggests them, never a silent misread.
        let bare = try cli.klant(fit + ["--data", dutch, "--out", dir.appendingPathComponent("c.json").path])
        #expect(bare.status == 2 && bare.stderr.contains("--decimal-comma"), "\(bare.stderr)")

        // The uplift model scores and evaluates the Dutch file like the original.
        let p1 = dir.appendingPathComponent("p1.csv").path, p2 = dir.appendingPathComponent("p2.csv").path
        #expect(try cli.klant(["predict", "--model", a, "--data", plain, "--out", p1]).status == 0)
        let pd = try cli.klant(["predict", "--model", a, "--data", dutch, "--out", p2] + Self.dutchOptions)
        #expect(pd.status == 0, "\(pd.stderr)")
        #expect(try String(contentsOfFile: p1, encoding: .utf8) == String(contentsOfFile: p2, encoding: .utf8))

        let campaign = ["evaluate-campaign", "--treatment-column", "segment", "--control", "No E-Mail", "--outcome", "visit,spend"]
        let c1 = dir.appendingPathComponent("c1.csv").path, c2 = dir.appendingPathComponent("c2.csv").path
        let e1 = try cli.klant(campaign + ["--data", plain, "--out", c1])
        let e2 = try cli.klant(campaign + ["--data", dutch, "--out", c2] + Self.dutchOptions)
        #expect(e1.status == 0 && e2.status == 0, "\(e1.stderr)\(e2.stderr)")
        #expect(try String(contentsOfFile: c1, encoding: .utf8) == String(contentsOfFile: c2, encoding: .utf8))
    }

    @Test func propensityScoreAndActionsReadADutchCustomerTableAsTheOriginal() throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (plain, dutch) = try plainAndDutch("telco_churn.csv", rows: 7043, in: dir)
        #expect(try String(contentsOfFile: dutch, encoding: .utf8).contains(";1.889,5;"))
        let fit = ["fit", "propensity", "--where", "InternetService != 'No'", "--target", "OnlineSecurity", "--positive", "Yes",
                   "--id", "customerID", "--exclude", "Churn,InternetService", "--blanks", "impute-zero", "--l2", "1", "--drop-collinear"]
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        let r1 = try cli.klant(fit + ["--data", plain, "--out", a])
        let r2 = try cli.klant(fit + ["--data", dutch, "--out", b] + Self.dutchOptions)
        #expect(r1.status == 0 && r2.status == 0, "\(r1.stderr)\(r2.stderr)")
        let coefficients = { (path: String) in try self.json(path)["coefficients"] as? [[String: Any]] }
        #expect(try coefficients(a)?.map { $0["estimate"] as? Double } == coefficients(b)?.map { $0["estimate"] as? Double })

        // Contractual scores of the Dutch table (money columns with decimal commas and thousands points).
        let model = CLITests.packageRoot.appendingPathComponent("models/telco-churn.json").path
        let score = ["score", "--model", model, "--period-revenue-column", "MonthlyCharges", "--margin", "0.3",
                     "--revenue-column", "TotalCharges", "--blanks", "zero", "--horizon", "12"]
        let s1 = dir.appendingPathComponent("s1.csv").path, s2 = dir.appendingPathComponent("s2.csv").path
        let q1 = try cli.klant(score + ["--data", plain, "--out", s1])
        let q2 = try cli.klant(score + ["--data", dutch, "--out", s2] + Self.dutchOptions)
        #expect(q1.status == 0 && q2.status == 0, "\(q1.stderr)\(q2.stderr)")
        #expect(try String(contentsOfFile: s1, encoding: .utf8) == String(contentsOfFile: s2, encoding: .utf8))

        // Actions whose rules read the customer table's decimal column.
        let catalog = dir.appendingPathComponent("actions.yaml").path
        try """
            campaign: dutch
            actions:
              - name: upgrade
                type: upsell
                channel: email
                cost: 1
                eligible: "MonthlyCharges > 70.5 and Contract == 'Month-to-month'"
                response: { rate: 0.2 }
                value: "MonthlyCharges * 2"
            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let actions = ["actions", "--scores", s1, "--catalog", catalog, "--customer-id-column", "customerID", "--as-of", "2026-12-01"]
        let o1 = dir.appendingPathComponent("o1.csv").path, o2 = dir.appendingPathComponent("o2.csv").path
        let t1 = try cli.klant(actions + ["--customers", plain, "--out", o1])
        let t2 = try cli.klant(actions + ["--customers", dutch, "--out", o2] + Self.dutchOptions)
        #expect(t1.status == 0 && t2.status == 0, "\(t1.stderr)\(t2.stderr)")
        let list = try String(contentsOfFile: o1, encoding: .utf8)
        #expect(list.split(separator: "\n").count > 100)
        #expect(list == (try String(contentsOfFile: o2, encoding: .utf8)))
    }
}
