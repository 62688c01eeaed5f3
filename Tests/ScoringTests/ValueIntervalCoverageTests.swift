import CustomerData
import Foundation
import Models
import Testing
@testable import Scoring

/// The delta-method CLV interval covers the CLV at the true parameters about as often as its level says.
@Suite struct ValueIntervalCoverageTests {
    /// Data-generating models near CDNOW's fits (Fader, Hardie & Lee 2005; note 025).
    let purchaseTruth = try! BetaGeometricNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let spendTruth = try! GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
    /// Fixed customer histories (x, t_x, T, z̄) whose CLV is followed across replications.
    let probes: [(Double, Double, Double, Double)] = [(0, 0, 39, 0), (1, 10, 39, 20), (3, 30, 39, 35), (8, 37, 39, 28), (2, 5, 30, 50), (15, 38, 39, 40)]

    @Test("90% intervals cover the true-parameter CLV in 90% ± 6% of 200 simulated bases of 4,000 customers")
    func ninetyPercentIntervalsCoverNinetyPercent() throws {
        var generator = SeededGenerator(seed: 20261201)
        let replications = 200, customers = 4000
        let settings = try ValueSettings(horizon: ValueHorizon(parsing: "12", stepLength: "month"),
                                         discounting: Discounting(rate: 0.10), intervalLevel: 0.9)
        let probeSummary = CustomerSummary(customerIDs: probes.indices.map(String.init), frequency: probes.map(\.0), recency: probes.map(\.1),
                                           T: probes.map(\.2), monetaryValue: probes.map(\.3), timeUnit: .week)
        let economics = try Economics(margin: .constant(0.3), costPerOrder: 1, costPerPeriod: .constant(0.2), count: probes.count)
        let truthFile = ModelFile(kind: .bgnbd, parameters: [], logLikelihood: 0, penalizer: 0, timeUnit: .calendar(.week),
                                  convergence: Convergence(converged: true, iterations: 0, evaluations: 0, gradientNorm: 0, newtonDecrement: 0, message: ""),
                                  training: .init(customers: 0, patterns: 0, fingerprint: "", source: nil))
        let truth = try NonContractualScoring(purchase: purchaseTruth, purchaseFile: truthFile, spend: spendTruth, spendFile: truthFile,
                                              settings: try ValueSettings(horizon: settings.horizon, discounting: settings.discounting, intervalLevel: nil))
            .score(probeSummary, economics: economics).numbers("clv")!
        var covered = [Int](repeating: 0, count: probes.count)
        for _ in 0..<replications {
            let base = BetaGeometricNBDSimulator(model: purchaseTruth).simulate(customers: customers, using: &generator) { _, g in
                30 + 9 * RandomVariates.uniform(&g)
            }
            let spend = GammaGammaSimulator(model: spendTruth).simulateMeanSpend(frequency: base.frequency.map { Int($0) }, using: &generator)
            let purchaseFit = try BetaGeometricNBD.fit(base.patterns)
            let spendFit = try GammaGamma.fit(frequency: base.frequency, monetaryValue: spend)
            let scoring = try NonContractualScoring(purchase: purchaseFit.model, purchaseFile: purchaseFit.modelFile(timeUnit: .calendar(.week), source: nil, patterns: 0),
                                                    spend: spendFit.model, spendFile: spendFit.modelFile(source: nil), settings: settings)
            let table = try scoring.score(probeSummary, economics: economics)
            let lower = table.numbers("clv_lower")!, upper = table.numbers("clv_upper")!
            for k in probes.indices where lower[k] <= truth[k] && truth[k] <= upper[k] { covered[k] += 1 }
        }
        let coverage = covered.map { Double($0) / Double(replications) }
        print("90% interval coverage per probe customer over \(replications) bases: \(coverage)")
        // Binomial standard error sqrt(0.09/200) = 0.021: ±0.06 is about 3 of them.
        for c in coverage { #expect(abs(c - 0.9) <= 0.06) }
        #expect(abs(coverage.reduce(0, +) / Double(coverage.count) - 0.9) <= 0.04)
    }
}
