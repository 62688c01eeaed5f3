import Foundation

/// True if the `n` bytes at `p` are all ASCII (8 bytes at a time); ASCII text is already in NFC.
@inline(__always)
func isASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
    }
    while i < n {
        if p[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

/// The Unicode NFC form (canonical composition) of an id, so that "ü" as one code point and as
/// "u" + combining diaeresis is the same customer. Bytes that are not valid UTF-8 are kept as they are.
public func normalizedID(_ text: String) -> String {
    text.utf8.allSatisfy({ $0 < 0x80 }) ? text : text.precomposedStringWithCanonicalMapping
}

/// A reusable buffer holding the NFC form of one non-ASCII id at a time, for `CustomerKey`.
final class NormalizedID {
    private var storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    private var capacity = 64

    deinit { storage.deallocate() }

    /// The key of the NFC form of the id in `n` bytes at `p` (valid until the next call).
    func key(_ p: UnsafePointer<UInt8>, _ n: Int) -> CustomerKey {
        guard let text = String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) else {
            return CustomerKey(p, n)
        }
        var nfc = text.precomposedStringWithCanonicalMapping
        return nfc.withUTF8 { buffer in
            if buffer.count > capacity {
                storage.deallocate()
                capacity = buffer.count * 2
                storage = .allocate(capacity: capacity)
            }
            storage.update(from: buffer.baseAddress!, count: buffer.count)
            return CustomerKey(UnsafePointer(storage), buffer.count)
        }
    }

    /// True if `bytes` points into this buffer.
    func owns(_ bytes: UnsafePointer<UInt8>) -> Bool {
        bytes >= UnsafePointer(storage) && bytes < UnsafePointer(storage) + capacity
    }
}
