/// The cumulative profit curve ("whale curve", Kaplan & Cooper 1998, "Cost & Effect"): customers
/// sorted from most to least profitable, the cumulative share of customers on x against the
/// cumulative share of total profit on y. When some customers lose money the curve rises above 1
/// (the profitable customers earn more than the total profit) and falls back to 1 as the
/// loss-makers are added; its peak says how much profit the loss-makers destroy.
///
/// Scale: y is cumulative profit divided by the total profit when that is positive. When the total
/// is 0 or negative the curve is divided by the sum of the positive profits instead (it then peaks
/// at 1 and ends at or below 0), and when there are no positive profits by the sum of |profit|
/// (`scale` says which; all-zero profits give a flat 0 curve with scale `none`).
struct LorenzCurve {
    /// Exact cumulative sums C_0 = 0, C_k = sum of the k largest profits.
    let cumulative: [Double]
    let denominator: Double
    let scale: String

    init<C: Collection>(profitDescending sorted: C) where C.Element == Double {
        var s = CompensatedSum(), positive = CompensatedSum(), absolute = CompensatedSum()
        let c = [Double](unsafeUninitializedCapacity: sorted.count + 1) { c, initialized in   // written once, not zeroed first
            c[0] = 0
            for (k, x) in sorted.enumerated() {
                s.add(x)
                c[k + 1] = s.value
                if x > 0 { positive.add(x) }
                absolute.add(abs(x))
            }
            initialized = sorted.count + 1
        }
        cumulative = c
        let total = c[sorted.count]
        if total > 0 { (denominator, scale) = (total, "total_profit") }
        else if positive.value > 0 { (denominator, scale) = (positive.value, "positive_profit") }
        else if absolute.value > 0 { (denominator, scale) = (absolute.value, "absolute_profit") }
        else { (denominator, scale) = (1, "none") }
    }

    var count: Int { cumulative.count - 1 }

    /// Scaled cumulative profit at customer share x in [0, 1], interpolated linearly inside the
    /// customer who straddles x (so the top 5% of 30 customers is 1.5 customers).
    func share(at x: Double) -> Double {
        Self.interpolate(cumulative, at: x) / denominator
    }

    /// Linear interpolation of a cumulative array C_0...C_n at customer share x.
    static func interpolate(_ c: [Double], at x: Double) -> Double {
        let n = c.count - 1
        let h = x * Double(n)
        let k = min(Int(h.rounded(.down)), n)
        guard k < n else { return c[n] }
        return c[k] + (h - Double(k)) * (c[k + 1] - c[k])
    }

    /// The highest point (first customer count reaching the maximum).
    var peak: (customerShare: Double, profitShare: Double) {
        var best = 0
        for k in cumulative.indices where cumulative[k] > cumulative[best] { best = k }
        return (Double(best) / Double(count), cumulative[best] / denominator)
    }

    /// The curve for a report: all n + 1 exact points when n + 1 ≤ `points`, otherwise `points`
    /// equally spaced customer shares 0, 1/(points-1), ..., 1 (interpolated, exact at both ends)
    /// plus the exact peak (`peak`, passed in: finding it is a pass over the curve), in order of
    /// customer share.
    func downsampled(points: Int, peak p: (customerShare: Double, profitShare: Double)) -> [[Double]] {
        let n = count
        if n + 1 <= points { return (0...n).map { [Double($0) / Double(n), cumulative[$0] / denominator] } }
        var out = (0..<points).map { j -> [Double] in
            let x = j == points - 1 ? 1 : Double(j) / Double(points - 1)
            return [x, share(at: x)]
        }
        if !out.contains(where: { $0[0] == p.customerShare }) {
            let at = out.firstIndex { $0[0] > p.customerShare } ?? out.count
            out.insert([p.customerShare, p.profitShare], at: at)
        }
        return out
    }
}
