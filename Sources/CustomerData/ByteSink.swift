/// A growing line of output bytes that numbers can be written into directly: `x.write(to: &sink)`
/// hands the digits over as ASCII bytes, without the String that `x.description` would allocate.
struct ByteSink: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// The standard library's number printing calls this with its digit buffer.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends the decimal digits of `value` (with a minus sign), as `String(value)` spells them.
    mutating func appendInteger(_ value: Int) {
        if value < 0 { bytes.append(45) }
        var magnitude = value.magnitude
        guard magnitude >= 10 else { bytes.append(48 + UInt8(magnitude)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // room for 20 digits, filled from the end
        withUnsafeMutableBytes(of: &digits) { buffer in
            var position = buffer.count
            while magnitude > 0 {
                position -= 1
                buffer[position] = 48 + UInt8(magnitude % 10)
                magnitude /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
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
            bytes.append(contentsOf: utf8)
            return true
        }
    }
}
