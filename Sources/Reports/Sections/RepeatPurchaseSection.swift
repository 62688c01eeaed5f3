import CustomerData
import Foundation
import Models

/// The pictures of a fitted repeat-purchase or spend model: the parameter table, and with a
/// customer summary the papers' checks (Fader, Hardie & Lee 2005, Figures 1 and 4: repeat
/// transactions per customer, actual vs model; holdout purchases by calibration frequency) and
/// P(alive) / expected purchases over frequency x recency.
public enum RepeatPurchaseSection {
    /// Frequencies 0 ... 6 and "7+" in the frequency charts (the papers' bins).
    public static let lastBin = 7

    /// `name` tells models apart in ids ("cdnow-bgnbd"); `horizon` is the heatmap's future period.
    /// `tracking`: the weekly actual vs expected repeat purchases of the transaction log, when it was given.
    public static func make(file: ModelFile, name: String, model: (any RepeatPurchaseModel)?, summary: CustomerSummary?, horizon: Double,
                            tracking: RepeatPurchaseTracking? = nil) throws -> ReportSection {
        var section = ReportSection(id: slug(name), title: "\(name): \(file.kind.rawValue) model")
        section.intro.append("Fitted on \(NumberFormat.fixed(file.training.customers, decimals: file.training.customers.rounded() == file.training.customers ? 0 : 1)) customers\(file.training.source.map { " from \($0)" } ?? ""), time unit \(file.timeUnit). Log-likelihood \(NumberFormat.fixed(file.logLikelihood, decimals: 2)); \(file.convergence.converged ? "the fit converged" : "THE FIT DID NOT CONVERGE") after \(file.convergence.iterations) iterations.")
        section.blocks.append(.table(id: "\(section.id)-parameters", title: "Parameters with standard errors and 95% intervals", parameterTable(file)))
        for note in file.notes { section.blocks.append(.note(note)) }
        guard let model, file.kind != .bgbb else { return section }
        if let tracking { section.blocks += trackingBlocks(tracking, id: section.id) }
        guard let summary else {
            section.blocks.append(.note("Give the customer summary (--summary) to see the fit and holdout charts."))
            return section
        }
        section.blocks.append(.figure(repeatTransactionsFigure(model: model, summary: summary, id: section.id)))
        if summary.hasHoldout {
            let evaluation = try HoldoutEvaluation(model: model, summary: summary, lastBin: lastBin)
            section.blocks.append(.metrics(holdoutMetrics(evaluation)))
            section.blocks.append(.figure(holdoutFigure(evaluation, id: section.id, unit: summary.timeUnit.rawValue)))
        }
        let grid = FrequencyRecencyGrid(summary: summary)
        let (alive, expected) = grid.values(model: model, horizon: horizon)
        section.blocks.append(.figure(Figure(
            id: "\(section.id)-p-alive", title: "P(alive) by frequency and recency",
            caption: "Probability that a customer is still active, for customers observed for T = \(NumberFormat.compact(grid.T, significant: 4)) \(summary.timeUnit.rawValue)s. Customers who bought often but not recently (top left) are the ones the model thinks have left; one purchase long ago (bottom) says little either way. Cells where no customer can be (recency > 0 without repeat purchases) are blank.",
            chart: grid.heatmap(alive, title: "P(alive)", style: .decimals(2), unit: summary.timeUnit.rawValue))))
        section.blocks.append(.figure(Figure(
            id: "\(section.id)-expected", title: "Expected purchases in the next \(NumberFormat.compact(horizon)) \(summary.timeUnit.rawValue)s",
            caption: "Conditional expected number of purchases over the next \(NumberFormat.compact(horizon)) \(summary.timeUnit.rawValue)s for a customer with this history (T = \(NumberFormat.compact(grid.T, significant: 4))).",
            chart: grid.heatmap(expected, title: "purchases", style: .decimals(2), unit: summary.timeUnit.rawValue))))
        return section
    }

    static func parameterTable(_ file: ModelFile) -> DataTable {
        var t = DataTable(columns: ["parameter", "estimate", "std. error", "95% lower", "95% upper"])
        for p in file.parameters {
            func cell(_ x: Double?) -> DataTable.Cell { x.map { .number($0, .decimals(4)) } ?? .missing }
            t.append([.text(p.name), cell(p.estimate), cell(p.standardError), cell(p.lower95), cell(p.upper95)])
        }
        return t
    }

    /// Customers with 0, 1, ..., 6, 7+ repeat purchases in calibration: actual, and expected
    /// Σᵢ P(X(Tᵢ) = x) (a new customer's count distribution over each customer's own T).
    public static func repeatTransactionCounts(model: any RepeatPurchaseModel, summary: CustomerSummary) -> (actual: [Double], expected: [Double]) {
        var actual = [Double](repeating: 0, count: lastBin + 1)
        for x in summary.frequency { actual[min(lastBin, max(0, Int(x)))] += 1 }
        var customersByT: [Double: Double] = [:]
        for t in summary.T { customersByT[t, default: 0] += 1 }
        var expected = [Double](repeating: 0, count: lastBin + 1)
        // In order of T, so the sums (and the committed notebooks) are the same on every run.
        for (t, n) in customersByT.sorted(by: { $0.key < $1.key }) {
            var below = 0.0
            for k in 0..<lastBin {
                let p = model.probabilityOfPurchases(k, horizon: t)
                expected[k] += n * p
                below += p
            }
            expected[lastBin] += n * max(0, 1 - below)
        }
        return (actual, expected)
    }

    static func repeatTransactionsFigure(model: any RepeatPurchaseModel, summary: CustomerSummary, id: String) -> Figure {
        let (actual, expected) = repeatTransactionCounts(model: model, summary: summary)
        let labels = (0...lastBin).map { $0 == lastBin ? "\($0)+" : "\($0)" }
        return Figure(id: "\(id)-repeat-transactions", title: "Customers by number of repeat transactions: actual vs model",
                      caption: "How many customers made 0, 1, 2, ... repeat purchases in the calibration period, and how many the model expects (the sum over customers of P(X(T) = x)). Close bars mean the model fits the spread of buying rates.",
                      chart: BarChart(categories: labels, series: [.init(name: "actual", values: actual), .init(name: "model", values: expected)],
                                      categoryLabel: "repeat transactions in calibration", valueLabel: "customers", valueStyle: .integer))
    }

    static func holdoutMetrics(_ e: HoldoutEvaluation) -> [Metric] {
        [Metric("holdout purchases, actual", .number(e.totalActual, .integer)),
         Metric("holdout purchases, predicted", .number(e.totalPredicted, .decimals(1)),
                detail: NumberFormat.percent(e.totalPredicted / e.totalActual - 1) + " vs actual"),
         Metric("MAE per customer", .number(e.meanAbsoluteError, .decimals(4))),
         Metric("RMSE per customer", .number(e.rootMeanSquaredError, .decimals(4)))]
    }

    static func holdoutFigure(_ e: HoldoutEvaluation, id: String, unit: String) -> Figure {
        let bins = e.bins.filter { $0.customers > 0 }
        let x = bins.indices.map(Double.init)
        return Figure(id: "\(id)-holdout", title: "Holdout purchases by calibration frequency",
                      caption: "Mean purchases per customer in the holdout period, actual vs the model's conditional expectation, grouped by how often the customers bought in calibration (Fader, Hardie & Lee 2005, Figure 4). \(NumberFormat.integer(e.predicted.count)) customers.",
                      chart: LineChart(series: [.init(name: "actual", x: x, y: bins.map(\.meanActual)),
                                                .init(name: "model", x: x, y: bins.map(\.meanPredicted))],
                                       xLabel: "purchases in calibration", yLabel: "mean holdout purchases",
                                       xCategories: bins.map(\.label)))
    }

    static func trackingMetrics(_ t: RepeatPurchaseTracking) -> [Metric] {
        func versus(_ expected: Double, _ actual: Double) -> String? { actual > 0 ? NumberFormat.percent(expected / actual - 1) + " vs actual" : nil }
        var metrics = [Metric("repeat purchases in calibration, actual", .number(t.calibration.actual, .integer)),
                       Metric("repeat purchases in calibration, model", .number(t.calibration.expected, .decimals(1)),
                              detail: versus(t.calibration.expected, t.calibration.actual))]
        if let h = t.holdout {
            metrics += [Metric("repeat purchases after calibration, actual", .number(h.actual, .integer)),
                        Metric("repeat purchases after calibration, model", .number(h.expected, .decimals(1)), detail: versus(h.expected, h.actual))]
        }
        return metrics
    }

    /// The papers' tracking charts: cumulative and weekly repeat purchases, actual vs model, with
    /// the calibration end marked.
    static func trackingBlocks(_ t: RepeatPurchaseTracking, id: String) -> [ReportBlock] {
        guard !t.periods.isEmpty else { return [.note("The transaction log covers less than a week: no tracking charts.")] }
        let markers = t.periods.count <= 120
        func calibrationLine(_ values: [Double]) -> (name: String, x: [Double], y: [Double])? {
            t.calibrationEndPeriod.map { ("calibration end", [$0, $0], [0, values.max() ?? 0]) }
        }
        let cohorts = "Every customer of the log counts from the day of their first purchase: the model expects the customers who first bought on day s to have made E[X(t)] repeat purchases t after it, summed over the first-purchase days (Fader, Hardie & Lee 2005, Figure 2)."
        let cumulative = t.actualCumulative + t.expectedCumulative, weekly = t.actualWeekly + t.expectedWeekly
        return [
            .metrics(trackingMetrics(t)),
            .figure(Figure(id: "\(id)-tracking-cumulative", title: "Cumulative repeat purchases: actual vs model",
                           caption: "Repeat purchases of all customers up to the end of each week since the log's first day, and what the model expects. \(cohorts) Lines that stay together after the calibration end mean the model forecasts the total well.",
                           chart: LineChart(series: [.init(name: "actual", x: t.periods, y: t.actualCumulative, markers: markers),
                                                     .init(name: "model", x: t.periods, y: t.expectedCumulative, markers: markers)],
                                            xLabel: "week", yLabel: "cumulative repeat purchases", reference: calibrationLine(cumulative)))),
            .figure(Figure(id: "\(id)-tracking-weekly", title: "Weekly repeat purchases: actual vs model",
                           caption: "Repeat purchases in each week, actual and expected by the model. \(cohorts) The model follows the trend, not weekly ups and downs such as holidays.",
                           chart: LineChart(series: [.init(name: "actual", x: t.periods, y: t.actualWeekly, markers: markers),
                                                     .init(name: "model", x: t.periods, y: t.expectedWeekly, markers: markers)],
                                            xLabel: "week", yLabel: "repeat purchases per week", reference: calibrationLine(weekly)))),
        ]
    }

    static func slug(_ s: String) -> String {
        let allowed = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(allowed).split(separator: "-").joined(separator: "-")
    }
}

/// Frequency x recency grid at the longest observation time T of a summary, as lifetimes'
/// `plot_probability_alive_matrix` draws it: frequency 0 ... the 99th percentile (at most 30),
/// recency 0 ... T in about 20 steps.
struct FrequencyRecencyGrid {
    var T: Double
    var frequencies: [Double]
    var recencies: [Double]

    init(summary: CustomerSummary) {
        T = summary.T.max() ?? 1
        let sorted = summary.frequency.sorted()
        let p99 = sorted.isEmpty ? 10 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        let top = Int(min(30, max(5, p99)))
        frequencies = (0...top).reversed().map(Double.init)
        let step = LinearScale.niceStep(T / 20)
        var r: [Double] = []
        var v = 0.0
        while v <= T + 1e-9 { r.append(v); v += step }
        recencies = r
    }

    /// P(alive) and E[purchases in the next `horizon`] per cell (NaN where frequency 0 meets recency > 0).
    func values(model: any RepeatPurchaseModel, horizon: Double) -> ([[Double]], [[Double]]) {
        var alive: [[Double]] = [], expected: [[Double]] = []
        for x in frequencies {
            var a: [Double] = [], e: [Double] = []
            for tx in recencies {
                if x == 0 && tx > 0 { a.append(.nan); e.append(.nan); continue }
                a.append(model.probabilityAlive(frequency: x, recency: tx, T: T))
                e.append(model.conditionalExpectedPurchases(horizon: horizon, frequency: x, recency: tx, T: T))
            }
            alive.append(a); expected.append(e)
        }
        return (alive, expected)
    }

    func heatmap(_ values: [[Double]], title: String, style: DataTable.Style, unit: String) -> Heatmap {
        let step = recencies.count > 1 ? recencies[1] - recencies[0] : 1
        return Heatmap(rowLabels: frequencies.map { NumberFormat.fixed($0, decimals: 0) }, columnLabels: NumberFormat.ticks(recencies, step: step),
                values: values, rowTitle: "frequency (repeat purchases)", columnTitle: "recency (\(unit)s, age at last purchase)",
                valueTitle: title, valueStyle: style)
    }
}
