/// A few order statistics of finite doubles without sorting them all (quantile thresholds and bin
/// cuts need 1 to 9 of a million values): a most-significant-digit radix select on the
/// order-preserving keys of `RadixSort`, 16 bits per level. Each level counts the keys' digit,
/// keeps only the keys in the buckets that hold a wanted position, and goes on with those, so a
/// million values cost about two passes instead of a sort's eight. Same values as sorting.
enum OrderStatistics {
    static let digitBits = 16
    /// Below this many keys, sorting them is cheaper than another level.
    static let sortBelow = 8_192

    /// The values at the 0-based `positions` of `values` sorted ascending (positions in 0..<count).
    static func values(_ values: [Double], atSortedPositions positions: [Int]) -> [Double] {
        precondition(positions.allSatisfy { values.indices.contains($0) })
        if values.count < sortBelow {
            let sorted = RadixSort.ascending(values)
            return positions.map { sorted[$0] }
        }
        return select(count: values.count, key: { RadixSort.key(values[$0]) }, positions: positions, shift: 64 - digitBits)
            .map(RadixSort.value)
    }

    /// The keys at `positions` (ascending order) of the `count` keys `key(0..<count)`, looking at
    /// the digit above `shift` and below; the keys agree on every bit above `shift + digitBits`.
    private static func select(count: Int, key: (Int) -> UInt64, positions: [Int], shift: Int) -> [UInt64] {
        let mask = UInt64((1 << digitBits) - 1)
        var histogram = [Int](repeating: 0, count: 1 << digitBits)
        for i in 0..<count { histogram[Int((key(i) >> UInt64(shift)) & mask)] &+= 1 }
        // The bucket of each wanted position, and its position inside the bucket.
        var starts = histogram
        var running = 0
        for d in starts.indices { let c = starts[d]; starts[d] = running; running += c }
        let wanted = positions.map { p -> (bucket: Int, within: Int) in
            var lo = 0, hi = starts.count - 1   // last bucket whose start is <= p
            while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= p { lo = mid } else { hi = mid - 1 } }
            return (lo, p - starts[lo])
        }
        var buckets: [Int] = []
        for w in wanted where !buckets.contains(w.bucket) { buckets.append(w.bucket) }
        var slot = [UInt8](repeating: .max, count: 1 << digitBits)
        for (s, b) in buckets.enumerated() { slot[b] = UInt8(s) }
        var members = buckets.map { b -> [UInt64] in var a = [UInt64](); a.reserveCapacity(histogram[b]); return a }
        var lowest = [UInt64](repeating: .max, count: buckets.count), highest = [UInt64](repeating: 0, count: buckets.count)
        for i in 0..<count {
            let k = key(i)
            let s = slot[Int((k >> UInt64(shift)) & mask)]
            if s != .max {
                let j = Int(s)
                members[j].append(k)
                lowest[j] = min(lowest[j], k)
                highest[j] = max(highest[j], k)
            }
        }
        var found = [UInt64](repeating: 0, count: positions.count)
        for (j, keys) in members.enumerated() {
            let inBucket = wanted.indices.filter { wanted[$0].bucket == buckets[j] }
            let within = inBucket.map { wanted[$0].within }
            let values: [UInt64]
            if lowest[j] == highest[j] {   // a tied group (e.g. every customer without repeat purchases)
                values = within.map { _ in lowest[j] }
            } else if keys.count < sortBelow || shift == 0 {
                let sorted = keys.sorted()
                values = within.map { sorted[$0] }
            } else {
                values = select(count: keys.count, key: { keys[$0] }, positions: within, shift: shift - digitBits)
            }
            for (k, p) in inBucket.enumerated() { found[p] = values[k] }
        }
        return found
    }
}
