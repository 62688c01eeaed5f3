import Foundation
import Testing

/// `klant actions` end to end: the list, the summary, recording, reruns, bad catalogs and rules.
@Suite struct ActionsCLITests {
    let cli = CLITests()

    static let catalog = """
        campaign: cli
        actions:
          - name: call
            type: retention
            channel: phone
            cost: 5
            budget: 2
            control-share: 0.2
            eligible: "churn_probability > 0.3"
            response: { rate: 0.3 }
            value: "clv * 0.5"
          - name: addon
            type: cross-sell
            channel: email
            cost: 0.5
            eligible: "clv > 10"
            response: { rate: 0.1 }
            value: "clv * 0.2"
        contact-policy:
          cool-down: 14 days
        """

    func setUp() throws -> (dir: URL, scores: String, catalog: String) {
        let dir = try cli.temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        var text = "customer_id,churn_probability,clv\n\"=HYPERLINK(\"\"x\"\")\",0.9,500\n"
        for i in 0..<40 { text += "C\(i),\(Double(i % 10) / 10),\(i * 25)\n" }
        try text.write(toFile: scores, atomically: true, encoding: .utf8)
        let catalog = dir.appendingPathComponent("actions.yaml").path
        try Self.catalog.write(toFile: catalog, atomically: true, encoding: .utf8)
        return (dir, scores, catalog)
    }

    @Test func writesTheListPrintsTheSummaryAndRecordsOnce() throws {
        let (dir, scores, catalog) = try setUp()
        let out = dir.appendingPathComponent("actions.csv").path, store = dir.appendingPathComponent("k.sqlite").path
        let args = ["actions", "--scores", scores, "--catalog", catalog, "--store", store, "--as-of", "2026-12-01", "--record", "--out", out]
        let r = try cli.klant(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("shadow price") && r.stdout.contains("call budget (contacts)") && r.stdout.contains("upper bound"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "customer_id,action,type,channel,expected_value,cost,response_probability,value,control,campaign_id,as_of,reason")
        #expect(lines.filter { $0.contains(",call,") }.count == 2)
        // The hostile id is neutralised for spreadsheets.
        #expect(lines.contains { $0.hasPrefix("\"'=HYPERLINK") || $0.hasPrefix("'=HYPERLINK") })
        #expect(r.stderr.contains("recorded \(lines.count - 1) contacts"))
        // Same as-of and campaign: the same list, nothing recorded twice.
        let again = dir.appendingPathComponent("again.csv").path
        let r2 = try cli.klant(Array(args.dropLast()) + [again])
        #expect(r2.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(r2.stderr.contains("already has \(lines.count - 1) contacts recorded"))
        // A week later the cool-down keeps the contacted customers out.
        let later = dir.appendingPathComponent("later.jsonl").path
        let r3 = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--store", store, "--as-of", "2026-12-08", "--out", later])
        #expect(r3.status == 0)
        #expect(r3.stdout.range(of: "contact policy: [1-9][0-9]* eligible customers in cool-down", options: .regularExpression) != nil, "\(r3.stdout)")
        let first = try String(contentsOfFile: later, encoding: .utf8).split(separator: "\n").first ?? ""
        #expect(first.hasPrefix("{\"customer_id\":"))
    }

    @Test func aBadCatalogOrRuleIsExitTwoNamingTheActionAndNothingIsWritten() throws {
        let (dir, scores, catalog) = try setUp()
        let out = dir.appendingPathComponent("actions.csv").path
        try Self.catalog.replacingOccurrences(of: "name: addon", with: "name: call").write(toFile: catalog, atomically: true, encoding: .utf8)
        let dup = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--out", out])
        #expect(dup.status == 2 && dup.stderr.contains("action call") && dup.stderr.contains("used twice"))
        try Self.catalog.replacingOccurrences(of: "clv > 10", with: "clvv > 10").write(toFile: catalog, atomically: true, encoding: .utf8)
        let unknown = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--out", out])
        #expect(unknown.status == 2 && unknown.stderr.contains("action addon, eligible at character 1: unknown column clvv"))
        try Self.catalog.replacingOccurrences(of: "cost: 5", with: "cost: -5").write(toFile: catalog, atomically: true, encoding: .utf8)
        let negative = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--out", out])
        #expect(negative.status == 2 && negative.stderr.contains("cost is negative"))
        let noStore = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "2026-12-01", "--record", "--out", out])
        #expect(noStore.status == 2)
        let badDate = try cli.klant(["actions", "--scores", scores, "--catalog", catalog, "--as-of", "1 Dec", "--out", out])
        #expect(badDate.status == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
