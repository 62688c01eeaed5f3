import Foundation
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
    /// An open-addressing table keyed by the rows' bit patterns replaces a Dictionary (several
    /// times faster).
    /// Above 250,000 rows the rows are first partitioned by hash so each part is deduplicated in
    /// a cache-sized table, in parallel (same patterns, order and weights as one pass).
    public static func compressing(frequency: [Double], recency: [Double], T: [Double], weight: [Double]? = nil) -> PurchasePatterns {
        precondition(frequency.count == recency.count && recency.count == T.count, "PurchasePatterns: columns differ in length")
        precondition(weight.map { $0.count == frequency.count } ?? true, "PurchasePatterns: weights differ in length")
        if frequency.count >= 250_000 && frequency.count < Int(Int32.max) {
            if nearlyAllDistinct(frequency: frequency, recency: recency, T: T) {
                return PurchasePatterns(frequency: frequency, recency: recency, T: T, weight: weight)
            }
            return compressingPartitioned(frequency: frequency, recency: recency, T: T, weight: weight)
        }
        var out = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
        // Each slot holds its key and the pattern index (−1 when empty), so a probe touches one cache line.
        struct Slot { var x: UInt64, tx: UInt64, t: UInt64, index: Int }
        var bits: UInt64 = 12
        var slots = [Slot](repeating: Slot(x: 0, tx: 0, t: 0, index: -1), count: 1 << bits)
        var mask = slots.count - 1
        @inline(__always) func hash(_ x: UInt64, _ tx: UInt64, _ t: UInt64) -> Int {
            Int(truncatingIfNeeded: mixedHash(x, tx, t) >> (64 - bits))
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

    /// The 64-bit mix of a row's bit patterns. Multiplicative mixing moves entropy upwards (the
    /// low bits of small whole numbers are all zero), so callers use the top bits.
    @inline(__always)
    static func mixedHash(_ x: UInt64, _ tx: UInt64, _ t: UInt64) -> UInt64 {
        var h = (x ^ (x >> 32)) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ tx ^ (tx >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return (h ^ t ^ (t >> 31)) &* 0x94D0_49BB_1331_11EB
    }

    /// Radix-partitioned compression: (1) rows are scattered into 64 partitions by the top 6 bits
    /// of their hash, keys copied alongside so each partition is read sequentially (hashing and
    /// scattering in row blocks on all cores, each block into its own slice of every partition, so
    /// the order within a partition is the row order); (2) each partition is deduplicated in its
    /// own small table (cache-resident), in parallel; (3) patterns are emitted in order of their first row.
    /// True when a sample of 16,384 evenly spread rows holds at most 2 repeated patterns: then
    /// compression would save about 1% of the likelihood's work (rows repeating as often as 2 in
    /// 16,384 sampled) and cost more than it saves (continuous times: every customer is a pattern).
    static func nearlyAllDistinct(frequency: [Double], recency: [Double], T: [Double]) -> Bool {
        let n = frequency.count, samples = Swift.min(n, 16_384)
        var keys = (0..<samples).map { k -> SIMD3<UInt64> in
            let i = k * n / samples
            return SIMD3(frequency[i].bitPattern, recency[i].bitPattern, T[i].bitPattern)
        }
        keys.sort { ($0[0], $0[1], $0[2]) < ($1[0], $1[1], $1[2]) }
        var repeats = 0
        for k in 1..<Swift.max(1, keys.count) where keys[k] == keys[k - 1] { repeats += 1 }
        return repeats <= 2
    }

    private static func compressingPartitioned(frequency: [Double], recency: [Double], T: [Double], weight: [Double]?) -> PurchasePatterns {
        struct Row { var x: UInt64, tx: UInt64, t: UInt64, row: Int32, hashBits: UInt32 }
        struct Part { var keys: [Row] = [], weights: [Double] = [] }
        let n = frequency.count, partitions = 64
        let blocks = Swift.max(1, Swift.min(n / 65_536, 4 * ProcessInfo.processInfo.activeProcessorCount))
        var hashes = [UInt64](repeating: 0, count: n)
        // blockCounts[b * partitions + p]: rows of block b in partition p, then (prefix sums) where they go.
        var blockCounts = [Int](repeating: 0, count: blocks * partitions)
        hashes.withUnsafeMutableBufferPointer { hashBuffer in
            blockCounts.withUnsafeMutableBufferPointer { countBuffer in
                nonisolated(unsafe) let h = hashBuffer, counts = countBuffer
                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                    for i in n * b / blocks..<n * (b + 1) / blocks {
                        let hash = mixedHash(frequency[i].bitPattern, recency[i].bitPattern, T[i].bitPattern)
                        h[i] = hash
                        counts[b * partitions + Int(hash >> 58)] += 1
                    }
                }
            }
        }
        var counts = [Int](repeating: 0, count: partitions + 1)
        var offset = 0
        for p in 0..<partitions {
            counts[p] = offset
            for b in 0..<blocks {
                let c = blockCounts[b * partitions + p]
                blockCounts[b * partitions + p] = offset
                offset += c
            }
        }
        counts[partitions] = offset
        var rows = [Row](repeating: Row(x: 0, tx: 0, t: 0, row: 0, hashBits: 0), count: n)
        rows.withUnsafeMutableBufferPointer { rowBuffer in
            nonisolated(unsafe) let out = rowBuffer
            let h = hashes, starts = blockCounts
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                var next = Array(starts[b * partitions..<(b + 1) * partitions])
                for i in n * b / blocks..<n * (b + 1) / blocks {
                    let hash = h[i], p = Int(hash >> 58)
                    out[next[p]] = Row(x: frequency[i].bitPattern, tx: recency[i].bitPattern, t: T[i].bitPattern, row: Int32(i),
                                       hashBits: UInt32(truncatingIfNeeded: hash >> 26))
                    next[p] += 1
                }
            }
        }
        var parts = [Part](repeating: Part(), count: partitions)
        rows.withUnsafeBufferPointer { rowBuffer in
            parts.withUnsafeMutableBufferPointer { partBuffer in
                nonisolated(unsafe) let rows = rowBuffer, out = partBuffer
                DispatchQueue.concurrentPerform(iterations: partitions) { p in
                    let lo = counts[p], hi = counts[p + 1]
                    var tableBits = 4
                    while (1 << tableBits) < 2 * (hi - lo) { tableBits += 1 }
                    var slots = [Int32](repeating: -1, count: 1 << tableBits)
                    let mask = (1 << tableBits) - 1
                    var part = Part()
                    for k in lo..<hi {
                        let row = rows[k]
                        let w = weight?[Int(row.row)] ?? 1
                        var slot = Int(row.hashBits >> UInt32(32 - tableBits)) & mask
                        while true {
                            let j = Int(slots[slot])
                            if j < 0 {
                                slots[slot] = Int32(part.keys.count)
                                part.keys.append(row); part.weights.append(w)
                                break
                            }
                            let key = part.keys[j]
                            if key.x == row.x && key.tx == row.tx && key.t == row.t { part.weights[j] += w; break }
                            slot = (slot + 1) & mask
                        }
                    }
                    out[p] = part
                }
            }
        }
        // Emit in order of first appearance: mark each pattern at its first row (partitions in
        // parallel: their rows are disjoint), then sweep the rows in blocks, each block writing from
        // its own start (the count of first rows before it).
        var offsets = [Int](repeating: 0, count: partitions + 1)
        for p in 0..<partitions { offsets[p + 1] = offsets[p] + parts[p].keys.count }
        let patterns = offsets[partitions]
        var patternAtRow = [Int32](repeating: -1, count: n)
        var flatWeights = [Double](repeating: 0, count: patterns)
        patternAtRow.withUnsafeMutableBufferPointer { markBuffer in
            flatWeights.withUnsafeMutableBufferPointer { weightBuffer in
                nonisolated(unsafe) let marks = markBuffer, weights = weightBuffer
                let parts = parts, offsets = offsets
                DispatchQueue.concurrentPerform(iterations: partitions) { p in
                    for (j, key) in parts[p].keys.enumerated() {
                        marks[Int(key.row)] = Int32(offsets[p] + j)
                        weights[offsets[p] + j] = parts[p].weights[j]
                    }
                }
            }
        }
        var firstRowsBefore = [Int](repeating: 0, count: blocks + 1)
        firstRowsBefore.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let counts = buffer
            let marks = patternAtRow
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                var c = 0
                for i in n * b / blocks..<n * (b + 1) / blocks where marks[i] >= 0 { c += 1 }
                counts[b + 1] = c
            }
        }
        for b in 0..<blocks { firstRowsBefore[b + 1] += firstRowsBefore[b] }
        var out = PurchasePatterns(frequency: [Double](repeating: 0, count: patterns), recency: [Double](repeating: 0, count: patterns),
                                   T: [Double](repeating: 0, count: patterns), weight: [Double](repeating: 0, count: patterns))
        out.frequency.withUnsafeMutableBufferPointer { xBuffer in
        out.recency.withUnsafeMutableBufferPointer { txBuffer in
        out.T.withUnsafeMutableBufferPointer { tBuffer in
        out.weight.withUnsafeMutableBufferPointer { wBuffer in
            nonisolated(unsafe) let (xs, txs, ts, ws) = (xBuffer, txBuffer, tBuffer, wBuffer)
            let marks = patternAtRow, weights = flatWeights, starts = firstRowsBefore
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                var k = starts[b]
                for i in n * b / blocks..<n * (b + 1) / blocks where marks[i] >= 0 {
                    xs[k] = frequency[i]; txs[k] = recency[i]; ts[k] = T[i]
                    ws[k] = weights[Int(marks[i])]
                    k += 1
                }
            }
        }}}}
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
