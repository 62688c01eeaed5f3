import Foundation

/// Why a Gauss hypergeometric value could not be computed: returned instead of a silent NaN/Inf.
public enum HypergeometricError: Error, Equatable, CustomStringConvertible {
    case outsideDomain(a: Double, b: Double, c: Double, z: Double)
    case notConverged(a: Double, b: Double, c: Double, z: Double, terms: Int)

    public var description: String {
        switch self {
        case let .outsideDomain(a, b, c, z):
            return "2F1(\(a), \(b); \(c); \(z)) is outside the supported domain (a, b, c > 0, 0 <= z < 1)"
        case let .notConverged(a, b, c, z, terms):
            return "2F1(\(a), \(b); \(c); \(z)) did not converge in \(terms) terms"
        }
    }
}

extension SpecialFunctions {
    /// log ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, by the Gauss series (A&S 15.1.1)
    /// summed with a running rescale, so that values like 1e400 (x in the hundreds in the
    /// BG/NBD and Pareto/NBD formulas) are returned as their logarithm instead of overflowing.
    /// Every term is positive, so there is no cancellation. Throws instead of returning NaN/Inf.
    public static func logHypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double,
                                            maxTerms: Int = 1_000_000) throws -> Double {
        guard a > 0, b > 0, c > 0, z >= 0, z < 1, a.isFinite, b.isFinite, c.isFinite else {
            throw HypergeometricError.outsideDomain(a: a, b: b, c: c, z: z)
        }
        if z == 0 { return 0 }
        var logScale = 0.0   // the sum is exp(logScale) * sum
        var term = 1.0
        var sum = 1.0
        var n = 0.0
        for _ in 0..<maxTerms {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            n += 1
            if sum > 1e250 {   // rescale to keep the partial sum finite
                logScale += log(sum)
                term /= sum
                sum = 1
            }
            // The ratio of successive terms tends to z < 1; once it is below 1 and the term is
            // negligible, the remaining tail is bounded by term * r / (1 - r).
            let ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            if ratio < 1, term * ratio / (1 - ratio) <= 1e-17 * sum {
                return logScale + log(sum)
            }
        }
        throw HypergeometricError.notConverged(a: a, b: b, c: c, z: z, terms: maxTerms)
    }
}
