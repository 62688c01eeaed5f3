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

/// Standard input, gzip and locale options through the CLI.
@Suite struct LocaleInputCLITests {
    let cli = CLITests()

    /// Runs `klant` with `input` on its standard input (through a shell pipe).
    func klant(_ arguments: [String], stdin input: URL) throws -> CLITests.Run {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var dir = binDirectory
        var candidates = [binDirectory.appendingPathComponent("klant").path]
        for _ in 0..<4 { dir = dir.deletingLastPathComponent(); candidates.append(dir.appendingPathComponent("klant").path) }
        let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) })
        return try cli.klant(["--version"]).status == 0
            ? runShell("'\(executable)' \(quoted) < '\(input.path)'") : CLITests.Run(status: -1, stdout: "", stderr: "")
    }

    func runShell(_ command: String) throws -> CLITests.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func aGzipDutchExportOnStandardInputGivesTheSummaryOfThePlainFile() throws {
        let dir = try cli.temporaryDirectory()
        let plain = dir.appendingPathComponent("plain.csv")
        try "customer_id,date,amount\nA,2024-03-01,12.5\nA,2024-03-15,1234\nB,2024-03-02,7.25\n".write(to: plain, atomically: true, encoding: .utf8)
        let dutch = dir.appendingPathComponent("export.csv")
        try "\u{FEFF}Klant ID;Datum;Bedrag\r\nA;01-03-2024;12,50\r\nA;15-03-2024;1.234,00\r\nB;02-03-2024;7,25\r\n".write(to: dutch, atomically: true, encoding: .utf8)
        #expect(try runShell("gzip -k '\(dutch.path)'").status == 0)
        let expected = try cli.klant(["summarize", plain.path, "--amount-column", "amount", "--unit", "day", "--out", "-"])
        #expect(expected.status == 0)
        let dutchArgs = ["--customer-column", "Klant ID", "--date-column", "Datum", "--amount-column", "Bedrag",
                         "--date-format", "dd-MM-yyyy", "--decimal-comma", "--thousands-separator", ".", "--unit", "day"]
        let piped = try klant(["summarize", "-"] + dutchArgs + ["--out", "-"], stdin: URL(fileURLWithPath: dutch.path + ".gz"))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == expected.stdout)
        let file = try cli.klant(["summarize", dutch.path + ".gz"] + dutchArgs + ["--out", "-"])
        #expect(file.stdout == expected.stdout)
        // Without the number options: exit 2, naming the option.
        let bare = try cli.klant(["summarize", dutch.path, "--customer-column", "Klant ID", "--date-column", "Datum",
                                  "--amount-column", "Bedrag", "--date-format", "dd-MM-yyyy", "--out", "-"])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("export.csv:2") && bare.stderr.contains("--decimal-comma"))
        // The summary itself read from standard input by fit.
        let summary = dir.appendingPathComponent("s.csv")
        try expected.stdout.write(to: summary, atomically: true, encoding: .utf8)
        let fit = try klant(["fit", "gamma-gamma", "--summary", "-", "--out", dir.appendingPathComponent("m.json").path], stdin: summary)
        #expect(!fit.stderr.contains("cannot open"), "\(fit.stderr)")
    }

    @Test func fitChurnReadsADecimalCommaTableWithItsDelimiter() throws {
        let dir = try cli.temporaryDirectory()
        var text = "klant;omzet;opgezegd\n", plain = "klant,omzet,opgezegd\n"
        for i in 0..<120 {
            let amount = Double((i * 37) % 500) + 0.25
            let churned = (i * 7919) % 100 < 20 + Int(amount) / 10 ? "ja" : "nee"
            text += "k\(i);\(String(amount).replacingOccurrences(of: ".", with: ","));\(churned)\n"
            plain += "k\(i),\(amount),\(churned)\n"
        }
        let dutch = dir.appendingPathComponent("nl.csv"), original = dir.appendingPathComponent("plain.csv")
        try text.write(to: dutch, atomically: true, encoding: .utf8)
        try plain.write(to: original, atomically: true, encoding: .utf8)
        let args = ["fit", "churn", "--target", "opgezegd", "--positive", "ja", "--id", "klant"]
        let bare = try cli.klant(args + ["--data", dutch.path, "--out", dir.appendingPathComponent("a.json").path])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("--decimal-comma"))
        let localised = try cli.klant(args + ["--data", dutch.path, "--decimal-comma", "--out", dir.appendingPathComponent("b.json").path])
        let reference = try cli.klant(args + ["--data", original.path, "--out", dir.appendingPathComponent("c.json").path])
        #expect(localised.status == 0, "\(localised.stderr)")
        #expect(localised.stdout.contains("omzet"))
        #expect(localised.stdout == reference.stdout)
    }
}
