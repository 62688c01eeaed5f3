/// What a repeat-purchase model expects of a customer who has just made a first purchase:
/// E[X(t)] and the distribution P(X(t) = k), k = 0...maxCount, over a horizon t.
public struct NewCustomerForecast: Sendable, CustomStringConvertible {
    public var kind: ModelKind
    public var horizon: Double
    public var expectedPurchases: Double
    /// P(X(t) = k) for k = 0, 1, ..., maxCount.
    public var probabilities: [Double]

    public init(model: any RepeatPurchaseModel, horizon: Double, maxCount: Int = 10) throws {
        guard horizon > 0, horizon.isFinite else {
            throw ModelError.invalidParameters("the horizon must be a positive number of time units, got \(horizon)")
        }
        guard maxCount >= 0 else { throw ModelError.invalidParameters("the largest count must be >= 0, got \(maxCount)") }
        kind = type(of: model).kind
        self.horizon = horizon
        expectedPurchases = model.expectedPurchases(horizon: horizon)
        probabilities = (0...maxCount).map { model.probabilityOfPurchases($0, horizon: horizon) }
        guard expectedPurchases.isFinite, probabilities.allSatisfy(\.isFinite) else {
            throw ModelError.invalidData("the \(kind.rawValue) forecast for a new customer is not finite over \(horizon) time units")
        }
    }

    public var description: String {
        var lines = ["\(kind.rawValue): a new customer over \(horizon) time units",
                     "E[X(t)] = \(String(format: "%.4f", expectedPurchases))",
                     "purchases  probability  cumulative"]
        var cumulative = 0.0
        for (k, p) in probabilities.enumerated() {
            cumulative += p
            lines.append(String(format: "%9d  %11.4f  %10.4f", k, p, cumulative))
        }
        return lines.joined(separator: "\n")
    }
}
