import Foundation
import Testing

/// `klant predict` end to end: the values it writes (against lifetimes 0.11.3 at the same
/// parameters and the published BG/NBD number), spend and revenue, JSON lines, and its refusals.
@Suite struct PredictCLITests {
    let cli = CLITests()

    /// Fits BG/NBD on the paper's summary and Gamma-Gamma on its repeat buyers, returns both paths.
    func fitCDNOW(_ dir: URL) throws -> (bgnbd: String, spend: String) {
        let bgnbd = dir.appendingPathComponent("bgnbd.json").path, spend = dir.appendingPathComponent("gg.json").path
        let f = try cli.klant(["fit", "bgnbd", "--summary", CLITests.dataset("cdnow_customers_summary.csv"), "--out", bgnbd])
        #expect(f.status == 0, "\(f.stderr)")
        let g = try cli.klant(["fit", "gamma-gamma", "--summary", CLITests.dataset("cdnow_customers_summary_with_transactions.csv"), "--out", spend])
        #expect(g.status == 0, "\(g.stderr)")
        return (bgnbd, spend)
    }

    /// A CSV with a header as rows of named cells.
    func table(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    /// lifetimes' BetaGeoFitter / GammaGammaFitter at our fitted parameters (Tests/KlantCLITests/peers).
    func lifetimesPredictions(bgnbd: String, spend: String, horizon: Double, out: String) throws {
        guard let python = ProcessInfo.processInfo.environment["KLANT_PEER_PYTHON"] else {
            throw CLITestError("KLANT_PEER_PYTHON is not set: run make test (it creates the lifetimes venv and sets it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [CLITests.packageRoot.appendingPathComponent("Tests/KlantCLITests/peers/predict_lifetimes.py").path,
                             bgnbd, spend, CLITests.dataset("cdnow_customers_summary_with_transactions.csv"), String(horizon), out]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLITestError("peer script failed: \(String(decoding: errors, as: UTF8.self))") }
    }

    @Test func predictedValuesMatchLifetimesAndThePaper() throws {
        let dir = try cli.temporaryDirectory()
        let (bgnbd, spend) = try fitCDNOW(dir)
        let out = dir.appendingPathComponent("p.csv").path
        let r = try cli.klant(["predict", "--model", bgnbd, "--spend-model", spend, "--summary",
                               CLITests.dataset("cdnow_customers_summary_with_transactions.csv"), "--horizon", "39", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try table(out)
        #expect(ours.count == 2357)
        // Fader, Hardie & Lee (2005): x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks.
        #expect(ours[0]["customer_id"] == "1" && abs(Double(ours[0]["expected_purchases"]!)! - 1.226) < 5e-4, "\(ours[0])")

        let peerOut = dir.appendingPathComponent("lifetimes.csv").path
        try lifetimesPredictions(bgnbd: bgnbd, spend: spend, horizon: 39, out: peerOut)
        let theirs = try table(peerOut)
        #expect(theirs.count == ours.count)
        // Same formulas at the same parameters: 1e-9 relative (scipy's hyp2f1 vs Klant's series).
        var worst = 0.0
        for (o, t) in zip(ours, theirs) {
            #expect(o["customer_id"] == t["customer_id"])
            for column in ["probability_alive", "expected_purchases", "expected_average_spend", "expected_revenue"] {
                let a = Double(o[column]!)!, b = Double(t[column]!)!
                let difference = abs(a - b) / max(abs(b), 1e-300)
                worst = max(worst, difference)
                #expect(difference <= 1e-9, "customer \(o["customer_id"]!) \(column): klant \(a) lifetimes \(b)")
            }
            #expect(Double(o["expected_revenue"]!)! == Double(o["expected_purchases"]!)! * Double(o["expected_average_spend"]!)!)
        }
        print("predict vs lifetimes 0.11.3 on CDNOW, horizon 39: max relative difference \(worst)")
    }

    @Test func jsonLinesCarryTheSameNumbersAsCSV() throws {
        let dir = try cli.temporaryDirectory()
        let (bgnbd, spend) = try fitCDNOW(dir)
        let common = ["predict", "--model", bgnbd, "--spend-model", spend, "--summary", CLITests.dataset("cdnow_customers_summary_with_transactions.csv"),
                      "--horizon", "52"]
        let csv = dir.appendingPathComponent("p.csv").path, byFlag = dir.appendingPathComponent("p.out").path
        let byExtension = dir.appendingPathComponent("p.jsonl").path
        #expect(try cli.klant(common + ["--out", csv]).status == 0)
        #expect(try cli.klant(common + ["--out", byFlag, "--format", "jsonl"]).status == 0)
        #expect(try cli.klant(common + ["--out", byExtension]).status == 0)
        let rows = try table(csv)
        for path in [byFlag, byExtension] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == rows.count)
            for (line, row) in zip(lines, rows) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["customer_id"] as? String == row["customer_id"] && object.count == 5)
                // Numbers compared as written (JSONSerialization's parse is not round-trip exact on Linux).
                for column in ["probability_alive", "expected_purchases", "expected_average_spend", "expected_revenue"] {
                    let key = line.range(of: "\"\(column)\":")
                    let value = key.map { line[$0.upperBound...].prefix { $0 != "," && $0 != "}" } }
                    #expect(value.flatMap { Double($0) } == Double(row[column]!), "\(column) in \(line)")
                }
            }
        }
        let bad = try cli.klant(common + ["--out", dir.appendingPathComponent("x").path, "--format", "xlsx"])
        #expect(bad.status == 2 && bad.stderr.contains("--format must be csv or jsonl"), "\(bad.stderr)")
    }

    @Test func churnScoresCarryTheLibrarysProbabilities() throws {
        let dir = try cli.temporaryDirectory()
        let model = dir.appendingPathComponent("telco.json").path
        #expect(try cli.klant(["fit", "churn", "--data", CLITests.dataset("telco_churn.csv"), "--target", "Churn", "--positive", "Yes",
                               "--id", "customerID", "--exclude", "TotalCharges", "--l2", "1.0", "--out", model]).status == 0)
        let out = dir.appendingPathComponent("scores.csv").path
        #expect(try cli.klant(["predict", "--model", model, "--data", CLITests.dataset("telco_churn.csv"), "--out", out]).status == 0)
        let rows = try table(out)
        #expect(rows.count == 7043 && rows[0]["customerID"] == "7590-VHVEG")
        // The logistic function of the stored coefficients at the first customer's encoded row.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        let coefficients = Dictionary(uniqueKeysWithValues: (json["coefficients"] as! [[String: Any]]).map { ($0["name"] as! String, $0["estimate"] as! Double) })
        let first = try String(contentsOfFile: CLITests.dataset("telco_churn.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = first[0].split(separator: ",").map(String.init), values = first[1].split(separator: ",").map(String.init)
        let row = Dictionary(uniqueKeysWithValues: zip(header, values))
        var eta = coefficients["intercept"]!
        for (name, beta) in coefficients where name != "intercept" {
            if let raw = row[name] {   // numeric or Yes/No column
                eta += beta * (Double(raw) ?? (raw == "Yes" ? 1 : 0))
            } else if let cut = name.lastIndex(of: "_"), row[String(name[..<cut])] == String(name[name.index(after: cut)...]) {
                eta += beta   // the dummy of this customer's level
            }
        }
        let p = Double(rows[0]["churn_probability"]!)!
        #expect(abs(p - 1 / (1 + exp(-eta))) <= 1e-12, "\(p) vs \(1 / (1 + exp(-eta)))")
    }

    @Test func wrongModelsAndNonFinitePredictionsAreRefusedBeforeWriting() throws {
        let dir = try cli.temporaryDirectory()
        let (bgnbd, spend) = try fitCDNOW(dir)
        let summary = CLITests.dataset("cdnow_customers_summary_with_transactions.csv")
        let out = dir.appendingPathComponent("p.csv").path
        let swapped = try cli.klant(["predict", "--model", bgnbd, "--spend-model", bgnbd, "--summary", summary, "--horizon", "39", "--out", out])
        #expect(swapped.status == 2 && swapped.stderr.contains("does not hold a gamma-gamma spend model"), "\(swapped.stderr)")
        let spendAsModel = try cli.klant(["predict", "--model", spend, "--summary", summary, "--horizon", "39", "--out", out])
        #expect(spendAsModel.status == 2 && spendAsModel.stderr.contains("a gamma-gamma model goes with --spend-model"), "\(spendAsModel.stderr)")
        // A spend model with q <= 1 has no finite mean spend.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spend))) as? [String: Any])
        json["parameters"] = (json["parameters"] as! [[String: Any]]).map { p in
            var p = p
            if p["name"] as? String == "q" { p["estimate"] = 0.8 }
            return p
        }
        let infinite = dir.appendingPathComponent("gg-q.json")
        try JSONSerialization.data(withJSONObject: json).write(to: infinite)
        let q = try cli.klant(["predict", "--model", bgnbd, "--spend-model", infinite.path, "--summary", summary, "--horizon", "39", "--out", out])
        #expect(q.status == 2 && q.stderr.contains("q = 0.8 <= 1"), "\(q.stderr)")
        // A horizon beyond the formulas' domain: an error naming a customer, not NaN in the file.
        let far = try cli.klant(["predict", "--model", bgnbd, "--summary", summary, "--horizon", "1e300", "--out", out])
        #expect(far.status == 2 && far.stderr.contains("not a finite number") && far.stderr.contains("customer "), "\(far.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
