/// 64-bit FNV-1a, byte by byte (http://www.isthe.com/chongo/tech/comp/fnv/).
public struct FNV1a {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}

    public mutating func add(_ word: UInt64) {
        var w = word
        for _ in 0..<8 {
            value ^= w & 0xff
            value = value &* 0x0000_0100_0000_01b3
            w >>= 8
        }
    }

    public mutating func add<S: Sequence>(bytes: S) where S.Element == UInt8 {
        // Contiguous bytes (arrays, native strings' UTF-8) are hashed without the iterator's per-byte overhead.
        var h = value
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            for b in buffer {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
        if contiguous != nil { value = h; return }
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
