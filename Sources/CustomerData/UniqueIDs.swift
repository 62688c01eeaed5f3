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
    /// many ids, they are first sorted into 256 buckets by their hash's top byte (keeping index order
    /// within a bucket, blocks of rows in parallel; equal ids have equal hashes), then each bucket is
    /// checked with a table small enough to stay in cache, buckets spread over the cores. The earliest repeat of the buckets is
    /// the one a single pass finds.
    static func firstRepeat(ids: [String], hashes: [UInt64]) -> (index: Int, earlier: Int)? {
        let n = ids.count
        guard n >= 1 << 16 else { return firstRepeat(ids: ids, rows: hashes.indices.lazy.map { (hashes[$0], Int32($0)) }) }
        // Bucket sizes per block of rows, then each block scatters its rows from its own offsets, in parallel.
        let blocks = 2 * ProcessInfo.processInfo.activeProcessorCount
        var blockStarts = [Int](repeating: 0, count: blocks * 256)
        blockStarts.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let counts = buffer
            DispatchQueue.concurrentPerform(iterations: blocks) { k in
                for i in n * k / blocks..<n * (k + 1) / blocks { counts[k * 256 + Int(hashes[i] >> 56)] += 1 }
            }
        }
        var starts = [Int](repeating: 0, count: 257)
        var offset = 0
        for b in 0..<256 {
            starts[b] = offset
            for k in 0..<blocks { let c = blockStarts[k * 256 + b]; blockStarts[k * 256 + b] = offset; offset += c }
        }
        starts[256] = offset
        let order = [(hash: UInt64, index: Int32)](unsafeUninitializedCapacity: n) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            let blockStarts = blockStarts
            DispatchQueue.concurrentPerform(iterations: blocks) { k in
                var next = Array(blockStarts[k * 256..<(k + 1) * 256])
                for i in n * k / blocks..<n * (k + 1) / blocks {
                    let h = hashes[i], b = Int(h >> 56)
                    out[next[b]] = (h, Int32(i))
                    next[b] += 1
                }
            }
            initialized = n
        }
        var found = [(index: Int, earlier: Int)?](repeating: nil, count: 256)
        found.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: 256) { b in
                out[b] = firstRepeat(ids: ids, rows: order[starts[b]..<starts[b + 1]])
            }
        }
        return found.compactMap { $0 }.min { $0.index < $1.index }
    }

    /// The first repeat among `rows` (hash and index, in increasing index order) of `ids`.
    private static func firstRepeat(ids: [String], rows: some Collection<(hash: UInt64, index: Int32)>) -> (index: Int, earlier: Int)? {
        var seen = UniqueIDs(expected: rows.count)
        for row in rows {
            let i = Int(row.index)
            if let earlier = seen.insert(hash: row.hash, index: i, equals: { ids[$0] == ids[i] }) { return (i, earlier) }
        }
        return nil
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
