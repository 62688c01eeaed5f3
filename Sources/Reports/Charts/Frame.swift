import Foundation

/// The plot area inside a chart and the pieces every chart with axes shares: grid, ticks with
/// readable labels, axis titles and a legend row above the plot.
struct Frame {
    var width: Double = 640
    var height: Double = 360
    var left: Double = 70
    var right: Double = 20
    var top: Double = 36
    var bottom: Double = 52

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Horizontal grid lines and y tick labels, x tick labels, both axis lines and their titles.
    func drawAxes(_ svg: inout SVG, xTicks: [(Double, String)], yTicks: [(Double, String)], xLabel: String, yLabel: String,
                  xGrid: Bool = false) {
        for (y, label) in yTicks {
            svg.line(plotLeft, y, plotRight, y, stroke: Palette.grid, className: "grid")
            svg.text(label, x: plotLeft - 6, y: y + 4, anchor: "end", size: 11, className: "tick-label")
        }
        for (x, label) in xTicks {
            if xGrid { svg.line(x, plotTop, x, plotBottom, stroke: Palette.grid, className: "grid") }
            svg.line(x, plotBottom, x, plotBottom + 4, stroke: Palette.ink)
            svg.text(label, x: x, y: plotBottom + 17, anchor: "middle", size: 11, className: "tick-label")
        }
        svg.line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Palette.ink, className: "axis")
        svg.line(plotLeft, plotTop, plotLeft, plotBottom, stroke: Palette.ink, className: "axis")
        svg.text(xLabel, x: (plotLeft + plotRight) / 2, y: height - 10, anchor: "middle", size: 12, weight: "bold", className: "axis-label x")
        svg.text(yLabel, x: 15, y: (plotTop + plotBottom) / 2, anchor: "middle", size: 12, weight: "bold",
                 rotate: -90, className: "axis-label y")
    }

    /// Evenly spaced ticks of a linear scale as (pixel, label) pairs.
    static func ticks(_ scale: LinearScale, count: Int = 6) -> [(Double, String)] {
        let (values, step) = scale.ticks(count: count)
        return zip(values, NumberFormat.ticks(values, step: step)).map { (scale($0), $1) }
    }

    /// Ticks formatted as percentages (for shares in [0, 1]).
    static func percentTicks(_ scale: LinearScale, count: Int = 6) -> [(Double, String)] {
        let (values, step) = scale.ticks(count: count)
        let decimals = max(0, -Int(floor(log10(step * 100) + 1e-9)))
        return values.map { (scale($0), NumberFormat.percent($0, decimals: decimals)) }
    }

    /// A legend row in the top margin: a short line (with its dash) or a square swatch per entry.
    func drawLegend(_ svg: inout SVG, entries: [LegendEntry]) {
        var x = plotLeft
        var y = 16.0
        for e in entries {
            let w = 30 + Double(e.name.count) * 6.6
            if x + w > plotRight && x > plotLeft { x = plotLeft; y += 16 }
            switch e.kind {
            case .line:
                svg.line(x, y - 4, x + 22, y - 4, stroke: e.color, width: 2.5, dash: e.dash)
            case .swatch:
                svg.element("rect", [("x", SVG.px(x + 6)), ("y", SVG.px(y - 10)), ("width", "11"), ("height", "11"), ("fill", e.color)])
            }
            svg.text(e.name, x: x + 27, y: y, size: 11, className: "legend")
            x += w + 10
        }
    }
}

struct LegendEntry {
    enum Kind { case line, swatch }
    var name: String
    var color: String
    var dash: String?
    var kind: Kind
}

/// Shapes per series (circle, square, triangle, diamond), so series differ in grey-scale print too.
enum MarkerShape: Int {
    case circle, square, triangle, diamond

    func draw(_ svg: inout SVG, x: Double, y: Double, color: String, attributes: [(String, String?)], title: String) {
        let r = 3.6
        switch self {
        case .circle:
            svg.element("circle", [("cx", SVG.px(x)), ("cy", SVG.px(y)), ("r", SVG.px(r)), ("fill", color)] + attributes, title: title)
        case .square:
            svg.element("rect", [("x", SVG.px(x - r)), ("y", SVG.px(y - r)), ("width", SVG.px(2 * r)), ("height", SVG.px(2 * r)),
                                 ("fill", color)] + attributes, title: title)
        case .triangle:
            let p = "\(SVG.px(x)),\(SVG.px(y - r * 1.2)) \(SVG.px(x - r * 1.1)),\(SVG.px(y + r * 0.9)) \(SVG.px(x + r * 1.1)),\(SVG.px(y + r * 0.9))"
            svg.element("polygon", [("points", p), ("fill", color)] + attributes, title: title)
        case .diamond:
            let p = "\(SVG.px(x)),\(SVG.px(y - r * 1.3)) \(SVG.px(x - r * 1.3)),\(SVG.px(y)) \(SVG.px(x)),\(SVG.px(y + r * 1.3)) \(SVG.px(x + r * 1.3)),\(SVG.px(y))"
            svg.element("polygon", [("points", p), ("fill", color)] + attributes, title: title)
        }
    }
}
