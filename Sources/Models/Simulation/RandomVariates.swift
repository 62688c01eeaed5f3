import Foundation

/// A small seeded generator (SplitMix64, Steele, Lea & Flood 2014): reproducible simulations
/// and cross-validation folds from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random variates for simulating the models' stories.
public enum RandomVariates {
    /// Uniform on (0, 1), never exactly 0 or 1.
    public static func uniform<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        (Double(g.next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// Exponential with the given rate.
    public static func exponential<G: RandomNumberGenerator>(rate: Double, _ g: inout G) -> Double {
        -log(uniform(&g)) / rate
    }

    /// Standard normal (Box–Muller).
    public static func normal<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        sqrt(-2 * log(uniform(&g))) * cos(2 * Double.pi * uniform(&g))
    }

    /// Gamma(shape, rate) by Marsaglia & Tsang (2000), "A simple method for generating gamma
    /// variables", with the shape < 1 boost U^(1/shape).
    public static func gamma<G: RandomNumberGenerator>(shape: Double, rate: Double, _ g: inout G) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1, rate: rate, &g) * pow(uniform(&g), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / sqrt(9 * d)
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = normal(&g)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform(&g)
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v / rate
            }
        }
    }

    /// Beta(a, b) from two gamma variates.
    public static func beta<G: RandomNumberGenerator>(_ a: Double, _ b: Double, _ g: inout G) -> Double {
        let x = gamma(shape: a, rate: 1, &g), y = gamma(shape: b, rate: 1, &g)
        return x / (x + y)
    }
}
