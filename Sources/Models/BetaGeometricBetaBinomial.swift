import Foundation
import SpecialFunctions

/// The BG/BB model (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
/// noncontractual setting", Marketing Science 29(6)): at each of n discrete opportunities an
/// alive customer transacts with probability p ~ Beta(α, β); before each opportunity she drops
/// out with probability θ ~ Beta(γ, δ).
///
/// Data are (x, t_x, n) patterns: `PurchasePatterns.frequency` = x transactions,
/// `recency` = t_x the opportunity of the last one (0 if none), `T` = n opportunities.
/// Time unit: "period".
public struct BetaGeometricBetaBinomial: RepeatPurchaseModel, Equatable {
    public static let kind = ModelKind.bgbb
    public static let parameterNames = ["alpha", "beta", "gamma", "delta"]
    public static let timeUnit = ModelTimeUnit.period

    public let alpha: Double, beta: Double, gamma: Double, delta: Double
    public var parameters: [Double] { [alpha, beta, gamma, delta] }

    public init(parameters: [Double]) throws {
        let p = try Self.checkedParameters(parameters)
        (alpha, beta, gamma, delta) = (p[0], p[1], p[2], p[3])
    }

    public init(alpha: Double, beta: Double, gamma: Double, delta: Double) throws {
        try self.init(parameters: [alpha, beta, gamma, delta])
    }

    /// Whole numbers with 0 ≤ x ≤ t_x ≤ n, n ≥ 1, x = 0 ⇔ t_x = 0, positive weights.
    public static func validate(_ data: PurchasePatterns) throws {
        guard data.count > 0 else { throw ModelError.invalidData("no customers to fit") }
        for i in 0..<data.count {
            let x = data.frequency[i], tx = data.recency[i], n = data.T[i], w = data.weight[i]
            for (name, v) in [("frequency", x), ("recency", tx), ("periods", n)] where !(v >= 0 && v == v.rounded() && v.isFinite) {
                throw ModelError.invalidData("pattern \(i + 1): \(name) \(v) is not a non-negative whole number (BG/BB counts discrete opportunities)")
            }
            guard n >= 1, tx <= n, x <= tx else {
                throw ModelError.invalidData("pattern \(i + 1): need frequency <= recency <= periods and periods >= 1, got x = \(x), t_x = \(tx), n = \(n)")
            }
            guard (x == 0) == (tx == 0) else {
                throw ModelError.invalidData("pattern \(i + 1): frequency \(x) with recency \(tx); recency is 0 exactly when there are no transactions")
            }
            guard w > 0, w.isFinite else { throw ModelError.invalidData("pattern \(i + 1): weight \(w) must be positive") }
        }
    }

    // MARK: likelihood

    /// Per pattern, FHS (2010) eq. (5):
    /// L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
    ///   + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ),
    /// summed in log space; the gradient uses ∂ ln B(u, v)/∂u = ψ(u) − ψ(u+v).
    public static func logLikelihood(_ theta: [Double], data: PurchasePatterns, gradient: inout [Double]) -> Double {
        let (al, be, ga, de) = (theta[0], theta[1], theta[2], theta[3])
        let psi = SpecialFunctions.digamma
        let lbAB = SpecialFunctions.logBeta(al, be), lbGD = SpecialFunctions.logBeta(ga, de)
        let psiAB = psi(al + be), psiA = psi(al), psiB = psi(be), psiGD = psi(ga + de), psiG = psi(ga), psiD = psi(de)
        var total = 0.0
        var g = [0.0, 0.0, 0.0, 0.0]
        for k in 0..<data.count {
            let x = data.frequency[k], tx = data.recency[k], n = data.T[k], w = data.weight[k]
            // Terms: (log value, gradient). The first is "alive through n", the others "died after t_x + i".
            var logs: [Double] = []
            var grads: [[Double]] = []
            func add(u1: Double, v1: Double, u2: Double, v2: Double) {
                logs.append(SpecialFunctions.logBeta(u1, v1) - lbAB + SpecialFunctions.logBeta(u2, v2) - lbGD)
                let s1 = psi(u1 + v1), s2 = psi(u2 + v2)
                grads.append([psi(u1) - s1 - psiA + psiAB, psi(v1) - s1 - psiB + psiAB,
                              psi(u2) - s2 - psiG + psiGD, psi(v2) - s2 - psiD + psiGD])
            }
            add(u1: al + x, v1: be + n - x, u2: ga, v2: de + n)
            var i = 0.0
            while i <= n - tx - 1 {
                add(u1: al + x, v1: be + tx - x + i, u2: ga + 1, v2: de + tx + i)
                i += 1
            }
            let m = logs.max()!
            var sum = 0.0
            for l in logs { sum += exp(l - m) }
            let value = m + log(sum)
            total += w * value
            for (l, gr) in zip(logs, grads) {
                let share = exp(l - value)
                for p in 0..<4 { g[p] += w * share * gr[p] }
            }
        }
        gradient = g
        return total
    }

    public static func startingValues(for data: PurchasePatterns) -> [Double] { [1, 1, 1, 1] }

    // MARK: predictions

    /// log L(α, β, γ, δ | x, t_x, n), FHS (2010) eq. (5).
    public func logLikelihood(frequency x: Double, recency tx: Double, periods n: Double) -> Double {
        var g = [Double](repeating: 0, count: 4)
        return Self.logLikelihood(parameters, data: PurchasePatterns(frequency: [x], recency: [tx], T: [n]), gradient: &g)
    }

    /// P(alive at opportunity n+1 | x, t_x, n) = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L,
    /// FHS (2010) eq. (11). A ratio of a likelihood term to the likelihood: in [0, 1].
    public func probabilityAlive(frequency x: Double, recency tx: Double, T n: Double) -> Double {
        probabilityAlive(periodsAhead: 1, frequency: x, recency: tx, periods: n)
    }

    /// P(alive at opportunity n+m | x, t_x, n), as lifetimes' `conditional_probability_alive(m, ...)`.
    public func probabilityAlive(periodsAhead m: Double, frequency x: Double, recency tx: Double, periods n: Double) -> Double {
        let logAlive = SpecialFunctions.logBeta(alpha + x, beta + n - x) - SpecialFunctions.logBeta(alpha, beta)
            + SpecialFunctions.logBeta(gamma, delta + n + m) - SpecialFunctions.logBeta(gamma, delta)
        return min(1, max(0, exp(logAlive - logLikelihood(frequency: x, recency: tx, periods: n))))
    }

    /// E[X(n, n+n*) | x, t_x, n] = (1/L) B(α+x+1, β+n−x)/B(α,β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ)
    ///   · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)], FHS (2010) eq. (13).
    public func conditionalExpectedPurchases(horizon nStar: Double, frequency x: Double, recency tx: Double, T n: Double) -> Double {
        guard nStar > 0 else { return 0 }
        let logFront = SpecialFunctions.logBeta(alpha + x + 1, beta + n - x) - SpecialFunctions.logBeta(alpha, beta)
            - logLikelihood(frequency: x, recency: tx, periods: n) + logGamma(gamma + delta) - logGamma(1 + delta)
        return exp(logFront) * retentionDifference(from: n, to: n + nStar)
    }

    /// δ/(γ−1) [Γ(1+δ+n0)/Γ(γ+δ+n0) − Γ(1+δ+n1)/Γ(γ+δ+n1)]: the expected number of future
    /// alive opportunities in (n0, n1] up to the Γ(γ+δ)/Γ(1+δ) factor. Both factors change
    /// sign together at γ = 1 (removable), evaluated there as the mean of γ ± 1e-7.
    func retentionDifference(from n0: Double, to n1: Double) -> Double {
        func value(_ g: Double) -> Double {
            let d0 = exp(logGamma(1 + delta + n0) - logGamma(g + delta + n0))
            let d1 = exp(logGamma(1 + delta + n1) - logGamma(g + delta + n1))
            return delta / (g - 1) * (d0 - d1)
        }
        if abs(gamma - 1) < 1e-7 { return 0.5 * (value(gamma - 1e-7) + value(gamma + 1e-7)) }
        return value(gamma)
    }

    /// E[X(n)] = α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)/Γ(γ+δ+n) · Γ(1+δ+n)/Γ(1+δ)], FHS (2010) eq. (7).
    public func expectedPurchases(horizon n: Double) -> Double {
        guard n > 0 else { return 0 }
        return alpha / (alpha + beta) * exp(logGamma(gamma + delta) - logGamma(1 + delta)) * retentionDifference(from: 0, to: n)
    }

    /// P(X(n) = x) = C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
    ///   + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ), FHS (2010) eq. (8).
    /// `horizon` is rounded to whole opportunities.
    public func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double {
        let n = Int(t.rounded())
        guard k >= 0, k <= n else { return 0 }
        let x = Double(k), nn = Double(n)
        func logChoose(_ m: Double, _ j: Double) -> Double { logGamma(m + 1) - logGamma(j + 1) - logGamma(m - j + 1) }
        let lbAB = SpecialFunctions.logBeta(alpha, beta), lbGD = SpecialFunctions.logBeta(gamma, delta)
        var p = exp(logChoose(nn, x) + SpecialFunctions.logBeta(alpha + x, beta + nn - x) - lbAB
                    + SpecialFunctions.logBeta(gamma, delta + nn) - lbGD)
        var i = k
        while i < n {
            let ii = Double(i)
            p += exp(logChoose(ii, x) + SpecialFunctions.logBeta(alpha + x, beta + ii - x) - lbAB
                     + SpecialFunctions.logBeta(gamma + 1, delta + ii) - lbGD)
            i += 1
        }
        return p
    }
}
