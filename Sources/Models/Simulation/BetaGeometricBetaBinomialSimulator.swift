import Foundation

/// Simulates BG/BB customers from the model's story (Fader, Hardie & Shang 2010, section 2):
/// p ~ Beta(α, β), θ ~ Beta(γ, δ); before each of the n opportunities an alive customer drops
/// out with probability θ, and if still alive transacts with probability p. Output (x, t_x, n)
/// in whole opportunities.
public struct BetaGeometricBetaBinomialSimulator: Sendable {
    public var model: BetaGeometricBetaBinomial
    public init(model: BetaGeometricBetaBinomial) { self.model = model }

    public func simulate<G: RandomNumberGenerator>(customers: Int, opportunities n: Int, using generator: inout G) -> SimulatedCustomers {
        var out = SimulatedCustomers(frequency: [], recency: [], T: [])
        for _ in 0..<customers {
            let p = RandomVariates.beta(model.alpha, model.beta, &generator)
            let theta = RandomVariates.beta(model.gamma, model.delta, &generator)
            var x = 0, tx = 0
            for t in 1...max(1, n) {
                if RandomVariates.uniform(&generator) < theta { break }
                if RandomVariates.uniform(&generator) < p { x += 1; tx = t }
            }
            out.frequency.append(Double(x)); out.recency.append(Double(tx)); out.T.append(Double(n))
        }
        return out
    }
}
