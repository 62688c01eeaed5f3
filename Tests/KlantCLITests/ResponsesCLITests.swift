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
}
