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
            // Totals are the sums of the written cents.
            #expect(abs((a["expected_net_value"] as! Double) - contacted.reduce(0) { $0 + value[$1] }) < 1e-6, "\(name)")
            #expect(abs((a["cost"] as! Double) - contacted.reduce(0) { $0 + cost[$1] }) < 1e-6, "\(name)")
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
            #expect(abs((l["used"] as! Double) - recount) < 0.005 + 1e-9, "\(l["name"]!)")
            #expect((l["used"] as! Double) <= (l["capacity"] as! Double) + 1e-9)
        }
        // Exact doubles: read with JSONDecoder (JSONSerialization's reader on Linux can be one ulp off).
        let exact = try JSONDecoder().decode(ExactNumbers.self, from: Data(contentsOf: URL(fileURLWithPath: sidecarPath)))
        // Money in cents, shadow prices to 4 decimals (as the printed summary).
        #expect(exact.limits.map(\.shadow_price) == plan.assignment.shadowPrices.map { ($0 * 10_000).rounded() / 10_000 })
        #expect(exact.limits.map(\.used) == plan.assignment.usage.map(ActionPlan.cents))
        #expect(exact.arbitration.value == ActionPlan.cents(plan.assignment.value))
        #expect(exact.arbitration.upper_bound == ActionPlan.cents(plan.assignment.upperBound))
        #expect(exact.arbitration.greedy_value == ActionPlan.cents(plan.assignment.greedyValue))
    }

    struct ExactNumbers: Decodable {
        struct Limit: Decodable { var used: Double; var shadow_price: Double }
        struct Arbitration: Decodable { var value: Double; var upper_bound: Double; var greedy_value: Double }
        var limits: [Limit]
        var arbitration: Arbitration
    }

    /// At most two decimals: what a cell or JSON number of money may look like.
    static func isCents(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return Double(text) != nil && parts.count <= 2 && (parts.count == 1 || parts[1].count <= 2) && !text.contains("e")
    }

    @Test func moneyIsWrittenInCentsInTheListAndTheSidecar() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try PlannerTests().writeScores(400, seed: 21, to: scores)
        var catalog = try PlannerTests().catalog(control: 0.2)
        catalog.actions[0].cost = 4.37
        catalog.actions[1].value = "clv * 0.4137"
        let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: catalog, asOf: try CalendarDay(parsing: "2026-12-01")), store: nil)
        #expect(plan.rows.contains { !Self.isCents(String($0.expectedValue)) }, "the test needs values with more than two decimals")
        for format in [TableFormat.csv, .jsonl] {
            let list = dir.appendingPathComponent("actions.\(format.rawValue)").path
            try plan.write(to: list, format: format)
            var cells: [[String: String]] = []
            if format == .csv {
                let table = try CustomerTable(contentsOf: URL(fileURLWithPath: list))
                for i in 0..<table.rowCount {
                    cells.append(Dictionary(uniqueKeysWithValues: try ["expected_value", "cost", "value"].map { ($0, try table.column(named: $0)[i]) }))
                }
            } else {
                for line in try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n") {
                    // The raw JSON number text of each money key.
                    var row: [String: String] = [:]
                    for key in ["expected_value", "cost", "value"] {
                        let after = line.components(separatedBy: "\"\(key)\":")[1]
                        row[key] = String(after.prefix { $0 != "," && $0 != "}" })
                    }
                    cells.append(row)
                }
            }
            #expect(cells.count == plan.rows.count)
            for (row, cell) in zip(plan.rows, cells) {
                for (key, exact) in [("expected_value", row.expectedValue), ("cost", catalog.actions[row.action].cost), ("value", row.value)] {
                    let text = cell[key] ?? ""
                    #expect(Self.isCents(text), "\(format) \(key) \(text)")
                    #expect(abs((Double(text) ?? .nan) - exact) <= 0.005 + 1e-9, "\(format) \(key) \(text) vs \(exact)")
                }
            }
        }
        let sidecar = dir.appendingPathComponent("actions.csv.meta.json")
        try plan.writeSidecar(to: sidecar)
        let text = try String(contentsOf: sidecar, encoding: .utf8)
        for key in ["expected_net_value", "cost", "unit_cost", "value", "greedy_value", "upper_bound", "lagrangian_value", "used"] {
            let parts = text.components(separatedBy: "\"\(key)\" : ").dropFirst()
            #expect(!parts.isEmpty, "sidecar has no \(key)")
            for part in parts {
                let number = String(part.prefix { $0 != "," && $0 != "\n" })
                #expect(Self.isCents(number), "sidecar \(key) \(number)")
            }
        }
    }
}
