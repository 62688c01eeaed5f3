/// Finds repeated ids among many (a summary's or a customer table's) with one open-addressing table of
/// 64-bit byte hashes; ids are compared only when hashes meet. Several times faster than a
/// `[String: Int]` dictionary (no SipHash of every String, no rehashing as it grows when presized).
struct UniqueIDs {
    /// Slot: index + 1 of the first id with this home position chain; 0 = empty.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(expected: Int = 1 << 12) {
        var capacity = 1 << 12
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        hashes.reserveCapacity(expected)
    }

    /// Adds id number `hashes.count` with `hash`; returns the index of an earlier equal id instead (then
    /// nothing is added). `equals(k)` tells whether the new id equals id `k`.
    mutating func insert(hash: UInt64, equals: (Int) -> Bool) -> Int? {
        if hashes.count * 2 >= slots.count { grow() }
        var slot = Int(truncatingIfNeeded: hash >> 20) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if hashes[entry - 1] == hash && equals(entry - 1) { return entry - 1 }
            slot = (slot + 1) & mask
        }
        hashes.append(hash)
        slots[slot] = Int32(hashes.count)
        return nil
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (k, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash >> 20) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k + 1)
        }
    }
}
