import Foundation
import Testing

/// End-to-end checks of the `klant` executable: exit codes, messages, atomic outputs, and that the
/// CLI path reproduces the library's published numbers. The binary sits next to the test bundle.
@Suite struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func dataset(_ name: String) -> String { packageRoot.appendingPathComponent("datasets/\(name)").path }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// The `klant` executable next to the test bundle (nil, with an issue recorded, if it is not built).
    static func executable() -> URL? {
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [binDirectory.appendingPathComponent("klant")]
        // The test runner may be inside KlantPackageTests.xctest/...; walk up to the products directory.
        var dir = binDirectory
        for _ in 0..<4 { dir = dir.deletingLastPathComponent(); candidates.append(dir.appendingPathComponent("klant")) }
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            Issue.record("klant executable not found next to the test bundle (\(binDirectory.path)); build the package first")
            return nil
        }
        return executable
    }

    /// Runs `klant` with the arguments and collects its exit code and output.
    func klant(_ arguments: [String]) throws -> Run {
        try run(Self.executable(), arguments)
    }

    /// Runs `executable` (nil: a failed run) with the arguments and collects its exit code and output.
    func run(_ executable: URL?, _ arguments: [String]) throws -> Run {
        guard let executable else { return Run(status: -1, stdout: "", stderr: "") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func sampleSummaryThenFitReproducesThePublishedBGNBD() throws {
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("sample.csv").path
        let s = try klant(["summarize", Self.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2",
                           "--date-column", "3", "--amount-column", "5", "--date-format", "yyyyMMdd", "--unit", "week",
                           "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30", "--out", summary])
        #expect(s.status == 0, "\(s.stderr)")
        let model = dir.appendingPathComponent("bgnbd.json").path
        let f = try klant(["fit", "bgnbd", "--summary", summary, "--out", model])
        #expect(f.status == 0, "\(f.stderr)")
        // Fader, Hardie & Lee (2005): r 0.2426, alpha 4.4137, a 0.7930, b 2.4262, LL -9582.43.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        let params = Dictionary(uniqueKeysWithValues: (json["parameters"] as! [[String: Any]]).map { ($0["name"] as! String, $0["estimate"] as! Double) })
        #expect(abs(params["r"]! - 0.2426) < 0.0005)
        #expect(abs(params["alpha"]! - 4.4137) < 0.005)
        #expect(abs(params["a"]! - 0.7930) < 0.0005)
        #expect(abs(params["b"]! - 2.4262) < 0.005)
        #expect(abs((json["log_likelihood"] as! Double) + 9582.43) < 0.05)   // summary unrounded vs the paper's 2-decimal file
        #expect(f.stdout.contains("converged: yes"))
        let e = try klant(["evaluate", "--model", model, "--summary", summary])
        #expect(e.status == 0)
        #expect(e.stdout.contains("7+"))
    }

    @Test func badDateExitsTwoNamingLineAndColumn() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("tx.csv")
        try "customer_id,date,amount\nA,2020-01-01,5\nA,2020-13-01,5\n".write(to: input, atomically: true, encoding: .utf8)
        let r = try klant(["summarize", input.path, "--amount-column", "amount", "--out", dir.appendingPathComponent("s.csv").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("tx.csv:3"))
        #expect(r.stderr.contains("\"date\""))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.csv").path))
    }

    @Test func fitThatDoesNotConvergeExitsOneAndWritesNothing() throws {
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("zeros.csv")
        // One repeat buyer among 50: the BG/NBD likelihood has no interior maximum.
        var text = "customer_id,frequency,recency,T\n"
        for i in 0..<50 { text += "c\(i),0,0,\(30 + i % 5)\n" }
        try (text + "r,1,30,30\n").write(to: summary, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("model.json").path
        let r = try klant(["fit", "bgnbd", "--summary", summary.path, "--out", out])
        #expect(r.status == 1)
        #expect(r.stderr.contains("did not converge"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func failedRunLeavesYesterdaysOutputIntact() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("model.json")
        try "yesterday".write(to: out, atomically: true, encoding: .utf8)
        let r = try klant(["fit", "bgnbd", "--summary", dir.appendingPathComponent("missing.csv").path, "--out", out.path])
        #expect(r.status == 2)
        #expect(try String(contentsOf: out, encoding: .utf8) == "yesterday")
    }

    @Test func futureModelVersionIsRefused() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("future.json")
        try #"{"format_version": 99, "kind": "bg-nbd"}"#.write(to: model, atomically: true, encoding: .utf8)
        let r = try klant(["predict", "--model", model.path, "--summary", Self.dataset("cdnow_customers_summary.csv"),
                           "--horizon", "10", "--out", dir.appendingPathComponent("p.csv").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("newer than this klant reads"))
    }

    @Test func predictionExportNeutralisesFormulas() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("bgnbd.json").path
        #expect(try klant(["fit", "bgnbd", "--summary", Self.dataset("cdnow_customers_summary.csv"), "--out", model]).status == 0)
        let summary = dir.appendingPathComponent("s.csv")
        try "customer_id,frequency,recency,T\n\"=HYPERLINK(\"\"http://x\"\")\",1,2,3\n".write(to: summary, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("p.csv")
        let r = try klant(["predict", "--model", model, "--summary", summary.path, "--horizon", "10", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[1].hasPrefix("\"'=HYPERLINK("))
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let dir = try temporaryDirectory()
        let r = try klant(["fit", "bgnbd", "--summary", dir.appendingPathComponent("missing.csv").path,
                           "--out", dir.appendingPathComponent("m.json").path, "--log-format", "json"])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one error object expected on stderr, got: \(r.stderr)")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] as? String == "error")
            #expect(object?["exit_code"] as? Int == 2)
            #expect((object?["message"] as? String)?.contains("missing.csv") == true, "\(line)")
        }
    }

    @Test func unknownFlagIsUsageErrorTwo() throws {
        let r = try klant(["fit", "bgnbd", "--no-such-flag"])
        #expect(r.status == 2)
    }

    @Test func churnFitEvaluatePredictOnTelco() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("telco.json").path
        let f = try klant(["fit", "churn", "--data", Self.dataset("telco_churn.csv"), "--target", "Churn", "--positive", "Yes",
                           "--id", "customerID", "--exclude", "TotalCharges", "--l2", "1.0", "--holdout", "0.3", "--out", model])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("AUC"))
        let e = try klant(["evaluate", "--model", model, "--data", Self.dataset("telco_churn.csv")])
        #expect(e.status == 0)
        let out = dir.appendingPathComponent("scores.csv")
        let p = try klant(["predict", "--model", model, "--data", Self.dataset("telco_churn.csv"), "--out", out.path])
        #expect(p.status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8).split(separator: "\n").count == 7044)
    }

    @Test func lassoChurnModelZeroesCoefficientsAndScores() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("lasso.json").path
        let base = ["fit", "churn", "--data", Self.dataset("telco_churn.csv"), "--target", "Churn", "--positive", "Yes",
                    "--id", "customerID", "--exclude", "TotalCharges", "--standardize", "--drop-collinear", "--out", model]
        let f = try klant(base + ["--l1", "20"])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("penalty: L1, lambda1 = 20 (6 of 22 coefficients exactly 0)"), "\(f.stdout.prefix(400))")
        let p = try klant(["predict", "--model", model, "--data", Self.dataset("telco_churn.csv"), "--out", dir.appendingPathComponent("s.csv").path])
        #expect(p.status == 0, "\(p.stderr)")
        let bad = try klant(base + ["--l1=-1"])
        #expect(bad.status == 2 && bad.stderr.contains("L1 penalty"), "\(bad.stderr)")
    }

    @Test func unpenalisedTelcoNamesTheDuplicateDummies() throws {
        let dir = try temporaryDirectory()
        let r = try klant(["fit", "churn", "--data", Self.dataset("telco_churn.csv"), "--target", "Churn", "--id", "customerID",
                           "--exclude", "TotalCharges", "--out", dir.appendingPathComponent("m.json").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("No internet service"))
    }

    @Test func summaryChurnNeedsThePurchaseModelItWasTrainedWith() throws {
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("s.csv").path
        #expect(try klant(["summarize", Self.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2",
                           "--date-column", "3", "--amount-column", "5", "--date-format", "yyyyMMdd",
                           "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30", "--out", summary]).status == 0)
        let bgnbd = dir.appendingPathComponent("bgnbd.json").path
        #expect(try klant(["fit", "bgnbd", "--summary", summary, "--out", bgnbd]).status == 0)
        let churn = dir.appendingPathComponent("churn.json").path
        let f = try klant(["fit", "churn", "--summary", summary, "--purchase-model", bgnbd, "--out", churn])
        #expect(f.status == 0, "\(f.stderr)")
        let e = try klant(["evaluate", "--model", churn, "--summary", summary, "--purchase-model", bgnbd])
        #expect(e.status == 0)
        #expect(e.stdout.contains("1 - P(alive)"))
        let p = try klant(["predict", "--model", churn, "--summary", summary, "--out", dir.appendingPathComponent("p.csv").path])
        #expect(p.status == 2)
        #expect(p.stderr.contains("--purchase-model"))
    }

    /// `--transactions` summarises in memory: the same model as summarise-then-fit, for churn and BG/NBD,
    /// and evaluate/predict take the transactions too.
    @Test func transactionsFormEqualsSummariseThenFit() throws {
        let dir = try temporaryDirectory()
        let layout = ["--no-header", "--customer-column", "2", "--date-column", "3", "--amount-column", "5",
                      "--date-format", "yyyyMMdd", "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30"]
        let sample = Self.dataset("CDNOW_sample.txt")
        let summary = dir.appendingPathComponent("s.csv").path
        #expect(try klant(["summarize", sample] + layout + ["--out", summary]).status == 0)
        func coefficients(_ path: String) throws -> [Double] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            return (json["coefficients"] as! [[String: Any]]).map { $0["estimate"] as! Double }
        }
        let fromSummary = dir.appendingPathComponent("a.json").path, fromTransactions = dir.appendingPathComponent("b.json").path
        #expect(try klant(["fit", "churn", "--summary", summary, "--out", fromSummary]).status == 0)
        let f = try klant(["fit", "churn", "--transactions", sample] + layout + ["--out", fromTransactions])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(try coefficients(fromTransactions) == coefficients(fromSummary))
        let e = try klant(["evaluate", "--model", fromTransactions, "--transactions", sample] + layout)
        #expect(e.status == 0 && e.stdout.contains("AUC"), "\(e.stderr)")
        let scores = dir.appendingPathComponent("scores.csv").path
        let p = try klant(["predict", "--model", fromTransactions, "--transactions", sample] + layout + ["--out", scores])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n").count == 2357 + 1)
        // The repeat-purchase fits take the transactions as well.
        let bgnbd = dir.appendingPathComponent("bgnbd.json").path
        let b = try klant(["fit", "bgnbd", "--transactions", sample] + layout + ["--out", bgnbd])
        #expect(b.status == 0 && b.stdout.contains("converged: yes"), "\(b.stderr)")
        // Both inputs at once, or a bad transaction row, are errors that say what to do.
        let both = try klant(["fit", "churn", "--summary", summary, "--transactions", sample] + layout + ["--out", fromTransactions])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        let bad = dir.appendingPathComponent("bad.txt").path
        try "1 1 19970101 1 10.0\n2 2 1997-13-01 1 5.0\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try klant(["fit", "churn", "--transactions", bad] + layout + ["--out", dir.appendingPathComponent("c.json").path])
        #expect(r.status == 2 && r.stderr.contains("bad.txt:2"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.json").path))
    }

    /// `predict --shard k/N`: the N outputs are disjoint and together equal the unsharded scoring,
    /// for repeat-purchase and churn models; a bad shard is a usage error.
    @Test func shardedScoringAddsUpToTheFullScoring() throws {
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("s.csv").path
        #expect(try klant(["summarize", Self.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2",
                           "--date-column", "3", "--amount-column", "5", "--date-format", "yyyyMMdd",
                           "--calibration-end", "1997-09-30", "--out", summary]).status == 0)
        let bgnbd = dir.appendingPathComponent("bgnbd.json").path
        #expect(try klant(["fit", "bgnbd", "--summary", summary, "--out", bgnbd]).status == 0)
        let churn = dir.appendingPathComponent("churn.json").path
        #expect(try klant(["fit", "churn", "--data", Self.dataset("telco_churn.csv"), "--target", "Churn", "--positive", "Yes",
                           "--id", "customerID", "--exclude", "TotalCharges", "--l2", "1", "--out", churn]).status == 0)
        for (model, input) in [(bgnbd, ["--summary", summary, "--horizon", "52"]), (churn, ["--data", Self.dataset("telco_churn.csv")])] {
            func rows(_ shard: String?) throws -> (header: Substring, rows: [Substring]) {
                let out = dir.appendingPathComponent("p-\(UUID().uuidString).csv").path
                let r = try klant(["predict", "--model", model] + input + ["--out", out] + (shard.map { ["--shard", $0] } ?? []))
                #expect(r.status == 0, "\(r.stderr)")
                let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
                return (lines[0], Array(lines.dropFirst()))
            }
            let full = try rows(nil)
            let shards = try (1...3).map { try rows("\($0)/3") }
            #expect(shards.allSatisfy { $0.header == full.header })
            #expect(shards.allSatisfy { !$0.rows.isEmpty })
            let together = shards.flatMap(\.rows)
            #expect(together.count == full.rows.count)
            #expect(Set(together) == Set(full.rows))
        }
        let bad = try klant(["predict", "--model", bgnbd, "--summary", summary, "--horizon", "52", "--shard", "4/3",
                             "--out", dir.appendingPathComponent("x.csv").path])
        #expect(bad.status == 2 && bad.stderr.contains("--shard k/N"), "\(bad.stderr)")
    }

    @Test func bgbbFromThePatternFileReproducesThePaperAndRejectsBadRows() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("bgbb.json").path
        let f = try klant(["fit", "bgbb", "--patterns", Self.dataset("donations.csv"), "--out", model])
        #expect(f.status == 0, "\(f.stderr)")
        // Fader, Hardie & Shang (2010): LL -33225.58.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        #expect(abs((json["log_likelihood"] as! Double) + 33225.58) < 0.01)
        let bad = dir.appendingPathComponent("bad.csv")
        try "frequency,recency,periods,weights\n1,1,6,10\n2,x,6,3\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try klant(["fit", "bgbb", "--patterns", bad.path, "--out", dir.appendingPathComponent("b.json").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.csv:3") && r.stderr.contains("\"recency\" (2)"))
    }

    @Test func sbgFitsThePaperAndProjects() throws {
        let dir = try temporaryDirectory()
        let r = try klant(["fit", "sbg", "--survivors", Self.dataset("sbg_retention.csv"), "--column", "regular", "--periods", "8",
                           "--out", dir.appendingPathComponent("sbg.json").path])
        #expect(r.status == 0, "\(r.stderr)")
        // Fader & Hardie (2007): alpha 0.704, beta 1.182, LL -1680.27.
        #expect(r.stdout.contains("log-likelihood: -1680.26") || r.stdout.contains("log-likelihood: -1680.27"))
        #expect(r.stdout.contains("projected survivors"))
    }

    @Test func newCustomerForecastMatchesThePaper() throws {
        let dir = try temporaryDirectory()
        let model = dir.appendingPathComponent("bgnbd.json").path
        #expect(try klant(["fit", "bgnbd", "--summary", Self.dataset("cdnow_customers_summary.csv"), "--out", model]).status == 0)
        // Fader, Hardie & Lee (2005): E[X(52)] = 1.4440 for a new customer.
        let r = try klant(["predict", "--model", model, "--new-customer", "--horizon", "52"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("E[X(t)] = 1.444"))
    }
}
