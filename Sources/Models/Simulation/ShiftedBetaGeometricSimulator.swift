import Foundation

/// Simulates cohorts from the shifted-beta-geometric story (Fader & Hardie 2007): each customer
/// draws a churn probability θ ~ Beta(α, β) and then churns at the end of each period with
/// probability θ, so the period of churn T is geometric, P(T = t | θ) = θ (1−θ)^(t−1).
public struct ShiftedBetaGeometricSimulator: Sendable {
    public var model: ShiftedBetaGeometric

    public init(model: ShiftedBetaGeometric) { self.model = model }

    /// The period in which one customer churns (1, 2, …), by inversion of the geometric law.
    public func churnPeriod<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        let theta = RandomVariates.beta(model.alpha, model.beta, &g)
        if theta >= 1 { return 1 }
        if theta <= 0 { return .infinity }
        return (log(RandomVariates.uniform(&g)) / log1p(-theta)).rounded(.down) + 1
    }

    /// Survivors at the start of periods 0 … `periods` of a cohort of `size` customers.
    public func survivors(cohort size: Int, periods: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        var counts = [Double](repeating: 0, count: periods + 1)
        for _ in 0..<size {
            let t = churnPeriod(&g)
            // Still a customer at the start of period k (after k renewals) when T > k.
            for k in 0...periods where t > Double(k) { counts[k] += 1 }
        }
        return counts
    }
}
