import Foundation

/// A grid of values coloured on the viridis scale with a legend bar (P(alive) and expected
/// purchases over frequency x recency). Rows are drawn top to bottom in the order given.
public struct Heatmap: Chart {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// values[row][column]
    public var values: [[Double]]
    public var rowTitle: String
    public var columnTitle: String
    public var valueTitle: String
    public var valueStyle: DataTable.Style

    public init(rowLabels: [String], columnLabels: [String], values: [[Double]], rowTitle: String, columnTitle: String,
                valueTitle: String, valueStyle: DataTable.Style = .decimals(2)) {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count }, "Heatmap: values do not match the labels")
        self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values
        self.rowTitle = rowTitle; self.columnTitle = columnTitle; self.valueTitle = valueTitle; self.valueStyle = valueStyle
    }

    public func svg(title: String) -> String {
        var frame = Frame()
        frame.right = 80
        frame.top = 16
        frame.height = max(300, min(560, 60 + 18 * Double(rowLabels.count)))
        var svg = SVG(width: frame.width, height: frame.height)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let span = hi > lo ? hi - lo : 1
        let cellW = (frame.plotRight - frame.plotLeft) / Double(max(1, columnLabels.count))
        let cellH = (frame.plotBottom - frame.plotTop) / Double(max(1, rowLabels.count))
        let showValues = cellW >= 34 && cellH >= 14
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() {
                let t = (value - lo) / span
                let x = frame.plotLeft + cellW * Double(c), y = frame.plotTop + cellH * Double(r)
                let shown = value.isFinite ? DataTable.Cell.number(value, valueStyle).display : "no customers possible"
                svg.element("rect", [("x", SVG.px(x)), ("y", SVG.px(y)), ("width", SVG.px(cellW + 0.3)), ("height", SVG.px(cellH + 0.3)),
                                     ("fill", value.isFinite ? Palette.sequential(t) : "#F4F4F4"), ("class", "cell"), ("data-row", rowLabels[r]),
                                     ("data-column", columnLabels[c]), ("data-value", NumberFormat.exact(value))],
                            title: "\(rowTitle) \(rowLabels[r]), \(columnTitle) \(columnLabels[c]): \(shown)")
                if showValues && value.isFinite {
                    svg.text(shown, x: x + cellW / 2, y: y + cellH / 2 + 4, anchor: "middle", size: 9.5, fill: Palette.textColor(onSequential: t), className: "cell-label")
                }
            }
        }
        let rowStride = max(1, Int((14 / cellH).rounded(.up)))
        let yTicks = rowLabels.enumerated().compactMap { k, l in k % rowStride == 0 ? (frame.plotTop + cellH * (Double(k) + 0.5), l) : nil }
        let columnStride = max(1, Int((Double((columnLabels.map(\.count).max() ?? 1) * 7 + 6) / cellW).rounded(.up)))
        let xTicks = columnLabels.enumerated().compactMap { k, l in k % columnStride == 0 ? (frame.plotLeft + cellW * (Double(k) + 0.5), l) : nil }
        for (y, label) in yTicks { svg.text(label, x: frame.plotLeft - 6, y: y + 4, anchor: "end", size: 11, className: "tick-label") }
        for (x, label) in xTicks {
            svg.line(x, frame.plotBottom, x, frame.plotBottom + 4, stroke: Palette.ink)
            svg.text(label, x: x, y: frame.plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
        }
        svg.text(columnTitle, x: (frame.plotLeft + frame.plotRight) / 2, y: frame.height - 10, anchor: "middle", size: 12, weight: "bold", className: "axis-label x")
        svg.text(rowTitle, x: 15, y: (frame.plotTop + frame.plotBottom) / 2, anchor: "middle", size: 12, weight: "bold", rotate: -90, className: "axis-label y")
        // Colour legend: a vertical gradient of 20 steps with the extremes and the middle labelled.
        let lx = frame.plotRight + 14, steps = 20
        let lh = (frame.plotBottom - frame.plotTop) / Double(steps)
        for k in 0..<steps {
            let t = 1 - (Double(k) + 0.5) / Double(steps)
            svg.element("rect", [("x", SVG.px(lx)), ("y", SVG.px(frame.plotTop + lh * Double(k))), ("width", "14"), ("height", SVG.px(lh + 0.3)),
                                 ("fill", Palette.sequential(t)), ("class", "legend-step")])
        }
        for (t, value) in [(1.0, hi), (0.5, (lo + hi) / 2), (0.0, lo)] {
            svg.text(DataTable.Cell.number(value, valueStyle).display, x: lx + 18, y: frame.plotTop + (1 - t) * (frame.plotBottom - frame.plotTop) + 4, size: 10, className: "legend")
        }
        svg.text(valueTitle, x: lx + 7, y: frame.plotTop - 4, anchor: "middle", size: 10, weight: "bold", className: "legend")
        return svg.render(title: title, className: "chart heatmap")
    }

    public var data: DataTable {
        var t = DataTable(columns: [rowTitle, columnTitle, valueTitle])
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() {
                t.append([.text(rowLabels[r]), .text(columnLabels[c]), value.isFinite ? .number(value, valueStyle) : .missing])
            }
        }
        return t
    }

    public var matplotlib: String {
        """
        grid = df.pivot(index=df.columns[0], columns=df.columns[1], values=df.columns[2])
        grid = grid.loc[df[df.columns[0]].drop_duplicates(), df[df.columns[1]].drop_duplicates()]
        fig, ax = plt.subplots(figsize=(7, 5))
        im = ax.imshow(grid.values, aspect='auto', cmap='viridis')
        ax.set_yticks(range(len(grid.index))); ax.set_yticklabels(grid.index)
        ax.set_xticks(range(0, len(grid.columns), max(1, len(grid.columns) // 10))); ax.set_xticklabels(grid.columns[::max(1, len(grid.columns) // 10)])
        ax.set_ylabel(\(rowTitle.pythonLiteral)); ax.set_xlabel(\(columnTitle.pythonLiteral)); fig.colorbar(im, label=\(valueTitle.pythonLiteral))
        """
    }
}
