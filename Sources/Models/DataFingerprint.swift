import CustomerData

/// A reproducible fingerprint of training data, stored in model files so a model can be traced to
/// the data it was fitted on without storing any rows: `mix64:` and 16 hex digits, a hash of the
/// values' bit patterns word by word (a byte-wise FNV-1a took ~40 ms per million patterns, beside
/// a fit that takes ~100 ms; this takes a few).
public enum DataFingerprint {
    public static func of(_ data: PurchasePatterns) -> String {
        // The four columns hashed side by side: four independent chains keep the multiplier busy.
        var hashes = [WordHash](repeating: WordHash(), count: 4)
        for k in 0..<4 { hashes[k].add(UInt64(data.count)) }
        data.frequency.withUnsafeBufferPointer { x in
        data.recency.withUnsafeBufferPointer { tx in
        data.T.withUnsafeBufferPointer { t in
        data.weight.withUnsafeBufferPointer { w in
            var (h0, h1, h2, h3) = (hashes[0], hashes[1], hashes[2], hashes[3])
            for i in 0..<x.count {
                h0.add(x[i].bitPattern); h1.add(tx[i].bitPattern); h2.add(t[i].bitPattern); h3.add(w[i].bitPattern)
            }
            hashes = [h0, h1, h2, h3]
        }}}}
        var combined = WordHash()
        for h in hashes { combined.add(h.value) }
        return "mix64:" + combined.hex
    }

    public static func of(columns: [[Double]]) -> String {
        var hash = WordHash()
        for column in columns {
            hash.add(UInt64(column.count))
            column.withUnsafeBufferPointer { values in for v in values { hash.add(v.bitPattern) } }
        }
        return "mix64:" + hash.hex
    }
}

/// A 64-bit hash of 64-bit words: each word is xored in and the state multiplied and folded
/// (the multiply-xorshift step of splitmix64, Steele, Lea & Flood 2014), so every bit of a word
/// reaches every bit of the state.
struct WordHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    mutating func add(_ word: UInt64) {
        var h = (value ^ word) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        value = h &* 0x94D0_49BB_1331_11EB ^ (h >> 29)
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
