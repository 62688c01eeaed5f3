import Foundation
import Models

/// Intervals for CLV from the uncertainty of the fitted parameters, by the delta method:
/// Var CLV_i ≈ g_θ' Σ_θ g_θ + g_φ' Σ_φ g_φ, with Σ the inverse observed information of each fit
/// (the purchase model θ and the spend model φ are fitted separately, so their estimates are
/// independent), g_θ = ∂CLV_i/∂θ by forward differences of the whole discounted computation
/// (relative step 1e-5) and g_φ = ∂CLV_i/∂φ in closed form. The interval is CLV_i ± z σ_i
/// (z = 1.645 for 90%). It describes how well the model's parameters are known, not how much a
/// single customer's future purchases vary around their expectation.
public enum ValueInterval {
    public struct Bounds: Sendable, Equatable {
        public var lower: [Double]
        public var upper: [Double]
    }

    /// Bounds at `level` (e.g. 0.9) for `LifetimeValue.nonContractual`.
    public static func nonContractual(model: any AliveConditionalPredictions, purchaseCovariance: [[Double]],
                                      spend: GammaGamma, spendCovariance: [[Double]],
                                      frequency: [Double], recency: [Double], T: [Double], monetaryValue: [Double],
                                      base: DiscountedPurchases, averageSpend: [Double],
                                      stepLength: Double, steps: Int?, ratePerStep: Double,
                                      economics: Economics, level: Double = 0.9) throws -> Bounds {
        let theta = model.parameters
        try checkCovariance(purchaseCovariance, count: theta.count, what: "\(type(of: model).kind.rawValue) model")
        try checkCovariance(spendCovariance, count: 3, what: "gamma-gamma model")
        let n = frequency.count
        // g_θ: one full recomputation per parameter.
        var gradientTheta: [[Double]] = []
        for j in theta.indices {
            var nudged = theta
            let h = 1e-5 * theta[j]
            nudged[j] += h
            let shifted = try type(of: model).init(parameters: nudged)
            let p = try PurchaseDiscounting.compute(model: shifted, frequency: frequency, recency: recency, T: T,
                                                    stepLength: stepLength, steps: steps, ratePerStep: ratePerStep)
            gradientTheta.append((0..<n).map { i in
                let perOrder = economics.margin[i] * averageSpend[i] - economics.costPerOrder
                let dDET = (p.discountedPurchases[i] - base.discountedPurchases[i]) / h
                let dDS = (p.discountedPeriodsAlive[i] - base.discountedPeriodsAlive[i]) / h
                return perOrder * dDET - economics.costPerPeriod[i] * dDS
            })
        }
        let z = normalQuantile(0.5 + level / 2)
        var lower = [Double](repeating: 0, count: n), upper = lower
        let clv = LifetimeValue.nonContractual(purchases: base, averageSpend: averageSpend, economics: economics)
        for i in 0..<n {
            let gTheta = gradientTheta.map { $0[i] }
            let gPhi = spend.averageSpendGradient(frequency: frequency[i], monetaryValue: max(0, monetaryValue[i]))
                .map { $0 * economics.margin[i] * base.discountedPurchases[i] }
            let variance = quadraticForm(gTheta, purchaseCovariance) + quadraticForm(gPhi, spendCovariance)
            let sd = variance.squareRoot()
            lower[i] = clv[i] - z * sd
            upper[i] = clv[i] + z * sd
        }
        return Bounds(lower: lower, upper: upper)
    }

    static func checkCovariance(_ c: [[Double]], count: Int, what: String) throws {
        guard c.count == count, c.allSatisfy({ $0.count == count && $0.allSatisfy(\.isFinite) }) else {
            throw ModelError.modelFile("the \(what) file has no usable parameter covariance (a \(count) x \(count) matrix); refit it with this klant to get intervals, or leave out --intervals")
        }
    }

    /// g' Σ g.
    static func quadraticForm(_ g: [Double], _ sigma: [[Double]]) -> Double {
        var total = 0.0
        for j in g.indices { for k in g.indices { total += g[j] * sigma[j][k] * g[k] } }
        return max(0, total)
    }

    /// Φ⁻¹(p) by Acklam's rational approximation refined with one Halley step (|error| < 1e-15).
    static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}

extension GammaGamma {
    /// ∂/∂(p, q, γ) of E[Z | x, z̄] = p(γ + x z̄)/(px + q − 1) (Fader & Hardie note 025, eq. 5).
    func averageSpendGradient(frequency x: Double, monetaryValue m: Double) -> [Double] {
        let numerator = gamma + x * m, denominator = p * x + q - 1
        return [numerator * (q - 1) / (denominator * denominator), -p * numerator / (denominator * denominator), p / denominator]
    }
}
