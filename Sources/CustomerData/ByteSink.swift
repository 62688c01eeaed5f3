import CNumberFormat
import Foundation

/// A growing line of output bytes that numbers can be written into directly: `x.write(to: &sink)`
/// hands the digits over as ASCII bytes, without the String that `x.description` would allocate.
/// The bytes live in memory of its own (`ByteStorage`), so an append touches a pointer and two
/// integers held in the struct; an array checked its uniqueness and capacity through its header on
/// every append (a fifth of the CPU time of a 1M-row score export). Pass it `inout`; a copy would
/// share the memory and must not be written to.
struct ByteSink: TextOutputStream {
    private let storage = ByteStorage()
    private var base: UnsafeMutablePointer<UInt8>?
    private(set) var count = 0
    private var capacity = 0

    /// The bytes written so far (valid until the next append).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base.unsafelyUnwrapped[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, buffer.count > 0 else { return }
        if count + buffer.count > capacity { grow(to: count + buffer.count) }
        (base.unsafelyUnwrapped + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    /// Appends the first `count` (<= 16) bytes of a 16-byte slot, by one fixed-size copy.
    @inline(__always)
    mutating func appendSlot(_ slot: UnsafePointer<UInt8>, count length: Int) {
        if capacity - count < 16 { grow(to: count + 16) }
        UnsafeMutableRawPointer(base.unsafelyUnwrapped + count).copyMemory(from: slot, byteCount: 16)
        count += length
    }

    mutating func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for byte in bytes { append(byte) }
        }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        capacity = Swift.max(needed, capacity * 2, 256)
        guard let grown = realloc(base, capacity) else { fatalError("out of memory growing an output buffer to \(capacity) bytes") }
        base = grown.assumingMemoryBound(to: UInt8.self)
        storage.base = base
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// The standard library's number printing calls this with its digit buffer.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        append(buffer)
    }

    /// Appends `value` as `value.description` spells it (the shortest decimal that reads back as
    /// the same double), straight into the sink: 1e-4 <= |value| < 2^53 and zero by
    /// `klant_format_double` (about half the standard library's time here), the rest by the standard library.
    @inline(__always)
    mutating func appendNumber(_ value: Double) {
        if capacity - count < 40 { grow(to: count + 40) }
        let written = Int(klant_format_double(value, base.unsafelyUnwrapped + count))
        if written > 0 { count += written } else { value.write(to: &self) }
    }

    /// Appends the decimal digits of `value` (with a minus sign), as `String(value)` spells them.
    mutating func appendInteger(_ value: Int) {
        if value < 0 { append(45) }
        var magnitude = value.magnitude
        guard magnitude >= 10 else { append(48 + UInt8(magnitude)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in   // filled from the end
            var position = digits.count
            while magnitude > 0 {
                position -= 1
                digits[position] = 48 + UInt8(magnitude % 10)
                magnitude /= 10
            }
            append(UnsafeBufferPointer(UnsafeMutableBufferPointer(rebasing: digits[position...])))
        }
    }

    /// Appends `text` as it is when CSV needs neither quoting nor formula neutralising for it
    /// (see `CSVWriter.escape`); returns false, appending nothing, otherwise.
    mutating func appendIfPlain(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            if let first = utf8.first {
                // ' = + - @ tab CR and space at the start, space at the end: leave them to CSVWriter.
                if first == 39 || first == 61 || first == 43 || first == 45 || first == 64 || first == 9 || first == 13 || first == 32
                    || utf8[utf8.count - 1] == 32 { return false }
                for c in utf8 where c == 44 || c == 34 || c == 10 || c == 13 { return false }
            }
            append(utf8)
            return true
        }
    }
}

/// The memory of a `ByteSink`, freed with the last sink that refers to it.
final class ByteStorage {
    var base: UnsafeMutablePointer<UInt8>?
    deinit { free(base) }
}
