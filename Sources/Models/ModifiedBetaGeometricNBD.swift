import Foundation
import Optimize
import SpecialFunctions

/// The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison
/// of models for customer base analysis", IJRM 24(3); lifetimes' `ModifiedBetaGeoFitter`): as
/// BG/NBD, but a customer may also drop out right after the first purchase (time 0), so
/// customers without repeat purchases are not certainly alive.
public struct ModifiedBetaGeometricNBD: BetaGeometricFamily, Equatable {
    public static let kind = ModelKind.mbgnbd
    public static let parameterNames = ["r", "alpha", "a", "b"]

    public let r: Double, alpha: Double, a: Double, b: Double
    public var parameters: [Double] { [r, alpha, a, b] }

    public init(parameters: [Double]) throws {
        let p = try Self.checkedParameters(parameters)
        (r, alpha, a, b) = (p[0], p[1], p[2], p[3])
    }

    public init(r: Double, alpha: Double, a: Double, b: Double) throws {
        try self.init(parameters: [r, alpha, a, b])
    }

    // MARK: likelihood

    /// LL = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b) − (r+x) ln(α+T)
    ///      + log(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), Batislam et al. (2007) (lifetimes' form), through
    /// the likelihood shared with BG/NBD (`BetaGeometricFamily`).
    static let likelihoodVariant = BetaGeometricLikelihood.Variant.modified

    // MARK: predictions

    /// At a = 1 the expectations are 0/0 (removable): within 5e-7 of it, the mean of a ∓ 1e-6.
    func nudgedAroundUnitA() -> (ModifiedBetaGeometricNBD, ModifiedBetaGeometricNBD)? {
        guard abs(a - 1) < 5e-7,
              let below = try? ModifiedBetaGeometricNBD(r: r, alpha: alpha, a: 1 - 1e-6, b: b),
              let above = try? ModifiedBetaGeometricNBD(r: r, alpha: alpha, a: 1 + 1e-6, b: b) else { return nil }
        return (below, above)
    }

    /// P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), Batislam et al. (2007) (lifetimes' form).
    /// P(X(T, T+t) = 0 | x, t_x, T); see `BetaGeometricLikelihood.probabilityOfNoPurchases`.
    public func probabilityOfNoPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double? {
        BetaGeometricLikelihood.probabilityOfNoPurchases(alive: probabilityAlive(frequency: x, recency: tx, T: T),
                                                         r: r, alpha: alpha, horizon: t, frequency: x, T: T)
    }

    public func probabilityAlive(frequency x: Double, recency tx: Double, T: Double) -> Double {
        let logOdds = log(a) - log(b + x) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return probabilityFromLogOdds(logOdds)
    }

    /// E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] P(alive),
    /// Batislam et al. (2007) (lifetimes' form).
    public func conditionalExpectedPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double {
        expectedPurchasesIfAlive(horizon: t, frequency: x, T: T) * probabilityAlive(frequency: x, recency: tx, T: T)
    }

    /// The factor of the conditional expectation before P(alive): purchases of a customer known to be alive.
    public func expectedPurchasesIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        guard t > 0 else { return 0 }
        if let (below, above) = nudgedAroundUnitA() {
            return 0.5 * (below.expectedPurchasesIfAlive(horizon: t, frequency: x, T: T)
                + above.expectedPurchasesIfAlive(horizon: t, frequency: x, T: T))
        }
        let z = t / (alpha + T + t)
        return BetaGeometricNBD.scaledOneMinusHypergeometric(a: a, c: a + b + x, logPower: (r + x) * log((alpha + T) / (alpha + T + t))) {
            try SpecialFunctions.logHypergeometric2F1(r + x, b + x + 1, a + b + x, z)
        }
    }

    /// E[X(t)] = b/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))], Batislam et al. (2007) (lifetimes' form).
    public func expectedPurchases(horizon t: Double) -> Double {
        guard t > 0 else { return 0 }
        if let (below, above) = nudgedAroundUnitA() {
            return 0.5 * (below.expectedPurchases(horizon: t) + above.expectedPurchases(horizon: t))
        }
        return BetaGeometricNBD.scaledOneMinusHypergeometric(a: a, c: b, logPower: r * log(alpha / (alpha + t))) {
            try SpecialFunctions.logHypergeometric2F1(r, b + 1, a + b, t / (alpha + t))
        }
    }

    /// P(X(t) = k) = B(a, b+k+1)/B(a, b) NB(k) + B(a+1, b+k)/B(a, b) [1 − Σ_{j<k} NB(j)],
    /// Batislam et al. (2007) (lifetimes' form) (the second term at k = 0 is the drop-out at time 0).
    public func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double {
        guard k >= 0 else { return 0 }
        let logB = SpecialFunctions.logBeta(a, b), kk = Double(k)
        let first = exp(SpecialFunctions.logBeta(a, b + kk + 1) - logB + logNegativeBinomial(k, r: r, alpha: alpha, t: t))
        let tail = negativeBinomialTail(atLeast: k, r: r, alpha: alpha, t: t)
        return first + exp(SpecialFunctions.logBeta(a + 1, b + kk) - logB) * tail
    }
}
