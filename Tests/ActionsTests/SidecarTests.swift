import CustomerData
import Foundation
import Testing
@testable import Actions

/// The `<out>.meta.json` sidecar says what the action list holds: its counts and money recounted from
/// the written list, each limit's use recounted from it, the arbitration's own shadow prices.
@Suite struct SidecarTests {
    @Test func sidecarCountsMoneyAndLimitUseEqualTheWrittenList() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try PlannerTests().writeScores(600, seed: 11, to: scores)
        let catalog = try PlannerTests().catalog(budget: 40, phone: 60, email: 80, control: 0.2)
        let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: catalog, asOf: try CalendarDay(parsing: "2026-12-01")), store: nil)
        let list = dir.appendingPathComponent("actions.csv").path
        try plan.write(to: list)
        let sidecarPath = try #require(ActionPlan.sidecarPath(forList: list))
        try plan.writeSidecar(to: URL(fileURLWithPath: sidecarPath))
        #expect(ActionPlan.sidecarPath(forList: "-") == nil)

        let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sidecarPath))) as? [String: Any])
        let table = try CustomerTable(contentsOf: URL(fileURLWithPath: list))
        let action = try table.column(named: "action"), channel = try table.column(named: "channel"), control = try table.column(named: "control")
        let value = try table.column(named: "expected_value").map { Double($0)! }, cost = try table.column(named: "cost").map { Double($0)! }
        let rowIndices = 0..<table.rowCount
        #expect(meta["format_version"] as? Int == 1)
        #expect(meta["rows"] as? Int == table.rowCount)
        #expect(meta["control"] as? Int == control.filter { $0 == "true" }.count)
        #expect(meta["customers_scored"] as? Int == 600)
        let actions = try #require(meta["actions"] as? [[String: Any]])
        #expect(actions.map { $0["name"] as? String } == catalog.actions.map(\.name))
        for a in actions {
            let name = a["name"] as! String
            let rows = rowIndices.filter { action[$0] == name }
            let contacted = rows.filter { control[$0] == "false" }
            #expect(a["chosen"] as? Int == rows.count, "\(name)")
            #expect(a["control"] as? Int == rows.count - contacted.count, "\(name)")
            #expect(a["contacted"] as? Int == contacted.count, "\(name)")
            #expect(abs((a["expected_net_value"] as! Double) - contacted.reduce(0) { $0 + value[$1] }) < 1e-9, "\(name)")
            #expect(abs((a["cost"] as! Double) - contacted.reduce(0) { $0 + cost[$1] }) < 1e-9, "\(name)")
            #expect(a["control_share"] as? Double == 0.2)
            #expect((a["eligible"] as! Int) >= (a["positive"] as! Int) && (a["positive"] as! Int) >= rows.count)
        }
        let channels = try #require(meta["channels"] as? [[String: Any]])
        #expect(channels.map { $0["channel"] as? String } == ["email", "phone"])
        for c in channels {
            #expect(c["chosen"] as? Int == channel.filter { $0 == c["channel"] as! String }.count)
        }
        // Limits: use recounted from the list (control rows are chosen, so they count), within capacity.
        let limits = try #require(meta["limits"] as? [[String: Any]])
        #expect(limits.count == plan.limits.count && !limits.isEmpty)
        for (r, l) in limits.enumerated() {
            let usage = plan.limits[r].usage
            let index = Dictionary(uniqueKeysWithValues: catalog.actions.enumerated().map { ($1.name, $0) })
            let recount = rowIndices.reduce(0.0) { total, i in total + usage[index[action[i]]!] }
            #expect(abs((l["used"] as! Double) - recount) < 1e-9, "\(l["name"]!)")
            #expect((l["used"] as! Double) <= (l["capacity"] as! Double) + 1e-9)
        }
        // Exact doubles: read with JSONDecoder (JSONSerialization's reader on Linux can be one ulp off).
        let exact = try JSONDecoder().decode(ExactNumbers.self, from: Data(contentsOf: URL(fileURLWithPath: sidecarPath)))
        #expect(exact.limits.map(\.shadow_price) == plan.assignment.shadowPrices)
        #expect(exact.limits.map(\.used) == plan.assignment.usage)
        #expect(exact.arbitration.value == plan.assignment.value)
        #expect(exact.arbitration.upper_bound == plan.assignment.upperBound)
        #expect(exact.arbitration.greedy_value == plan.assignment.greedyValue)
    }

    struct ExactNumbers: Decodable {
        struct Limit: Decodable { var used: Double; var shadow_price: Double }
        struct Arbitration: Decodable { var value: Double; var upper_bound: Double; var greedy_value: Double }
        var limits: [Limit]
        var arbitration: Arbitration
    }
}
