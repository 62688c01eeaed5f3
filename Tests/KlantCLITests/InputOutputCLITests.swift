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
