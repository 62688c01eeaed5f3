import Foundation

/// Log-gamma, digamma and log-beta: the building blocks of every likelihood in Klant.
public enum SpecialFunctions {}

extension SpecialFunctions {
    /// log Γ(x) for x > 0 (glibc's lgamma, accurate to about 1 ulp).
    @inlinable
    public static func logGamma(_ x: Double) -> Double {
        Foundation.lgamma(x)
    }

    /// log(√(2π)).
    @usableFromInline
    static let logSqrt2Pi = 0.918_938_533_204_672_741_78

    /// The Stirling remainder δ(x) = log Γ(x) − [(x − ½) log x − x + log √(2π)] for x ≥ 10, from its
    /// asymptotic series Σ B_2k / (2k (2k−1) x^(2k−1)) (A&S 6.1.41) through x^-13; absolute error
    /// below 5e-17.
    @usableFromInline
    static func stirlingRemainder(_ x: Double) -> Double {
        let inv = 1 / x, inv2 = inv * inv
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360_360 - inv2 / 156))))))
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0.
    ///
    /// When an argument is large the three log-gammas nearly cancel (log B(10⁶, 0.001) ≈ 6.9 from
    /// terms of size 10⁷), so, as R's `lbeta`, the large parts are combined analytically first:
    /// with p = min(a, b), q = max(a, b),
    /// - p ≥ 10: −½ log q + log √(2π) + δ(p) + δ(q) − δ(p+q) + (p−½) log(p/(p+q)) + q log1p(−p/(p+q));
    /// - q ≥ 10: log Γ(p) + δ(q) − δ(p+q) + p − p log(p+q) + (q−½) log1p(−p/(p+q));
    /// - else the plain sum of log-gammas (all terms are small, no cancellation).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        let p = Swift.min(a, b), q = Swift.max(a, b)
        if p >= 10 {
            let correction = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q)
            return -0.5 * log(q) + logSqrt2Pi + correction + (p - 0.5) * log(p / (p + q)) + q * log1p(-p / (p + q))
        } else if q >= 10 {
            let correction = stirlingRemainder(q) - stirlingRemainder(p + q)
            return logGamma(p) + correction + p - p * log(p + q) + (q - 0.5) * log1p(-p / (p + q))
        }
        return logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// Digamma ψ(x) = d/dx log Γ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 12,
    /// then the asymptotic series (A&S 6.3.18) through the z^-14 term. Absolute error about 1e-15
    /// (relative 1e-15 away from the root at 1.4616). Returns NaN for x ≤ 0 or NaN.
    public static func digamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var value = 0.0
        var z = x
        while z < 12 {
            value -= 1 / z
            z += 1
        }
        let inv = 1 / z
        let inv2 = inv * inv
        // ψ(z) ~ ln z − 1/(2z) − Σ B_2k / (2k z^2k)
        let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))))
        return value + log(z) - 0.5 * inv - series
    }

    /// Trigamma ψ'(x) for x > 0: the recurrence ψ'(x) = ψ'(x+1) + 1/x² up to x ≥ 12, then the
    /// asymptotic series (A&S 6.4.12) through the z^-15 term. Relative error about 1e-15.
    public static func trigamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? 0 : .nan }
        var value = 0.0
        var z = x
        while z < 12 {
            value += 1 / (z * z)
            z += 1
        }
        let inv = 1 / z
        let inv2 = inv * inv
        // ψ'(z) ~ 1/z + 1/(2z²) + Σ B_2k / z^(2k+1)
        let tail = inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30 - inv2 * (5.0 / 66 - inv2 * (691.0 / 2730 - inv2 * (7.0 / 6))))))
        let series = inv * (1 + inv * (0.5 + inv * (1.0 / 6 - tail)))
        return value + series
    }

    /// log(exp(a) + exp(b)) without overflow.
    @inlinable
    public static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }
}
