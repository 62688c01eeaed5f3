import Foundation

extension SpecialFunctions {
    /// e^z Γ(a, z), the upper incomplete gamma function scaled by e^z, for any real a and z > 0.
    ///
    /// This is Tricomi's U(1−a, 1−a; z) (DLMF 8.5.3), the Ψ of Fader, Hardie & Lee's (2005) DERT.
    /// - z ≥ 1.5: the continued fraction DLMF 8.9.2, evaluated by the modified Lentz method
    ///   (converges for every real a; fast for large z).
    /// - z < 1.5 and 0 < a ≤ 1: Γ(a) − γ(a, z) with the series of DLMF 8.7.1 for γ (no cancellation:
    ///   γ(a, z) < Γ(a, z) here for a ≤ 1 and small z would still be exact to rounding).
    /// - a = 0: E₁(z) = −γ_E − ln z − Σ (−z)^k / (k k!) (DLMF 6.6.2).
    /// - otherwise: the recurrence Γ(a+1, z) = a Γ(a, z) + z^a e^(−z) (DLMF 8.8.2) from the base in (0, 1]
    ///   (or 0), upwards for a > 1 and downwards for a < 0.
    public static func scaledUpperIncompleteGamma(_ a: Double, _ z: Double) -> Double {
        guard z > 0, z.isFinite, a.isFinite else { return .nan }
        if z >= 1.5 { return upperGammaContinuedFraction(a, z) }
        let base = a - (a.rounded(.up) - 1)        // in (0, 1], or 1 when a is a whole number
        let baseValue: Double
        let start: Double
        if a == a.rounded() && a <= 0 {
            start = 0
            baseValue = exp(z) * exponentialIntegralE1(z)
        } else {
            start = base
            baseValue = exp(z) * (exp(logGamma(start)) - lowerIncompleteGammaSeries(start, z))
        }
        // e^z Γ(a', z) for a' = start, start ± 1, ... until a.
        var value = baseValue, current = start
        while current < a - 0.5 {          // upwards: e^z Γ(a'+1, z) = a' e^z Γ(a', z) + z^a'
            value = current * value + pow(z, current)
            current += 1
        }
        while current > a + 0.5 {          // downwards: e^z Γ(a'−1, z) = (e^z Γ(a', z) − z^(a'−1)) / (a'−1)
            value = (value - pow(z, current - 1)) / (current - 1)
            current -= 1
        }
        return value
    }

    /// γ(a, z) = z^a e^(−z) Σ_n z^n / (a (a+1) ⋯ (a+n)), DLMF 8.7.1 rearranged, for a > 0.
    static func lowerIncompleteGammaSeries(_ a: Double, _ z: Double) -> Double {
        var term = 1 / a, sum = term, n = 0.0
        while n < 10_000 {
            n += 1
            term *= z / (a + n)
            sum += term
            if abs(term) < 1e-17 * abs(sum) { break }
        }
        return exp(a * log(z) - z) * sum
    }

    /// E₁(z) for 0 < z < 1.5 by its series (DLMF 6.6.2); the alternating terms stay small for such z.
    static func exponentialIntegralE1(_ z: Double) -> Double {
        let eulerGamma = 0.57721566490153286061
        var term = 1.0, sum = 0.0, k = 0.0
        while k < 200 {
            k += 1
            term *= -z / k
            sum += term / k
            if abs(term / k) < 1e-17 * abs(sum) { break }
        }
        return -eulerGamma - log(z) - sum
    }

    /// e^z Γ(a, z) = 1 / (z + 1 − a − 1·(1−a) / (z + 3 − a − 2·(2−a) / (z + 5 − a − …))) · z^a
    /// (DLMF 8.9.2 in Legendre's form), modified Lentz evaluation.
    static func upperGammaContinuedFraction(_ a: Double, _ z: Double) -> Double {
        let tiny = 1e-300
        var b = z + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return exp(a * log(z)) * h
    }
}
