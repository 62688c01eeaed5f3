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
    /// An open-addressing table of pattern indices keyed by the rows' bit patterns keeps this at a
    /// few tens of nanoseconds per row (1,000,000 customers in about 20 ms).
    public static func compressing(frequency: [Double], recency: [Double], T: [Double], weight: [Double]? = nil) -> PurchasePatterns {
        precondition(frequency.count == recency.count && recency.count == T.count, "PurchasePatterns: columns differ in length")
        precondition(weight.map { $0.count == frequency.count } ?? true, "PurchasePatterns: weights differ in length")
        var out = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
        // Each slot holds its key and the pattern index (−1 when empty), so a probe touches one cache line.
        struct Slot { var x: UInt64, tx: UInt64, t: UInt64, index: Int }
        var bits: UInt64 = 12
        var slots = [Slot](repeating: Slot(x: 0, tx: 0, t: 0, index: -1), count: 1 << bits)
        var mask = slots.count - 1
        // Multiplicative mixing moves entropy upwards (the low bits of small whole numbers are
        // all zero), so the slot is taken from the top bits of the mixed value.
        @inline(__always) func hash(_ x: UInt64, _ tx: UInt64, _ t: UInt64) -> Int {
            var h = (x ^ (x >> 32)) &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ tx ^ (tx >> 29)) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ t ^ (t >> 31)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: h >> (64 - bits))
        }
        for i in frequency.indices {
            let x = frequency[i].bitPattern, tx = recency[i].bitPattern, t = T[i].bitPattern
            let w = weight?[i] ?? 1
            var slot = hash(x, tx, t) & mask
            while true {
                let j = slots[slot].index
                if j < 0 {
                    slots[slot] = Slot(x: x, tx: tx, t: t, index: out.frequency.count)
                    out.frequency.append(frequency[i]); out.recency.append(recency[i]); out.T.append(T[i])
                    out.weight.append(w)
                    break
                }
                if slots[slot].x == x && slots[slot].tx == tx && slots[slot].t == t {
                    out.weight[j] += w
                    break
                }
                slot = (slot + 1) & mask
            }
            if out.frequency.count * 2 > slots.count {   // keep the load below 1/2: rebuild twice as large
                bits += 1
                let old = slots
                slots = [Slot](repeating: Slot(x: 0, tx: 0, t: 0, index: -1), count: 1 << bits)
                mask = slots.count - 1
                for entry in old where entry.index >= 0 {
                    var s = hash(entry.x, entry.tx, entry.t) & mask
                    while slots[s].index >= 0 { s = (s + 1) & mask }
                    slots[s] = entry
                }
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
