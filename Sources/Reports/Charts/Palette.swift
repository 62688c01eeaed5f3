import Foundation

/// Colours that survive colour-blindness and grey-scale printing.
///
/// Categorical: Okabe & Ito (2008), "Color Universal Design" — eight colours distinguishable under
/// protanopia, deuteranopia and tritanopia. Series also differ by dash pattern and marker shape, so
/// a black-and-white print still tells them apart. Sequential: viridis (van der Walt & Smith, 2015),
/// perceptually uniform and monotone in lightness, sampled at 9 stops and interpolated linearly.
public enum Palette {
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
    /// A neutral grey for reference lines (random model, diagonal, equality).
    public static let reference = "#7F7F7F"
    /// Text and axis colour.
    public static let ink = "#222222"
    public static let grid = "#E3E3E3"

    /// Colour of series `i` (cycles after eight).
    public static func color(_ i: Int) -> String { categorical[i % categorical.count] }

    /// SVG `stroke-dasharray` of series `i`: solid, dashed, dotted, dash-dot, ...
    public static func dash(_ i: Int) -> String? {
        let patterns: [String?] = [nil, "6 3", "2 2", "8 3 2 3", "12 4"]
        return patterns[i % patterns.count]
    }

    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]

    /// The viridis colour at `t` in [0, 1] (clamped) as `#rrggbb`.
    public static func sequential(_ t: Double) -> String {
        let (r, g, b) = sequentialRGB(t)
        return String(format: "#%02X%02X%02X", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    static func sequentialRGB(_ t: Double) -> (Double, Double, Double) {
        let u = t.isFinite ? min(1, max(0, t)) : 0
        let x = u * Double(viridis.count - 1)
        let i = min(viridis.count - 2, Int(x))
        let f = x - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        return (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1), a.2 + f * (b.2 - a.2))
    }

    /// Black or white, whichever reads better on the sequential colour at `t` (WCAG relative luminance).
    public static func textColor(onSequential t: Double) -> String {
        let (r, g, b) = sequentialRGB(t)
        func lin(_ c: Double) -> Double { let s = c / 255; return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4) }
        let luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        return luminance > 0.22 ? "#000000" : "#FFFFFF"
    }
}
