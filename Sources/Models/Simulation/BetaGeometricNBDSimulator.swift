import Foundation

/// Simulated calibration data of repeat-purchase models: one row per customer, times in
/// continuous model time units (or, for BG/BB, whole opportunities).
public struct SimulatedCustomers: Sendable, Equatable {
    public var frequency: [Double]
    public var recency: [Double]
    public var T: [Double]

    public var patterns: PurchasePatterns { .compressing(frequency: frequency, recency: recency, T: T) }
}

/// Simulates BG/NBD customers from the model's story (FHL 2005, section 3), not from lifetimes'
/// `generate_data` (which truncates purchase times): λ ~ Gamma(r, α), p ~ Beta(a, b); from the
/// first purchase at time 0, purchases follow a Poisson process with rate λ, and after each
/// repeat purchase the customer drops out with probability p. Observed for T(i) time units.
public struct BetaGeometricNBDSimulator: Sendable {
    public var model: BetaGeometricNBD
    public init(model: BetaGeometricNBD) { self.model = model }

    /// `observationLength(i, &generator)` gives customer i's T.
    public func simulate<G: RandomNumberGenerator>(customers: Int, using generator: inout G,
                                                   observationLength: (Int, inout G) -> Double) -> SimulatedCustomers {
        var out = SimulatedCustomers(frequency: [], recency: [], T: [])
        out.frequency.reserveCapacity(customers); out.recency.reserveCapacity(customers); out.T.reserveCapacity(customers)
        for i in 0..<customers {
            let T = observationLength(i, &generator)
            let lambda = RandomVariates.gamma(shape: model.r, rate: model.alpha, &generator)
            let p = RandomVariates.beta(model.a, model.b, &generator)
            var t = 0.0, x = 0.0, tx = 0.0
            while true {
                t += RandomVariates.exponential(rate: lambda, &generator)
                guard t <= T else { break }
                x += 1; tx = t
                if RandomVariates.uniform(&generator) < p { break }   // dies after this purchase
            }
            out.frequency.append(x); out.recency.append(tx); out.T.append(T)
        }
        return out
    }
}
