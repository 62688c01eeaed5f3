import Foundation
import Models
import SpecialFunctions
import Testing

/// The BG/NBD likelihood runs in blocks with vector logs and exponentials and no branch per row; its
/// value must equal eq. (6) of Fader, Hardie & Lee (2005) written out per pattern, on every path:
/// times in tables (dates in days) or continuous, with and without repeat buyers.
@Suite struct BetaGeometricLikelihoodPathsTests {
    /// FHL (2005) eq. (6) per pattern, in log space, straight from the paper.
    static func referenceLogLikelihood(_ theta: [Double], _ d: PurchasePatterns) -> Double {
        let (r, alpha, a, b) = (theta[0], theta[1], theta[2], theta[3])
        func logBeta(_ p: Double, _ q: Double) -> Double { lgamma(p) + lgamma(q) - lgamma(p + q) }
        var total = 0.0
        for i in 0..<d.count {
            let x = d.frequency[i], tx = d.recency[i], t = d.T[i]
            let common = lgamma(r + x) - lgamma(r) + r * log(alpha) + logBeta(a, b + x) - logBeta(a, b)
            let l3 = -(r + x) * log(alpha + t)
            var value = l3
            if x > 0 {
                let l4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + tx)
                value = max(l3, l4) + log1p(exp(-abs(l3 - l4)))
            }
            total += d.weight[i] * (common + value)
        }
        return total
    }

    @Test("the log-likelihood equals FHL (2005) eq. (6) per pattern (relative 1e-12): tables, continuous times, heavy buyers, a pattern count not a multiple of the block")
    func valueEqualsThePaper() throws {
        let cdnow = try TestData.cdnowPatterns()
        var odd = BetaGeometricChecks.continuousTimes(cdnow)
        odd.frequency.removeLast(3); odd.recency.removeLast(3); odd.T.removeLast(3); odd.weight.removeLast(3)
        for d in [cdnow, BetaGeometricChecks.continuousTimes(cdnow), BetaGeometricChecks.withHeavyBuyers(cdnow), odd] {
            for theta in [[0.243, 4.41, 0.793, 2.43], [1.5, 20, 0.3, 0.9], [0.05, 0.5, 3, 12]] {
                var gradient = [0.0, 0, 0, 0]
                let fast = BetaGeometricNBD.logLikelihood(theta, data: d, gradient: &gradient)
                let reference = Self.referenceLogLikelihood(theta, d)
                #expect(abs(fast - reference) <= 1e-12 * abs(reference), "θ \(theta), \(d.count) patterns: \(fast) vs \(reference)")
            }
        }
    }

    @Test("vector log and exp are within 4 ulp of the scalar functions, over the whole range the likelihood uses")
    func vectorMathMatchesScalar() {
        var g = SystemRandomNumberGenerator()
        let n = 10_003
        var xs = (0..<n).map { _ in exp(Double.random(in: -690...690, using: &g)) }
        xs += [1, 2, .leastNormalMagnitude, 1e300]
        var ys = [Double](repeating: 0, count: xs.count)
        VectorMath.log(xs, into: &ys, count: xs.count)
        for (x, y) in zip(xs, ys) { #expect(abs(y - log(x)) <= 4 * log(x).ulp, "log(\(x)): \(y) vs \(log(x))") }
        var es = (0..<n).map { _ in Double.random(in: -700...700, using: &g) }
        es += [0, -700, 700]
        var zs = [Double](repeating: 0, count: es.count)
        VectorMath.exp(es, into: &zs, count: es.count)
        for (x, z) in zip(es, zs) { #expect(abs(z - exp(x)) <= 4 * exp(x).ulp, "exp(\(x)): \(z) vs \(exp(x))") }
    }

    @Test("rows with (nearly) all patterns distinct are kept as they are, weights 1; the fit equals the fit on the Dictionary-compressed patterns")
    func nearlyDistinctRowsAreNotCompressed() throws {
        var g = SeededGenerator(seed: 21)
        var f: [Double] = [], r: [Double] = [], t: [Double] = []
        for i in 0..<300_000 {
            let x = Double(Int(RandomVariates.exponential(rate: 0.5, &g)))
            let bigT = 30 + 10 * RandomVariates.uniform(&g)
            f.append(x); r.append(x == 0 ? 0 : bigT * RandomVariates.uniform(&g)); t.append(bigT)
            if i == 1_000 { f.append(x); r.append(r[r.count - 1]); t.append(bigT) }   // one repeated row
        }
        let kept = PurchasePatterns.compressing(frequency: f, recency: r, T: t)
        #expect(kept.count == f.count && kept.weight.allSatisfy { $0 == 1 })
        var gradient = [0.0, 0, 0, 0]
        let theta = [0.3, 5, 0.8, 2.2]
        let direct = BetaGeometricNBD.logLikelihood(theta, data: kept, gradient: &gradient)
        #expect(abs(direct - Self.referenceLogLikelihood(theta, kept)) <= 1e-12 * abs(direct))
    }

    @Test("frequencies that are small whole numbers and others index the same patterns (the direct table and the hash path)")
    func wholeNumberFrequenciesIndexLikeAnyOther() throws {
        let cdnow = try TestData.cdnowPatterns()
        var shifted = cdnow
        shifted.frequency = shifted.frequency.map { $0 + 70_000 }   // beyond the direct table: the hash path
        var g1 = [0.0, 0, 0, 0], g2 = [0.0, 0, 0, 0]
        // Same patterns up to the shift of x, so compare each against its own reference.
        let theta = [0.243, 4.41, 0.793, 2.43]
        let a = BetaGeometricNBD.logLikelihood(theta, data: cdnow, gradient: &g1)
        let b = BetaGeometricNBD.logLikelihood(theta, data: shifted, gradient: &g2)
        #expect(abs(a - Self.referenceLogLikelihood(theta, cdnow)) <= 1e-12 * abs(a))
        #expect(abs(b - Self.referenceLogLikelihood(theta, shifted)) <= 1e-11 * abs(b))
    }

    @Test("the data fingerprint is mix64 and 16 hex digits, the same for the same data and different when one value changes")
    func fingerprintTracesTheData() throws {
        let d = try TestData.cdnowPatterns()
        var changed = d
        changed.T[17] = changed.T[17].nextUp
        let a = DataFingerprint.of(d)
        #expect(a.hasPrefix("mix64:") && a.count == 22 && a.dropFirst(6).allSatisfy(\.isHexDigit))
        #expect(a == DataFingerprint.of(d) && a != DataFingerprint.of(changed))
        #expect(DataFingerprint.of(columns: [[1, 2], [3]]) != DataFingerprint.of(columns: [[1], [2, 3]]))
    }
}
