import Foundation
import Models
import SpecialFunctions

/// Customer lifetime value from its parts, one pure function per setting.
public enum LifetimeValue {
    /// Non-contractual CLV_i = (m_i s_i − c_order) DET_i − c_period,i DS_i: the discounted expected
    /// transactions times the margin per order, less the cost to serve charged on the discounted
    /// expected periods alive (see `DiscountedPurchases`).
    public static func nonContractual(purchases: DiscountedPurchases, averageSpend: [Double], economics: Economics) -> [Double] {
        parallelMap(averageSpend.count) { i in
            nonContractual(discountedPurchases: purchases.discountedPurchases[i], discountedPeriodsAlive: purchases.discountedPeriodsAlive[i],
                           averageSpend: averageSpend[i], economics: economics, customer: i)
        }
    }

    /// One customer's: (m s − c_order) DET − c_period (discounted periods alive).
    @inline(__always)
    static func nonContractual(discountedPurchases: Double, discountedPeriodsAlive: Double, averageSpend: Double,
                               economics: Economics, customer i: Int) -> Double {
        (economics.margin[i] * averageSpend - economics.costPerOrder) * discountedPurchases - economics.costPerPeriod[i] * discountedPeriodsAlive
    }

    /// Contractual CLV of a customer with per-period churn probability p who pays `periodMargin`
    /// at the end of each period she stays: Σ_{k=1..n} (m − c) r^k / (1+d)^k with r = 1 − p, which
    /// for n → ∞ is (m − c) r / (1 + d − r) (the "simple retention model", e.g. Gupta & Lehmann 2003).
    public static func contractual(churnProbability p: Double, periodMargin m: Double, costPerPeriod c: Double,
                                   steps: Int?, ratePerStep d: Double) -> (value: Double, expectedPeriods: Double) {
        let r = 1 - p, q = r / (1 + d)
        guard let n = steps else {
            return ((m - c) * r / (1 + d - r), p > 0 ? r / p : .infinity)
        }
        // Σ_{k=1..n} q^k = q (1 − q^n) / (1 − q), written with expm1 for q near 1.
        let discounted = abs(1 - q) < 1e-12 ? Double(n) : q * -expm1(Double(n) * log(q)) / (1 - q)
        let periods = abs(1 - r) < 1e-12 ? Double(n) : r * -expm1(Double(n) * log(r)) / (1 - r)
        return ((m - c) * discounted, periods)
    }

    /// Discounted expected residual periods of a customer of a cohort described by an sBG model who
    /// has completed `tenure` periods (Fader & Hardie 2010, "Customer-base valuation in a contractual
    /// setting", Marketing Science 29(1)): Σ_{k≥1} S(t+k)/S(t) / (1+d)^k with the sBG retention
    /// S(t+1)/S(t) = (β+t)/(α+β+t), i.e. ₂F₁(1, β+t; α+β+t; 1/(1+d)) − 1 for n → ∞. Payments are
    /// at the end of each period; F&H's DERL (payment at the start) is (1+d) times this.
    /// Returns the discounted and the undiscounted sum over the horizon.
    public static func cohortResidualPeriods(_ model: ShiftedBetaGeometric, tenure t: Double, steps: Int?, ratePerStep d: Double) -> (discounted: Double, expected: Double) {
        let v = 1 / (1 + d)
        guard let n = steps else {
            // Σ_{k≥1} (β+t)_k / (α+β+t)_k v^k = ₂F₁(1, β+t; α+β+t; v) − 1, since (1)_k = k!.
            let f = (try? SpecialFunctions.logHypergeometric2F1(1, model.beta + t, model.alpha + model.beta + t, v)).map { expm1($0) } ?? .nan
            return (f, f)
        }
        var survival = 1.0, discount = 1.0, discounted = 0.0, expected = 0.0
        for k in 0..<n {
            survival *= (model.beta + t + Double(k)) / (model.alpha + model.beta + t + Double(k))
            discount *= v
            discounted += survival * discount
            expected += survival
        }
        return (discounted, expected)
    }
}
