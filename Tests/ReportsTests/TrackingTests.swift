import CustomerData
import Foundation
import Models
import Testing
@testable import Reports

/// The tracking charts (cumulative and weekly repeat purchases, actual vs model): the expected numbers
/// equal lifetimes' `expected_cumulative_transactions` and a per-customer sum done here; the actual
/// numbers equal a count of the transaction file done here; the charts show exactly these numbers.
@Suite(.serialized) struct TrackingTests {
    static let master = packageRoot.appendingPathComponent("datasets/CDNOW_master.txt")
    static let calibrationEnd = CalendarDay(year: 1997, month: 9, day: 30)!
    static let observationEnd = CalendarDay(year: 1998, month: 6, day: 30)!

    static func cdnowRun() throws -> SummaryRun {
        var options = SummaryOptions(timeUnit: .week, calibrationEnd: calibrationEnd, observationEnd: observationEnd)
        options.countDailyPurchases = true
        let format = TransactionFileFormat(delimiter: .auto, customer: "customer_id", date: "date", amount: "dollar_value",
                                           datePattern: try DatePattern("yyyyMMdd"))
        return try TransactionSummarizer.summarize(file: master, format: format, options: options)
    }

    static func model(_ name: String) throws -> (ModelFile, any RepeatPurchaseModel) {
        let file = try ModelFile.read(from: packageRoot.appendingPathComponent("models/\(name).json"))
        return (file, try ModelCatalog.loadRepeatPurchaseModel(file))
    }

    /// The master file counted the plain way: each customer's distinct purchase days (yyyyMMdd → day number).
    static func purchaseDaysByCustomer() throws -> [String: Set<Int>] {
        var days: [String: Set<Int>] = [:]
        let text = try String(contentsOf: master, encoding: .utf8)
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let d = Int(fields[1])!
            days[String(fields[0]), default: []].insert(CalendarDay(year: d / 10000, month: d / 100 % 100, day: d % 100)!.dayNumber)
        }
        return days
    }

    @Test func expectedCumulativeRepeatPurchasesEqualLifetimesOnCDNOW() throws {
        guard let python = ProcessInfo.processInfo.environment["KLANT_PEER_PYTHON"], !python.isEmpty else {
            throw ReportTestError(description: "KLANT_PEER_PYTHON is not set: run the tests with `make test` (it creates the lifetimes venv and exports KLANT_PEER_PYTHON)")
        }
        let daily = try #require(try Self.cdnowRun().dailyPurchases)
        #expect(daily.dayCount == 546)   // 1997-01-01 ... 1998-06-30: 78 weeks
        for name in ["cdnow-bgnbd", "cdnow-pareto-nbd"] {
            let (file, model) = try Self.model(name)
            let ours = RepeatPurchaseTracking(daily: daily, model: model, unitDays: 7, calibrationEnd: Self.calibrationEnd)
            let params = Dictionary(uniqueKeysWithValues: file.parameters.map { ($0.name, $0.estimate) })
            let out = try temporaryDirectory().appendingPathComponent("tracking.json")
            let script = packageRoot.appendingPathComponent("Tests/ReportsTests/peers/lifetimes_tracking.py").path
            let result = try run(python, [script, Self.master.path, "customer_id", "date", "546", file.kind.rawValue,
                                          String(decoding: try JSONSerialization.data(withJSONObject: params), as: UTF8.self), out.path])
            #expect(result.status == 0, "lifetimes: \(result.err.suffix(2000))")
            let peer = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: [Double]])
            #expect(peer["actual"] == ours.actualCumulative, "\(name): actual")
            let predicted = try #require(peer["predicted"])
            #expect(predicted.count == 78 && ours.expectedCumulative.count == 78)
            // Same closed forms for E[X(t)], summed in the same order: agreement to 1e-9 relative.
            let worst = zip(ours.expectedCumulative, predicted).map { abs($0 - $1) / $1 }.max() ?? .infinity
            #expect(worst < 1e-9, "\(name): largest relative difference from lifetimes \(worst)")
        }
    }

    @Test func actualCountsEqualTheTransactionFileAndExpectedEqualsAPerCustomerSum() throws {
        let daily = try #require(try Self.cdnowRun().dailyPurchases)
        let days = try Self.purchaseDaysByCustomer()
        let start = daily.firstDay.dayNumber
        #expect(start == days.values.map { $0.min()! }.min())
        let (_, model) = try Self.model("cdnow-bgnbd")
        let tracking = RepeatPurchaseTracking(daily: daily, model: model, unitDays: 7, calibrationEnd: Self.calibrationEnd)
        let firsts = days.values.map { $0.min()! }
        for week in [1, 13, 39, 40, 78] {
            let end = start + 7 * week   // exclusive
            let actual = days.values.reduce(0) { total, set in
                let first = set.min()!
                return total + set.filter { $0 != first && $0 < end }.count
            }
            #expect(tracking.actualCumulative[week - 1] == Double(actual), "week \(week)")
            let expected = firsts.filter { $0 < end }.reduce(0.0) { $0 + model.expectedPurchases(horizon: Double(end - $1) / 7) }
            #expect(abs(tracking.expectedCumulative[week - 1] - expected) <= 1e-9 * expected, "week \(week)")
        }
        // Calibration = the first 39 weeks exactly (1997-01-01 ... 1997-09-30); the rest is the holdout.
        #expect(tracking.calibrationEndPeriod == 39)
        #expect(tracking.calibration.actual == tracking.actualCumulative[38])
        #expect(tracking.calibration.expected == tracking.expectedCumulative[38])
        let holdout = try #require(tracking.holdout)
        #expect(holdout.actual == tracking.actualCumulative[77] - tracking.actualCumulative[38])
        #expect(tracking.actualWeekly.reduce(0, +) == tracking.actualCumulative.last)
    }

    @Test func trackingChartsAndMetricsShowTheTrackingNumbers() throws {
        let run = try Self.cdnowRun()
        let daily = try #require(run.dailyPurchases)
        var inputs = ReportInputs()
        inputs.models = [packageRoot.appendingPathComponent("models/cdnow-bgnbd.json")]
        inputs.summary = run.summary
        inputs.dailyPurchases = daily
        inputs.calibrationEnd = Self.calibrationEnd
        let section = try #require(try ReportBuilder.build(inputs, title: "t").sections.first)
        let (_, model) = try Self.model("cdnow-bgnbd")
        let tracking = RepeatPurchaseTracking(daily: daily, model: model, unitDays: 7, calibrationEnd: Self.calibrationEnd)
        for (kind, actual, expected) in [("cumulative", tracking.actualCumulative, tracking.expectedCumulative),
                                         ("weekly", tracking.actualWeekly, tracking.expectedWeekly)] {
            let figure = try #require(section.figure("cdnow-bgnbd-tracking-\(kind)"))
            let svg = try ParsedSVG(figure.svg)
            let marks = try svg.elements(className: "mark")
            #expect(marks.count == 2 * 78)
            #expect(marks.filter { $0.attribute("data-series") == "actual" }.compactMap { $0.number("data-y") } == actual)
            #expect(marks.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-y") } == expected)
            #expect(marks.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-x") } == (1...78).map(Double.init))
            #expect(try svg.elements("polyline", className: "series").map { $0.attribute("data-points") } == ["78", "78"])
            #expect(try svg.texts(className: "axis-label").first == "week")
            // The calibration end: a vertical reference line at week 39.
            let line = try svg.elements("polyline", className: "reference")
            #expect(line.count == 1)
            let xs = Set(line[0].attribute("points")!.split(separator: " ").map { $0.split(separator: ",")[0] })
            #expect(xs.count == 1)
            #expect(figure.chart.data.rows.count == 2 * 78)
        }
        #expect(section.metric("repeat purchases in calibration, actual")?.cell.number == tracking.calibration.actual)
        #expect(section.metric("repeat purchases in calibration, model")?.cell.number == tracking.calibration.expected)
        #expect(section.metric("repeat purchases after calibration, actual")?.cell.number == tracking.holdout?.actual)
        #expect(section.metric("repeat purchases after calibration, model")?.cell.number == tracking.holdout?.expected)
        // The summary's repeat purchases are the same purchases: Σ frequency over calibration, Σ frequency_holdout after.
        #expect(run.summary.frequency.reduce(0, +) == tracking.calibration.actual)
        #expect(run.summary.frequencyHoldout!.reduce(0, +) == tracking.holdout?.actual)
    }

    @Test func withoutACalibrationEndTheWholeLogIsOnePeriodAndAShortLogHasNoCharts() throws {
        let (file, model) = try Self.model("cdnow-bgnbd")
        let daily = DailyPurchases(firstDay: CalendarDay(dayNumber: 10_000), firstPurchases: [3, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1],
                                   repeatPurchases: [0, 1, 0, 2, 0, 0, 1, 0, 0, 3, 0, 0, 0, 1, 5])
        let t = RepeatPurchaseTracking(daily: daily, model: model, unitDays: 7, calibrationEnd: nil)
        #expect(t.periods == [1, 2])
        #expect(t.actualCumulative == [4, 8])
        #expect(t.actualWeekly == [4, 4])
        #expect(t.holdout == nil && t.calibrationEndPeriod == nil)
        #expect(t.calibration.actual == 13)   // all 15 days, the partial third week included
        let e = { (h: Double) in model.expectedPurchases(horizon: h / 7) }
        #expect(abs(t.expectedCumulative[0] - (3 * e(7) + 1 * e(5))) < 1e-12)
        #expect(abs(t.expectedCumulative[1] - (3 * e(14) + 1 * e(12) + 2 * e(7))) < 1e-12)
        let section = try RepeatPurchaseSection.make(file: file, name: "m", model: model, summary: nil, horizon: 52, tracking: t)
        #expect(section.figure("m-tracking-cumulative") != nil)
        #expect(section.metric("repeat purchases after calibration, actual") == nil)
        #expect(try ParsedSVG(section.figure("m-tracking-cumulative")!.svg).elements("polyline", className: "reference").isEmpty)

        let short = DailyPurchases(firstDay: CalendarDay(dayNumber: 0), firstPurchases: [2, 1], repeatPurchases: [0, 1])
        let none = RepeatPurchaseTracking(daily: short, model: model, unitDays: 7, calibrationEnd: nil)
        let shortSection = try RepeatPurchaseSection.make(file: file, name: "m", model: model, summary: nil, horizon: 52, tracking: none)
        #expect(shortSection.figure("m-tracking-cumulative") == nil)
        #expect(shortSection.blocks.contains { if case .note(let n) = $0 { return n.contains("less than a week") } else { return false } })
    }
}
