import Churn
import CustomerData
import Foundation
import Models
import Responses
import Testing
@testable import Reports

extension ReportSection {
    func figure(_ id: String) -> Figure? {
        for case .figure(let f) in blocks where f.id == id { return f }
        return nil
    }
    func table(_ id: String) -> DataTable? {
        for case let .table(tid, _, t) in blocks where tid == id { return t }
        return nil
    }
    var metrics: [Metric] { blocks.flatMap { if case .metrics(let m) = $0 { return m } else { return [] } } }
    func metric(_ label: String) -> Metric? { metrics.first { $0.label == label } }
}

/// Every number the report shows equals the one in the model, score or action file it came from,
/// or the library's own evaluation of it (HoldoutEvaluation, ChurnEvaluation), computed here anew.
@Suite struct SectionNumbersTests {
    /// The CDNOW calibration summary (Fader & Hardie's 2,357-customer file) with holdout columns made up
    /// deterministically: the numbers need not be real, only known.
    static func cdnowSummary() throws -> CustomerSummary {
        var s = try SummaryTable.read(from: packageRoot.appendingPathComponent("datasets/cdnow_customers_summary.csv"), timeUnit: .week)
        s.frequencyHoldout = s.frequency.indices.map { Double(($0 * 7 + Int(s.frequency[$0])) % 4) }
        s.monetaryValueHoldout = s.frequency.map { _ in 0 }
        s.durationHoldout = s.frequency.map { _ in 39 }
        return s
    }

    @Test func repeatPurchaseSectionShowsTheFilesParametersAndTheHoldoutEvaluation() throws {
        let file = try ModelFile.read(from: packageRoot.appendingPathComponent("models/cdnow-bgnbd.json"))
        let model = try ModelCatalog.loadRepeatPurchaseModel(file)
        let summary = try Self.cdnowSummary()
        let section = try RepeatPurchaseSection.make(file: file, name: "cdnow-bgnbd", model: model, summary: summary, horizon: 52)

        let parameters = try #require(section.table("cdnow-bgnbd-parameters"))
        #expect(parameters.rows.map { $0[0].display } == file.parameters.map(\.name))
        #expect(parameters.numbers("estimate") == file.parameters.map(\.estimate))
        #expect(parameters.numbers("std. error") == file.parameters.compactMap(\.standardError))
        #expect(parameters.numbers("95% upper") == file.parameters.compactMap(\.upper95))

        let evaluation = try HoldoutEvaluation(model: model, summary: summary)
        #expect(section.metric("holdout purchases, actual")?.cell.number == evaluation.totalActual)
        #expect(section.metric("holdout purchases, predicted")?.cell.number == evaluation.totalPredicted)
        #expect(section.metric("MAE per customer")?.cell.number == evaluation.meanAbsoluteError)
        let holdout = try ParsedSVG(try #require(section.figure("cdnow-bgnbd-holdout")).svg)
        let marks = try holdout.elements(className: "mark")
        #expect(marks.filter { $0.attribute("data-series") == "actual" }.compactMap { $0.number("data-y") } == evaluation.bins.map(\.meanActual))
        #expect(marks.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-y") } == evaluation.bins.map(\.meanPredicted))

        // Customers by repeat transactions: counted here from the summary.
        let bars = try ParsedSVG(try #require(section.figure("cdnow-bgnbd-repeat-transactions")).svg).elements("rect", className: "bar")
        let actual = bars.filter { $0.attribute("data-series") == "actual" }.compactMap { $0.number("data-value") }
        let counted = (0...7).map { k in Double(summary.frequency.filter { k == 7 ? $0 >= 7 : $0 == Double(k) }.count) }
        #expect(actual == counted)
        let expected = bars.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-value") }
        #expect(abs(expected.reduce(0, +) - Double(summary.count)) < 1e-8 * Double(summary.count))

        // Heatmaps: one cell per (frequency, recency), each the model's own P(alive) at T = max T.
        let cells = try ParsedSVG(try #require(section.figure("cdnow-bgnbd-p-alive")).svg).elements("rect", className: "cell")
        let grid = FrequencyRecencyGrid(summary: summary)
        #expect(cells.count == grid.frequencies.count * grid.recencies.count)
        let corner = try #require(cells.first)   // highest frequency, recency 0
        #expect(corner.number("data-value") == model.probabilityAlive(frequency: grid.frequencies[0], recency: 0, T: summary.T.max()!))
    }

    @Test func churnSectionEvaluatesOnTheRowsTheFitHeldOutWithTrainingsOwnNumbers() throws {
        let directory = try temporaryDirectory()
        let telco = packageRoot.appendingPathComponent("datasets/telco_churn.csv")
        var options = ChurnFitOptions(encoding: EncodingOptions(target: "Churn", positive: "Yes", idColumn: "customerID", exclude: ["TotalCharges"]), l2: 1)
        options.holdoutFraction = 0.3
        let trained = try ChurnModel.train(csv: telco, options: options)
        let trainedHoldout = try #require(trained.holdout)
        let modelURL = directory.appendingPathComponent("telco-churn.json")
        try trained.model.write(to: modelURL)

        var inputs = ReportInputs()
        inputs.models = [modelURL]
        inputs.churnData = telco
        let report = try ReportBuilder.build(inputs, title: "t")
        let section = try #require(report.sections.first)
        #expect(section.metric("AUC")?.cell.number == trainedHoldout.auc)
        #expect(section.metric("AUC")?.detail?.contains(NumberFormat.fixed(trainedHoldout.aucLower95, decimals: 4)) == true)
        #expect(section.metric("customers")?.cell.number == Double(trainedHoldout.rows))
        #expect(section.metric("log-loss")?.cell.number == trainedHoldout.logLoss)
        let deciles = try #require(section.table("telco-churn-deciles"))
        #expect(deciles.numbers("positives") == trainedHoldout.deciles.map { Double($0.churners) })
        #expect(deciles.numbers("lift") == trainedHoldout.deciles.map(\.lift))
        let lift = try ParsedSVG(try #require(section.figure("telco-churn-lift")).svg).elements("rect", className: "bar")
        #expect(lift.compactMap { $0.number("data-value") } == trainedHoldout.deciles.map(\.lift))
        let gains = try ParsedSVG(try #require(section.figure("telco-churn-gains")).svg).elements(className: "mark")
        #expect(gains.compactMap { $0.number("data-y") } == [0] + trainedHoldout.deciles.map(\.cumulativeGain))
        // ROC drawn through at most 400 points of the exact curve, whose area is the AUC shown.
        let roc = try ParsedSVG(try #require(section.figure("telco-churn-roc")).svg).elements("polyline", className: "series")
        #expect(roc.count == 1 && Int(roc[0].attribute("data-points")!)! <= 400)
        // Coefficients as the model file has them; odds ratios are exp(β).
        let coefficients = try #require(section.table("telco-churn-coefficients"))
        #expect(coefficients.numbers("coefficient") == trained.model.coefficients.map(\.estimate))
        #expect(coefficients.numbers("odds ratio") == trained.model.coefficients.map { exp($0.estimate) })
        let odds = try ParsedSVG(try #require(section.figure("telco-churn-odds-ratios")).svg).elements(className: "mark")
        #expect(odds.count == min(ChurnSection.maximumFeatures, trained.model.coefficients.count - 1))
    }

    @Test func unpenalisedSummaryChurnModelShowsOddsRatioIntervalsAndTheComparison() throws {
        let summary = try Self.cdnowSummary()
        let bgnbd = try ModelCatalog.loadRepeatPurchaseModel(ModelFile.read(from: packageRoot.appendingPathComponent("models/cdnow-bgnbd.json")))
        var options = ChurnFitOptions(encoding: EncodingOptions(target: "unused"))
        options.holdoutFraction = 0.3
        let trained = try ChurnModel.train(summary: summary, purchaseModel: bgnbd, options: options)
        var inputs = ReportInputs()
        inputs.summary = summary
        let evaluation = try #require(try ReportBuilder.churnEvaluation(trained.model, inputs: inputs, purchaseModels: [bgnbd]))
        let section = try ChurnSection.make(model: trained.model, name: "cdnow-churn", evaluation: evaluation)
        #expect(section.metric("AUC")?.cell.number == trained.holdout?.auc)
        let table = try #require(section.table("cdnow-churn-coefficients"))
        let se = try #require(trained.model.coefficients[1].stdError)
        #expect(table.rows[1][6].number == exp(trained.model.coefficients[1].estimate - CoefficientTable.z975 * se))
        let intervals = try ParsedSVG(try #require(section.figure("cdnow-churn-odds-ratios")).svg).elements("line", className: "interval")
        #expect(intervals.count == trained.model.coefficients.count - 1)
        let comparison = try #require(section.table("cdnow-churn-comparison"))
        #expect(comparison.rows.map { $0[0].display }.first == "logistic")
        #expect(comparison.rows.first?[1].number == trained.holdout?.auc)
    }

    @Test func valueSectionNumbersEqualTheScoreTableAndItsSidecar() throws {
        let directory = try temporaryDirectory()
        let scores = ConstructedScores(customers: 1000)
        let url = directory.appendingPathComponent("scores.csv")
        try scores.write(to: url)
        let section = try ValueSection.make(scores: url)

        #expect(section.metric("customers")?.cell.number == 1000)
        #expect(section.metric("total CLV")?.cell.number == scores.clv.reduce(0, +))
        #expect(section.metric("profit from the top 20%")?.cell.number == 0.7)
        #expect(section.metric("loss-making customers")?.cell.number == 59)
        #expect(section.metric("Gini of revenue")?.cell.number == 0.642)
        #expect(section.metric("break-even customers")?.cell.number == 241)
        let deciles = try ParsedSVG(try #require(section.figure("value-profit-deciles")).svg).elements("rect", className: "bar")
        #expect(deciles.filter { $0.attribute("data-series") == "share of profit" }.compactMap { $0.number("data-value") } == ConstructedScores.decileShares)
        #expect(section.metric("revenue from the top 5%")?.cell.display == "31.3%")

        let histogram = try ParsedSVG(try #require(section.figure("value-clv-distribution")).svg).elements("rect", className: "bar")
        #expect(histogram.compactMap { $0.number("data-value") }.reduce(0, +) == 1000)
        let alive = try ParsedSVG(try #require(section.figure("value-p-alive")).svg).elements("rect", className: "bar")
        #expect(alive.compactMap { $0.number("data-value") } == (0..<10).map { k in Double(scores.probabilityAlive.filter { min(9, Int($0 * 10)) == k }.count) })
        #expect(try ParsedSVG(try #require(section.figure("value-churn-risk")).svg).elements("rect", className: "bar").count == 10)

        let lorenz = try ParsedSVG(try #require(section.figure("value-profitability")).svg)
        #expect(try lorenz.elements("polyline", className: "series")[0].attribute("data-points") == String(ConstructedScores.lorenz.count))
        #expect(try lorenz.texts(className: "annotation-label") == ["80% of customers earn 112% of profit"])

        let quadrants = try ParsedSVG(try #require(section.figure("value-matrix")).svg).elements("rect", className: "quadrant")
        #expect(quadrants.compactMap { $0.attribute("data-segment") } == ConstructedScores.valueMatrix.map(\.0))
        #expect(quadrants.compactMap { $0.attribute("data-customers").flatMap(Int.init) } == ConstructedScores.valueMatrix.map(\.1))
        #expect(quadrants.compactMap { $0.number("data-value-share") } == ConstructedScores.valueMatrix.map(\.2))

        let rfm = try ParsedSVG(try #require(section.figure("value-rfm-segments")).svg).elements("rect", className: "bar")
        let sortedRFM = ConstructedScores.rfmCounts.sorted { $0.1 > $1.1 }
        #expect(rfm.compactMap { $0.attribute("data-category") } == sortedRFM.map(\.0))
        #expect(rfm.compactMap { $0.number("data-value") } == sortedRFM.map { Double($0.1) })

        let segments = try #require(section.table("value-segments"))
        for (k, name) in ConstructedScores.segments.enumerated() {
            let members = scores.valueSegment.indices.filter { scores.valueSegment[$0] == name }
            let row = try #require(segments.rows.first { $0[0].display == name }, "segment \(k)")
            #expect(row[1].number == Double(members.count))
            #expect(abs(row[2].number! - members.reduce(0) { $0 + scores.clv[$1] }) < 1e-9)
        }
    }

    @Test func jsonLinesScoreTableGivesTheSameAggregatesAsCSV() throws {
        let directory = try temporaryDirectory()
        let scores = ConstructedScores(customers: 300)
        let csv = directory.appendingPathComponent("s.csv"), jsonl = directory.appendingPathComponent("s.jsonl")
        try scores.write(to: csv)
        try scores.write(to: jsonl)
        let a = try ScoreTableSummary(path: csv.path), b = try ScoreTableSummary(path: jsonl.path)
        #expect(a.sortedCLV == b.sortedCLV)
        #expect(a.valueSegments == b.valueSegments && a.rfmSegments == b.rfmSegments)
        #expect(a.probabilityAliveCounts == b.probabilityAliveCounts && a.churnProbabilityCounts == b.churnProbabilityCounts)
        #expect(a.totalExpectedRevenue == b.totalExpectedRevenue)
    }

    @Test func actionsSectionTotalsEqualTheActionList() throws {
        let directory = try temporaryDirectory()
        let actions = ConstructedActions(rows: 437)
        let url = directory.appendingPathComponent("actions.csv")
        try actions.write(to: url)
        let section = try ActionsSection.make(actions: url)
        let contacted = actions.rows.filter { !$0.control }
        #expect(section.metric("customers contacted")?.cell.number == Double(contacted.count))
        #expect(section.metric("in control groups")?.cell.number == Double(actions.rows.filter(\.control).count))
        // Money counts the contacted rows: control customers are not contacted.
        // (summed per action, then over actions: equal to the row sum up to rounding)
        let value = contacted.reduce(0) { $0 + $1.value }, cost = contacted.reduce(0) { $0 + $1.cost }
        #expect(abs(section.metric("expected net value")!.cell.number! - value) <= 1e-12 * value)
        #expect(abs(section.metric("contact cost")!.cell.number! - cost) <= 1e-12 * cost)
        let byAction = try #require(section.table("actions-by-action"))
        for name in Set(actions.rows.map(\.action)) {
            let members = actions.rows.filter { $0.action == name }
            let row = try #require(byAction.rows.first { $0[0].display == name })
            #expect(row[1].number == Double(members.filter { !$0.control }.count))
            #expect(row[2].number == Double(members.filter(\.control).count))
            #expect(row[4].number == members.filter { !$0.control }.reduce(0) { $0 + $1.value })
            #expect(row[5].number == members.filter { !$0.control }.reduce(0) { $0 + $1.cost })
        }
        let channels = try ParsedSVG(try #require(section.figure("actions-channels")).svg).elements("rect", className: "bar")
        #expect(channels.count == 2 * Set(actions.rows.map(\.channel)).count)
        let campaigns = try #require(section.table("actions-campaigns"))
        #expect(campaigns.numbers("control").reduce(0, +) == Double(actions.rows.filter(\.control).count))
    }

    @Test func actionsSectionAppearsOnlyWhenAnActionListIsGiven() throws {
        let directory = try temporaryDirectory()
        let scoresURL = directory.appendingPathComponent("scores.csv")
        try ConstructedScores(customers: 50).write(to: scoresURL)
        var inputs = ReportInputs()
        inputs.scores = [scoresURL]
        #expect(try ReportBuilder.build(inputs, title: "t").sections.map(\.id) == ["value"])
        let actionsURL = directory.appendingPathComponent("actions.csv")
        try ConstructedActions(rows: 20).write(to: actionsURL)
        inputs.actions = actionsURL
        #expect(try ReportBuilder.build(inputs, title: "t").sections.map(\.id) == ["value", "actions"])
    }
}

/// The uplift section shows `UpliftModel.evaluate`'s numbers: Qini at every tenth, random chord, uplift@k.
@Suite struct UpliftSectionTests {
    @Test func qiniCurvesAndUpliftAtKEqualTheModelsEvaluation() throws {
        let directory = try temporaryDirectory()
        let full = try CustomerTable(contentsOf: packageRoot.appendingPathComponent("datasets/hillstrom.csv"))
        let table = full.selectingRows(Array(0..<12000))
        let options = UpliftFitOptions(encoding: EncodingOptions(target: "visit", positive: "1", exclude: ["conversion", "spend", "history_segment"]),
                                       treatmentColumn: "segment", control: "No E-Mail", l2: 1)
        let trained = try UpliftModel.train(table: table, options: options)
        let modelURL = directory.appendingPathComponent("email-uplift.json")
        try trained.model.write(to: modelURL)
        let dataURL = directory.appendingPathComponent("campaign.csv")
        var csv = CSVWriter(header: table.columnNames)
        for i in 0..<table.rowCount { csv.append(table.columns.map { .text($0[i]) }) }
        try csv.text.write(to: dataURL, atomically: true, encoding: .utf8)

        var inputs = ReportInputs()
        inputs.models = [modelURL]
        inputs.upliftData = dataURL
        let section = try #require(try ReportBuilder.build(inputs, title: "t").sections.first)
        let evaluation = try trained.model.evaluate(table)
        #expect(evaluation.treatments.count == 2)
        for t in evaluation.treatments {
            let id = "email-uplift-\(RepeatPurchaseSection.slug(t.name))"
            #expect(section.metric("Qini AUC, \(t.name)")?.cell.number == t.qiniAUC)
            let svg = try ParsedSVG(try #require(section.figure("\(id)-qini")).svg)
            #expect(try svg.elements(className: "mark").compactMap { $0.number("data-y") } == [0] + t.qiniAtFraction)
            let random = try svg.elements("polyline", className: "reference")[0].attribute("points")!.split(separator: " ")
            #expect(random.count == t.randomQiniAtFraction.count + 1)
            let bars = try ParsedSVG(try #require(section.figure("\(id)-uplift-at-k")).svg).elements("rect", className: "bar")
            #expect(bars.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-value") } == t.upliftAtK)
            #expect(bars.filter { $0.attribute("data-series") == "random" }.compactMap { $0.number("data-value") } == [Double](repeating: t.randomUplift, count: 4))
        }
    }
}
