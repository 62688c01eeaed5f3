import Foundation

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

    /// Adds id number `index` (below 2^32 - 1) with `hash`; returns the index of an earlier equal id
    /// instead (then nothing is added). `equals(k)` tells whether the new id equals id `k`.
    mutating func insert(hash: UInt64, index: Int, equals: (Int) -> Bool) -> Int? {
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
            s[slot] = tag | UInt64(index + 1)
            return nil
        }
    }

    /// The first id (in index order) equal to an earlier one, and that earlier id's index. With
    /// many ids, each core takes the ids whose hash's lowest bit is its own (equal ids have equal
    /// hashes), so the table's cache misses are shared out; the earliest repeat of the parts is the
    /// same as one pass finds.
    static func firstRepeat(ids: [String], hashes: [UInt64]) -> (index: Int, earlier: Int)? {
        let parts = ids.count >= 1 << 16 && ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
        var found = [(index: Int, earlier: Int)?](repeating: nil, count: parts)
        found.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var seen = UniqueIDs(expected: ids.count / parts)
                for i in ids.indices where parts == 1 || Int(hashes[i] & 1) == part {
                    if let earlier = seen.insert(hash: hashes[i], index: i, equals: { ids[$0] == ids[i] }) {
                        out[part] = (i, earlier)
                        return
                    }
                }
            }
        }
        return found.compactMap { $0 }.min { $0.index < $1.index }
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
