import Foundation

/// The value picture of a score table and its sidecar: CLV distribution, the profitability
/// (Lorenz) curve with the loss-making customers, the value matrix, RFM segment sizes, P(alive)
/// and churn-risk distributions. Sidecar numbers are shown as written; table aggregates are
/// computed in one pass (`ScoreTableSummary`).
public enum ValueSection {
    /// Quadrant of each value segment: (column = current value, row = future value).
    static let quadrants: [String: (Int, Int)] = ["top": (1, 1), "opportunity": (0, 1), "retain": (1, 0), "tolerate": (0, 0)]

    /// `id` prefixes the section's figure ids (several score tables in one report need different ones).
    public static func make(scores: URL, id: String = "value") throws -> ReportSection {
        let summary = try ScoreTableSummary(path: scores.path)
        let meta = try ScoreSidecar.location(forScores: scores).map(ScoreSidecar.read)
        var section = ReportSection(id: id, title: "Customer value: \(scores.lastPathComponent)",
                                    intro: ["From \(scores.lastPathComponent): \(NumberFormat.integer(summary.customers)) scored customers."])
        var metrics = [Metric("customers", .number(Double(summary.customers), .integer)),
                       Metric("total CLV", .number(summary.totalCLV, .compact)),
                       Metric("mean CLV", .number(summary.customers > 0 ? summary.totalCLV / Double(summary.customers) : .nan, .decimals(2)))]
        if let p = meta?.profitability {
            if let s = p.profitShareTop20pct { metrics.append(Metric("profit from the top 20%", .number(s, .percent(1)))) }
            if let s = p.revenueShareTop5pct { metrics.append(Metric("revenue from the top 5%", .number(s, .percent(1)))) }
            if let n = p.profitableCustomers { metrics.append(Metric("profitable customers", .number(Double(n), .integer))) }
            if let n = p.breakEvenCustomers { metrics.append(Metric("break-even customers", .number(Double(n), .integer))) }
            if let n = p.lossMakingCustomers {
                metrics.append(Metric("loss-making customers", .number(Double(n), .integer), detail: p.lossAmount.map { "losing \(NumberFormat.compact($0)) in total" }))
            }
            if let g = p.gini { metrics.append(Metric("Gini of revenue", .number(g, .decimals(3)))) }
        }
        section.blocks.append(.metrics(metrics))
        if meta == nil { section.blocks.append(.note("No .meta.json sidecar next to \(scores.lastPathComponent): the profitability curve, value matrix and RFM segments come from it and are left out.")) }

        let histogram = summary.clvHistogram()
        if !histogram.counts.isEmpty {
            let edges = NumberFormat.ticks(histogram.lower, step: histogram.width)
            let labels = edges.enumerated().map { k, edge in k == edges.count - 1 ? "≥ \(edge)" : edge }
            section.blocks.append(.figure(Figure(
                id: "\(id)-clv-distribution", title: "CLV distribution",
                caption: "Customers by customer lifetime value, in bins of \(NumberFormat.ticks([histogram.width], step: histogram.width)[0]) (labels are the lower edges; the last bin holds everyone from the 99th percentile up).",
                chart: BarChart(categories: labels, series: [.init(name: "customers", values: histogram.counts.map(Double.init))],
                                categoryLabel: "CLV (bin lower edge)", valueLabel: "customers"))))
        }
        if let p = meta?.profitability, !p.lorenz.isEmpty {
            section.blocks.append(.figure(lorenzFigure(p, id: id)))
        }
        if let deciles = meta?.profitability?.deciles, !deciles.isEmpty {
            section.blocks.append(.figure(Figure(
                id: "\(id)-profit-deciles", title: "Profit and revenue by profit decile",
                caption: "Share of total net value (profit) and of revenue per tenth of customers by historic net value, decile 1 the most profitable. Negative bars are deciles that lose money.",
                chart: BarChart(categories: deciles.map { "\($0.decile)" },
                                series: [.init(name: "share of profit", values: deciles.map(\.netValueShare)),
                                         .init(name: "share of revenue", values: deciles.map(\.revenueShare))],
                                categoryLabel: "profit decile (1 = most profitable)", valueLabel: "share", valuePercent: true))))
        }
        if let matrix = meta?.valueMatrix, !matrix.isEmpty {
            section.blocks.append(.figure(valueMatrixFigure(matrix, id: id)))
        }
        if let rfm = meta?.rfmSegments, !rfm.isEmpty {
            let sorted = rfm.sorted { $0.customers > $1.customers }
            section.blocks.append(.figure(Figure(
                id: "\(id)-rfm-segments", title: "RFM segments",
                caption: "Customers per RFM segment (recency, frequency, monetary value scores), largest first.",
                chart: BarChart(categories: sorted.map(\.segment), series: [.init(name: "customers", values: sorted.map { Double($0.customers) })],
                                categoryLabel: "RFM segment", valueLabel: "customers", horizontal: true, valueStyle: .integer))))
        }
        section.blocks.append(.figure(Figure(
            id: "\(id)-p-alive", title: "P(alive) distribution",
            caption: "Customers by probability of still being active, in tenths.",
            chart: BarChart(categories: tenthLabels, series: [.init(name: "customers", values: summary.probabilityAliveCounts.map(Double.init))],
                            categoryLabel: "P(alive)", valueLabel: "customers"))))
        if let churn = summary.churnProbabilityCounts {
            section.blocks.append(.figure(Figure(
                id: "\(id)-churn-risk", title: "Churn probability distribution",
                caption: "Customers by predicted churn probability, in tenths.",
                chart: BarChart(categories: tenthLabels, series: [.init(name: "customers", values: churn.map(Double.init))],
                                categoryLabel: "churn probability", valueLabel: "customers"))))
        }
        if !summary.valueSegments.isEmpty {
            var t = DataTable(columns: ["value segment", "customers", "total CLV", "mean CLV", "share of CLV"])
            // The contract's quadrant order (top, opportunity, retain, tolerate), other names after them.
            let order = ["top", "opportunity", "retain", "tolerate"]
            let groups = summary.valueSegments.sorted { (order.firstIndex(of: $0.name) ?? 4) < (order.firstIndex(of: $1.name) ?? 4) }
            for g in groups {
                t.append([.text(g.name), .number(Double(g.customers), .integer), .number(g.clv, .decimals(0)),
                          .number(g.clv / Double(g.customers), .decimals(2)), .number(g.clv / summary.totalCLV, .percent(1))])
            }
            section.blocks.append(.table(id: "\(id)-segments", title: "Value segments in the score table", t))
        }
        return section
    }

    static let tenthLabels = (0..<10).map { "\(NumberFormat.fixed(Double($0) / 10, decimals: 1))–\(NumberFormat.fixed(Double($0 + 1) / 10, decimals: 1))" }

    static func lorenzFigure(_ p: ScoreSidecar.Profitability, id: String) -> Figure {
        let x = p.lorenz.map { $0[0] }, y = p.lorenz.map { $0[1] }
        let peak = y.indices.max { y[$0] < y[$1] } ?? 0
        var annotations: [LineChart.Annotation] = []
        if y[peak] > 1.0001 {
            annotations.append(.init(x: x[peak], y: y[peak], text: "\(NumberFormat.percent(x[peak], decimals: 0)) of customers earn \(NumberFormat.percent(y[peak], decimals: 0)) of profit"))
        }
        let losers = p.lossMakingCustomers.map { " The \(NumberFormat.integer($0)) loss-making customers are where the curve falls" + (p.lossAmount.map { ", losing \(NumberFormat.compact($0))" } ?? "") + "." } ?? ""
        return Figure(id: "\(id)-profitability", title: "Profitability curve",
                      caption: "Cumulative share of profit against share of customers, most profitable first. A curve rising above 100% and falling back means some customers lose money.\(losers)",
                      chart: LineChart(series: [.init(name: "cumulative profit", x: x, y: y, markers: false)],
                                       xLabel: "customers (most profitable first)", yLabel: "share of total profit",
                                       reference: ("equal profit per customer", [0, 1], [0, 1]), xPercent: true, yPercent: true,
                                       annotations: annotations))
    }

    static func valueMatrixFigure(_ matrix: [ScoreSidecar.ValueCell], id: String) -> Figure {
        if matrix.allSatisfy({ quadrants[$0.segment] != nil }) {
            let cells = matrix.map { c in QuadrantChart.Cell(segment: c.segment, customers: c.customers, valueShare: c.valueShare,
                                                              column: quadrants[c.segment]!.0, row: quadrants[c.segment]!.1) }
            return Figure(id: "\(id)-matrix", title: "Value matrix",
                          caption: "Customers by current value (historic) and future value (CLV): count and share of total value per quadrant.",
                          chart: QuadrantChart(cells: cells, xLabel: "current value", yLabel: "future value"))
        }
        return Figure(id: "\(id)-matrix", title: "Value matrix",
                      caption: "Share of total value per value segment.",
                      chart: BarChart(categories: matrix.map(\.segment), series: [.init(name: "value share", values: matrix.map(\.valueShare))],
                                      categoryLabel: "segment", valueLabel: "share of value", valueStyle: .percent(1), valuePercent: true))
    }
}
