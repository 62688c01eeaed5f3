import Foundation
import SpecialFunctions

/// Repeat-purchase models whose conditional predictions factor as P(alive | x, t_x, T) times a
/// function of (x, T) alone: given that a customer is alive at T, the posterior of her purchase
/// and dropout rates depends on her history only through x and T. Scoring uses this to compute
/// the expensive (hypergeometric) factor once per distinct (x, T) and to discount it over many
/// horizons; P(alive) stays the model's own function.
public protocol AliveConditionalPredictions: RepeatPurchaseModel {
    /// E[X(T, T+t) | alive at T, x, T]: expected purchases in the next t units of a customer known to be alive.
    func expectedPurchasesIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double
    /// P(alive at T+t | alive at T, x, T): the chance a customer alive now is still alive after t units.
    func survivalIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double
}

extension BetaGeometricNBD: AliveConditionalPredictions {
    /// Given alive at T, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x); she dies at the first purchase
    /// that ends her life, so her remaining lifetime is exponential with rate λp and
    /// S(t) = E[(1 + p t/(α+T))^−(r+x)] = ₂F₁(r+x, a; a+b+x; −t/(α+T)) (Euler's integral,
    /// A&S 15.3.1), evaluated after Pfaff's transformation (A&S 15.3.4) as
    /// ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x; t/(α+T+t)), a series with positive terms.
    public func survivalIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        betaGeometricSurvival(r: r, alpha: alpha, a: a, bPosterior: b + x, horizon: t, frequency: x, T: T)
    }
}

extension ModifiedBetaGeometricNBD: AliveConditionalPredictions {
    /// As BG/NBD, but the MBG/NBD customer may also drop out at her first purchase (Batislam et
    /// al. 2007), so surviving x + 1 chances gives p ~ Beta(a, b+x+1) given alive.
    public func survivalIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        betaGeometricSurvival(r: r, alpha: alpha, a: a, bPosterior: b + x + 1, horizon: t, frequency: x, T: T)
    }
}

/// S(t) = ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b'; a+b'; t/(α+T+t)) for p ~ Beta(a, b') given alive
/// (see `BetaGeometricNBD.survivalIfAlive`); NaN if the series does not converge.
func betaGeometricSurvival(r: Double, alpha: Double, a: Double, bPosterior: Double, horizon t: Double, frequency x: Double, T: Double) -> Double {
    guard t > 0 else { return 1 }
    let logPower = (r + x) * log((alpha + T) / (alpha + T + t))
    guard let logF = try? SpecialFunctions.logHypergeometric2F1(r + x, bPosterior, a + bPosterior, t / (alpha + T + t)) else { return .nan }
    return Swift.min(1, exp(logPower + logF))
}

extension ParetoNBD: AliveConditionalPredictions {
    /// (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)], the first factors of Fader &
    /// Hardie's (2005 note) eq. (22).
    public func expectedPurchasesIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        (r + x) / (alpha + T) * expectedLifetimeWithin(horizon: t, from: T)
    }

    /// Given alive at T, μ ~ Gamma(s, β+T), so S(t) = E[e^(−μt)] = ((β+T)/(β+T+t))^s.
    public func survivalIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        exp(-s * log1p(t / (beta + T)))
    }
}
