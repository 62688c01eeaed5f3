/// Rows grouped by equal keys, groups numbered in order of first appearance: `group[i]` is row i's
/// group and `firstRow[k]` the first row of group k. Keys are compared by their bits (two 64-bit
/// words, e.g. the bit patterns of a frequency and a T) in an open-addressing table: a Dictionary
/// would hash every row with SipHash, a fifth of a BG/NBD fit on a million customers. The table
/// grows with the groups, not the rows: a base of a million customers in a few thousand patterns
/// probes a table that stays in cache (one sized for the rows missed it on every row, ~18 ms).
public func distinctRows(count: Int, key: (Int) -> (UInt64, UInt64)) -> (firstRow: [Int32], group: [Int32]) {
    var table = GroupTable(bits: 12)
    var firstRow: [Int32] = [], firstKey: [(UInt64, UInt64)] = []
    let group = [Int32](unsafeUninitializedCapacity: count) { group, initialized in
        for i in 0..<count {
            let k = key(i)
            var slot = table.start(k)
            while true {
                let g = table.slots[slot]
                if g < 0 {
                    table.slots[slot] = Int32(firstRow.count)
                    group[i] = Int32(firstRow.count)
                    firstRow.append(Int32(i))
                    firstKey.append(k)
                    if 2 * firstRow.count > table.slots.count { table = GroupTable(keys: firstKey, bits: table.bits + 1) }
                    break
                }
                if firstKey[Int(g)] == k { group[i] = g; break }
                slot = (slot + 1) & table.mask
            }
        }
        initialized = count
    }
    return (firstRow, group)
}

/// The open-addressing table of `distinctRows`: slot → group number, -1 when empty.
private struct GroupTable {
    var slots: [Int32]
    let bits: Int
    var mask: Int { slots.count - 1 }

    init(bits: Int) {
        self.bits = bits
        slots = [Int32](repeating: -1, count: 1 << bits)
    }

    /// A table of `1 << bits` slots holding groups 0..<keys.count.
    init(keys: [(UInt64, UInt64)], bits: Int) {
        self.init(bits: bits)
        for (g, k) in keys.enumerated() {
            var slot = start(k)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(g)
        }
    }

    /// The first slot to probe for key `k`.
    @inline(__always)
    func start(_ k: (UInt64, UInt64)) -> Int {
        let mixed = (k.0 &* 0x9E37_79B9_7F4A_7C15) ^ (k.1 &* 0xBF58_476D_1CE4_E5B9)
        return Int(truncatingIfNeeded: ((mixed ^ (mixed >> 29)) &* 0x94D0_49BB_1331_11EB) >> UInt64(64 - bits)) & mask
    }
}
