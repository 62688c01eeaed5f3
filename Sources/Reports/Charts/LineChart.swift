import Foundation

/// Lines (and optional point markers) over a numeric x axis: tracking, ROC, gains, Lorenz,
/// calibration, actual vs predicted by frequency. Every series keeps all its points; callers
/// aggregate before (a chart never gets a million points).
public struct LineChart: Chart {
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var markers: Bool
        public init(name: String, x: [Double], y: [Double], markers: Bool = true) {
            precondition(x.count == y.count, "LineChart.Series: x and y differ in length")
            self.name = name; self.x = x; self.y = y; self.markers = markers
        }
    }

    /// A labelled point drawn with a pointer (e.g. where profit peaks on the Lorenz curve).
    public struct Annotation: Sendable {
        public var x: Double, y: Double, text: String
        public init(x: Double, y: Double, text: String) { self.x = x; self.y = y; self.text = text }
    }

    public var series: [Series]
    public var xLabel: String
    public var yLabel: String
    /// A grey dashed reference line (diagonal, random model, perfect calibration) and its legend name.
    public var reference: (name: String, x: [Double], y: [Double])?
    /// Labels for x = 0, 1, 2, ... instead of numbers (e.g. "0" ... "7+").
    public var xCategories: [String]?
    public var xPercent = false
    public var yPercent = false
    public var yIncludeZero = true
    public var annotations: [Annotation] = []

    public init(series: [Series], xLabel: String, yLabel: String, reference: (name: String, x: [Double], y: [Double])? = nil,
                xCategories: [String]? = nil, xPercent: Bool = false, yPercent: Bool = false, yIncludeZero: Bool = true,
                annotations: [Annotation] = []) {
        self.series = series; self.xLabel = xLabel; self.yLabel = yLabel; self.reference = reference
        self.xCategories = xCategories; self.xPercent = xPercent; self.yPercent = yPercent
        self.yIncludeZero = yIncludeZero; self.annotations = annotations
    }

    public func svg(title: String) -> String {
        var frame = Frame()
        let legendRows = max(1, Int((Double(series.count + (reference == nil ? 0 : 1)) / 4).rounded(.up)))
        frame.top = 22 + 16 * Double(legendRows)
        var svg = SVG(width: frame.width, height: frame.height)
        let allX = series.flatMap(\.x) + (reference?.x ?? [])
        let allY = series.flatMap(\.y) + (reference?.y ?? []) + annotations.map(\.y)
        let xDomain: (Double, Double)
        if let xCategories { xDomain = (-0.5, Double(xCategories.count) - 0.5) }
        else { xDomain = LinearScale.niceDomain(allX) }
        let x = LinearScale(domain: xDomain, range: (frame.plotLeft, frame.plotRight))
        let y = LinearScale(domain: LinearScale.niceDomain(allY, includeZero: yIncludeZero), range: (frame.plotBottom, frame.plotTop))
        let xTicks: [(Double, String)]
        if let xCategories { xTicks = xCategories.enumerated().map { (x(Double($0.offset)), $0.element) } }
        else { xTicks = xPercent ? Frame.percentTicks(x) : Frame.ticks(x) }
        frame.drawAxes(&svg, xTicks: xTicks, yTicks: yPercent ? Frame.percentTicks(y) : Frame.ticks(y), xLabel: xLabel, yLabel: yLabel)
        var legend: [LegendEntry] = []
        if let reference {
            let points = zip(reference.x, reference.y).map { "\(SVG.px(x($0))),\(SVG.px(y($1)))" }.joined(separator: " ")
            svg.element("polyline", [("points", points), ("fill", "none"), ("stroke", Palette.reference), ("stroke-width", "1.5"),
                                     ("stroke-dasharray", "5 4"), ("class", "reference")])
            legend.append(LegendEntry(name: reference.name, color: Palette.reference, dash: "5 4", kind: .line))
        }
        for (k, s) in series.enumerated() {
            let color = Palette.color(k)
            let points = zip(s.x, s.y).map { "\(SVG.px(x($0))),\(SVG.px(y($1)))" }.joined(separator: " ")
            svg.element("polyline", [("points", points), ("fill", "none"), ("stroke", color), ("stroke-width", "2.2"),
                                     ("stroke-dasharray", Palette.dash(k)), ("stroke-linejoin", "round"),
                                     ("class", "series"), ("data-series", s.name), ("data-points", String(s.x.count))])
            if s.markers {
                let shape = MarkerShape(rawValue: k % 4)!
                for (xi, yi) in zip(s.x, s.y) {
                    let label = xCategories.map { $0[Int(xi)] } ?? format(xi, percent: xPercent)
                    shape.draw(&svg, x: x(xi), y: y(yi), color: color,
                               attributes: [("class", "mark"), ("data-series", s.name), ("data-x", NumberFormat.exact(xi)), ("data-y", NumberFormat.exact(yi))],
                               title: "\(s.name): \(label) → \(format(yi, percent: yPercent))")
                }
            }
            legend.append(LegendEntry(name: s.name, color: color, dash: Palette.dash(k), kind: .line))
        }
        for a in annotations {
            let px = x(a.x), py = y(a.y)
            svg.element("circle", [("cx", SVG.px(px)), ("cy", SVG.px(py)), ("r", "5"), ("fill", "none"), ("stroke", Palette.ink), ("stroke-width", "1.5"), ("class", "annotation")])
            let right = px < (frame.plotLeft + frame.plotRight) / 2
            svg.text(a.text, x: px + (right ? 9 : -9), y: py + (py < frame.plotTop + 20 ? 16 : -8), anchor: right ? "start" : "end", size: 11, className: "annotation-label")
        }
        frame.drawLegend(&svg, entries: legend)
        return svg.render(title: title, className: "chart line-chart")
    }

    private func format(_ v: Double, percent: Bool) -> String {
        percent ? NumberFormat.percent(v, decimals: 1) : NumberFormat.compact(v, significant: 4)
    }

    public var data: DataTable {
        var t = DataTable(columns: ["series", "x", "y"])
        for s in series {
            for (xi, yi) in zip(s.x, s.y) {
                t.append([.text(s.name), xCategories.map { .text($0[Int(xi)]) } ?? .number(xi, .decimals(3)), .number(yi, .decimals(3))])
            }
        }
        return t
    }

    public var matplotlib: String {
        var lines = ["fig, ax = plt.subplots(figsize=(7, 4))"]
        if let reference {
            lines.append("ax.plot(\(pyList(reference.x)), \(pyList(reference.y)), linestyle='--', color='grey', label=\(reference.name.pythonLiteral))")
        }
        let styles = ["-", "--", ":", "-."]
        lines.append("for k, (name, g) in enumerate(df.groupby('series', sort=False)):")
        lines.append("    ax.plot(range(len(g)) if g['x'].dtype == object else g['x'], g['y'], linestyle=\(pyList(styles))[k % 4], marker='o' if len(g) <= 40 else None, label=name)")
        if let xCategories {
            lines.append("ax.set_xticks(range(\(xCategories.count)))")
            lines.append("ax.set_xticklabels(\(xCategories.map(\.pythonLiteral).joined(separator: ", ").wrappedInBrackets))")
        }
        lines.append("ax.set_xlabel(\(xLabel.pythonLiteral)); ax.set_ylabel(\(yLabel.pythonLiteral)); ax.legend(); ax.grid(alpha=0.3)")
        return lines.joined(separator: "\n")
    }

    private func pyList(_ v: [Double]) -> String { "[" + v.map { NumberFormat.exact($0) }.joined(separator: ", ") + "]" }
    private func pyList(_ v: [String]) -> String { "[" + v.map { "'\($0)'" }.joined(separator: ", ") + "]" }
}

extension String {
    var wrappedInBrackets: String { "[" + self + "]" }
}
