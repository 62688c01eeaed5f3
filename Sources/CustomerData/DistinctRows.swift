import Foundation

/// Rows grouped by equal keys, groups numbered in order of first appearance: `group[i]` is row i's
/// group and `firstRow[k]` the first row of group k. Keys are compared by their bits (two 64-bit
/// words, e.g. the bit patterns of a frequency and a T) in an open-addressing table: a Dictionary
/// would hash every row with SipHash, a fifth of a BG/NBD fit on a million customers. The table
/// grows with the groups, not the rows: a base of a million customers in a few thousand patterns
/// probes a table that stays in cache (one sized for the rows missed it on every row, ~18 ms).
/// A big input is grouped in pieces on all cores (`key` is then called from several threads, so it
/// must only read), and the pieces' groups are joined in piece order: the numbers are the same as
/// one pass over the rows would give.
public func distinctRows(count: Int, key: (Int) -> (UInt64, UInt64)) -> (firstRow: [Int32], group: [Int32]) {
    let pieces = count >= 1 << 17 ? min(16, 4 * ProcessInfo.processInfo.activeProcessorCount) : 1
    var tables = [GroupTable](repeating: GroupTable(bits: 12), count: pieces)
    var group = [Int32](unsafeUninitializedCapacity: count) { group, initialized in
        nonisolated(unsafe) let group = group
        withoutActuallyEscaping(key) { key in
            nonisolated(unsafe) let key = key
            tables.withUnsafeMutableBufferPointer { tables in
                nonisolated(unsafe) let tables = tables
                DispatchQueue.concurrentPerform(iterations: pieces) { p in
                    for i in (count * p / pieces)..<(count * (p + 1) / pieces) { group[i] = tables[p].group(of: key(i), row: i) }
                }
            }
        }
        initialized = count
    }
    guard pieces > 1 else { return (tables[0].rows, group) }
    // Piece p's groups in the numbering of all rows: the first piece's are kept, later pieces' groups
    // join an earlier one with the same key or come next, in order of their first rows.
    var all = tables[0]
    let numbers = tables.map { piece in piece.keys.indices.map { all.group(of: piece.keys[$0], row: Int(piece.rows[$0])) } }
    group.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        DispatchQueue.concurrentPerform(iterations: pieces - 1) { q in
            let p = q + 1
            numbers[p].withUnsafeBufferPointer { number in
                for i in (count * p / pieces)..<(count * (p + 1) / pieces) { out[i] = number[Int(out[i])] }
            }
        }
    }
    return (all.rows, group)
}

/// The open-addressing table of `distinctRows`: slot → group number, -1 when empty; the groups'
/// keys and first rows in order of first appearance.
private struct GroupTable {
    var slots: [Int32]
    let bits: Int
    private(set) var keys: [(UInt64, UInt64)] = []
    private(set) var rows: [Int32] = []
    var mask: Int { slots.count - 1 }

    init(bits: Int) {
        self.bits = bits
        slots = [Int32](repeating: -1, count: 1 << bits)
    }

    /// The group of key `k`, a new one (first seen at `row`) if no earlier row had it.
    @inline(__always)
    mutating func group(of k: (UInt64, UInt64), row: Int) -> Int32 {
        var slot = start(k)
        while true {
            let g = slots[slot]
            if g < 0 { break }
            if keys[Int(g)] == k { return g }
            slot = (slot + 1) & mask
        }
        let g = Int32(keys.count)
        slots[slot] = g
        keys.append(k)
        rows.append(Int32(row))
        if 2 * keys.count > slots.count { grow() }
        return g
    }

    /// Doubles the slots and enters the groups again.
    private mutating func grow() {
        var bigger = GroupTable(bits: bits + 1)
        for (g, k) in keys.enumerated() {
            var slot = bigger.start(k)
            while bigger.slots[slot] >= 0 { slot = (slot + 1) & bigger.mask }
            bigger.slots[slot] = Int32(g)
        }
        bigger.keys = keys
        bigger.rows = rows
        self = bigger
    }

    /// The first slot to probe for key `k`.
    @inline(__always)
    func start(_ k: (UInt64, UInt64)) -> Int {
        let mixed = (k.0 &* 0x9E37_79B9_7F4A_7C15) ^ (k.1 &* 0xBF58_476D_1CE4_E5B9)
        return Int(truncatingIfNeeded: ((mixed ^ (mixed >> 29)) &* 0x94D0_49BB_1331_11EB) >> UInt64(64 - bits)) & mask
    }
}
