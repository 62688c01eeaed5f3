import Foundation
import Testing
@testable import Reports

/// The SVG of every chart type is well-formed XML, has its axis labels, and draws exactly one mark
/// per data point, bar, cell or row, carrying the exact value it stands for.
@Suite struct ChartStructureTests {
    @Test func lineChartDrawsOneMarkerPerPointWithExactValues() throws {
        let chart = LineChart(series: [.init(name: "actual", x: [0, 1, 2, 3], y: [0.25, 0.5, 1.0 / 3, 2]),
                                       .init(name: "model", x: [0, 1, 2], y: [0.2, 0.6, 0.9])],
                              xLabel: "purchases in calibration", yLabel: "mean holdout purchases",
                              reference: ("diagonal", [0, 3], [0, 3]))
        let svg = try ParsedSVG(chart.svg(title: "t"))
        let marks = try svg.elements(className: "mark")
        #expect(marks.count == 7)
        let actual = marks.filter { $0.attribute("data-series") == "actual" }
        #expect(actual.compactMap { $0.number("data-y") } == [0.25, 0.5, 1.0 / 3, 2])
        let lines = try svg.elements("polyline", className: "series")
        #expect(lines.map { $0.attribute("data-points") } == ["4", "3"])
        #expect(lines.map { $0.attribute("points")!.split(separator: " ").count } == [4, 3])
        #expect(try svg.texts(className: "axis-label") == ["purchases in calibration", "mean holdout purchases"])
        #expect(try svg.elements("polyline", className: "reference").count == 1)
        #expect(chart.data.rows.count == 7)
    }

    @Test func lineWithoutMarkersStillKeepsEveryPointInItsPolyline() throws {
        let x = (0...500).map { Double($0) / 500 }
        let chart = LineChart(series: [.init(name: "roc", x: x, y: x.map { $0.squareRoot() }, markers: false)], xLabel: "a", yLabel: "b")
        let svg = try ParsedSVG(chart.svg(title: "t"))
        #expect(try svg.elements(className: "mark").isEmpty)
        #expect(try svg.elements("polyline", className: "series")[0].attribute("points")!.split(separator: " ").count == 501)
    }

    @Test func barChartDrawsOneBarPerCategoryAndSeries() throws {
        let chart = BarChart(categories: ["0", "1", "2", "7+"],
                             series: [.init(name: "actual", values: [14118, 4442, 2064, 636]), .init(name: "model", values: [14059.2, 4694.1, 1921, 687])],
                             categoryLabel: "repeat transactions", valueLabel: "customers", valueStyle: .integer)
        let svg = try ParsedSVG(chart.svg(title: "t"))
        let bars = try svg.elements("rect", className: "bar")
        #expect(bars.count == 8)
        #expect(bars.filter { $0.attribute("data-series") == "model" }.compactMap { $0.number("data-value") } == [14059.2, 4694.1, 1921, 687])
        #expect(try svg.texts(className: "axis-label") == ["repeat transactions", "customers"])
        // Taller bars for larger values: heights are proportional to the values.
        let heights = bars.prefix(4).compactMap { $0.number("height") }
        #expect(heights[0] > heights[1] && heights[1] > heights[2] && heights[2] > heights[3])
        #expect(abs(heights[0] / heights[1] - 14118.0 / 4442) < 0.01)
    }

    @Test func horizontalBarsAndHostileNamesAreEscaped() throws {
        let chart = BarChart(categories: ["<script>alert(1)</script>", "a & b"], series: [.init(name: "n", values: [3, 4])],
                             categoryLabel: "segment", valueLabel: "customers", horizontal: true, valueStyle: .integer)
        let text = chart.svg(title: "t \"quoted\"")
        #expect(!text.contains("<script>"))
        let svg = try ParsedSVG(text)
        #expect(try svg.elements("rect", className: "bar").compactMap { $0.attribute("data-category") } == ["<script>alert(1)</script>", "a & b"])
    }

    @Test func heatmapDrawsOneCellPerValueAndBlanksImpossibleCells() throws {
        let values: [[Double]] = [[0.9, 0.5, 0.1], [1, .nan, .nan]]
        let chart = Heatmap(rowLabels: ["1", "0"], columnLabels: ["0", "10", "20"], values: values, rowTitle: "frequency",
                            columnTitle: "recency", valueTitle: "P(alive)")
        let svg = try ParsedSVG(chart.svg(title: "t"))
        let cells = try svg.elements("rect", className: "cell")
        #expect(cells.count == 6)
        #expect(cells.prefix(3).compactMap { $0.number("data-value") } == [0.9, 0.5, 0.1])
        #expect(cells.filter { $0.attribute("fill") == "#F4F4F4" }.count == 2)
        #expect(try svg.texts(className: "axis-label") == ["recency", "frequency"])
        #expect(chart.data.rows.count == 6)
    }

    @Test func intervalChartDrawsOnePointPerRowAndIntervalsWhenGiven() throws {
        let chart = IntervalChart(rows: [.init(label: "Contract_Two year", estimate: 0.25, lower: 0.18, upper: 0.33),
                                         .init(label: "tenure", estimate: 0.97, lower: nil, upper: nil),
                                         .init(label: "PaperlessBilling", estimate: 1.5, lower: 1.2, upper: 1.9)],
                                  valueLabel: "odds ratio")
        let svg = try ParsedSVG(chart.svg(title: "t"))
        #expect(try svg.elements(className: "mark").compactMap { $0.number("data-value") } == [0.25, 0.97, 1.5])
        #expect(try svg.elements("line", className: "interval").count == 2)
        #expect(try svg.texts(className: "axis-label").first == "odds ratio")
    }

    @Test func quadrantChartShowsCountsAndShares() throws {
        let chart = QuadrantChart(cells: [.init(segment: "top", customers: 120, valueShare: 0.61, column: 1, row: 1),
                                          .init(segment: "tolerate", customers: 800, valueShare: 0.04, column: 0, row: 0)],
                                  xLabel: "current value", yLabel: "future value")
        let text = chart.svg(title: "t")
        let svg = try ParsedSVG(text)
        #expect(try svg.elements("rect", className: "quadrant").compactMap { $0.attribute("data-customers") } == ["120", "800"])
        #expect(text.contains("61.0% of value") && text.contains("800 customers"))
    }

    @Test func dataTableCSVQuotesAndKeepsExactNumbers() {
        var t = DataTable(columns: ["name", "value"])
        t.append([.text("a, \"b\""), .number(1.0 / 3, .decimals(2))])
        t.append([.text("c"), .missing])
        #expect(t.csv == "name,value\n\"a, \"\"b\"\"\",\(1.0 / 3)\nc,\n")
        #expect(t.html.contains(">0.33<") && t.html.contains("data-value=\"\(1.0 / 3)\""))
    }
}
