import Foundation
import Models
import Testing

@Suite("Gamma-Gamma")
struct GammaGammaTests {
    @Test("reproduces FHL (2005) RFM & CLV on the 946 CDNOW repeat buyers: p, q, gamma to 3 significant digits, LL ±0.01")
    func publishedFit() throws {
        let s = try TestData.cdnowSpend()
        let fitted = try GammaGamma.fit(frequency: s.frequency, monetaryValue: s.meanSpend)
        #expect(fitted.customers == 946)
        #expect(fitted.fit.convergence.converged)
        let p = fitted.model.parameters
        for (got, want) in zip(p, [6.25, 3.74, 15.44]) { #expect(TestData.significant(got, 3) == TestData.significant(want, 3), "got \(p)") }
        #expect(abs(fitted.fit.logLikelihood - -4055.92) <= 0.01, "LL \(fitted.fit.logLikelihood)")
        #expect(fitted.warnings.isEmpty, "\(fitted.warnings)")
        // E[Z | x, z̄] is a weighted mean of the population mean and the customer's mean.
        let m = fitted.model
        let population = try m.expectedAverageSpend()
        let e = try m.conditionalExpectedAverageSpend(frequency: 2, monetaryValue: 22.35)
        #expect(e > min(population, 22.35) && e < max(population, 22.35))
        let file = fitted.modelFile(source: "test")
        #expect(file.kind == .gammaGamma)
        #expect(try GammaGamma(file: file) == m)
    }

    @Test("analytic gradient equals central finite differences (relative 1e-6)")
    func gradient() throws {
        let s = try TestData.cdnowSpend()
        let data = try GammaGamma.spendData(frequency: s.frequency, monetaryValue: s.meanSpend)
        let theta = [5.0, 3.0, 14.0]
        var g = [0.0, 0, 0]
        _ = GammaGamma.logLikelihood(theta, data: data, gradient: &g)
        for i in 0..<3 {
            let h = 1e-6 * theta[i]
            var tp = theta, tm = theta, scratch = g
            tp[i] += h; tm[i] -= h
            let fd = (GammaGamma.logLikelihood(tp, data: data, gradient: &scratch) - GammaGamma.logLikelihood(tm, data: data, gradient: &scratch)) / (2 * h)
            #expect(TestData.relativelyClose(g[i], fd, 1e-6), "∂/∂θ\(i): \(g[i]) vs \(fd)")
        }
    }

    @Test("penalizer 0 equals the plain fit")
    func penalizerZero() throws {
        let s = try TestData.cdnowSpend()
        let a = try GammaGamma.fit(frequency: s.frequency, monetaryValue: s.meanSpend)
        let b = try GammaGamma.fit(frequency: s.frequency, monetaryValue: s.meanSpend, penalizer: 0)
        #expect(a.model == b.model)
    }

    @Test("recovers simulated parameters within 3 standard errors (100,000 customers)")
    func recovery() throws {
        let truth = try GammaGamma(p: 6, q: 4, gamma: 15)
        var g = SeededGenerator(seed: 11)
        let frequency = (0..<100_000).map { _ in 1 + Int(RandomVariates.exponential(rate: 0.3, &g)) }
        let spend = GammaGammaSimulator(model: truth).simulateMeanSpend(frequency: frequency, using: &g)
        let fitted = try GammaGamma.fit(frequency: frequency.map(Double.init), monetaryValue: spend)
        for (estimate, want) in zip(fitted.fit.parameters, truth.parameters) {
            let se = try #require(estimate.standardError)
            #expect(abs(estimate.estimate - want) <= 3 * se, "\(estimate.name): \(estimate.estimate) ± \(se) vs \(want)")
        }
        #expect(fitted.warnings.isEmpty)
    }

    @Test("input checks: no repeat buyers, non-positive spend, negative or fractional frequency, q <= 1 at prediction")
    func inputChecks() throws {
        #expect { try GammaGamma.fit(frequency: [0, 0], monetaryValue: [0, 0]) } throws: { error in
            "\(error)".contains("repeat buyers")
        }
        #expect { try GammaGamma.fit(frequency: [1, 2], monetaryValue: [10, 0]) } throws: { error in
            "\(error)".contains("must be positive")
        }
        #expect { try GammaGamma.fit(frequency: [1, -2], monetaryValue: [10, 5]) } throws: { error in
            "\(error)".contains("non-negative whole number")
        }
        #expect { try GammaGamma.fit(frequency: [1, 2.5], monetaryValue: [10, 5]) } throws: { error in
            "\(error)".contains("non-negative whole number")
        }
        let heavyTailed = try GammaGamma(p: 2, q: 0.8, gamma: 10)
        #expect { try heavyTailed.conditionalExpectedAverageSpend(frequency: 2, monetaryValue: 20) } throws: { error in
            "\(error)".contains("infinite")
        }
        #expect(throws: ModelError.self) { try GammaGamma(p: -1, q: 2, gamma: 1) }
    }

    @Test("warns when frequency and spend are correlated (|Pearson r| > 0.3)")
    func correlationWarning() throws {
        var g = SeededGenerator(seed: 5)
        let frequency = (0..<2000).map { _ in Double(1 + Int(RandomVariates.exponential(rate: 0.3, &g))) }
        let spend = frequency.map { 10 + 5 * $0 + RandomVariates.exponential(rate: 0.2, &g) }
        let fitted = try GammaGamma.fit(frequency: frequency, monetaryValue: spend)
        #expect(fitted.frequencySpendCorrelation > 0.3)
        #expect(fitted.warnings.contains { $0.contains("correlated") })
    }
}
