import Foundation

/// Estimates with 95% intervals around a reference value: on a log axis for odds ratios of a churn
/// model (1 = no effect), on a linear axis for differences such as a campaign's uplift (0 = no effect).
/// Rows without an interval (penalised fits) show the point only.
public struct IntervalChart: Chart {
    public enum Axis: Sendable { case log, linear, linearPercent }

    public struct Row: Sendable {
        public var label: String
        public var estimate: Double
        public var lower: Double?
        public var upper: Double?
        public init(label: String, estimate: Double, lower: Double?, upper: Double?) {
            self.label = label; self.estimate = estimate; self.lower = lower; self.upper = upper
        }
    }

    public var rows: [Row]
    public var valueLabel: String
    public var referenceValue: Double
    public var axis: Axis
    /// What the rows are (axis label and the CSV's first column).
    public var rowTitle: String

    public init(rows: [Row], valueLabel: String, referenceValue: Double = 1, axis: Axis = .log, rowTitle: String = "feature") {
        self.rows = rows; self.valueLabel = valueLabel; self.referenceValue = referenceValue; self.axis = axis; self.rowTitle = rowTitle
    }

    public func svg(title: String) -> String {
        var frame = Frame()
        let longest = rows.map(\.label.count).max() ?? 4
        frame.left = min(260, max(80, 12 + Double(longest) * 6.4))
        frame.top = 16
        frame.height = max(180, 70 + 20 * Double(rows.count))
        var svg = SVG(width: frame.width, height: frame.height)
        let all = rows.flatMap { [$0.estimate, $0.lower ?? $0.estimate, $0.upper ?? $0.estimate] } + [referenceValue]
        let scale: (Double) -> Double
        let ticks: [(Double, String)]
        switch axis {
        case .log:
            let log = LogScale(domain: (all.filter { $0 > 0 }.min() ?? 0.1, all.max() ?? 10), range: (frame.plotLeft, frame.plotRight))
            scale = { log($0) }
            ticks = log.ticks().map { (log($0), NumberFormat.short($0)) }
        case .linear, .linearPercent:
            let linear = LinearScale(domain: LinearScale.niceDomain(all), range: (frame.plotLeft, frame.plotRight))
            scale = { linear($0) }
            ticks = axis == .linear ? Frame.ticks(linear) : Frame.percentTicks(linear)
        }
        for (x, label) in ticks {
            svg.line(x, frame.plotTop, x, frame.plotBottom, stroke: Palette.grid, className: "grid")
            svg.text(label, x: x, y: frame.plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
        }
        let ref = scale(referenceValue)
        svg.line(ref, frame.plotTop, ref, frame.plotBottom, stroke: Palette.reference, width: 1.5, dash: "5 4", className: "reference")
        svg.line(frame.plotLeft, frame.plotBottom, frame.plotRight, frame.plotBottom, stroke: Palette.ink, className: "axis")
        let step = (frame.plotBottom - frame.plotTop) / Double(max(1, rows.count))
        for (k, r) in rows.enumerated() {
            let y = frame.plotTop + step * (Double(k) + 0.5)
            svg.text(r.label, x: frame.plotLeft - 8, y: y + 4, anchor: "end", size: 11, className: "tick-label")
            let color = r.estimate >= referenceValue ? Palette.color(5) : Palette.color(0)
            if let lo = r.lower, let hi = r.upper {
                svg.line(scale(lo), y, scale(hi), y, stroke: color, width: 2, className: "interval")
                svg.line(scale(lo), y - 4, scale(lo), y + 4, stroke: color, width: 1.5)
                svg.line(scale(hi), y - 4, scale(hi), y + 4, stroke: color, width: 1.5)
            }
            let interval = r.lower.flatMap { lo in r.upper.map { hi in " (95% CI \(format(lo))–\(format(hi)))" } } ?? ""
            svg.element("rect", [("x", SVG.px(scale(r.estimate) - 4)), ("y", SVG.px(y - 4)), ("width", "8"), ("height", "8"), ("fill", color),
                                 ("class", "mark"), ("data-label", r.label), ("data-value", NumberFormat.exact(r.estimate))],
                        title: "\(r.label): \(format(r.estimate))\(interval)")
        }
        svg.text(valueLabel, x: (frame.plotLeft + frame.plotRight) / 2, y: frame.height - 10, anchor: "middle", size: 12, weight: "bold", className: "axis-label x")
        svg.text(rowTitle, x: 12, y: 12, size: 12, weight: "bold", className: "axis-label y")
        return svg.render(title: title, className: "chart interval-chart")
    }

    private func format(_ x: Double) -> String {
        axis == .linearPercent ? NumberFormat.percent(x, decimals: 2) : NumberFormat.compact(x, significant: 3)
    }

    public var data: DataTable {
        var t = DataTable(columns: [rowTitle, "estimate", "lower_95", "upper_95"])
        for r in rows {
            t.append([.text(r.label), .number(r.estimate, .decimals(3)), r.lower.map { .number($0, .decimals(3)) } ?? .missing,
                      r.upper.map { .number($0, .decimals(3)) } ?? .missing])
        }
        return t
    }

    public var matplotlib: String {
        """
        fig, ax = plt.subplots(figsize=(7, max(3, 0.3 * len(df) + 1)))
        y = range(len(df))
        err = [(df['estimate'] - df['lower_95']).fillna(0), (df['upper_95'] - df['estimate']).fillna(0)]
        ax.errorbar(df['estimate'], y, xerr=err, fmt='s', capsize=3)
        ax.axvline(\(NumberFormat.exact(referenceValue)), linestyle='--', color='grey')
        \(axis == .log ? "ax.set_xscale('log'); " : "")ax.set_yticks(list(y)); ax.set_yticklabels(df[\(rowTitle.pythonLiteral)]); ax.invert_yaxis()
        ax.set_xlabel(\(valueLabel.pythonLiteral)); ax.grid(alpha=0.3)
        """
    }
}
