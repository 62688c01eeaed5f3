import Foundation

/// Readable numbers for axes, tables and labels: thousands separators, as many decimals as the
/// tick step needs, compact suffixes (k, M, B) for big values, percentages.
public enum NumberFormat {
    /// `x` with `decimals` decimals and thousands separators: 1234567.891 → "1,234,567.89".
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "∞" : "−∞") }
        let text = String(format: "%.\(max(0, decimals))f", abs(x))
        let parts = text.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        let body = groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
        let isZero = Double(text) == 0
        return (x < 0 && !isZero ? "−" : "") + body
    }

    /// A whole number with separators: 1234567 → "1,234,567".
    public static func integer(_ x: Int) -> String { fixed(Double(x), decimals: 0) }

    /// `share` (0.1234) as "12.3%".
    public static func percent(_ share: Double, decimals: Int = 1) -> String {
        share.isFinite ? fixed(share * 100, decimals: decimals) + "%" : "–"
    }

    /// About `significant` significant digits, compact above 10,000: 1234 → "1,234", 0.01234 → "0.0123",
    /// 12,345,678 → "12.3M".
    public static func compact(_ x: Double, significant: Int = 3) -> String {
        guard x.isFinite else { return fixed(x, decimals: 0) }
        let a = abs(x)
        for (limit, divisor, suffix) in [(1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")] where a >= limit {
            return fixed(x / divisor, decimals: decimalsFor(a / divisor, significant: significant)) + suffix
        }
        return fixed(x, decimals: decimalsFor(a, significant: significant))
    }

    /// Decimals that show `significant` digits of a value of size `a` (0 for whole-number sized values).
    static func decimalsFor(_ a: Double, significant: Int) -> Int {
        guard a > 0 else { return 0 }
        let digits = Int(floor(log10(a))) + 1
        return min(6, max(0, significant - digits))
    }

    /// Tick labels for evenly spaced `ticks` with spacing `step`: the decimals the step needs,
    /// compact suffixes when every tick is a multiple of 1,000 and the largest is ≥ 10,000.
    public static func ticks(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e4 {
            for (limit, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] where largest >= limit * 10 || (limit == 1e3 && largest >= 1e4) {
                let scaledStep = step / limit
                let decimals = max(0, -Int(floor(log10(scaledStep) + 1e-9)))
                return ticks.map { $0 == 0 ? "0" : fixed($0 / limit, decimals: decimals) + suffix }
            }
        }
        let decimals = step > 0 ? max(0, -Int(floor(log10(step) + 1e-9))) : 0
        return ticks.map { fixed($0, decimals: decimals) }
    }

    /// Like `compact` without trailing zeros: 0.20 → "0.2", 1.50 → "1.5" (log-axis ticks).
    public static func short(_ x: Double, significant: Int = 3) -> String {
        var s = compact(x, significant: significant)
        let suffix = s.last.map { "kMB".contains($0) } == true ? String(s.removeLast()) : ""
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s + suffix
    }

    /// The shortest decimal text that reads back as exactly `x` (data attributes, CSV cells).
    public static func exact(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
}
