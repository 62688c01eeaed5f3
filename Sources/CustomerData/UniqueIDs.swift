/// Finds repeated ids among many (a summary's customers) with one open-addressing table of 64-bit byte
/// hashes; ids are compared only when hashes meet. Each slot holds the upper half of the hash beside the
/// index, so a lookup touches one cache line (a `[String: Int]` dictionary hashes every String with
/// SipHash and follows pointers).
struct UniqueIDs {
    /// Slot: upper 32 bits of the hash, lower 32 bits index + 1; 0 = empty.
    private var slots: [UInt64]
    private var count = 0
    private var mask: Int

    init(expected: Int = 1 << 12) {
        var capacity = 1 << 12
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Adds the next id (index `count`) with `hash`; returns the index of an earlier equal id instead
    /// (then nothing is added). `equals(k)` tells whether the new id equals id `k`.
    mutating func insert(hash: UInt64, equals: (Int) -> Bool) -> Int? {
        if count * 2 >= slots.count { grow() }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        return slots.withUnsafeMutableBufferPointer { s -> Int? in
            while true {
                let entry = s[slot]
                if entry == 0 { break }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let k = Int(entry & 0xFFFF_FFFF) - 1
                    if equals(k) { return k }
                }
                slot = (slot + 1) & mask
            }
            count += 1
            s[slot] = tag | UInt64(count)
            return nil
        }
    }

    private mutating func grow() {
        let old = slots
        let capacity = slots.count * 2
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        // Probes start from the upper hash half, which the slot keeps, so entries are re-placed without the ids.
        for entry in old where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
