import Foundation
import Models
import Testing

/// Checks shared by BG/NBD and MBG/NBD (and any RepeatPurchaseModel in continuous time).
enum BetaGeometricChecks {
    /// Analytic gradient vs central differences of the log-likelihood, relative `tolerance`.
    static func gradientMatchesFiniteDifferences<M: RepeatPurchaseModel>(_: M.Type, at theta: [Double], data: PurchasePatterns,
                                                                       tolerance: Double = 1e-6) {
        var g = [Double](repeating: 0, count: theta.count), scratch = g
        _ = M.logLikelihood(theta, data: data, gradient: &g)
        for i in theta.indices {
            let h = 1e-6 * theta[i]
            var tp = theta, tm = theta
            tp[i] += h; tm[i] -= h
            let fd = (M.logLikelihood(tp, data: data, gradient: &scratch) - M.logLikelihood(tm, data: data, gradient: &scratch)) / (2 * h)
            #expect(TestData.relativelyClose(g[i], fd, tolerance), "\(M.parameterNames[i]): analytic \(g[i]) vs finite difference \(fd)")
        }
    }

    /// P(alive) in [0, 1] and predictions finite over a grid including x in the hundreds with t_x ≪ T.
    static func predictionsAreBounded<M: RepeatPurchaseModel>(_ model: M) {
        for x in [0.0, 1, 2, 10, 50, 100, 300, 500] {
            for tx in [0.0, 0.5, 5, 20, 39] where (x == 0) == (tx == 0) || M.kind == .mbgnbd {
                for T in [39.0, 78, 500] where tx <= T {
                    let alive = model.probabilityAlive(frequency: x, recency: tx, T: T)
                    #expect(alive >= 0 && alive <= 1, "P(alive) \(alive) at x \(x) t_x \(tx) T \(T)")
                    let e = model.conditionalExpectedPurchases(horizon: 39, frequency: x, recency: tx, T: T)
                    #expect(e.isFinite && e >= 0, "E \(e) at x \(x) t_x \(tx) T \(T)")
                }
            }
        }
    }

    /// E[X(t)] = Σ_k k P(X(t) = k) and Σ_k P(X(t) = k) = 1, relative `tolerance`.
    static func expectationMatchesDistribution<M: RepeatPurchaseModel>(_ model: M, horizon t: Double, tolerance: Double = 1e-6) {
        var total = 0.0, mean = 0.0
        for k in 0...2000 {
            let p = model.probabilityOfPurchases(k, horizon: t)
            total += p; mean += Double(k) * p
            if k > 50 && p < 1e-16 { break }
        }
        #expect(abs(total - 1) < tolerance, "Σ P = \(total)")
        #expect(TestData.relativelyClose(mean, model.expectedPurchases(horizon: t), tolerance), "Σ k P = \(mean) vs E[X(t)] = \(model.expectedPurchases(horizon: t))")
    }

    /// Rows with hundreds of purchases concentrated early (x 300-500, t_x ≪ T), added to real data.
    static func withHeavyBuyers(_ data: PurchasePatterns) -> PurchasePatterns {
        var d = data
        for (x, tx) in [(300.0, 5.0), (450, 2.5), (500, 10)] {
            d.frequency.append(x); d.recency.append(tx); d.T.append(38.86); d.weight.append(1)
        }
        return d
    }

    /// Simulated continuous-time data: T uniform in 30...40.
    static func uniformT(_ i: Int, _ g: inout SeededGenerator) -> Double { 30 + 10 * RandomVariates.uniform(&g) }
}
