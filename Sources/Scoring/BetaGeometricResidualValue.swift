import Foundation
import Models
import SpecialFunctions

/// Continuously discounted residual value of a BG/NBD or MBG/NBD customer alive at T, for an
/// infinite horizon. Given alive, λ ~ Gamma(R, A) with R = r+x, A = α+T, and p ~ Beta(a, B)
/// (B = b+x for BG/NBD, b+x+1 for MBG/NBD); she buys at rate λ until she dies at rate λp. With
/// w = δA/p and Ψ(w) = w^R e^w Γ(1−R, w) (so E_λ[δ/(δ+λp)] = Ψ(w), the Pareto/NBD DERT's Ψ):
///   DERT/P(alive) = E_p[ (1 − Ψ(w)) / p ]          (discounted expected purchases)
///   time alive    = E_p[ Ψ(w) ] / δ                 (discounted expected time alive)
/// The one-dimensional integral over p is computed by double-exponential (tanh-sinh) quadrature
/// (Takahasi & Mori 1974), which copes with the Beta density's endpoint singularities; the step is
/// halved until the sum changes by less than 1e-12 relative.
enum BetaGeometricResidualValue {
    static func aliveValues(r: Double, alpha: Double, a: Double, bPosterior: Double, frequency x: Double, T: Double,
                            continuousRate delta: Double, stepLength: Double) -> AliveValues {
        let R = r + x, A = alpha + T
        let logNormaliser = SpecialFunctions.logBeta(a, bPosterior)
        /// (purchases, time alive) integrands at p, with 1 − p given separately for accuracy near 1.
        func integrands(_ p: Double, _ q: Double) -> (Double, Double) {
            let w = delta * A / p
            let psi = exp(R * log(w)) * SpecialFunctions.scaledUpperIncompleteGamma(1 - R, w)
            // For large w, 1 − Ψ(w) ≈ R/w: take it from the asymptotic series to avoid cancellation.
            let oneMinusPsi = w > 1e6 * max(1, R * R) ? R / w * (1 - (R + 1) / w) : 1 - psi
            let density = exp((a - 1) * log(p) + (bPosterior - 1) * log(q) - logNormaliser)
            return (density * oneMinusPsi / p, density * psi)
        }
        let (purchases, alive) = tanhSinhOnUnitInterval(integrands)
        return AliveValues(expected: purchases, discounted: purchases, periodsAlive: alive / delta / stepLength)
    }

    /// ∫_0^1 f(p) dp for two integrands at once, f given (p, 1 − p).
    static func tanhSinhOnUnitInterval(_ f: (Double, Double) -> (Double, Double)) -> (Double, Double) {
        var h = 0.5
        var previous = (Double.nan, Double.nan)
        var sum = (0.0, 0.0)
        var level = 0
        while level < 12 {
            sum = (0, 0)
            var k = 0.0
            // Nodes at t = k h for |t| ≤ 4 (beyond that the nodes are within 1e-300 of the ends).
            while k * h <= 4 {
                for t in k == 0 ? [0.0] : [k * h, -k * h] {
                    let s = 0.5 * Double.pi * sinh(t)
                    let p = 1 / (1 + exp(-2 * s)), q = 1 / (1 + exp(2 * s))
                    guard p > 0, q > 0 else { continue }
                    let weight = 0.5 * Double.pi * cosh(t) / (2 * cosh(s) * cosh(s))   // dp/dt
                    let (u, v) = f(p, q)
                    if u.isFinite, v.isFinite { sum.0 += weight * u; sum.1 += weight * v }
                }
                k += 1
            }
            sum = (sum.0 * h, sum.1 * h)
            if abs(sum.0 - previous.0) <= 1e-12 * abs(sum.0), abs(sum.1 - previous.1) <= 1e-12 * abs(sum.1) { break }
            previous = sum
            h /= 2
            level += 1
        }
        return sum
    }
}
