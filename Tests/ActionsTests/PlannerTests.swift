import CustomerData
import Foundation
import Store
import Testing
@testable import Actions

@Suite struct PlannerTests {
    /// A score table of `n` customers with churn risk, clv and segment drawn from `seed`.
    func writeScores(_ n: Int, seed: UInt64, to path: String, idPrefix: String = "C") throws {
        var rng = SeededRandom(seed)
        var text = "customer_id,churn_probability,clv,value_segment\n"
        let segments = ["top", "opportunity", "retain", "tolerate"]
        for i in 0..<n {
            text += "\(idPrefix)\(i),\(Double.random(in: 0..<1, using: &rng)),\(Double.random(in: 0..<1000, using: &rng)),\(segments[Int.random(in: 0..<4, using: &rng)])\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func catalog(budget: Int = 40, phone: Int = 60, email: Int = 80, control: Double = 0.1, maxActions: Int = 1) throws -> ActionCatalog {
        try ActionCatalog.parse(yaml: """
            campaign: test
            max-actions-per-customer: \(maxActions)
            actions:
              - name: call
                type: retention
                channel: phone
                cost: 5
                budget: \(budget)
                control-share: \(control)
                eligible: "churn_probability > 0.3 and value_segment in ['top', 'retain']"
                response: { rate: 0.3 }
                value: "clv * 0.5"
              - name: upgrade
                type: upsell
                channel: email
                cost: 1
                control-share: \(control)
                eligible: "churn_probability < 0.6"
                response: { rate: 0.05 }
                value: "clv * 0.4"
              - name: addon
                type: cross-sell
                channel: email
                cost: 0.5
                control-share: \(control)
                eligible: "clv > 100"
                response: { rate: 0.08 }
                value: "60"
            contact-policy:
              max-contacts: 2 per 30 days
              cool-down: 14 days
              repeat-offer: 90 days
              channels: { phone: { capacity: \(phone) }, email: { capacity: \(email) } }
            """, path: "test.yaml")
    }

    @Test func randomHistoriesAndCatalogsNeverBreakABudgetACapacityOrAContactRule() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        let asOf = try CalendarDay(parsing: "2026-12-01")
        for seed in UInt64(1)...8 {
            try writeScores(600, seed: seed, to: scores)
            var rng = SeededRandom(seed &* 77)
            let store = try KlantStore()
            var history: [ContactRecord] = []
            let actions = ["call", "upgrade", "addon"]
            for k in 0..<900 {
                let day = CalendarDay(dayNumber: asOf.dayNumber - Int.random(in: 0..<120, using: &rng))
                history.append(ContactRecord(campaignID: "old-\(k)", date: day.description, customerID: "C\(Int.random(in: 0..<600, using: &rng))",
                                             action: actions.randomElement(using: &rng)!, channel: "email",
                                             control: Int.random(in: 0..<10, using: &rng) == 0))
            }
            try store.importContacts(history)
            let optOuts = (0..<30).map { _ in OptOut(customerID: "C\(Int.random(in: 0..<600, using: &rng))", channel: ["phone", "email", "*"].randomElement(using: &rng)!) }
            let budget = Int.random(in: 1...60, using: &rng), phone = Int.random(in: 1...80, using: &rng), email = Int.random(in: 1...150, using: &rng)
            let cat = try catalog(budget: budget, phone: phone, email: email)
            let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: cat, asOf: asOf, optOuts: optOuts), store: store)
            let chosen = plan.rows.map { (id: plan.ids[$0.customer], action: cat.actions[$0.action]) }
            #expect(chosen.filter { $0.action.name == "call" }.count <= budget)
            #expect(chosen.filter { $0.action.channel == "phone" }.count <= phone)
            #expect(chosen.filter { $0.action.channel == "email" }.count <= email)
            #expect(Set(chosen.map(\.id)).count == chosen.count, "one action per customer")
            // Each contact rule checked directly against the history.
            for (id, action) in chosen {
                let real = history.filter { $0.customerID == id && !$0.control }
                let ages = real.map { asOf.dayNumber - (try! CalendarDay(parsing: $0.date)).dayNumber }
                #expect(!ages.contains { $0 < 14 }, "\(id) in cool-down")
                #expect(ages.filter { $0 < 30 }.count < 2, "\(id) at the contact cap")
                #expect(!zip(real, ages).contains { $0.action == action.name && $1 < 90 }, "\(id) offered \(action.name) again")
                #expect(!optOuts.contains { $0.customerID == id && ($0.channel == "*" || $0.channel == action.channel) }, "\(id) opted out")
            }
            #expect(plan.exclusions.historyRowsRead > 0)
        }
    }

    @Test func withMoreActionsPerCustomerNoActionRepeatsAndTheContactCapStillCounts() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        let asOf = try CalendarDay(parsing: "2026-12-01")
        var several = 0
        for seed in UInt64(11)...18 {
            try writeScores(600, seed: seed, to: scores)
            var rng = SeededRandom(seed &* 91)
            let store = try KlantStore()
            var history: [ContactRecord] = []
            for k in 0..<500 {
                let day = CalendarDay(dayNumber: asOf.dayNumber - Int.random(in: 15..<120, using: &rng))
                history.append(ContactRecord(campaignID: "old-\(k)", date: day.description, customerID: "C\(Int.random(in: 0..<600, using: &rng))",
                                             action: ["call", "upgrade", "addon"].randomElement(using: &rng)!, channel: "email",
                                             control: Int.random(in: 0..<10, using: &rng) == 0))
            }
            try store.importContacts(history)
            let maxActions = Int.random(in: 2...3, using: &rng)
            let budget = Int.random(in: 1...60, using: &rng), phone = Int.random(in: 1...80, using: &rng), email = Int.random(in: 1...300, using: &rng)
            let cat = try catalog(budget: budget, phone: phone, email: email, maxActions: maxActions)
            let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: cat, asOf: asOf), store: store)
            let chosen = plan.rows.map { (id: plan.ids[$0.customer], action: cat.actions[$0.action]) }
            #expect(chosen.filter { $0.action.name == "call" }.count <= budget)
            #expect(chosen.filter { $0.action.channel == "phone" }.count <= phone)
            #expect(chosen.filter { $0.action.channel == "email" }.count <= email)
            let byCustomer = Dictionary(grouping: chosen, by: \.id)
            for (id, rows) in byCustomer {
                #expect(rows.count <= maxActions, "\(id) got \(rows.count) actions")
                #expect(Set(rows.map(\.action.name)).count == rows.count, "\(id) got an action twice")
                // max-contacts 2 per 30 days: this run's contacts count with the recent real ones.
                let recent = history.filter { $0.customerID == id && !$0.control && asOf.dayNumber - (try! CalendarDay(parsing: $0.date)).dayNumber < 30 }
                #expect(recent.count + rows.count <= 2, "\(id): \(recent.count) recent contacts and \(rows.count) now")
                for row in rows {
                    #expect(!history.contains { $0.customerID == id && !$0.control && $0.action == row.action.name
                        && asOf.dayNumber - (try! CalendarDay(parsing: $0.date)).dayNumber < 90 }, "\(id) offered \(row.action.name) again")
                }
            }
            if byCustomer.values.contains(where: { $0.count > 1 }) { several += 1 }
            #expect(plan.assignment.value >= plan.assignment.greedyValue && plan.assignment.value <= plan.assignment.upperBound + 1e-6)
        }
        #expect(several >= 6, "customers got more than one action in only \(several) of 8 runs")
    }

    @Test func theSameInputsGiveTheSameListByteForByte() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try writeScores(2_000, seed: 5, to: scores)
        let options = ActionRunOptions(scoresPath: scores, catalog: try catalog(), asOf: try CalendarDay(parsing: "2026-12-01"))
        var outputs: [Data] = []
        for (k, format) in [TableFormat.csv, .csv, .jsonl, .jsonl].enumerated() {
            let out = dir.appendingPathComponent("a\(k).\(format.rawValue)").path
            try ActionPlanner.plan(options, store: try KlantStore()).write(to: out, format: format)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(outputs[0] == outputs[1] && outputs[2] == outputs[3])
        #expect(!outputs[0].isEmpty && outputs[0] != outputs[2])
    }

    @Test func controlMarksAreStableWhenOtherCustomersAreAddedOrRemoved() throws {
        let dir = try temporaryDirectory()
        let small = dir.appendingPathComponent("small.csv").path, large = dir.appendingPathComponent("large.csv").path
        try writeScores(1_000, seed: 9, to: small)
        try writeScores(1_000, seed: 9, to: large)
        let extra = try String(contentsOfFile: dir.appendingPathComponent("small.csv").path, encoding: .utf8)
        try writeScores(500, seed: 10, to: dir.appendingPathComponent("extra.csv").path, idPrefix: "X")
        let extraRows = try String(contentsOfFile: dir.appendingPathComponent("extra.csv").path, encoding: .utf8).split(separator: "\n").dropFirst()
        try (extra + extraRows.joined(separator: "\n") + "\n").write(toFile: large, atomically: true, encoding: .utf8)
        // No limits: each customer's choice is their own, so only the control marks could move.
        var cat = try catalog(control: 0.2)
        cat.actions = cat.actions.map { var a = $0; a.budget = nil; return a }
        cat.contactPolicy.channelCapacity = [:]
        let asOf = try CalendarDay(parsing: "2026-12-01")
        let a = try ActionPlanner.plan(ActionRunOptions(scoresPath: small, catalog: cat, asOf: asOf), store: nil)
        let b = try ActionPlanner.plan(ActionRunOptions(scoresPath: large, catalog: cat, asOf: asOf), store: nil)
        let marksA = Dictionary(uniqueKeysWithValues: a.rows.map { (a.ids[$0.customer], $0.control) })
        let marksB = Dictionary(uniqueKeysWithValues: b.rows.map { (b.ids[$0.customer], $0.control) })
        for (id, control) in marksA { #expect(marksB[id] == control, "\(id)") }
        let share = Double(a.rows.filter(\.control).count) / Double(a.rows.count)
        let sd = (0.2 * 0.8 / Double(a.rows.count)).squareRoot()
        #expect(abs(share - 0.2) < 4 * sd, "control share \(share) of \(a.rows.count)")
    }

    @Test func reasonsQuoteRiskValueActionAndResponse() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try "customer_id,churn_probability,clv,value_segment\nA,0.72,840,top\nB,0.1,300,opportunity\n".write(toFile: scores, atomically: true, encoding: .utf8)
        var cat = try catalog(control: 0)
        cat.currency = "EUR"
        let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: cat, asOf: try CalendarDay(parsing: "2026-12-01")), store: nil)
        let reasons = Dictionary(uniqueKeysWithValues: plan.rows.map { (plan.ids[$0.customer], plan.reason($0)) })
        // A: 0.3 x 420 - 5 = 121 by phone; B: upgrade 0.05 x 120 - 1 = 5 beats addon 0.08 x 60 - 0.5 = 4.30.
        #expect(reasons["A"] == "churn risk 72%, CLV EUR 840: call by phone, expected net value EUR 121 (response 30%)")
        #expect(reasons["B"] == "CLV EUR 300, segment opportunity: upgrade (upsell) by email, expected net value EUR 5.00 (response 5.0%)")
    }

    @Test func anUnknownColumnIsReportedWithTheActionBeforeAnyRowIsRead() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try writeScores(10, seed: 1, to: scores)
        var cat = try catalog()
        cat.actions[1].value = "clv * margn"
        #expect { try ActionPlanner.plan(ActionRunOptions(scoresPath: scores, catalog: cat, asOf: try CalendarDay(parsing: "2026-12-01")), store: nil) }
            throws: { e in
                guard let e = e as? ExpressionError else { return false }
                return e.action == "upgrade" && e.field == "value" && e.position == 7 && e.problem.contains("unknown column margn")
            }
    }
}
