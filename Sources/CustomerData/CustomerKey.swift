/// A customer id ready for lookup: ids up to 24 bytes are packed into three words (zero padded), longer
/// ids are compared through their bytes. Holds a pointer to the bytes only while they are valid.
struct CustomerKey {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0
    var length: Int
    var bytes: UnsafePointer<UInt8>
    var hash: UInt64

    static let inlineLimit = 24

    @inline(__always)
    init(_ p: UnsafePointer<UInt8>, _ n: Int) {
        length = n
        bytes = p
        if n <= CustomerKey.inlineLimit {
            w0 = CustomerKey.word(p, n, 0)
            w1 = n > 8 ? CustomerKey.word(p, n, 8) : 0
            w2 = n > 16 ? CustomerKey.word(p, n, 16) : 0
            var h = (w0 ^ UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 31) ^ w1) &* 0x94D0_49BB_1331_11EB
            h = (h ^ (h >> 29) ^ w2) &* 0xBF58_476D_1CE4_E5B9
            hash = h ^ (h >> 32)
        } else {
            hash = hashBytes(p, n)
        }
    }

    /// Up to 8 bytes from offset `at`, little-endian, zero padded past the end.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ n: Int, _ at: Int) -> UInt64 {
        if at + 8 <= n { return UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var shift: UInt64 = 0
        var i = at
        while i < n {
            w |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        return w
    }

    var isInline: Bool { length <= CustomerKey.inlineLimit }
}
