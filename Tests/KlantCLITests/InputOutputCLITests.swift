import Foundation
import Testing

/// The CLI never overwrites an input, and `-` means standard output.
@Suite struct InputOutputCLITests {
    let cli = CLITests()

    @Test func anOutputEqualToTheInputExitsTwoBeforeReadingAndLeavesTheInputAlone() throws {
        let dir = try cli.temporaryDirectory()
        let input = dir.appendingPathComponent("tx.csv")
        let text = "customer_id,date,amount\nA,2020-01-01,5\nA,2020-02-01,5\n"
        try text.write(to: input, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input.path)
        for args in [["--out", input.path], ["--out", link], ["--out", dir.path + "/s.csv", "--skip-invalid", "--rejects", link]] {
            let r = try cli.klant(["summarize", input.path, "--amount-column", "amount"] + args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("would destroy the input"), "\(r.stderr)")
            #expect(try String(contentsOf: input, encoding: .utf8) == text)
        }
        // The same guard on the model-fitting and scoring commands.
        let summary = dir.appendingPathComponent("s.csv").path
        #expect(try cli.klant(["summarize", input.path, "--amount-column", "amount", "--out", summary]).status == 0)
        let before = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(try cli.klant(["fit", "bgnbd", "--summary", summary, "--out", summary]).status == 2)
        #expect(try cli.klant(["predict", "--model", CLITests.packageRoot.path + "/models/cdnow-bgnbd.json", "--summary", summary,
                               "--horizon", "4", "--out", summary]).status == 2)
        #expect(try String(contentsOfFile: summary, encoding: .utf8) == before)
    }

    @Test func outDashWritesTheSummaryToStandardOutputAndCreatesNoFile() throws {
        let dir = try cli.temporaryDirectory()
        let input = dir.appendingPathComponent("tx.csv")
        try "customer_id,date,amount\nA,2020-01-01,5\nA,2020-01-08,7\nB,2020-01-03,2\n".write(to: input, atomically: true, encoding: .utf8)
        let r = try cli.klant(["summarize", input.path, "--amount-column", "amount", "--unit", "day", "--out", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "customer_id,frequency,recency,T,monetary_value\nA,1.0,7.0,7.0,7.0\nB,0.0,0.0,5.0,0.0\n")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
    }
}

/// Degenerate inputs end with exit 2 and a remedy, not a meaningless model.
@Suite struct DegenerateInputCLITests {
    let cli = CLITests()

    @Test func aSummaryWithoutRepeatBuyersExitsTwoWithoutSuggestingAPenalty() throws {
        let dir = try cli.temporaryDirectory()
        let summary = dir.appendingPathComponent("zeros.csv")
        var text = "customer_id,frequency,recency,T\n"
        for i in 0..<50 { text += "c\(i),0,0,\(30 + i % 5)\n" }
        try text.write(to: summary, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("model.json").path
        for model in ["bgnbd", "pareto-nbd"] {
            let r = try cli.klant(["fit", model, "--summary", summary.path, "--out", out])
            #expect(r.status == 2)
            #expect(r.stderr.contains("none of the 50 customers made a repeat purchase"))
            #expect(!r.stderr.contains("penalizer"))
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func zeroTCustomersAreExplainedAtSummaryTimeAndLeftOutOfTheFit() throws {
        let dir = try cli.temporaryDirectory()
        let input = dir.appendingPathComponent("tx.csv")
        var text = "customer_id,date\n"
        for i in 0..<40 { text += "c\(i),2020-01-\(String(format: "%02d", 1 + i % 20))\nc\(i),2020-02-\(String(format: "%02d", 1 + i % 25))\n" }
        text += "late,2020-03-31\n"
        try text.write(to: input, atomically: true, encoding: .utf8)
        let summary = dir.appendingPathComponent("s.csv").path
        let s = try cli.klant(["summarize", input.path, "--calibration-end", "2020-03-31", "--out", summary])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stderr.contains("1 customers first bought on the calibration end day 2020-03-31, so their T is 0"))
        let f = try cli.klant(["fit", "bgnbd", "--summary", summary, "--out", dir.appendingPathComponent("m.json").path])
        #expect(f.stderr.contains("1 customers with T = 0"), "\(f.stderr)")
        #expect(!f.stderr.contains("pattern"))
    }

    @Test func aFutureDateIsRefusedWithItsLineUnlessAllowed() throws {
        let dir = try cli.temporaryDirectory()
        let input = dir.appendingPathComponent("tx.csv")
        try "customer_id,date\nA,2020-01-01\nA,2020-01-08\nB,2091-01-03\n".write(to: input, atomically: true, encoding: .utf8)
        let r = try cli.klant(["summarize", input.path, "--out", "-"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("tx.csv:4") && r.stderr.contains("2091-01-03") && r.stderr.contains("--allow-future"))
        #expect(try cli.klant(["summarize", input.path, "--allow-future", "--out", "-"]).status == 0)
    }
}
