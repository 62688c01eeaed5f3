import Foundation
import Models
import Testing

@Suite("BG/BB")
struct BetaGeometricBetaBinomialTests {
    @Test("reproduces FHS (2010) on the donations data: parameters to 3 significant digits, LL ±0.01")
    func publishedFit() throws {
        let fitted = try BetaGeometricBetaBinomial.fit(TestData.donations())
        #expect(fitted.fit.convergence.converged)
        #expect(fitted.customers == 11104)
        let p = fitted.model.parameters
        for (got, want) in zip(p, [1.2035, 0.7497, 0.6568, 2.7839]) { #expect(TestData.significant(got, 3) == TestData.significant(want, 3), "got \(p)") }
        #expect(abs(fitted.fit.logLikelihood - -33225.58) <= 0.01, "LL \(fitted.fit.logLikelihood)")
        let file = fitted.modelFile(timeUnit: BetaGeometricBetaBinomial.timeUnit, source: "donations.csv", patterns: 22)
        #expect(file.timeUnit == .period)
        #expect(try BetaGeometricBetaBinomial(file: file) == fitted.model)
    }

    @Test("P(alive in 2002) as published (2 decimals)")
    func publishedAlive() throws {
        let m = try BetaGeometricBetaBinomial(alpha: 1.2035, beta: 0.7497, gamma: 0.6568, delta: 2.7839)
        #expect(abs(m.probabilityAlive(frequency: 0, recency: 0, T: 6) - 0.11) < 0.005)
        #expect(abs(m.probabilityAlive(frequency: 2, recency: 4, T: 6) - 0.59) < 0.005)
        #expect(abs(m.probabilityAlive(frequency: 6, recency: 6, T: 6) - 0.93) < 0.005)
    }

    @Test("P(X(n)=x) sums to 1 and E[X(n)] = Σ x P(X(n)=x) (relative 1e-10); conditional expectation is positive and grows with n*")
    func consistency() throws {
        let m = try BetaGeometricBetaBinomial(alpha: 1.2035, beta: 0.7497, gamma: 0.6568, delta: 2.7839)
        for n in [1, 6, 11] {
            let probabilities = (0...n).map { m.probabilityOfPurchases($0, horizon: Double(n)) }
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-10)
            let mean = probabilities.enumerated().map { Double($0.offset) * $0.element }.reduce(0, +)
            #expect(TestData.relativelyClose(mean, m.expectedPurchases(horizon: Double(n)), 1e-10))
        }
        let e5 = m.conditionalExpectedPurchases(horizon: 5, frequency: 3, recency: 5, T: 6)
        let e10 = m.conditionalExpectedPurchases(horizon: 10, frequency: 3, recency: 5, T: 6)
        #expect(e5 > 0 && e10 > e5)
    }

    @Test("analytic gradient equals central finite differences (relative 1e-6)")
    func gradient() throws {
        let data = try TestData.donations()
        let theta = [1.1, 0.8, 0.7, 2.5]
        var g = [0.0, 0, 0, 0], scratch = g
        _ = BetaGeometricBetaBinomial.logLikelihood(theta, data: data, gradient: &g)
        for i in 0..<4 {
            let h = 1e-6 * theta[i]
            var tp = theta, tm = theta
            tp[i] += h; tm[i] -= h
            let fd = (BetaGeometricBetaBinomial.logLikelihood(tp, data: data, gradient: &scratch)
                - BetaGeometricBetaBinomial.logLikelihood(tm, data: data, gradient: &scratch)) / (2 * h)
            #expect(TestData.relativelyClose(g[i], fd, 1e-6), "∂/∂θ\(i): \(g[i]) vs \(fd)")
        }
    }

    @Test("recovers simulated parameters within 3 standard errors (100,000 customers, 6 opportunities)")
    func recovery() throws {
        let truth = try BetaGeometricBetaBinomial(alpha: 1.2, beta: 0.75, gamma: 0.65, delta: 2.8)
        var g = SeededGenerator(seed: 3)
        let sim = BetaGeometricBetaBinomialSimulator(model: truth).simulate(customers: 100_000, opportunities: 6, using: &g)
        let fitted = try BetaGeometricBetaBinomial.fit(sim.patterns)
        for (estimate, want) in zip(fitted.fit.parameters, truth.parameters) {
            let se = try #require(estimate.standardError)
            #expect(abs(estimate.estimate - want) <= 3 * se, "\(estimate.name): \(estimate.estimate) ± \(se) vs \(want)")
        }
    }

    @Test("input checks: fractional counts, x > t_x, t_x > n, empty data")
    func inputChecks() {
        func fit(_ x: Double, _ tx: Double, _ n: Double) throws {
            _ = try BetaGeometricBetaBinomial.fit(PurchasePatterns(frequency: [x], recency: [tx], T: [n]))
        }
        #expect { try fit(1.5, 2, 6) } throws: { "\($0)".contains("whole number") }
        #expect { try fit(3, 2, 6) } throws: { "\($0)".contains("frequency <= recency <= periods") }
        #expect { try fit(2, 7, 6) } throws: { "\($0)".contains("frequency <= recency <= periods") }
        #expect { try fit(-1, 0, 6) } throws: { "\($0)".contains("whole number") }
        #expect { try BetaGeometricBetaBinomial.fit(PurchasePatterns(frequency: [], recency: [], T: [])) } throws: { "\($0)".contains("no customers") }
    }
}
