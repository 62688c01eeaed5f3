import Foundation
import Linalg
import Models
import Optimize
import Testing

@Suite("BG/NBD consistency")
struct BetaGeometricNBDConsistencyTests {
    @Test("analytic Hessian equals central differences of the gradient (relative 1e-6): times in tables (CDNOW) and continuous, heavy buyers")
    func hessian() throws {
        let data = try TestData.cdnowPatterns()
        for d in [data, BetaGeometricChecks.withHeavyBuyers(data), BetaGeometricChecks.continuousTimes(data)] {
            BetaGeometricChecks.hessianMatchesFiniteDifferences(BetaGeometricNBD.self, at: [0.3, 5, 0.8, 2.2], data: d)
        }
    }

    @Test("analytic gradient equals central finite differences (relative 1e-6), also with heavy buyers")
    func gradient() throws {
        let data = try TestData.cdnowPatterns()
        BetaGeometricChecks.gradientMatchesFiniteDifferences(BetaGeometricNBD.self, at: [0.3, 5, 0.8, 2.2], data: data)
        BetaGeometricChecks.gradientMatchesFiniteDifferences(BetaGeometricNBD.self, at: [0.3, 5, 0.8, 2.2], data: BetaGeometricChecks.withHeavyBuyers(data))
    }

    @Test("fitting uncompressed rows equals fitting compressed patterns (relative 1e-8); penalizer 0 equals the plain fit")
    func compressionAndPenaltyZero() throws {
        let s = try TestData.cdnowSummary()
        let rows = PurchasePatterns(frequency: s.frequency, recency: s.recency, T: s.T)
        let compressed = PurchasePatterns.compressing(frequency: s.frequency, recency: s.recency, T: s.T)
        #expect(compressed.count < rows.count)
        let a = try BetaGeometricNBD.fit(rows), b = try BetaGeometricNBD.fit(compressed)
        let c = try BetaGeometricNBD.fit(compressed, penalizer: 0)
        for i in 0..<4 {
            #expect(TestData.relativelyClose(a.model.parameters[i], b.model.parameters[i], 1e-8))
            #expect(b.model.parameters[i] == c.model.parameters[i])
        }
        #expect(abs(a.fit.logLikelihood - b.fit.logLikelihood) < 1e-8)
    }

    @Test("pattern compression (one pass below 250,000 rows, partitioned above) equals a Dictionary-based reference: same patterns, order and weights")
    func compressionReference() {
        var g = SeededGenerator(seed: 9)
        for rows in [1_000, 300_000] {
            var f: [Double] = [], r: [Double] = [], t: [Double] = [], w: [Double] = []
            for _ in 0..<rows {
                let x = Double(Int(RandomVariates.exponential(rate: 0.7, &g)))
                f.append(x); r.append(x == 0 ? 0 : Double(Int(RandomVariates.uniform(&g) * 200)) / 7)
                t.append(Double(200 + Int(RandomVariates.uniform(&g) * 70)) / 7); w.append(Double(1 + Int(RandomVariates.uniform(&g) * 3)))
            }
            for weights in [nil, w] {
                let fast = PurchasePatterns.compressing(frequency: f, recency: r, T: t, weight: weights)
                struct Key: Hashable { let x: Double, tx: Double, t: Double }
                var index: [Key: Int] = [:]
                var reference = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
                for i in 0..<rows {
                    let key = Key(x: f[i], tx: r[i], t: t[i])
                    if let j = index[key] { reference.weight[j] += weights?[i] ?? 1 } else {
                        index[key] = reference.count
                        reference.frequency.append(f[i]); reference.recency.append(r[i]); reference.T.append(t[i])
                        reference.weight.append(weights?[i] ?? 1)
                    }
                }
                #expect(fast == reference, "\(rows) rows: \(fast.count) vs \(reference.count) patterns")
            }
        }
    }

    @Test("standard errors equal the inverse of the observed information computed directly in θ (relative 1e-4)")
    func standardErrors() throws {
        let data = try TestData.cdnowPatterns()
        let fitted = try BetaGeometricNBD.fit(data)
        let theta = fitted.model.parameters
        let information = Minimizer.finiteDifferenceHessian(at: theta, step: 1e-5) { t, g in
            var gTheta = [0.0, 0, 0, 0]
            _ = BetaGeometricNBD.logLikelihood(t, data: data, gradient: &gTheta)
            for i in 0..<4 { g[i] = -gTheta[i] }
        }
        let covariance = try LAPACK.inversePositiveDefinite(information)
        for i in 0..<4 {
            let se = try #require(fitted.fit.parameters[i].standardError)
            #expect(TestData.relativelyClose(se, covariance[i, i].squareRoot(), 1e-4), "\(BetaGeometricNBD.parameterNames[i]): \(se) vs \(covariance[i, i].squareRoot())")
        }
    }

    @Test("a penalizer shrinks the parameters and lowers the unpenalised LL")
    func penalizer() throws {
        let data = try TestData.cdnowPatterns()
        let plain = try BetaGeometricNBD.fit(data), penalised = try BetaGeometricNBD.fit(data, penalizer: 0.1)
        let sumSquares = { (p: [Double]) in p.map { $0 * $0 }.reduce(0, +) }
        #expect(sumSquares(penalised.model.parameters) < sumSquares(plain.model.parameters))
        var g = [Double](repeating: 0, count: 4)
        #expect(BetaGeometricNBD.logLikelihood(penalised.model.parameters, data: data, gradient: &g) < plain.fit.logLikelihood)
    }

    @Test("P(alive) in [0, 1] and finite predictions over a grid incl. x = 300-500 with t_x ≪ T; heavy buyers fit")
    func bounded() throws {
        let m = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        BetaGeometricChecks.predictionsAreBounded(m)
        BetaGeometricChecks.predictionsAreBounded(try BetaGeometricNBD(r: 2, alpha: 1, a: 3, b: 0.5))
        let heavy = try BetaGeometricNBD.fit(BetaGeometricChecks.withHeavyBuyers(try TestData.cdnowPatterns()))
        #expect(heavy.fit.convergence.converged)
        #expect(heavy.fit.logLikelihood.isFinite)
        let e = heavy.model.conditionalExpectedPurchases(horizon: 39, frequency: 500, recency: 10, T: 38.86)
        #expect(e.isFinite && e >= 0)
    }

    @Test("E[X(t)] = Σ k P(X(t)=k) and Σ P = 1 (1e-6)")
    func distribution() throws {
        for m in [try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262), try BetaGeometricNBD(r: 1.5, alpha: 3, a: 2, b: 4)] {
            for t in [1.0, 39, 78] { BetaGeometricChecks.expectationMatchesDistribution(m, horizon: t) }
        }
    }

    @Test("a + b ≤ 1 (the 2F1's c ≤ 0 for x = 0): E[X(t)] = Σ k P(X(t)=k), continuous across a + b = 1, finite scores")
    func dropoutWithSmallAPlusB() throws {
        for (a, b) in [(0.3, 0.45), (0.25, 0.75), (0.6, 0.1)] {
            let m = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: a, b: b)
            for t in [1.0, 39, 78] { BetaGeometricChecks.expectationMatchesDistribution(m, horizon: t) }
            // x = 0 customers just acquired are new customers.
            for t in [1.0, 39] {
                let conditional = m.conditionalExpectedPurchases(horizon: t, frequency: 0, recency: 0, T: 1e-12)
                #expect(TestData.relativelyClose(conditional, m.expectedPurchases(horizon: t), 1e-9))
            }
            let scores = m.score(horizon: 39, frequency: [0, 0, 2, 10], recency: [0, 0, 30.43, 20], T: [5, 38.86, 38.86, 40])
            #expect(scores.expectedPurchases.allSatisfy { $0.isFinite && $0 >= 0 })
        }
        // a + b = 1 exactly (c = 0, the pole of 2F1) sits between its neighbours.
        let at = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.25, b: 0.75)
        for b in [0.75 - 1e-7, 0.75 + 1e-7] {
            let near = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.25, b: b)
            for (x, T) in [(0.0, 38.86), (0, 0.5)] {
                let e0 = at.conditionalExpectedPurchases(horizon: 39, frequency: x, recency: 0, T: T)
                let e1 = near.conditionalExpectedPurchases(horizon: 39, frequency: x, recency: 0, T: T)
                #expect(TestData.relativelyClose(e0, e1, 1e-6), "a + b = 1: \(e0), a + b = 1 ± 1e-7: \(e1)")
            }
        }
    }

    @Test("batch scoring (cached per (x, T), all cores) equals the per-customer functions (relative 1e-12), incl. x = 500")
    func batchScore() throws {
        let m = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        let s = try TestData.cdnowSummary()
        var f = s.frequency, r = s.recency, t = s.T
        for _ in 0..<30 { f += s.frequency; r += s.recency; t += s.T }   // > 65,536 rows: several chunks
        f += [300, 500]; r += [5, 10]; t += [38.86, 38.86]
        let scored = m.score(horizon: 39, frequency: f, recency: r, T: t)
        for i in stride(from: 0, to: f.count, by: 97) + [f.count - 2, f.count - 1] {
            #expect(TestData.relativelyClose(scored.probabilityAlive[i], m.probabilityAlive(frequency: f[i], recency: r[i], T: t[i]), 1e-12))
            #expect(TestData.relativelyClose(scored.expectedPurchases[i], m.conditionalExpectedPurchases(horizon: 39, frequency: f[i], recency: r[i], T: t[i]), 1e-12))
        }
    }

    @Test("a = 1 (0/0 in the formulas) gives the limit: between a = 1 ∓ 1e-4 (BG/NBD and MBG/NBD)")
    func unitA() throws {
        func check(_ at: (Double) throws -> Double) throws {
            let below = try at(1 - 1e-4), above = try at(1 + 1e-4), mid = try at(1)
            #expect(mid.isFinite && mid >= min(below, above) && mid <= max(below, above), "\(below) \(mid) \(above)")
        }
        try check { try BetaGeometricNBD(r: 0.25, alpha: 4, a: $0, b: 2.5).expectedPurchases(horizon: 39) }
        try check { try BetaGeometricNBD(r: 0.25, alpha: 4, a: $0, b: 2.5).conditionalExpectedPurchases(horizon: 39, frequency: 3, recency: 20, T: 38) }
        try check { try ModifiedBetaGeometricNBD(r: 0.25, alpha: 4, a: $0, b: 2.5).expectedPurchases(horizon: 39) }
        try check { try ModifiedBetaGeometricNBD(r: 0.25, alpha: 4, a: $0, b: 2.5).conditionalExpectedPurchases(horizon: 39, frequency: 3, recency: 20, T: 38) }
    }

    @Test("conditional expectation of a new customer (x = 0, T → 0) equals E[X(t)] (relative 1e-6)")
    func newCustomer() throws {
        let m = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        #expect(TestData.relativelyClose(m.conditionalExpectedPurchases(horizon: 39, frequency: 0, recency: 0, T: 1e-9), m.expectedPurchases(horizon: 39), 1e-6))
    }

    @Test("recovers simulated parameters within 3 standard errors (100,000 customers, T uniform 30-40)")
    func recovery() throws {
        let truth = try BetaGeometricNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5)
        var g = SeededGenerator(seed: 42)
        let sim = BetaGeometricNBDSimulator(model: truth).simulate(customers: 100_000, using: &g, observationLength: BetaGeometricChecks.uniformT)
        let fitted = try BetaGeometricNBD.fit(sim.patterns)
        #expect(fitted.fit.convergence.converged)
        for (estimate, want) in zip(fitted.fit.parameters, truth.parameters) {
            let se = try #require(estimate.standardError)
            #expect(abs(estimate.estimate - want) <= 3 * se, "\(estimate.name): \(estimate.estimate) ± \(se) vs \(want)")
        }
    }

    @Test("input checks: negative frequency, recency > T, non-integer frequency, empty data, bad parameters")
    func inputChecks() {
        func fit(_ x: Double, _ tx: Double, _ T: Double) throws {
            _ = try BetaGeometricNBD.fit(PurchasePatterns(frequency: [x, 1], recency: [tx, 1], T: [T, 2]))
        }
        #expect { try fit(-1, 0, 5) } throws: { "\($0)".contains("not a non-negative whole number") }
        #expect { try fit(1.5, 1, 5) } throws: { "\($0)".contains("not a non-negative whole number") }
        #expect { try fit(2, 6, 5) } throws: { "\($0)".contains("0 <= recency <= T") }
        #expect { try BetaGeometricNBD.fit(PurchasePatterns(frequency: [], recency: [], T: [])) } throws: { "\($0)".contains("no customers") }
        #expect { try BetaGeometricNBD(r: 0, alpha: 1, a: 1, b: 1) } throws: { "\($0)".contains("must be finite and positive") }
    }

    @Test("model file round trip keeps parameters, kind and time unit")
    func modelFile() throws {
        let fitted = try BetaGeometricNBD.fit(TestData.cdnowPatterns())
        let file = fitted.modelFile(timeUnit: .calendar(.week), source: "cdnow_customers_summary.csv", patterns: 0)
        let decoded = try ModelFile.decode(file.encoded(), source: "memory")
        #expect(try BetaGeometricNBD(file: decoded) == fitted.model)
        #expect { try ModifiedBetaGeometricNBD(file: decoded) } throws: { "\($0)".contains("expected a mbg-nbd model") }
    }
}

/// P(no purchase in the next t units) of the BG/NBD family: the conditional formula reduces to the
/// new-customer P(X(t) = 0) = (α/(α+t))^r when T → 0 with no purchases, and stays in [0, 1].
@Suite struct NoPurchaseProbabilityTests {
    @Test func conditionalNoPurchaseReducesToTheNewCustomerProbability() throws {
        let model = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        for t in [1.0, 13, 39, 78] {
            let conditional = try #require(model.probabilityOfNoPurchases(horizon: t, frequency: 0, recency: 0, T: 1e-12))
            #expect(abs(conditional - model.probabilityOfPurchases(0, horizon: t)) < 1e-10)
        }
    }

    @Test func noPurchaseProbabilityIsAProbabilityAndFallsWithTheHorizon() throws {
        for model in [try BetaGeometricNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5) as any RepeatPurchaseModel,
                      try ModifiedBetaGeometricNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5)] {
            for (x, tx, T) in [(0.0, 0.0, 38.0), (2, 30.43, 38.86), (500, 1, 100)] {
                var previous = 1.0
                for t in [1.0, 10, 52, 520] {
                    let p = try #require(model.probabilityOfNoPurchases(horizon: t, frequency: x, recency: tx, T: T))
                    #expect(p >= 0 && p <= 1 && p <= previous + 1e-15)
                    previous = p
                }
            }
        }
    }
}
