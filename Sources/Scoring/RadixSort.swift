import CustomerData

/// Sorting of finite doubles by most-significant-digit radix sort on order-preserving bit keys: the
/// keys are spread into up to 2,048 buckets by the highest 11 bits in which they differ, then each
/// bucket, small enough now to stay in cache, by its own highest differing bits, down to insertion
/// sort; a bucket of equal keys (ties, such as every customer without revenue) is done at once.
/// O(n), and the million keys cross memory twice instead of the six times of an 11-bit
/// least-significant-digit sort. The same result as the standard library's comparison sort for
/// finite values (−0.0 sorts before +0.0, which compare equal).
enum RadixSort {
    /// Bits of the first digit (2,048 buckets: their counts stay in the first-level cache).
    static let digitBits = 11
    /// Buckets of at most this many keys are insertion-sorted.
    static let insertionBelow = 32

    /// `values` sorted ascending. NaN must have been rejected before.
    static func ascending(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 256 else { return values.sorted() }
        var low = UInt64.max, high = UInt64.min
        var keys: [UInt64] = uninitializedColumn(n) { k in
            values.withUnsafeBufferPointer { v in
                for i in 0..<n { let x = key(v[i]); k[i] = x; low = min(low, x); high = max(high, x) }
            }
        }
        var scratch: [UInt64] = uninitializedColumn(n) { _ in }
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                sort(a.baseAddress!, b.baseAddress!, n, low: low, high: high, resultInFirst: true)
            }
        }
        return keys.map(value)
    }

    /// Sorts the `n` keys at `a` (all in low...high) into `a` when `resultInFirst`, else into `b`;
    /// the other holds the keys in between.
    private static func sort(_ a: UnsafeMutablePointer<UInt64>, _ b: UnsafeMutablePointer<UInt64>, _ n: Int,
                             low: UInt64, high: UInt64, resultInFirst: Bool) {
        if low == high || n <= insertionBelow {
            if low != high { insertionSort(a, n) }
            if !resultInFirst { b.update(from: a, count: n) }
            return
        }
        // The digit: the highest `bits` of the bits in which the keys differ (they share all above).
        let bits = n >= 16_384 ? digitBits : n >= 1_024 ? 8 : 5
        let span = 64 - (low ^ high).leadingZeroBitCount
        let shift = UInt64(max(0, span - bits)), mask = UInt64((1 << bits) - 1)
        let radix = 1 << bits
        withUnsafeTemporaryAllocation(of: Int.self, capacity: radix + 1) { next in
            let next = next.baseAddress!
            next.initialize(repeating: 0, count: radix + 1)
            for i in 0..<n { next[Int((a[i] &>> shift) & mask) &+ 1] &+= 1 }
            for d in 0..<radix { next[d + 1] &+= next[d] }   // next[d]: where bucket d starts
            // Scatter into b; afterwards next[d] is where bucket d ends.
            for i in 0..<n {
                let k = a[i], d = Int((k &>> shift) & mask)
                b[next[d]] = k
                next[d] &+= 1
            }
            var start = 0
            for d in 0..<radix where next[d] > start {
                let count = next[d] - start
                var l = b[start], h = l
                for i in start..<(start + count) { l = min(l, b[i]); h = max(h, b[i]) }
                sort(b + start, a + start, count, low: l, high: h, resultInFirst: !resultInFirst)
                start = next[d]
            }
        }
    }

    private static func insertionSort(_ a: UnsafeMutablePointer<UInt64>, _ n: Int) {
        guard n > 1 else { return }
        for i in 1..<n {
            let k = a[i]
            var j = i
            while j > 0 && a[j - 1] > k { a[j] = a[j - 1]; j -= 1 }
            a[j] = k
        }
    }

    /// Unsigned key with the same order as the double: flip all bits of negatives, the sign bit
    /// of the others.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    static func value(_ k: UInt64) -> Double {
        Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k)
    }
}
