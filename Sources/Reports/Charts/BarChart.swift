import Foundation

/// Bars per category, one bar per series side by side (histograms, lift by decile, segment sizes,
/// actions by channel). Horizontal bars suit long category names.
public struct BarChart: Chart {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public var categories: [String]
    public var series: [Series]
    public var categoryLabel: String
    public var valueLabel: String
    public var horizontal = false
    /// How the value printed at the end of each bar is shown (nil: no labels).
    public var valueStyle: DataTable.Style?
    public var valuePercent = false
    /// A grey dashed line at this value (e.g. lift 1 = random).
    public var reference: (name: String, value: Double)?

    public init(categories: [String], series: [Series], categoryLabel: String, valueLabel: String, horizontal: Bool = false,
                valueStyle: DataTable.Style? = nil, valuePercent: Bool = false, reference: (name: String, value: Double)? = nil) {
        for s in series { precondition(s.values.count == categories.count, "BarChart: \(s.name) has \(s.values.count) values for \(categories.count) categories") }
        self.categories = categories; self.series = series; self.categoryLabel = categoryLabel; self.valueLabel = valueLabel
        self.horizontal = horizontal; self.valueStyle = valueStyle; self.valuePercent = valuePercent; self.reference = reference
    }

    public func svg(title: String) -> String {
        var frame = Frame()
        let showLegend = series.count > 1 || reference != nil
        frame.top = showLegend ? 38 : 20
        if horizontal {
            let longest = categories.map(\.count).max() ?? 4
            frame.left = min(220, max(70, 12 + Double(longest) * 6.6))
            frame.right = 60
            frame.height = max(200, frame.top + frame.bottom + Double(categories.count) * max(18, 12 * Double(series.count) + 8))
        }
        var svg = SVG(width: frame.width, height: frame.height)
        let values = series.flatMap(\.values) + (reference.map { [$0.value] } ?? [])
        let valueRange = horizontal ? (frame.plotLeft, frame.plotRight) : (frame.plotBottom, frame.plotTop)
        let v = LinearScale(domain: LinearScale.niceDomain(values, includeZero: true), range: valueRange)
        let bandStart = horizontal ? frame.plotTop : frame.plotLeft
        let bandLength = horizontal ? frame.plotBottom - frame.plotTop : frame.plotRight - frame.plotLeft
        let band = bandLength / Double(max(1, categories.count))
        let barWidth = band * 0.8 / Double(max(1, series.count))
        let valueTicks = valuePercent ? Frame.percentTicks(v) : Frame.ticks(v)
        let stride = max(1, Int((Double(categories.count) * 7.0 * Double(categories.map(\.count).max() ?? 1) / bandLength).rounded(.up)))
        let categoryTicks = categories.enumerated().compactMap { k, c -> (Double, String)? in
            (horizontal || k % stride == 0) ? (bandStart + band * (Double(k) + 0.5), c) : nil
        }
        if horizontal {
            // Category names on the left, values along the bottom.
            for (x, label) in valueTicks {
                svg.line(x, frame.plotTop, x, frame.plotBottom, stroke: Palette.grid, className: "grid")
                svg.text(label, x: x, y: frame.plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
            }
            for (y, label) in categoryTicks { svg.text(label, x: frame.plotLeft - 6, y: y + 4, anchor: "end", size: 11, className: "tick-label") }
            svg.line(frame.plotLeft, frame.plotBottom, frame.plotRight, frame.plotBottom, stroke: Palette.ink, className: "axis")
            svg.line(frame.plotLeft, frame.plotTop, frame.plotLeft, frame.plotBottom, stroke: Palette.ink, className: "axis")
            svg.text(valueLabel, x: (frame.plotLeft + frame.plotRight) / 2, y: frame.height - 10, anchor: "middle", size: 12, weight: "bold", className: "axis-label x")
            svg.text(categoryLabel, x: 12, y: frame.plotTop - 8, anchor: "start", size: 12, weight: "bold", className: "axis-label y")
        } else {
            frame.drawAxes(&svg, xTicks: categoryTicks, yTicks: valueTicks, xLabel: categoryLabel, yLabel: valueLabel)
        }
        let zero = v(0)
        for (s, ser) in series.enumerated() {
            for (k, value) in ser.values.enumerated() {
                let offset = bandStart + band * Double(k) + band * 0.1 + barWidth * Double(s)
                let end = v(value)
                let attrs: [(String, String?)]
                if horizontal {
                    attrs = [("x", SVG.px(min(zero, end))), ("y", SVG.px(offset)), ("width", SVG.px(abs(end - zero))), ("height", SVG.px(barWidth))]
                } else {
                    attrs = [("x", SVG.px(offset)), ("y", SVG.px(min(zero, end))), ("width", SVG.px(barWidth)), ("height", SVG.px(abs(end - zero)))]
                }
                svg.element("rect", attrs + [("fill", Palette.color(s)), ("class", "bar"), ("data-series", ser.name),
                                             ("data-category", categories[k]), ("data-value", NumberFormat.exact(value))],
                            title: "\(categories[k]) — \(ser.name): \(display(value))")
                if valueStyle != nil && categories.count * series.count <= 24 {
                    let label = labelText(value, room: horizontal ? 60 : barWidth)
                    if horizontal {
                        svg.text(label, x: max(zero, end) + 4, y: offset + barWidth / 2 + 4, size: 10, className: "value-label")
                    } else {
                        svg.text(label, x: offset + barWidth / 2, y: min(zero, end) - 4, anchor: "middle", size: 10, className: "value-label")
                    }
                }
            }
        }
        var legend: [LegendEntry] = []
        if let reference {
            let r = v(reference.value)
            if horizontal { svg.line(r, frame.plotTop, r, frame.plotBottom, stroke: Palette.reference, width: 1.5, dash: "5 4", className: "reference") }
            else { svg.line(frame.plotLeft, r, frame.plotRight, r, stroke: Palette.reference, width: 1.5, dash: "5 4", className: "reference") }
            legend.append(LegendEntry(name: reference.name, color: Palette.reference, dash: "5 4", kind: .line))
        }
        if showLegend {
            legend = series.enumerated().map { LegendEntry(name: $1.name, color: Palette.color($0), dash: nil, kind: .swatch) } + legend
            frame.drawLegend(&svg, entries: legend)
        }
        return svg.render(title: title, className: "chart bar-chart")
    }

    /// The bar's label, compact (14.1k) when the full number would not fit above the bar.
    private func labelText(_ value: Double, room: Double) -> String {
        let full = display(value)
        return Double(full.count) * 6 <= room ? full : NumberFormat.compact(value, significant: 3)
    }

    private func display(_ value: Double) -> String {
        DataTable.Cell.number(value, valueStyle ?? (valuePercent ? .percent(1) : .compact)).display
    }

    public var data: DataTable {
        var t = DataTable(columns: [categoryLabel] + series.map(\.name))
        for (k, c) in categories.enumerated() {
            t.append([.text(c)] + series.map { .number($0.values[k], valueStyle ?? (valuePercent ? .percent(1) : .compact)) })
        }
        return t
    }

    public var matplotlib: String {
        [
            "fig, ax = plt.subplots(figsize=(7, \(horizontal ? max(3, min(10, categories.count / 3 + 2)) : 4)))",
            "df.set_index(df.columns[0]).plot.\(horizontal ? "barh" : "bar")(ax=ax\(series.count == 1 ? ", legend=False" : ""))",
            horizontal ? "ax.invert_yaxis()" : "",
            "ax.set_xlabel(\((horizontal ? valueLabel : categoryLabel).pythonLiteral)); ax.set_ylabel(\((horizontal ? categoryLabel : valueLabel).pythonLiteral)); ax.grid(alpha=0.3)",
        ].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
