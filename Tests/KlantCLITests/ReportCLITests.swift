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

    @Test func reportWithTheTransactionLogDrawsTheTrackingCharts() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("r.html").path
        let log = ["--transactions", Self.dataset("CDNOW_master.txt"), "--customer-column", "customer_id", "--date-column", "date",
                   "--amount-column", "dollar_value", "--date-format", "yyyyMMdd", "--observation-end", "1998-06-30"]
        let model = Self.packageRoot.appendingPathComponent("models/cdnow-bgnbd.json").path
        let run = try klant(["report", "--model", model, "--html", out] + log + ["--calibration-end", "1997-09-30"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: URL(fileURLWithPath: out), encoding: .utf8)
        #expect(html.contains("id=\"cdnow-bgnbd-tracking-cumulative\"") && html.contains("id=\"cdnow-bgnbd-tracking-weekly\""))
        #expect(html.contains("repeat purchases after calibration, actual") && html.contains("calibration end"))
        // Without a calibration end the whole log is one period: no holdout numbers, no marker.
        let whole = try klant(["report", "--model", model, "--html", out] + log)
        #expect(whole.status == 0, "\(whole.stderr)")
        let page = try String(contentsOf: URL(fileURLWithPath: out), encoding: .utf8)
        #expect(page.contains("id=\"cdnow-bgnbd-tracking-cumulative\"") && !page.contains("repeat purchases after calibration"))
    }

    @Test func actionsWritesItsSidecarAndTheReportShowsBudgetsAndTheCampaign() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path, catalog = dir.appendingPathComponent("actions.yaml").path
        var text = "customer_id,churn_probability,clv\n"
        for i in 0..<60 { text += "C\(i),\(Double(i % 10) / 10),\(i * 25)\n" }
        try text.write(toFile: scores, atomically: true, encoding: .utf8)
        try ActionsCLITests.catalog.write(toFile: catalog, atomically: true, encoding: .utf8)
        let list = dir.appendingPathComponent("actions.csv").path
        let actions = try klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--out", list])
        #expect(actions.status == 0, "\(actions.stderr)")
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: list + ".meta.json"))) as? [String: Any])
        #expect((meta["limits"] as? [[String: Any]])?.first?["name"] as? String == "call budget (contacts)")
        #expect(meta["rows"] as? Int == (try String(contentsOfFile: list, encoding: .utf8)).split(separator: "\n").count - 1)
        // To standard output: the list only, no sidecar named "-.meta.json".
        let piped = try klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--out", "-"])
        #expect(piped.status == 0 && !FileManager.default.fileExists(atPath: "-.meta.json"))

        let campaign = dir.appendingPathComponent("campaign.csv").path
        let evaluation = try klant(["evaluate-campaign", "--data", Self.dataset("hillstrom.csv"), "--treatment-column", "segment",
                                    "--control", "No E-Mail", "--outcome", "visit", "--out", campaign])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let out = dir.appendingPathComponent("r.html").path
        let run = try klant(["report", "--actions", list, "--campaign", campaign, "--html", out])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: URL(fileURLWithPath: out), encoding: .utf8)
        #expect(html.contains("id=\"actions-budget-use\"") && html.contains("id=\"actions-shadow-prices\"") && html.contains("id=\"campaign-visit-uplift\""))

        // A campaign table without the evaluation's columns: exit 2 naming the file and the column.
        let bad = dir.appendingPathComponent("bad.csv").path
        try "treatment,outcome\nA,visit\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try klant(["report", "--campaign", bad, "--html", dir.appendingPathComponent("bad.html").path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("bad.csv") && refused.stderr.contains("measure"))
    }
}
