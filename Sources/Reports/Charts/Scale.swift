import Foundation

/// Maps data values to pixels along one axis, with "nice" ticks.
public struct LinearScale: Sendable {
    public var domain: (Double, Double)
    public var range: (Double, Double)

    public init(domain: (Double, Double), range: (Double, Double)) {
        var d = domain
        if !(d.1 > d.0) { d = (d.0 - 0.5, d.0 + 0.5) }   // a flat series still gets an axis
        self.domain = d
        self.range = range
    }

    public func callAsFunction(_ x: Double) -> Double {
        range.0 + (x - domain.0) / (domain.1 - domain.0) * (range.1 - range.0)
    }

    /// A domain that starts and ends on nice ticks and covers `values` (and 0 when `includeZero`).
    public static func niceDomain(_ values: [Double], includeZero: Bool = false, tickCount: Int = 5) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi == lo { hi = lo + (lo == 0 ? 1 : abs(lo) * 0.1) }
        let step = niceStep((hi - lo) / Double(max(1, tickCount - 1)))
        return ((lo / step).rounded(.down) * step, (hi / step).rounded(.up) * step)
    }

    /// Ticks at multiples of a nice step inside the domain: about `count` of them.
    public func ticks(count: Int = 5) -> (values: [Double], step: Double) {
        let step = Self.niceStep((domain.1 - domain.0) / Double(max(1, count - 1)))
        let first = (domain.0 / step - 1e-9).rounded(.up)
        let last = (domain.1 / step + 1e-9).rounded(.down)
        guard last >= first else { return ([domain.0], step) }
        return (stride(from: first, through: last, by: 1).map { ($0 * step).roundedTo(step) }, step)
    }

    /// 1, 2 or 5 times a power of ten, the nearest at or above `raw` (Heckbert, "Nice numbers for
    /// graph labels", Graphics Gems, 1990).
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        let f = raw / power
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return nice * power
    }
}

/// A base-10 logarithmic scale (odds ratios): ticks at 1, 2, 5 times powers of ten.
public struct LogScale: Sendable {
    public var domain: (Double, Double)
    public var range: (Double, Double)

    public init(domain: (Double, Double), range: (Double, Double)) {
        let lo = max(domain.0, 1e-12), hi = max(domain.1, lo * 1.0001)
        // Snap outwards to the 1-2-5 sequence, so the axis is no wider than it needs to be.
        func below(_ x: Double) -> Double {
            let p = pow(10, floor(log10(x)))
            return [5.0, 2, 1].map { $0 * p }.first { $0 <= x * (1 + 1e-12) } ?? p
        }
        func above(_ x: Double) -> Double {
            let p = pow(10, floor(log10(x)))
            return [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= x * (1 - 1e-12) } ?? 10 * p
        }
        self.domain = (below(lo), above(hi))
        if self.domain.1 <= self.domain.0 { self.domain.1 = self.domain.0 * 10 }
        self.range = range
    }

    public func callAsFunction(_ x: Double) -> Double {
        let t = (log10(max(x, 1e-300)) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
        return range.0 + t * (range.1 - range.0)
    }

    public func ticks() -> [Double] {
        var out: [Double] = []
        let decades = log10(domain.1 / domain.0)
        let multiples: [Double] = decades > 3 ? [1] : decades > 1.2 ? [1, 2, 5] : [1, 1.5, 2, 3, 5, 7]
        var p = pow(10, floor(log10(domain.0)))
        while p <= domain.1 * (1 + 1e-9) {
            for m in multiples where m * p >= domain.0 * (1 - 1e-9) && m * p <= domain.1 * (1 + 1e-9) { out.append(m * p) }
            p *= 10
        }
        return out
    }
}

extension Double {
    /// Removes floating-point noise from a multiple of `step` (0.30000000000000004 → 0.3).
    func roundedTo(_ step: Double) -> Double {
        let decimals = max(0, -Int(floor(log10(step))) + 1)
        let f = pow(10, Double(min(decimals, 15)))
        return (self * f).rounded() / f
    }
}
