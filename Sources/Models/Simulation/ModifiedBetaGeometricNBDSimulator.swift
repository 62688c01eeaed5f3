import Foundation

/// Simulates MBG/NBD customers from the model's story (Batislam, Denizel & Filiztekin 2007):
/// as BG/NBD, but the customer may also drop out right after the first purchase at time 0,
/// so the drop-out coin is tossed after every purchase including the first.
public struct ModifiedBetaGeometricNBDSimulator: Sendable {
    public var model: ModifiedBetaGeometricNBD
    public init(model: ModifiedBetaGeometricNBD) { self.model = model }

    public func simulate<G: RandomNumberGenerator>(customers: Int, using generator: inout G,
                                                   observationLength: (Int, inout G) -> Double) -> SimulatedCustomers {
        var out = SimulatedCustomers(frequency: [], recency: [], T: [])
        for i in 0..<customers {
            let T = observationLength(i, &generator)
            let lambda = RandomVariates.gamma(shape: model.r, rate: model.alpha, &generator)
            let p = RandomVariates.beta(model.a, model.b, &generator)
            var t = 0.0, x = 0.0, tx = 0.0
            var alive = RandomVariates.uniform(&generator) >= p   // the toss after the first purchase
            while alive {
                t += RandomVariates.exponential(rate: lambda, &generator)
                guard t <= T else { break }
                x += 1; tx = t
                alive = RandomVariates.uniform(&generator) >= p
            }
            out.frequency.append(x); out.recency.append(tx); out.T.append(T)
        }
        return out
    }
}
