import Foundation

/// The value matrix: four quadrants (current value x future value), each with its segment name,
/// customer count and share of value; the shade grows with the value share.
public struct QuadrantChart: Chart {
    public struct Cell: Sendable {
        public var segment: String
        public var customers: Int
        public var valueShare: Double
        /// 0 = left/bottom, 1 = right/top.
        public var column: Int
        public var row: Int
        public init(segment: String, customers: Int, valueShare: Double, column: Int, row: Int) {
            self.segment = segment; self.customers = customers; self.valueShare = valueShare; self.column = column; self.row = row
        }
    }

    public var cells: [Cell]
    public var xLabel: String
    public var yLabel: String

    public init(cells: [Cell], xLabel: String, yLabel: String) {
        self.cells = cells; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public func svg(title: String) -> String {
        var frame = Frame()
        frame.top = 16
        frame.left = 44
        var svg = SVG(width: frame.width, height: frame.height)
        let w = (frame.plotRight - frame.plotLeft) / 2, h = (frame.plotBottom - frame.plotTop) / 2
        let maxShare = max(1e-9, cells.map(\.valueShare).max() ?? 1)
        for c in cells {
            let x = frame.plotLeft + w * Double(c.column), y = frame.plotTop + h * Double(1 - c.row)
            let t = 0.15 + 0.75 * max(0, c.valueShare) / maxShare
            svg.element("rect", [("x", SVG.px(x + 2)), ("y", SVG.px(y + 2)), ("width", SVG.px(w - 4)), ("height", SVG.px(h - 4)), ("rx", "6"),
                                 ("fill", Palette.sequential(t)), ("class", "quadrant"), ("data-segment", c.segment),
                                 ("data-customers", String(c.customers)), ("data-value-share", NumberFormat.exact(c.valueShare))],
                        title: "\(c.segment): \(NumberFormat.integer(c.customers)) customers, \(NumberFormat.percent(c.valueShare)) of value")
            let ink = Palette.textColor(onSequential: t)
            svg.text(c.segment, x: x + w / 2, y: y + h / 2 - 14, anchor: "middle", size: 17, weight: "bold", fill: ink, className: "quadrant-label")
            svg.text("\(NumberFormat.integer(c.customers)) customers", x: x + w / 2, y: y + h / 2 + 8, anchor: "middle", size: 13, fill: ink, className: "quadrant-label")
            svg.text("\(NumberFormat.percent(c.valueShare)) of value", x: x + w / 2, y: y + h / 2 + 27, anchor: "middle", size: 13, fill: ink, className: "quadrant-label")
        }
        svg.text("low", x: frame.plotLeft + w / 2, y: frame.plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
        svg.text("high", x: frame.plotLeft + 1.5 * w, y: frame.plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
        svg.text("low", x: frame.plotLeft - 6, y: frame.plotTop + 1.5 * h, anchor: "end", size: 11, className: "tick-label")
        svg.text("high", x: frame.plotLeft - 6, y: frame.plotTop + 0.5 * h, anchor: "end", size: 11, className: "tick-label")
        svg.text(xLabel, x: (frame.plotLeft + frame.plotRight) / 2, y: frame.height - 10, anchor: "middle", size: 12, weight: "bold", className: "axis-label x")
        svg.text(yLabel, x: 12, y: (frame.plotTop + frame.plotBottom) / 2, anchor: "middle", size: 12, weight: "bold", rotate: -90, className: "axis-label y")
        return svg.render(title: title, className: "chart quadrant-chart")
    }

    public var data: DataTable {
        var t = DataTable(columns: ["segment", "customers", "value_share"])
        for c in cells { t.append([.text(c.segment), .number(Double(c.customers), .integer), .number(c.valueShare, .percent(1))]) }
        return t
    }

    public var matplotlib: String {
        """
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.bar(df['segment'], df['value_share'], label='share of value')
        ax.bar(df['segment'], df['customers'] / df['customers'].sum(), alpha=0.5, label='share of customers')
        ax.set_ylabel('share'); ax.legend(); ax.grid(alpha=0.3)
        """
    }
}
