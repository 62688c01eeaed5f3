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
            return "2F1(\(a), \(b); \(c); \(z)) did not converge in \(terms) terms (z is too close to 1 for the series)"
        }
    }
}

extension SpecialFunctions {
    /// log ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1.
    ///
    /// - When a + b > c, Euler's transformation (A&S 15.3.3)
    ///   ₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) is applied first: its terms fall like
    ///   n^(c−a−b−1) z^n instead of n^(a+b−c−1) z^n, so it needs far fewer terms near z → 1 and for
    ///   large a, b (e.g. the Pareto/NBD case ₂F₁(r+s+x, r+x; r+s+x+1; z) with x in the hundreds
    ///   becomes (1−z)^(1−r−x) ₂F₁(1, s+1; r+s+x+1; z), and the BG/NBD expectation's
    ///   ₂F₁(r+x, b+x; a+b+x−1; z) becomes one in (a+b−1−r, a−1) whatever x). With c − a and c − b
    ///   positive its terms are positive; with one of them in (−1, 0) (BG/NBD with a < 1) every term
    ///   after the first is negative, and the transformed series 1 − S is used while S ≤ 1/2 (so the
    ///   subtraction loses at most a bit); otherwise, the original series.
    /// - The Gauss series (A&S 15.1.1) is summed term by term (one division each) with a running
    ///   rescale, so values like 10^1000 come back as their logarithm instead of overflowing. Every
    ///   term is positive, so there is no cancellation; the terms are added in blocks of 8 whose sums
    ///   are then added with compensated (Kahan) summation, so z = 0.999 (about 40,000 terms) stays
    ///   accurate to ~1e-14 relative while the common case costs little more than a plain sum.
    ///
    /// Throws (never returns NaN/Inf) outside the domain, or when z is so close to 1 that the
    /// series would need more than `maxTerms` terms.
    public static func logHypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double,
                                            maxTerms: Int = 2_000_000) throws -> Double {
        guard a > 0, b > 0, c > 0, z >= 0, z < 1, a.isFinite, b.isFinite, c.isFinite else {
            throw HypergeometricError.outsideDomain(a: a, b: b, c: c, z: z)
        }
        if z == 0 { return 0 }
        // 2F1(a, b; b; z) = (1−z)^−a (A&S 15.1.8).
        if c == b { return -a * log1p(-z) }
        if c == a { return -b * log1p(-z) }
        if a + b > c {
            let ca = c - a, cb = c - b
            if ca > 0 && cb > 0 {
                let series = try logGaussSeries(base: 1, first: ca * cb * z / c, ca, cb, c, z, maxTerms: maxTerms, original: (a, b, c))
                return (c - a - b) * log1p(-z) + series
            }
            // One parameter in (−1, 0), the other positive: 1 − S with S = Σ_{n≥1} |term n|.
            let (negative, other) = ca < 0 ? (ca, cb) : (cb, ca)
            if negative > -1 && other > 0,
               let s = try gaussSeriesTail(first: -negative * other * z / c, negative, other, c, z, maxTerms: maxTerms, limit: 0.5) {
                return (c - a - b) * log1p(-z) + log1p(-s)
            }
        }
        return try logGaussSeries(base: 1, first: a * b * z / c, a, b, c, z, maxTerms: maxTerms, original: (a, b, c))
    }

    /// log(base + Σ_{n≥1} u_n) with u_1 = `first` and u_{n+1} = u_n (a+n)(b+n) z / ((c+n)(n+1)): the
    /// Gauss series from its second term, for a + 1, b + 1, c + 1 > 0 (every ratio positive) and 0 < z < 1.
    static func logGaussSeries(base: Double, first: Double, _ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int,
                               original: (Double, Double, Double)) throws -> Double {
        // The sum is exp(logScale) * (one + sum): the leading term is kept apart so that log1p
        // gives full accuracy when the other terms are tiny (small z).
        var logScale = 0.0
        var one = base
        var sum = 0.0, compensation = 0.0
        var term = first
        var n = 1.0
        var terms = 1
        while terms < maxTerms {
            // A block of 8 terms summed plainly, then added to the total with Kahan summation.
            var block = 0.0
            var ratio = 0.0
            for _ in 0..<8 {
                block += term
                ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z
                term *= ratio
                n += 1
            }
            terms += 8
            let y = block - compensation
            let t = sum + y
            compensation = (t - sum) - y
            sum = t
            // Rescale to keep the partial sum finite (a block of 8 terms grows by far less than 1e150).
            if sum > 1e150 || term > 1e150 {
                let scale = Swift.max(sum, term)
                logScale += log(scale)
                term /= scale
                compensation /= scale
                one /= scale
                sum /= scale
            }
            // The ratio of successive terms tends to z < 1; once it is below 1 the remaining tail is
            // bounded by term / (1 − r̄), r̄ = max(ratio, z) (the ratios move monotonically towards z).
            if ratio < 1 {
                let bound = Swift.max(ratio, z)
                if term <= 1e-17 * (one + sum) * (1 - bound) {
                    let value = logScale + (one == 1 && logScale == 0 ? log1p(sum) : log(one + sum))
                    guard value.isFinite else { break }
                    return value
                }
            }
            guard sum.isFinite, term.isFinite else { break }
        }
        throw HypergeometricError.notConverged(a: original.0, b: original.1, c: original.2, z: z, terms: maxTerms)
    }

    /// S = Σ_{n≥1} |(a)_n (b)_n / ((c)_n n!)| z^n for −1 < a < 0 < b, c (every term after the
    /// first of the Gauss series negative), with |term 1| = `first`; nil once S exceeds `limit`.
    static func gaussSeriesTail(first: Double, _ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int,
                                limit: Double) throws -> Double? {
        var sum = 0.0
        var term = first
        var n = 1.0
        for _ in 0..<maxTerms {
            sum += term
            if sum > limit { return nil }
            let ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            term *= ratio
            n += 1
            if ratio < 1 {
                let bound = Swift.max(ratio, z)
                // Only S's absolute error matters in 1 − S (S ≤ 1/2): stop below 1e-17 absolute.
                if term <= 1e-17 * (1 - bound) { return sum + term }
            }
        }
        throw HypergeometricError.notConverged(a: a, b: b, c: c, z: z, terms: maxTerms)
    }
}

extension SpecialFunctions {
    /// c · (₂F₁(a, b; c; z) − 1) = Σ_{n≥1} (a)_n (b)_n z^n / ((c+1)_{n−1} n!) for a, b > 0, c > −1 and
    /// 0 ≤ z < 1 (A&S 15.1.1 with the factor c taken into the Pochhammer symbol (c)_n = c (c+1)_{n−1}).
    ///
    /// Finite and with positive terms through c = 0 and for −1 < c < 0, where ₂F₁ itself has its pole
    /// or terms of both signs: the BG/NBD expectations need exactly this product when a + b ≤ 1.
    /// Throws outside the domain or when the series does not converge in `maxTerms` terms.
    public static func hypergeometric2F1RemainderTimesC(_ a: Double, _ b: Double, _ c: Double, _ z: Double,
                                                        maxTerms: Int = 2_000_000) throws -> Double {
        guard a > 0, b > 0, c > -1, z >= 0, z < 1, a.isFinite, b.isFinite, c.isFinite else {
            throw HypergeometricError.outsideDomain(a: a, b: b, c: c, z: z)
        }
        if z == 0 { return 0 }
        var term = a * b * z          // n = 1: (a)_1 (b)_1 z / ((c+1)_0 1!)
        var sum = term, compensation = 0.0
        var n = 1.0
        for _ in 0..<maxTerms {
            // Ratio of term n+1 to term n: (a+n)(b+n) z / ((c+n)(n+1)), with c + n > 0 for n ≥ 1.
            let ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            if ratio < 1 {
                // The ratios move monotonically towards z, so the tail is below term r̄ / (1 − r̄).
                let bound = Swift.max(ratio, z)
                if term * bound / (1 - bound) <= 1e-17 * sum { return sum }
            }
            term *= ratio
            let y = term - compensation      // Kahan summation
            let t = sum + y
            compensation = (t - sum) - y
            sum = t
            n += 1
            guard sum.isFinite else { break }
        }
        throw HypergeometricError.notConverged(a: a, b: b, c: c, z: z, terms: maxTerms)
    }
}
