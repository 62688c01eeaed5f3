import CustomerData
import Foundation
import Models
import SpecialFunctions
import Testing
@testable import Scoring

/// Hand-computed cases and agreements between the different ways of computing the same value.
@Suite struct LifetimeValueConsistencyTests {
    let bgnbd = try! BetaGeometricNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let pareto = try! ParetoNBD(parameters: [0.553, 10.58, 0.606, 11.67])

    @Test func costPerOrderAndPerPeriodAreChargedOnExpectedOrdersAndPeriodsAlive() throws {
        // One customer, 3 monthly steps of 4 weeks at 1% per step, by hand from the model's own functions.
        let x = 2.0, tx = 30.0, T = 38.0, D = 4.0, d = 0.01
        let p = bgnbd.probabilityAlive(frequency: x, recency: tx, T: T)
        var det = 0.0, periods = 0.0
        for k in 1...3 {
            let v = pow(1 + d, -Double(k))
            det += (bgnbd.expectedPurchasesIfAlive(horizon: Double(k) * D, frequency: x, T: T)
                    - bgnbd.expectedPurchasesIfAlive(horizon: Double(k - 1) * D, frequency: x, T: T)) * p * v
            periods += bgnbd.survivalIfAlive(horizon: Double(k - 1) * D, frequency: x, T: T) * p * v
        }
        let values = try PurchaseDiscounting.compute(model: bgnbd, frequency: [x], recency: [tx], T: [T], stepLength: D, steps: 3, ratePerStep: d)
        #expect(abs(values.discountedPurchases[0] - det) < 1e-14)
        #expect(abs(values.discountedPeriodsAlive[0] - periods) < 1e-14)
        let economics = try Economics(margin: .constant(0.3), costPerOrder: 2, costPerPeriod: .constant(0.5), count: 1)
        let clv = LifetimeValue.nonContractual(purchases: values, averageSpend: [40], economics: economics)
        #expect(abs(clv[0] - ((0.3 * 40 - 2) * det - 0.5 * periods)) < 1e-12)
        // The first step's cost is charged on P(alive) now.
        #expect(periods > p / 1.01 && periods < 3 * p)
    }

    @Test func theDiscountedConditionalExpectationSumsTheModelsOwnPredictions() throws {
        // Σ ΔE/(1+d)^k must rebuild E[X(nD)] exactly when d = 0, from conditionalExpectedPurchases.
        for model in [bgnbd as any AliveConditionalPredictions, pareto] {
            let v = try PurchaseDiscounting.compute(model: model, frequency: [0, 3, 7], recency: [0, 20, 35], T: [38, 38, 36],
                                                    stepLength: 4.345, steps: 12, ratePerStep: 0)
            for (i, (x, tx, T)) in [(0.0, 0.0, 38.0), (3, 20, 38), (7, 35, 36)].enumerated() {
                let direct = model.conditionalExpectedPurchases(horizon: 12 * 4.345, frequency: x, recency: tx, T: T)
                #expect(abs(v.discountedPurchases[i] - direct) < 1e-12 * direct)
                #expect(abs(v.expectedPurchases[i] - direct) < 1e-12 * direct)
            }
        }
    }

    @Test func aValueOutsideTheFormulasDomainIsAnErrorNamingTheFirstSuchCustomer() throws {
        // Steps of 100,000 weeks take the expectation of a customer first seen a moment ago (T = 0.01)
        // out of the formulas' domain; those seen 38 weeks ago stay in it. 20,000 rows (all cores, many
        // chunks): the first bad row is named, whichever core met it.
        let frequency = [Double](repeating: 0, count: 20_000), recency = frequency
        var T = [Double](repeating: 38, count: 20_000)
        let fine = try PurchaseDiscounting.compute(model: bgnbd, frequency: frequency, recency: recency, T: T, stepLength: 100_000, steps: 12, ratePerStep: 0.01)
        #expect(fine.probabilityAlive.allSatisfy(\.isFinite) && fine.discountedPurchases.allSatisfy(\.isFinite))
        for i in [17_000, 12_345] { T[i] = 0.01 }
        do {
            _ = try PurchaseDiscounting.compute(model: bgnbd, frequency: frequency, recency: recency, T: T, stepLength: 100_000, steps: 12, ratePerStep: 0.01)
            Issue.record("a value out of the formulas' domain was scored")
        } catch let error as ModelError {
            #expect(String(describing: error).contains("customer row 12346 (frequency 0.0, recency 0.0, T 0.01)"), "\(error)")
        }
    }

    @Test func anInfiniteHorizonIsTheLimitOfFineDiscreteSteps() throws {
        // Continuous discounting at δ = ln(1.001) per week is the limit of ever finer steps: 1/8-week
        // steps over 40,000 weeks (e^{−40} of the weight left) come within 1e-3. (Pareto/NBD only: its
        // steps are closed forms; BG/NBD's infinite horizon is checked against a nested integral in
        // LifetimeValuePeerTests.)
        for model in [pareto as any AliveConditionalPredictions] {
            let infinite = try PurchaseDiscounting.compute(model: model, frequency: [4], recency: [30], T: [38], stepLength: 1, steps: nil, ratePerStep: 0.001)
            let fine = try PurchaseDiscounting.compute(model: model, frequency: [4], recency: [30], T: [38], stepLength: 0.125,
                                                       steps: 320_000, ratePerStep: expm1(log1p(0.001) / 8))
            #expect(TestData.relativeError(infinite.discountedPurchases[0], fine.discountedPurchases[0]) < 1e-3)
            // The fine sum counts eighth-weeks alive; the infinite one weeks.
            #expect(TestData.relativeError(infinite.discountedPeriodsAlive[0], fine.discountedPeriodsAlive[0] / 8) < 1e-3)
        }
    }

    @Test func scaledUpperIncompleteGammaMatchesKnownValues() {
        // e^z Γ(a, z): Γ(1, z) = e^-z; Γ(0.5, z) = √π erfc(√z); Γ(0, z) = E1(z); recurrences for a < 0 and a > 1.
        for z in [0.01, 0.3, 1.4, 1.6, 5, 40] {
            #expect(abs(SpecialFunctions.scaledUpperIncompleteGamma(1, z) - 1) < 1e-14)
            let half = Double.pi.squareRoot() * erfc(z.squareRoot()) * exp(z)
            #expect(TestData.relativeError(SpecialFunctions.scaledUpperIncompleteGamma(0.5, z), half) < 1e-12, "z \(z)")
            // Γ(−0.5, z) = (Γ(0.5, z) − z^−0.5 e^−z) / −0.5
            let minusHalf = (half - pow(z, -0.5)) / -0.5
            #expect(TestData.relativeError(SpecialFunctions.scaledUpperIncompleteGamma(-0.5, z), minusHalf) < 1e-11, "z \(z)")
            // Γ(2.5, z) = 1.5 Γ(1.5, z) + z^1.5 e^−z, Γ(1.5, z) = 0.5 Γ(0.5, z) + z^0.5 e^−z
            let threeHalves = 1.5 * (0.5 * half + z.squareRoot()) + pow(z, 1.5)
            #expect(TestData.relativeError(SpecialFunctions.scaledUpperIncompleteGamma(2.5, z), threeHalves) < 1e-12, "z \(z)")
        }
        // E1(1) = 0.21938393439552027368 (A&S table 5.1)
        #expect(TestData.relativeError(SpecialFunctions.scaledUpperIncompleteGamma(0, 1) / exp(1), 0.21938393439552027368) < 1e-14)
    }

    @Test func contractualValueEqualsTheDirectSum() {
        let p = 0.07, m = 50.0, c = 5.0, d = 0.008
        var direct = 0.0, periods = 0.0
        for k in 1...24 { direct += (m - c) * pow(1 - p, Double(k)) / pow(1 + d, Double(k)); periods += pow(1 - p, Double(k)) }
        let finite = LifetimeValue.contractual(churnProbability: p, periodMargin: m, costPerPeriod: c, steps: 24, ratePerStep: d)
        #expect(abs(finite.value - direct) < 1e-10 && abs(finite.expectedPeriods - periods) < 1e-12)
        var long = 0.0
        for k in 1...20_000 { long += (m - c) * pow(1 - p, Double(k)) / pow(1 + d, Double(k)) }
        let infinite = LifetimeValue.contractual(churnProbability: p, periodMargin: m, costPerPeriod: c, steps: nil, ratePerStep: d)
        #expect(abs(infinite.value - long) < 1e-9 && abs(infinite.value - (m - c) * (1 - p) / (p + d)) < 1e-12)
    }

    @Test func sBGResidualValueEqualsTheDirectSumAndFaderHardiesDERL() throws {
        let sbg = try ShiftedBetaGeometric(alpha: 0.704, beta: 1.182)   // "regular" cohort of Fader & Hardie (2007)
        let d = 0.1, tenure = 5.0
        // Direct: Σ_k S(t+k)/S(t) v^k with S(t) = B(α, β+t)/B(α, β).
        func logS(_ t: Double) -> Double { SpecialFunctions.logBeta(sbg.alpha, sbg.beta + t) - SpecialFunctions.logBeta(sbg.alpha, sbg.beta) }
        var direct = 0.0
        for k in 1...200_000 { direct += exp(logS(tenure + Double(k)) - logS(tenure) - Double(k) * log1p(d)) }
        let closed = LifetimeValue.cohortResidualPeriods(sbg, tenure: tenure, steps: nil, ratePerStep: d)
        #expect(TestData.relativeError(closed.discounted, direct) < 1e-9)
        let finite = LifetimeValue.cohortResidualPeriods(sbg, tenure: tenure, steps: 200_000, ratePerStep: d)
        #expect(TestData.relativeError(finite.discounted, direct) < 1e-12)
        // Fader & Hardie (2010) eq. (6), payment at the start of the period, is (1 + d) times ours;
        // their example: α = 0.704 ... at n = 1 (tenure 0) gives DERL ≈ 3.80 at d = 10%.
        let atStart = LifetimeValue.cohortResidualPeriods(sbg, tenure: 0, steps: nil, ratePerStep: d).discounted * (1 + d)
        let derl = (sbg.beta) / (sbg.alpha + sbg.beta) * exp(try SpecialFunctions.logHypergeometric2F1(1, sbg.beta + 1, sbg.alpha + sbg.beta + 1, 1 / (1 + d)))
        #expect(TestData.relativeError(atStart, derl) < 1e-12)
    }

    @Test func stepLengthsAndDiscountRatesConvert() throws {
        #expect(try StepLength(parsing: "month").measured(in: .week) == 365.25 / 12 / 7)
        #expect(try StepLength(parsing: "4.345 weeks").measured(in: .week) == 4.345)
        #expect(try StepLength(parsing: "30 days").measured(in: .day) == 30)
        let yearly = try Discounting(rate: 0.10)
        let monthly = yearly.ratePerStep(StepLength(unit: .month))
        #expect(abs(pow(1 + monthly, 12) - 1.10) < 1e-14)
        #expect(try Discounting(rate: 0.01, period: .step).ratePerStep(StepLength(unit: .week)) == 0.01)
    }
}
