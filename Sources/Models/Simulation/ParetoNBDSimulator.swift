import Foundation

/// Simulates customers from the Pareto/NBD story (Schmittlein, Morrison & Colombo 1987), in
/// continuous time, for parameter-recovery tests and benchmarks:
///
/// - purchase rate λ ~ Gamma(shape r, rate α), dropout rate μ ~ Gamma(shape s, rate β);
/// - lifetime τ ~ Exponential(μ), counted from the first purchase at time 0;
/// - while alive (0 < t < min(τ, T)) purchases arrive as a Poisson process with rate λ;
/// - T (the observation length) is drawn uniformly from `observation`, so customers joined at
///   different times.
///
/// With `daysPerUnit` set (e.g. 7 for weeks), the first purchase day, T and every purchase time
/// are cut to whole days, and purchases on the same day count once: the summary a transaction
/// log in calendar days gives, with times in days / `daysPerUnit`.
public struct ParetoNBDSimulator: Sendable {
    public var model: ParetoNBD
    public var observation: ClosedRange<Double>
    public var daysPerUnit: Double?

    public init(model: ParetoNBD, observation: ClosedRange<Double>, daysPerUnit: Double? = nil) {
        self.model = model
        self.observation = observation
        self.daysPerUnit = daysPerUnit
    }

    /// One simulated customer: (x, t_x, T) and the latent rates.
    public struct Customer: Sendable {
        public var frequency: Double
        public var recency: Double
        public var T: Double
        public var lambda: Double
        public var mu: Double
        public var lifetime: Double
    }

    public func customer<G: RandomNumberGenerator>(_ g: inout G) -> Customer {
        let lambda = RandomVariates.gamma(shape: model.r, rate: model.alpha, &g)
        let mu = RandomVariates.gamma(shape: model.s, rate: model.beta, &g)
        let lifetime = RandomVariates.exponential(rate: mu, &g)
        var T = observation.lowerBound + (observation.upperBound - observation.lowerBound) * RandomVariates.uniform(&g)
        if let days = daysPerUnit { T = max(1, (T * days).rounded(.down)) / days }
        let end = min(lifetime, T)
        var x = 0.0, last = 0.0, lastDay = 0.0
        var t = RandomVariates.exponential(rate: lambda, &g)
        while t < end {
            if let days = daysPerUnit {
                let day = (t * days).rounded(.down)
                if day > lastDay && day / days <= T {
                    x += 1
                    lastDay = day
                    last = day / days
                }
            } else {
                x += 1
                last = t
            }
            t += RandomVariates.exponential(rate: lambda, &g)
        }
        return Customer(frequency: x, recency: last, T: T, lambda: lambda, mu: mu, lifetime: lifetime)
    }

    /// `count` customers from a seeded generator, as columns (x, t_x, T).
    public func simulate(count: Int, seed: UInt64) -> (frequency: [Double], recency: [Double], T: [Double]) {
        var g = SeededGenerator(seed: seed)
        var x = [Double](), tx = [Double](), T = [Double]()
        x.reserveCapacity(count); tx.reserveCapacity(count); T.reserveCapacity(count)
        for _ in 0..<count {
            let c = customer(&g)
            x.append(c.frequency); tx.append(c.recency); T.append(c.T)
        }
        return (x, tx, T)
    }
}
