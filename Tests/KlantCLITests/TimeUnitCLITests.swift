import Foundation
import Testing

/// Time units end to end: `summarize` records the unit in a sidecar, fits take it from there,
/// and scoring a summary with a model of another unit is an error naming both.
@Suite struct TimeUnitCLITests {
    let cli = CLITests()

    func summarize(_ dir: URL, unit: String) throws -> String {
        let summary = dir.appendingPathComponent("\(unit).csv").path
        let r = try cli.klant(["summarize", CLITests.dataset("CDNOW_sample.txt"), "--no-header", "--customer-column", "2",
                               "--date-column", "3", "--amount-column", "5", "--date-format", "yyyyMMdd", "--unit", unit,
                               "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30", "--out", summary])
        #expect(r.status == 0, "\(r.stderr)")
        return summary
    }

    @Test func aDailySummaryScoredWithAWeeklyModelExitsTwoNamingBoth() throws {
        let dir = try cli.temporaryDirectory()
        let daily = try summarize(dir, unit: "day")
        let sidecar = try String(contentsOfFile: daily + ".meta.json", encoding: .utf8)
        #expect(sidecar.contains("\"time_unit\" : \"day\"") && sidecar.contains("\"calibration_end\" : \"1997-09-30\""))
        let weeklyModel = CLITests.packageRoot.path + "/models/cdnow-bgnbd.json"
        let out = dir.appendingPathComponent("p.csv").path
        for command in [["predict", "--horizon", "52", "--out", out], ["evaluate"]] {
            let r = try cli.klant([command[0], "--model", weeklyModel, "--summary", daily] + command.dropFirst())
            #expect(r.status == 2, "\(command[0]): \(r.stderr)")
            #expect(r.stderr.contains("cdnow-bgnbd.json was fitted in weeks") && r.stderr.contains("day.csv is in days"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aFitTakesTheSummarysUnitAndAConflictingUnitIsRefused() throws {
        let dir = try cli.temporaryDirectory()
        let daily = try summarize(dir, unit: "day")
        let model = dir.appendingPathComponent("daily.json").path
        let f = try cli.klant(["fit", "bgnbd", "--summary", daily, "--out", model])
        #expect(f.status == 0, "\(f.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any]
        #expect(json?["time_unit"] as? String == "day")
        // The daily model scores the daily summary without a word about units.
        let p = try cli.klant(["predict", "--model", model, "--summary", daily, "--horizon", "364", "--out", dir.appendingPathComponent("p.csv").path])
        #expect(p.status == 0 && !p.stderr.contains("sidecar"), "\(p.stderr)")
        let conflict = try cli.klant(["fit", "bgnbd", "--summary", daily, "--unit", "week", "--out", dir.appendingPathComponent("w.json").path])
        #expect(conflict.status == 2 && conflict.stderr.contains("--unit week but the summary is in days"), "\(conflict.stderr)")
    }

    @Test func aSummaryWithoutSidecarTakesTheModelsUnitAndSaysSo() throws {
        let dir = try cli.temporaryDirectory()
        let r = try cli.klant(["predict", "--model", CLITests.packageRoot.path + "/models/cdnow-bgnbd.json",
                               "--summary", CLITests.dataset("cdnow_customers_summary.csv"), "--horizon", "52",
                               "--out", dir.appendingPathComponent("p.csv").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("cdnow_customers_summary.csv has no sidecar") && r.stderr.contains("model's unit (weeks)"), "\(r.stderr)")
    }
}
