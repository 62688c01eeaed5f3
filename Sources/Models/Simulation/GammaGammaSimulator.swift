import Foundation

/// Simulates Gamma-Gamma spend from the model's story (Fader & Hardie note 025): for each
/// customer ν ~ Gamma(q, γ), each of her x transactions is Gamma(p, ν); returns the mean z̄.
public struct GammaGammaSimulator: Sendable {
    public var model: GammaGamma
    public init(model: GammaGamma) { self.model = model }

    /// Mean spend of each customer's `frequency[i]` transactions (0 when frequency is 0).
    public func simulateMeanSpend<G: RandomNumberGenerator>(frequency: [Int], using generator: inout G) -> [Double] {
        frequency.map { x in
            let nu = RandomVariates.gamma(shape: model.q, rate: model.gamma, &generator)
            guard x > 0 else { return 0 }
            var total = 0.0
            for _ in 0..<x { total += RandomVariates.gamma(shape: model.p, rate: nu, &generator) }
            return total / Double(x)
        }
    }
}
