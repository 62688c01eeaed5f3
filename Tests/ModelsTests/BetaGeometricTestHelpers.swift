import Foundation
import Linalg
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

    /// The family's analytic Hessian (from the same pass as the gradient) vs central differences of
    /// its analytic gradient, relative `tolerance` (entries near 0 against the largest in their row).
    static func hessianMatchesFiniteDifferences<M: RepeatPurchaseModel>(_: M.Type, at theta: [Double], data: PurchasePatterns,
                                                                      tolerance: Double = 1e-6) {
        guard let ll = M.makeSecondOrderLogLikelihood(for: data) else { Issue.record("\(M.kind) gives no Hessian"); return }
        let p = theta.count
        var g = [Double](repeating: 0, count: p), gp = g, gm = g
        var hessian: Matrix? = Matrix(rows: p, columns: p)
        let value = ll(theta, &g, &hessian)
        var firstOrder = g, none: Matrix? = nil
        #expect(value == M.logLikelihood(theta, data: data, gradient: &firstOrder) && g == firstOrder, "asking for the Hessian changes value or gradient")
        #expect(ll(theta, &firstOrder, &none) == value && none == nil)
        guard let h = hessian else { Issue.record("no Hessian written"); return }
        for j in 0..<p {
            let step = 1e-5 * theta[j]
            var tp = theta, tm = theta
            tp[j] += step; tm[j] -= step
            _ = M.logLikelihood(tp, data: data, gradient: &gp)
            _ = M.logLikelihood(tm, data: data, gradient: &gm)
            let rowScale = (0..<p).map { abs(h[$0, j]) }.max() ?? 1
            for i in 0..<p {
                let fd = (gp[i] - gm[i]) / (2 * step)
                #expect(abs(h[i, j] - fd) <= tolerance * max(abs(fd), 1e-3 * rowScale),
                        "∂²/∂\(M.parameterNames[i])∂\(M.parameterNames[j]): analytic \(h[i, j]) vs finite difference \(fd)")
                #expect(h[i, j] == h[j, i])
            }
        }
    }

    /// CDNOW's patterns with every time moved by a distinct tiny amount (continuous times: no time
    /// repeats, so the likelihood takes its per-pattern path instead of tables of distinct times).
    static func continuousTimes(_ data: PurchasePatterns) -> PurchasePatterns {
        var d = data
        for i in 0..<d.count {
            let shift = 1e-3 * Double(i % 997 + 1) / 997
            d.T[i] += shift
            if d.frequency[i] > 0 { d.recency[i] += shift * Double(i % 7) / 7 }
        }
        return d
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
