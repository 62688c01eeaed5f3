/// Sorting of finite doubles by least-significant-digit radix sort on order-preserving bit keys
/// (6 passes of 11 bits, skipping passes where all keys share the digit): O(n), several times
/// faster than the standard library's comparison sort on a million customers, and the same result
/// for finite values (−0.0 sorts before +0.0, which compare equal).
enum RadixSort {
    static let digitBits = 11
    static let radix = 1 << digitBits
    static let passes = (64 + digitBits - 1) / digitBits

    /// `values` sorted ascending. NaN must have been rejected before.
    static func ascending(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 256 else { return values.sorted() }
        var keys = values.map(key)
        var scratch = [UInt64](repeating: 0, count: n)
        let mask = UInt64(radix - 1)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: passes * radix)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: passes * radix)
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                for i in 0..<n {
                    let k = a[i]
                    for pass in 0..<passes { counts[pass &* radix &+ Int((k &>> UInt64(pass &* digitBits)) & mask)] &+= 1 }
                }
                var source = a.baseAddress!, target = b.baseAddress!
                for pass in 0..<passes {
                    let histogram = counts + pass * radix
                    let shift = UInt64(pass * digitBits)
                    // All keys share this digit: the pass would not move anything.
                    if histogram[Int((source[0] &>> shift) & mask)] == n { continue }
                    var running = 0
                    for d in 0..<radix { let c = histogram[d]; histogram[d] = running; running &+= c }
                    for i in 0..<n {
                        let k = source[i]
                        let d = Int((k &>> shift) & mask)
                        target[histogram[d]] = k
                        histogram[d] &+= 1
                    }
                    swap(&source, &target)
                }
                if source != a.baseAddress! { a.baseAddress!.update(from: source, count: n) }
            }
        }
        return keys.map(value)
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
