import Foundation

/// P(alive) and expected purchases at several horizons for many customers, from one pass over
/// them: what discounting a customer's value over 12-60 steps needs. Stored customer by customer
/// (the horizons of one customer are contiguous).
public struct HorizonScores: Sendable, Equatable {
    /// The horizons, in the model's time unit, in the order given.
    public var horizons: [Double]
    /// P(alive | x, t_x, T) per customer.
    public var probabilityAlive: [Double]
    /// E[X(T, T + horizons[h]) | x, t_x, T] of customer i at `i * horizons.count + h`.
    public var expectedPurchases: [Double]

    public init(horizons: [Double], probabilityAlive: [Double], expectedPurchases: [Double]) {
        precondition(expectedPurchases.count == horizons.count * probabilityAlive.count, "HorizonScores: one value per customer and horizon")
        self.horizons = horizons
        self.probabilityAlive = probabilityAlive
        self.expectedPurchases = expectedPurchases
    }

    /// The number of customers.
    public var count: Int { probabilityAlive.count }

    /// Customer i's expected purchases at every horizon, in horizon order.
    public func expectedPurchases(customer i: Int) -> ArraySlice<Double> {
        expectedPurchases[(i * horizons.count)..<((i + 1) * horizons.count)]
    }

    /// Every customer's expected purchases at horizon number h.
    public func expectedPurchases(horizon h: Int) -> [Double] {
        let k = horizons.count
        return (0..<count).map { expectedPurchases[$0 * k + h] }
    }
}

extension RepeatPurchaseModel {
    /// The default: P(alive) once and `conditionalExpectedPurchases` at each horizon per customer,
    /// over all cores (what per-horizon `score(horizon:)` calls compute, in one pass).
    public func score(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores {
        let k = horizons.count
        return scoreInParallel(horizons: horizons, count: frequency.count) { i, alive, expected in
            alive = probabilityAlive(frequency: frequency[i], recency: recency[i], T: T[i])
            for h in 0..<k {
                expected[h] = conditionalExpectedPurchases(horizon: horizons[h], frequency: frequency[i], recency: recency[i], T: T[i])
            }
        }
    }
}

extension AliveConditionalPredictions {
    /// For models whose expectation is P(alive) times a function of (x, T) (BG/NBD, MBG/NBD,
    /// Pareto/NBD): the expected purchases if alive at every horizon are computed once per
    /// distinct (x, T) and kept for all its customers (a per-core cache shared by the horizons),
    /// then multiplied by each customer's P(alive).
    public func scoreSharingPatterns(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores {
        let k = horizons.count
        let n = frequency.count
        var alive = [Double](repeating: 0, count: n)
        var expected = [Double](repeating: 0, count: n * k)
        alive.withUnsafeMutableBufferPointer { aliveBuffer in
            expected.withUnsafeMutableBufferPointer { expectedBuffer in
                nonisolated(unsafe) let aliveOut = aliveBuffer, expectedOut = expectedBuffer
                let chunks = Swift.max(1, Swift.min(n / 65_536, ProcessInfo.processInfo.activeProcessorCount))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    // (x, T) → offset of its k values in `ifAlive` (past the cache's cap, misses append anew).
                    var cache = ScoreCache<Int>()
                    var ifAlive: [Double] = []
                    for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        let x = frequency[i], bigT = T[i]
                        let offset = cache.value(x.bitPattern, bigT.bitPattern) {
                            let start = ifAlive.count
                            for h in 0..<k { ifAlive.append(expectedPurchasesIfAlive(horizon: horizons[h], frequency: x, T: bigT)) }
                            return start
                        }
                        let p = probabilityAlive(frequency: x, recency: recency[i], T: bigT)
                        aliveOut[i] = p
                        for h in 0..<k { expectedOut[i * k + h] = ifAlive[offset + h] * p }
                    }
                }
            }
        }
        return HorizonScores(horizons: horizons, probabilityAlive: alive, expectedPurchases: expected)
    }
}

extension BetaGeometricNBD {
    public func score(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores {
        scoreSharingPatterns(horizons: horizons, frequency: frequency, recency: recency, T: T)
    }
}

extension ModifiedBetaGeometricNBD {
    public func score(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores {
        scoreSharingPatterns(horizons: horizons, frequency: frequency, recency: recency, T: T)
    }
}

extension ParetoNBD {
    public func score(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores {
        scoreSharingPatterns(horizons: horizons, frequency: frequency, recency: recency, T: T)
    }
}

/// Runs `body(i, &alive, &expected)` for every customer over all cores, `expected` being the
/// customer's `horizons.count` values.
func scoreInParallel(horizons: [Double], count n: Int,
                     _ body: (Int, inout Double, inout [Double]) -> Void) -> HorizonScores {
    let k = horizons.count
    var alive = [Double](repeating: 0, count: n)
    var expected = [Double](repeating: 0, count: n * k)
    alive.withUnsafeMutableBufferPointer { aliveBuffer in
        expected.withUnsafeMutableBufferPointer { expectedBuffer in
            nonisolated(unsafe) let aliveOut = aliveBuffer, expectedOut = expectedBuffer
            let chunks = Swift.max(1, Swift.min(n / 4096, ProcessInfo.processInfo.activeProcessorCount * 8))
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var values = [Double](repeating: 0, count: k)
                for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                    var p = 0.0
                    body(i, &p, &values)
                    aliveOut[i] = p
                    for h in 0..<k { expectedOut[i * k + h] = values[h] }
                }
            }
        }
    }
    return HorizonScores(horizons: horizons, probabilityAlive: alive, expectedPurchases: expected)
}
