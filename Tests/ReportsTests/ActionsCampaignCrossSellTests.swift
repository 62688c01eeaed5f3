import Actions
import CustomerData
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Responses
import Testing
@testable import Reports

/// A real `klant actions` run (list and sidecar) on a constructed score table.
struct PlannedActions {
    let plan: ActionPlan
    let list: URL

    static let catalogYAML = """
        campaign: report-test
        currency: EUR
        budget-amount: 900
        actions:
          - name: call
            type: retention
            channel: phone
            cost: 5
            budget: 40
            control-share: 0.15
            eligible: "churn_probability > 0.3"
            response: { rate: 0.3 }
            value: "clv * 0.5"
          - name: upgrade
            type: upsell
            channel: email
            cost: 1
            control-share: 0.1
            eligible: "churn_probability < 0.6"
            response: { rate: 0.05 }
            value: "clv * 0.4"
        contact-policy:
          channels: { phone: { capacity: 30 }, email: { capacity: 150 } }
        """

    init(in directory: URL, customers: Int = 500) throws {
        let scores = directory.appendingPathComponent("action-scores.csv")
        var text = "customer_id,churn_probability,clv\n"
        for i in 0..<customers { text += "C\(i),\(Double((i * 37) % 100) / 100),\(Double((i * 7919) % 1000))\n" }
        try text.write(to: scores, atomically: true, encoding: .utf8)
        let catalog = try ActionCatalog.parse(yaml: Self.catalogYAML, path: "report-test.yaml")
        plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: scores.path, catalog: catalog, asOf: try CalendarDay(parsing: "2026-12-01")), store: nil)
        list = directory.appendingPathComponent("actions.csv")
        try plan.write(to: list.path)
        try plan.writeSidecar(to: URL(fileURLWithPath: ActionPlan.sidecarPath(forList: list.path)!))
    }
}

/// The actions section with the run's sidecar, the campaign results and the cross-sell section show
/// the numbers of the files (and runs) they come from.
@Suite struct ActionsCampaignCrossSellTests {
    static func bars(_ figure: Figure?, series: String? = nil) throws -> [XMLElement] {
        let f = try #require(figure)
        return try ParsedSVG(f.svg).elements("rect", className: "bar").filter { series == nil || $0.attribute("data-series") == series }
    }

    @Test func actionsSectionShowsTheRunsBudgetsShadowPricesAndControlGroups() throws {
        let directory = try temporaryDirectory()
        let run = try PlannedActions(in: directory)
        let plan = run.plan
        let section = try ActionsSection.make(actions: run.list)
        let contacted = plan.rows.filter { !$0.control }
        #expect(section.metric("customers contacted")?.cell.number == Double(contacted.count))
        #expect(section.metric("in control groups")?.cell.number == Double(plan.rows.count - contacted.count))
        // The sidecar writes money in cents and shadow prices to 4 decimals.
        let usage = plan.assignment.usage.map(ActionPlan.cents)
        let shadowPrices = plan.assignment.shadowPrices.map { ($0 * 10_000).rounded() / 10_000 }
        #expect(section.metric("arbitration value")?.cell.number == ActionPlan.cents(plan.assignment.value))
        #expect(section.metric("greedy value")?.cell.number == ActionPlan.cents(plan.assignment.greedyValue))
        #expect(section.metric("upper bound")?.cell.number == ActionPlan.cents(plan.assignment.upperBound))

        // Limits: one row and one bar each, the run's own use, capacity and shadow price.
        #expect(plan.limits.count == 4)   // call budget, total budget, two channel capacities
        let limits = try #require(section.table("actions-limits"))
        #expect(limits.rows.map { $0[0].display } == plan.limits.map(\.name))
        #expect(limits.numbers("used") == usage)
        #expect(limits.numbers("capacity") == plan.limits.map { ActionPlan.cents($0.capacity) })
        #expect(limits.numbers("shadow price") == shadowPrices)
        let use = try Self.bars(section.figure("actions-budget-use"))
        #expect(use.count == plan.limits.count)
        #expect(use.compactMap { $0.number("data-value") } == zip(usage, plan.limits).map { $0 / ActionPlan.cents($1.capacity) })
        let prices = try Self.bars(section.figure("actions-shadow-prices"))
        #expect(prices.compactMap { $0.number("data-value") } == shadowPrices)

        // The way from eligible to contacted, and the control groups, per action.
        let funnel = try #require(section.table("actions-funnel"))
        #expect(funnel.numbers("eligible") == plan.actionStats.map { Double($0.eligible) })
        #expect(funnel.numbers("positive value") == plan.actionStats.map { Double($0.positive) })
        #expect(funnel.numbers("chosen") == plan.actionStats.map { Double($0.chosen) })
        #expect(funnel.numbers("control") == plan.actionStats.map { Double($0.control) })
        #expect(funnel.numbers("target control share") == [0.15, 0.1])
        let control = try Self.bars(section.figure("actions-control-groups"), series: "control")
        #expect(control.compactMap { $0.number("data-value") } == plan.actionStats.map { Double($0.control) })
        let contactedBars = try Self.bars(section.figure("actions-control-groups"), series: "contacted")
        #expect(contactedBars.compactMap { $0.number("data-value") } == plan.actionStats.map { Double($0.chosen - $0.control) })
        // Money per action from the list equals the run's (contacted rows, net of cost).
        let byAction = try #require(section.table("actions-by-action"))
        for (a, stats) in plan.actionStats.enumerated() {
            let row = try #require(byAction.rows.first { $0[0].display == plan.catalog.actions[a].name })
            #expect(abs(row[4].number! - stats.expectedValue) <= 1e-9 * max(1, abs(stats.expectedValue)))
            #expect(abs(row[5].number! - stats.cost) <= 1e-9 * max(1, stats.cost))
        }
    }

    @Test func aSidecarOfAnotherRunOrNoneIsSaidAndLeftOut() throws {
        let directory = try temporaryDirectory()
        let run = try PlannedActions(in: directory)
        // The list of a smaller run beside this run's sidecar.
        let other = try temporaryDirectory()
        let small = try PlannedActions(in: other, customers: 60)
        try FileManager.default.removeItem(at: run.list)
        try FileManager.default.copyItem(at: small.list, to: run.list)
        let stale = try ActionsSection.make(actions: run.list)
        #expect(stale.table("actions-limits") == nil)
        #expect(stale.blocks.contains { if case .note(let n) = $0 { return n.contains("belongs to another run") } else { return false } })
        try FileManager.default.removeItem(atPath: run.list.path + ".meta.json")
        let none = try ActionsSection.make(actions: run.list)
        #expect(none.table("actions-limits") == nil && none.table("actions-by-action") != nil)
        #expect(none.blocks.contains { if case .note(let n) = $0 { return n.contains("No .meta.json sidecar") } else { return false } })
        try "{\"format_version\": 2}".write(toFile: run.list.path + ".meta.json", atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try ActionsSection.make(actions: run.list) }
    }

    static func hillstromEvaluation() throws -> CampaignEvaluation {
        let table = try CustomerTable(contentsOf: packageRoot.appendingPathComponent("datasets/hillstrom.csv")).selectingRows(Array(0..<20000))
        let data = try CampaignData(table: table, treatmentColumn: "segment", control: "No E-Mail", outcomes: ["visit", "spend"])
        return try CampaignEvaluation(data, outcomes: ["visit", "spend"])
    }

    @Test func campaignSectionShowsEvaluateCampaignsTableWithItsIntervals() throws {
        let evaluation = try Self.hillstromEvaluation()
        let directory = try temporaryDirectory()
        for name in ["campaign.csv", "campaign.jsonl"] {
            let url = directory.appendingPathComponent(name)
            try evaluation.write(to: url.path)
            let section = try CampaignSection.make(campaign: url)
            let table = try #require(section.table("campaign-results"))
            #expect(table.rows.count == evaluation.rows.count && evaluation.rows.count == 4)
            #expect(table.numbers("uplift") == evaluation.rows.map(\.uplift))
            #expect(table.numbers("95% lower") == evaluation.rows.map(\.upliftLower))
            #expect(table.numbers("95% upper") == evaluation.rows.map(\.upliftUpper))
            #expect(table.numbers("p-value") == evaluation.rows.map(\.pValue))
            #expect(table.numbers("treated") == evaluation.rows.map { Double($0.treatedCount) })
            #expect(table.numbers("incremental") == evaluation.rows.map(\.incremental))
            for outcome in ["visit", "spend"] {
                let rows = evaluation.rows.filter { $0.outcome == outcome }
                let svg = try ParsedSVG(try #require(section.figure("campaign-\(outcome)-uplift")).svg)
                let marks = try svg.elements(className: "mark")
                #expect(marks.compactMap { $0.number("data-value") } == rows.map(\.uplift))
                #expect(marks.compactMap { $0.attribute("data-label") } == rows.map(\.treatment))
                #expect(try svg.elements("line", className: "interval").count == rows.count)
                #expect(try svg.texts(className: "axis-label") == ["uplift in \(outcome)", "treatment"])
                let data = try #require(section.figure("campaign-\(outcome)-uplift")).chart.data
                #expect(data.numbers("lower_95") == rows.map(\.upliftLower))
            }
        }
        let bad = directory.appendingPathComponent("bad.csv")
        try "treatment,outcome\nA,visit\n".write(to: bad, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) { try CampaignSection.make(campaign: bad) }
        #expect(error.description.contains("measure"))
    }

    /// 300 customers, 30 items with popularity falling with the index, pairs (2k, 2k+1) bought together.
    static func purchaseLog() -> PurchaseLog {
        var customers: [Int32] = [], items: [Int32] = [], days: [Int32] = []
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for c in 0..<300 {
            for i in 0..<30 where next() < 0.6 / (1 + Double(i) / 4) {
                let day = Int32(15_000 + Int(next() * 60))
                customers.append(Int32(c)); items.append(Int32(i)); days.append(day)
                if i % 2 == 0 && next() < 0.7 { customers.append(Int32(c)); items.append(Int32(i + 1)); days.append(day) }
            }
        }
        return PurchaseLog(customers: (0..<300).map { "C\($0)" }, items: (0..<30).map { "item-\($0)" }, customerOfLine: customers,
                           itemOfLine: items, dayOfLine: days)
    }

    @Test func crossSellSectionShowsTopItemsPairsAndTheEvaluation() throws {
        let log = Self.purchaseLog()
        let cut = CalendarDay(dayNumber: 15_040)
        let model = try CrossSellModel.fit(log, calibrationEnd: cut, neighbours: 29)
        let directory = try temporaryDirectory()
        var evaluationFiles: [URL] = [], evaluations: [CrossSellEvaluation] = []
        for k in [3, 5, 10] {
            let e = try CrossSellEvaluation(model: model, log: log, k: k)
            let url = directory.appendingPathComponent("eval-\(k).csv")
            try e.write(to: url.path)
            evaluationFiles.append(url); evaluations.append(e)
        }
        let section = try CrossSellSection.make(model: model, name: "shop", evaluations: evaluationFiles)

        // Buyers counted here from the baskets up to the cut-off.
        let baskets = log.baskets(through: cut)
        var buyers = [Int](repeating: 0, count: 30)
        for b in baskets { for i in b { buyers[Int(i)] += 1 } }
        let byBuyers = (0..<30).sorted { buyers[$0] != buyers[$1] ? buyers[$0] > buyers[$1] : $0 < $1 }.prefix(20)
        let top = try Self.bars(section.figure("shop-top-items"))
        #expect(top.compactMap { $0.attribute("data-category") } == byBuyers.map { "item-\($0)" })
        #expect(top.compactMap { $0.number("data-value") } == byBuyers.map { Double(buyers[$0]) })
        #expect(section.metric("customers")?.cell.number == Double(baskets.filter { !$0.isEmpty }.count))

        // Pairs: cosine of every pair of items with enough buyers, computed here.
        let minimum = CrossSellSection.minimumBuyers(customers: Int(model.training.customers))
        #expect(minimum == 10)
        var pairs: [(Int, Int, Double)] = []
        for a in 0..<30 where buyers[a] >= minimum {
            for b in (a + 1)..<30 where buyers[b] >= minimum {
                let both = baskets.filter { $0.contains(Int32(a)) && $0.contains(Int32(b)) }.count
                if both > 0 { pairs.append((a, b, Double(both) / (Double(buyers[a]) * Double(buyers[b])).squareRoot())) }
            }
        }
        pairs.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        let shown = try #require(section.table("shop-top-pairs"))
        #expect(shown.rows.count == 20)
        #expect(shown.rows.map { "\($0[0].display) \($0[1].display)" } == pairs.prefix(20).map { "item-\($0.0) item-\($0.1)" })
        let similarity = shown.numbers("cosine similarity")
        #expect(zip(similarity, pairs.prefix(20)).allSatisfy { abs($0 - $1.2) < 1e-12 })
        #expect(try Self.bars(section.figure("shop-pair-similarity")).compactMap { $0.number("data-value") } == similarity)
        let nearest = try Self.bars(section.figure("shop-nearest-neighbour")).compactMap { $0.number("data-value") }
        #expect(nearest.count == 10)
        #expect(nearest.reduce(0, +) == Double((0..<30).filter { buyers[$0] >= minimum && model.neighbourItems[$0 * 29] >= 0 }.count))

        // Evaluation: hit rate by k for the model and popularity, one mark per k.
        let hit = try ParsedSVG(try #require(section.figure("shop-hit-rate")).svg).elements(className: "mark")
        #expect(hit.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-y") } == evaluations.map(\.model.hitRate))
        #expect(hit.filter { $0.attribute("data-series") == "popularity" }.compactMap { $0.number("data-y") } == evaluations.map(\.popularity.hitRate))
        #expect(hit.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-x") } == [3, 5, 10])
        let table = try #require(section.table("shop-evaluation"))
        #expect(table.numbers("precision@k") == evaluations.flatMap { [$0.model.precision, $0.popularity.precision] })

        // One k: precision, recall and hit rate as bars.
        let single = try CrossSellSection.make(model: model, name: "shop", evaluations: [evaluationFiles[1]])
        let bars = try Self.bars(single.figure("shop-metrics-at-k"), series: "model")
        #expect(bars.compactMap { $0.number("data-value") } == [evaluations[1].model.precision, evaluations[1].model.recall, evaluations[1].model.hitRate])
    }
}
