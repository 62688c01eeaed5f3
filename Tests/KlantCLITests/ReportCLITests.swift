import Foundation
import Testing

/// `klant report` end to end: it writes the page and notebook, and bad input is exit 2 naming the file.
extension CLITests {
    @Test func reportWritesThePageAndTheNotebookWithItsDataFolder() throws {
        let dir = try temporaryDirectory()
        let run = try klant(["report", "--model", Self.packageRoot.appendingPathComponent("models/telco-churn.json").path,
                             "--churn-data", Self.dataset("telco_churn.csv"), "--html", dir.appendingPathComponent("r.html").path,
                             "--notebook", dir.appendingPathComponent("nb/telco.ipynb").path, "--title", "Telco"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains("<title>Telco</title>") && html.contains("ROC curve") && !html.contains("<script"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("nb/telco-data/telco-churn-roc.svg").path))
    }

    @Test func reportOnAScoreTableWithoutCLVExitsTwoNamingTheFileAndColumn() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv")
        try "customer_id,probability_alive\nA,0.5\n".write(to: scores, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("r.html")
        let run = try klant(["report", "--scores", scores.path, "--html", out.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("scores.csv") && run.stderr.contains("clv"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func reportWithoutAnOutputIsAUsageError() throws {
        let run = try klant(["report", "--models", Self.packageRoot.appendingPathComponent("models").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--html"))
    }
}
