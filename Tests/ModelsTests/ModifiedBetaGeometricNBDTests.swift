import Foundation
import Linalg
import Models
import Testing

@Suite("MBG/NBD")
struct ModifiedBetaGeometricNBDTests {
    @Test("fits the CDNOW sample and converges; LL above BG/NBD's is not required but both finite")
    func fitsCDNOW() throws {
        let fitted = try ModifiedBetaGeometricNBD.fit(TestData.cdnowPatterns())
        #expect(fitted.fit.convergence.converged)
        #expect(fitted.fit.logLikelihood.isFinite)
        #expect(fitted.fit.parameters.allSatisfy { ($0.standardError ?? 0) > 0 })
    }

    @Test("analytic Hessian equals central differences of the gradient (relative 1e-6): times in tables (CDNOW) and continuous, heavy buyers")
    func hessian() throws {
        let data = try TestData.cdnowPatterns()
        for d in [data, BetaGeometricChecks.withHeavyBuyers(data), BetaGeometricChecks.continuousTimes(data)] {
            BetaGeometricChecks.hessianMatchesFiniteDifferences(ModifiedBetaGeometricNBD.self, at: [0.5, 6, 1.3, 3.1], data: d)
        }
    }

    @Test("analytic gradient equals central finite differences (relative 1e-6), also with heavy buyers")
    func gradient() throws {
        let data = try TestData.cdnowPatterns()
        BetaGeometricChecks.gradientMatchesFiniteDifferences(ModifiedBetaGeometricNBD.self, at: [0.5, 6, 1.3, 3.1], data: data)
        BetaGeometricChecks.gradientMatchesFiniteDifferences(ModifiedBetaGeometricNBD.self, at: [0.5, 6, 1.3, 3.1], data: BetaGeometricChecks.withHeavyBuyers(data))
    }

    @Test("uncompressed equals compressed (1e-8); penalizer 0 equals the plain fit")
    func compression() throws {
        let s = try TestData.cdnowSummary()
        let a = try ModifiedBetaGeometricNBD.fit(PurchasePatterns(frequency: s.frequency, recency: s.recency, T: s.T))
        let b = try ModifiedBetaGeometricNBD.fit(.compressing(frequency: s.frequency, recency: s.recency, T: s.T), penalizer: 0)
        for i in 0..<4 { #expect(TestData.relativelyClose(a.model.parameters[i], b.model.parameters[i], 1e-8)) }
    }

    @Test("P(alive) in [0, 1] (below 1 even for x = 0), finite predictions for x up to 500; E = Σ k P")
    func bounded() throws {
        let m = try ModifiedBetaGeometricNBD(r: 0.5, alpha: 6, a: 1.3, b: 3.1)
        BetaGeometricChecks.predictionsAreBounded(m)
        #expect(m.probabilityAlive(frequency: 0, recency: 0, T: 10) < 1)
        for t in [1.0, 39, 78] { BetaGeometricChecks.expectationMatchesDistribution(m, horizon: t) }
        #expect(TestData.relativelyClose(m.conditionalExpectedPurchases(horizon: 39, frequency: 0, recency: 0, T: 1e-9), m.expectedPurchases(horizon: 39), 1e-6))
        let heavy = try ModifiedBetaGeometricNBD.fit(BetaGeometricChecks.withHeavyBuyers(try TestData.cdnowPatterns()))
        #expect(heavy.fit.convergence.converged && heavy.fit.logLikelihood.isFinite)
        let e = heavy.model.conditionalExpectedPurchases(horizon: 39, frequency: 450, recency: 2.5, T: 38.86)
        #expect(e.isFinite && e >= 0)
    }

    @Test("recovers simulated parameters within 3 standard errors (100,000 customers, T uniform 30-40)")
    func recovery() throws {
        let truth = try ModifiedBetaGeometricNBD(r: 0.25, alpha: 4, a: 0.8, b: 2.5)
        var g = SeededGenerator(seed: 7)
        let sim = ModifiedBetaGeometricNBDSimulator(model: truth).simulate(customers: 100_000, using: &g, observationLength: BetaGeometricChecks.uniformT)
        let fitted = try ModifiedBetaGeometricNBD.fit(sim.patterns)
        for (estimate, want) in zip(fitted.fit.parameters, truth.parameters) {
            let se = try #require(estimate.standardError)
            #expect(abs(estimate.estimate - want) <= 3 * se, "\(estimate.name): \(estimate.estimate) ± \(se) vs \(want)")
        }
    }

    @Test("input checks: negative frequency, recency > T, non-integer frequency, empty data")
    func inputChecks() {
        func fit(_ x: Double, _ tx: Double, _ T: Double) throws {
            _ = try ModifiedBetaGeometricNBD.fit(PurchasePatterns(frequency: [x], recency: [tx], T: [T]))
        }
        #expect { try fit(-1, 0, 5) } throws: { "\($0)".contains("not a non-negative whole number") }
        #expect { try fit(0.5, 1, 5) } throws: { "\($0)".contains("not a non-negative whole number") }
        #expect { try fit(2, 6, 5) } throws: { "\($0)".contains("0 <= recency <= T") }
        #expect { try ModifiedBetaGeometricNBD.fit(PurchasePatterns(frequency: [], recency: [], T: [])) } throws: { "\($0)".contains("no customers") }
    }
}
