import Foundation
import SpecialFunctions

/// The shifted-beta-geometric (sBG) model of contractual retention, Fader & Hardie (2007),
/// "How to project customer retention", Journal of Interactive Marketing 21(1).
///
/// Story: each customer renews at the end of every period until churning; a customer's churn
/// probability θ is constant over time, and θ ~ Beta(α, β) across the cohort. The data are the
/// survivors of one cohort at the start of each period, n_0 ≥ n_1 ≥ … ≥ n_m (not a
/// repeat-purchase model: there are no customer rows, only a cohort's counts).
///
///     P(T = t) = B(α+1, β+t−1) / B(α, β)   churn in period t = 1, 2, …
///     S(t)     = B(α, β+t) / B(α, β)   still a customer after t periods
///     r(t)     = S(t) / S(t−1) = (β+t−1)/(α+β+t−1)   retention rate in period t
///     LL       = Σ_{t=1..m} (n_{t−1} − n_t) log P(T = t) + n_m log S(m)
///
/// computed by the recurrences P(T=1) = α/(α+β), P(T=t) = P(T=t−1)·(β+t−2)/(α+β+t−1) and
/// S(t) = S(t−1)·(β+t−1)/(α+β+t−1), in logs, with the gradient alongside.
public struct ShiftedBetaGeometric: Sendable, Equatable {
    public static let kind = ModelKind.shiftedBetaGeometric
    public static let parameterNames = ["alpha", "beta"]

    public let alpha: Double
    public let beta: Double
    public var parameters: [Double] { [alpha, beta] }

    public init(alpha: Double, beta: Double) throws {
        for (name, v) in [("alpha", alpha), ("beta", beta)] where !(v > 0 && v.isFinite) {
            throw ModelError.invalidParameters("sbg: parameter \(name) = \(v) must be finite and positive")
        }
        self.alpha = alpha
        self.beta = beta
    }

    public init(parameters: [Double]) throws {
        guard parameters.count == 2 else {
            throw ModelError.invalidParameters("sbg takes 2 parameters (alpha, beta), got \(parameters.count)")
        }
        try self.init(alpha: parameters[0], beta: parameters[1])
    }

    /// Loads an sBG model from a model file.
    public init(file: ModelFile) throws {
        try file.require(Self.kind)
        try self.init(parameters: file.estimates(named: Self.parameterNames))
    }

    // MARK: - Data and likelihood

    /// Survivors must be finite, non-negative, non-increasing, start positive, and cover at
    /// least 2 periods (3 counts: periods 0, 1, 2), since 2 parameters need 2 degrees of freedom.
    public static func validate(survivors n: [Double]) throws {
        guard n.count >= 3 else {
            throw ModelError.invalidData("sbg needs survivors for at least 2 periods (counts at the start of periods 0, 1 and 2), got \(n.count) count(s)")
        }
        for (t, v) in n.enumerated() where !(v >= 0 && v.isFinite) {
            throw ModelError.invalidData("sbg: survivors in period \(t) = \(v) must be a finite number >= 0")
        }
        guard n[0] > 0 else { throw ModelError.invalidData("sbg: the cohort is empty (0 customers in period 0)") }
        for t in 1..<n.count where n[t] > n[t - 1] {
            throw ModelError.invalidData("sbg: survivors increase from \(n[t - 1]) in period \(t - 1) to \(n[t]) in period \(t); a cohort can only shrink (are these counts of one cohort?)")
        }
    }

    /// Total log-likelihood of a cohort's survivors n_0 … n_m and its gradient in (α, β).
    public static func logLikelihood(_ theta: [Double], survivors n: [Double], gradient: inout [Double]) -> Double {
        let a = theta[0], b = theta[1]
        // log P(T = 1) = log α − log(α+β)
        var logP = log(a) - log(a + b), dPa = 1 / a - 1 / (a + b), dPb = -1 / (a + b)
        // log S(1) = log β − log(α+β)
        var logS = log(b) - log(a + b), dSa = -1 / (a + b), dSb = 1 / b - 1 / (a + b)
        var ll = 0.0, ga = 0.0, gb = 0.0
        for t in 1..<n.count {
            let tt = Double(t)
            if t > 1 {
                // P(T=t) = P(T=t−1) (β+t−2)/(α+β+t−1);  S(t) = S(t−1) (β+t−1)/(α+β+t−1)
                let den = a + b + tt - 1
                logP += log(b + tt - 2) - log(den)
                dPa -= 1 / den
                dPb += 1 / (b + tt - 2) - 1 / den
                logS += log(b + tt - 1) - log(den)
                dSa -= 1 / den
                dSb += 1 / (b + tt - 1) - 1 / den
            }
            let churned = n[t - 1] - n[t]
            if churned > 0 {
                ll += churned * logP
                ga += churned * dPa
                gb += churned * dPb
            }
        }
        let last = n[n.count - 1]
        if last > 0 {
            ll += last * logS
            ga += last * dSa
            gb += last * dSb
        }
        gradient[0] = ga
        gradient[1] = gb
        return ll
    }

    /// Fits (α, β) by maximum likelihood with the shared driver (log-parameters, L-BFGS then
    /// Newton, standard errors from the observed information).
    public static func fit(survivors n: [Double], start: [Double] = [1, 1]) throws -> FittedShiftedBetaGeometric {
        try validate(survivors: n)
        let fit = MaximumLikelihood.fit(names: parameterNames, start: start,
                                        logLikelihood: { theta, g in logLikelihood(theta, survivors: n, gradient: &g) })
        return FittedShiftedBetaGeometric(model: try ShiftedBetaGeometric(parameters: fit.estimates), fit: fit,
                                          customers: n[0], periods: n.count - 1,
                                          fingerprint: DataFingerprint.of(columns: [n]))
    }

    // MARK: - Predictions

    /// S(t) = B(α, β+t)/B(α, β): the probability a customer is still there after t periods.
    public func survival(_ t: Int) -> Double {
        guard t > 0 else { return 1 }
        return exp(SpecialFunctions.logBeta(alpha, beta + Double(t)) - SpecialFunctions.logBeta(alpha, beta))
    }

    /// r(t) = (β+t−1)/(α+β+t−1): the share of period t−1's customers who renew in period t, t ≥ 1.
    public func retentionRate(_ t: Int) -> Double {
        let tt = Double(max(t, 1))
        return (beta + tt - 1) / (alpha + beta + tt - 1)
    }

    /// P(T = t) = B(α+1, β+t−1)/B(α, β): the probability of churning in period t, t ≥ 1.
    public func churnProbability(_ t: Int) -> Double {
        guard t >= 1 else { return 0 }
        return exp(SpecialFunctions.logBeta(alpha + 1, beta + Double(t) - 1) - SpecialFunctions.logBeta(alpha, beta))
    }

    /// Expected survivors of a cohort of `size` at the start of periods 0 … `periods`.
    public func expectedSurvivors(cohort size: Double, periods: Int) -> [Double] {
        (0...max(0, periods)).map { size * survival($0) }
    }

    /// Discounted expected residual lifetime (Fader & Hardie 2010, "Customer-base valuation in a
    /// contractual setting: the perils of ignoring heterogeneity", Marketing Science 29(1)):
    /// for a customer who has renewed n times (so T > n), the expected number of further renewals,
    /// the k-th discounted by (1+d)^−(k−1),
    ///
    ///     DERL(d | n) = Σ_{k≥1} S(n+k)/S(n) (1+d)^−(k−1)
    ///                 = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d)).
    ///
    /// Multiply by the margin per period for the customer's residual value. With d = 0 this is the
    /// expected remaining lifetime, (β+n)/(α−1), finite only for α > 1 (throws otherwise).
    public func discountedExpectedResidualLifetime(renewals n: Int, discountRate d: Double) throws -> Double {
        guard n >= 0 else { throw ModelError.invalidData("sbg: the number of renewals must be >= 0, got \(n)") }
        guard d >= 0, d.isFinite else { throw ModelError.invalidData("sbg: the discount rate must be a finite number >= 0, got \(d)") }
        let nn = Double(n)
        if d == 0 { return try expectedResidualLifetime(renewals: n) }
        let log2F1 = try SpecialFunctions.logHypergeometric2F1(1, beta + nn + 1, alpha + beta + nn + 1, 1 / (1 + d))
        return (beta + nn) / (alpha + beta + nn) * exp(log2F1)
    }

    /// Expected number of further renewals of a customer who has renewed n times, Σ_{k≥1} S(n+k)/S(n)
    /// = (β+n)/(α−1) (Gauss's 2F1(1, b; c; 1) = (c−1)/(c−1−b)); infinite when α ≤ 1, which throws.
    public func expectedResidualLifetime(renewals n: Int) throws -> Double {
        guard alpha > 1 else {
            throw ModelError.invalidParameters("sbg: with alpha = \(alpha) <= 1 the expected remaining lifetime is infinite; use a discount rate > 0 (DERL)")
        }
        return (beta + Double(max(n, 0))) / (alpha - 1)
    }
}

/// A fitted sBG model and how it was fitted: what its model file stores.
public struct FittedShiftedBetaGeometric: Sendable {
    public var model: ShiftedBetaGeometric
    public var fit: MaximumLikelihoodFit
    /// Cohort size n_0 and the number of periods fitted.
    public var customers: Double
    public var periods: Int
    public var fingerprint: String

    /// Throws `ModelError.notConverged` so a failed fit is never saved as a good one.
    public func requireConverged() throws {
        guard fit.convergence.converged else {
            throw ModelError.notConverged("sbg fit did not converge: \(fit.convergence.message). Check that the survivors are counts of one cohort.")
        }
    }

    /// The model file (kind "sbg", time unit "period"; `patterns` holds the number of periods).
    public func modelFile(source: String?, notes: [String] = []) -> ModelFile {
        var allNotes = notes
        if let note = fit.standardErrorNote { allNotes.append(note) }
        return ModelFile(kind: ShiftedBetaGeometric.kind, parameters: fit.parameters, logLikelihood: fit.logLikelihood,
                         penalizer: 0, timeUnit: .period, convergence: fit.convergence,
                         training: .init(customers: customers, patterns: periods, fingerprint: fingerprint, source: source),
                         notes: allNotes, covariance: fit.parameterCovariance)
    }
}
