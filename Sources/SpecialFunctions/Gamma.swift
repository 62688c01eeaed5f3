import Foundation

/// Log-gamma, digamma and log-beta: the building blocks of every likelihood in Klant.
public enum SpecialFunctions {}

extension SpecialFunctions {
    /// log Γ(x) for x > 0 (glibc's lgamma, accurate to about 1 ulp).
    @inlinable
    public static func logGamma(_ x: Double) -> Double {
        Foundation.lgamma(x)
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
    @inlinable
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// Digamma ψ(x) = d/dx log Γ(x) for x > 0: recurrence up to x ≥ 6, then the asymptotic
    /// series (Abramowitz & Stegun 6.3.18). Absolute error below 1e-14 for x > 0.
    public static func digamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var value = 0.0
        var z = x
        while z < 6 {
            value -= 1 / z
            z += 1
        }
        let inv = 1 / z
        let inv2 = inv * inv
        // ψ(z) ~ ln z − 1/(2z) − Σ B_2k / (2k z^2k)
        let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))))
        return value + log(z) - 0.5 * inv - series
    }

    /// Trigamma ψ'(x) for x > 0: recurrence then asymptotic series (A&S 6.4.12).
    public static func trigamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? 0 : .nan }
        var value = 0.0
        var z = x
        while z < 6 {
            value += 1 / (z * z)
            z += 1
        }
        let inv = 1 / z
        let inv2 = inv * inv
        let series = inv * (1 + inv * (0.5 + inv * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30))))))
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
