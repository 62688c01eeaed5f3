import CustomerData

/// The repeat-purchase models' data compressed to distinct (x, t_x, T) patterns with weights:
/// every likelihood is a weighted sum over patterns, so identical customers are computed once.
/// For BG/BB, T holds n (the number of purchase opportunities) and t_x the last opportunity.
public struct PurchasePatterns: Sendable, Equatable {
    public var frequency: [Double]
    public var recency: [Double]
    public var T: [Double]
    public var weight: [Double]

    public init(frequency: [Double], recency: [Double], T: [Double], weight: [Double]? = nil) {
        precondition(frequency.count == recency.count && recency.count == T.count, "PurchasePatterns: columns differ in length")
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.weight = weight ?? [Double](repeating: 1, count: frequency.count)
        precondition(self.weight.count == frequency.count, "PurchasePatterns: weights differ in length")
    }

    /// Collapses identical (x, t_x, T) rows into one pattern whose weight is their count (or
    /// summed weight). Pattern order is the order of first appearance, so results are reproducible.
    public static func compressing(frequency: [Double], recency: [Double], T: [Double], weight: [Double]? = nil) -> PurchasePatterns {
        struct Key: Hashable { let x: UInt64, tx: UInt64, T: UInt64 }
        var index: [Key: Int] = [:]
        index.reserveCapacity(min(frequency.count, 1 << 16))
        var out = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
        for i in frequency.indices {
            let w = weight?[i] ?? 1
            let key = Key(x: frequency[i].bitPattern, tx: recency[i].bitPattern, T: T[i].bitPattern)
            if let j = index[key] {
                out.weight[j] += w
            } else {
                index[key] = out.frequency.count
                out.frequency.append(frequency[i]); out.recency.append(recency[i]); out.T.append(T[i]); out.weight.append(w)
            }
        }
        return out
    }

    /// The calibration-period patterns of a customer summary.
    public init(summary: CustomerSummary) {
        self = .compressing(frequency: summary.frequency, recency: summary.recency, T: summary.T)
    }

    public var count: Int { frequency.count }
    /// Number of customers represented (sum of weights).
    public var customers: Double { weight.reduce(0, +) }
}
