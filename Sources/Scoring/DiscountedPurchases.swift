import CustomerData
import Foundation
import Models
import SpecialFunctions

/// Per customer, what a repeat-purchase model expects over a value horizon of n steps of length D
/// (in the model's time unit) discounted at d per step:
/// - `discountedPurchases` Σ_{k=1..n} (E[X(kD)] − E[X((k−1)D)]) / (1+d)^k, the discounted expected
///   transactions (DET) that CLV multiplies by the margin per order;
/// - `discountedPeriodsAlive` Σ_{k=1..n} P(alive at (k−1)D) / (1+d)^k, the discounted expected number
///   of steps the customer is alive at the start of, which the cost to serve is charged on;
/// - `expectedPurchases` E[X(nD)], undiscounted.
/// With an infinite horizon discounting is continuous, δ = ln(1+d)/D: Pareto/NBD uses the closed
/// form DERT of Fader, Hardie & Lee (2005, "RFM and CLV", JMR 42(4), eq. 2), the BG/NBD family a
/// one-dimensional integral over the dropout probability (`BetaGeometricResidualValue`);
/// `expectedPurchases` is then the discounted DERT.
public struct DiscountedPurchases: Sendable, Equatable {
    public var probabilityAlive: [Double]
    public var expectedPurchases: [Double]
    public var discountedPurchases: [Double]
    public var discountedPeriodsAlive: [Double]
}

/// The same three numbers for a customer known to be alive, per distinct (x, T): every customer's
/// values are these times her P(alive) (see `AliveConditionalPredictions`).
struct AliveValues: Equatable {
    var expected: Double
    var discounted: Double
    var periodsAlive: Double
}

public enum PurchaseDiscounting {
    /// Scores every customer; the hypergeometric work is done once per distinct (x, T), over all cores.
    /// Throws if any value is not finite (a horizon beyond the formulas' domain), naming the customer.
    public static func compute(model: any AliveConditionalPredictions, frequency: [Double], recency: [Double], T: [Double],
                               stepLength: Double, steps: Int?, ratePerStep: Double) throws -> DiscountedPurchases {
        guard stepLength > 0, stepLength.isFinite else {
            throw ModelError.invalidParameters("the horizon step must be a positive length, got \(stepLength)")
        }
        if steps == nil, !(ratePerStep > 0) {
            throw ModelError.invalidParameters("an infinite horizon needs a positive discount rate (the undiscounted sum has no end)")
        }
        let (patterns, patternOfCustomer) = distinctPatterns(frequency: frequency, T: T)
        let perPattern = parallelMap(patterns.count) { k in
            aliveValues(model: model, frequency: patterns[k].x, T: patterns[k].T, stepLength: stepLength, steps: steps, ratePerStep: ratePerStep)
        }
        // One pass: P(alive), and her pattern's alive values times it. A row whose values are not all
        // finite gets P(alive) NaN, found below and named in the error (the columns are then dropped).
        let finitePattern = perPattern.map { $0.expected.isFinite && $0.discounted.isFinite && $0.periodsAlive.isFinite }
        let columns = parallelColumns(frequency.count, columns: 4) { i, out in
            let p = model.probabilityAlive(frequency: frequency[i], recency: recency[i], T: T[i])
            let pattern = Int(patternOfCustomer[i]), values = perPattern[pattern]
            out[0][i] = p.isFinite && finitePattern[pattern] ? p : .nan
            (out[1][i], out[2][i], out[3][i]) = (p * values.expected, p * values.discounted, p * values.periodsAlive)
        }
        if let i = columns[0].firstIndex(where: { $0.isNaN }) {
            throw ModelError.invalidData("""
                customer row \(i + 1) (frequency \(frequency[i]), recency \(recency[i]), T \(T[i])): the \(type(of: model).kind.rawValue) \
                value is not a finite number over this horizon; the model's formulas are outside their domain here — shorten the horizon, \
                raise the discount rate, or refit with a small penalizer
                """)
        }
        return DiscountedPurchases(probabilityAlive: columns[0], expectedPurchases: columns[1],
                                   discountedPurchases: columns[2], discountedPeriodsAlive: columns[3])
    }

    /// The values of a customer alive at T with x repeat purchases.
    static func aliveValues(model: any AliveConditionalPredictions, frequency x: Double, T: Double,
                            stepLength: Double, steps: Int?, ratePerStep d: Double) -> AliveValues {
        if steps == nil {
            let delta = log1p(d) / stepLength
            switch model {
            case let pareto as ParetoNBD:
                return pareto.discountedResidualIfAlive(continuousRate: delta, stepLength: stepLength, frequency: x, T: T)
            case let bg as BetaGeometricNBD:
                return BetaGeometricResidualValue.aliveValues(r: bg.r, alpha: bg.alpha, a: bg.a, bPosterior: bg.b + x, frequency: x, T: T,
                                                              continuousRate: delta, stepLength: stepLength)
            case let mbg as ModifiedBetaGeometricNBD:
                return BetaGeometricResidualValue.aliveValues(r: mbg.r, alpha: mbg.alpha, a: mbg.a, bPosterior: mbg.b + x + 1, frequency: x, T: T,
                                                              continuousRate: delta, stepLength: stepLength)
            default: break
            }
        }
        guard let steps else { return AliveValues(expected: .nan, discounted: .nan, periodsAlive: .nan) }   // no closed form known
        let v = 1 / (1 + d)
        var discount = 1.0, previous = 0.0
        var discounted = 0.0, periodsAlive = 0.0
        for k in 0..<steps {
            let startAlive = model.survivalIfAlive(horizon: Double(k) * stepLength, frequency: x, T: T)
            discount *= v
            let expected = model.expectedPurchasesIfAlive(horizon: Double(k + 1) * stepLength, frequency: x, T: T)
            discounted += (expected - previous) * discount
            periodsAlive += startAlive * discount
            previous = expected
        }
        return AliveValues(expected: previous, discounted: discounted, periodsAlive: periodsAlive)
    }

    /// Distinct (x, T) pairs in first-seen order, and each customer's pattern number.
    static func distinctPatterns(frequency: [Double], T: [Double]) -> (patterns: [(x: Double, T: Double)], index: [Int32]) {
        let (first, index) = distinctRows(count: frequency.count) { (frequency[$0].bitPattern, T[$0].bitPattern) }
        return (first.map { (frequency[Int($0)], T[Int($0)]) }, index)
    }
}

extension ParetoNBD {
    /// Discounted expected residual transactions of a customer alive at T, Fader, Hardie & Lee
    /// (2005, JMR, eq. 2) divided by P(alive): with λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T)
    /// given alive, DERT/P(alive) = E[λ] E[1/(δ+μ)] and
    /// E[1/(δ+μ)] = (β+T)^s δ^(s−1) Ψ(s, s; δ(β+T)), Ψ(s, s; z) = e^z Γ(1−s, z).
    /// The discounted time alive, E[1/(δ+μ)], charges the cost to serve per step of length D.
    func discountedResidualIfAlive(continuousRate delta: Double, stepLength: Double, frequency x: Double, T: Double) -> AliveValues {
        let b = beta + T
        let timeAlive = exp(s * log(b) + (s - 1) * log(delta)) * SpecialFunctions.scaledUpperIncompleteGamma(1 - s, delta * b)
        let dert = (r + x) / (alpha + T) * timeAlive
        return AliveValues(expected: dert, discounted: dert, periodsAlive: timeAlive / stepLength)
    }
}
