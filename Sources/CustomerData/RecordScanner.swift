/// Where one field's bytes are: in the input, or (for quoted fields with doubled quotes) in a scratch buffer.
struct FieldSpan {
    var start: Int
    var count: Int
    var inScratch: Bool
}

/// Splits raw bytes into records and fields without making Strings.
///
/// Delimited mode follows RFC 4180: a field starting with `"` is quoted, may contain the delimiter,
/// newlines and doubled quotes (`""` means `"`); a quote inside an unquoted field is a plain character.
/// Spaces around unquoted fields are trimmed; a CR before LF is dropped.
/// Whitespace mode splits on runs of spaces and tabs and has no quoting.
final class RecordScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    /// nil = whitespace mode.
    let delimiter: UInt8?
    private(set) var position: Int
    /// The current record's fields (valid until the next call to `next`).
    var fields: UnsafeBufferPointer<FieldSpan> { UnsafeBufferPointer(start: fieldStorage, count: fieldCount) }
    private var fieldStorage: UnsafeMutablePointer<FieldSpan>
    private var fieldCapacity = 16
    private var fieldCount = 0
    private(set) var scratch: [UInt8] = []
    /// Bytes of the current record, without its line terminator.
    private(set) var recordStart = 0
    private(set) var recordEnd = 0
    /// Newlines consumed by the current record (its terminator and any inside quoted fields).
    private(set) var newlines = 0

    init(base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8?) {
        self.base = base
        self.position = start
        self.end = end
        self.delimiter = delimiter
        fieldStorage = .allocate(capacity: fieldCapacity)
    }

    deinit { fieldStorage.deallocate() }

    @inline(__always)
    private func appendField(_ span: FieldSpan) {
        if fieldCount == fieldCapacity {
            let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: fieldCapacity * 2)
            bigger.update(from: fieldStorage, count: fieldCount)
            fieldStorage.deallocate()
            fieldStorage = bigger
            fieldCapacity *= 2
        }
        fieldStorage[fieldCount] = span
        fieldCount += 1
    }

    /// Reads the next record; false when the region is used up. Throws `InputError` (kind `.badQuote`)
    /// with the column number for an unterminated quote or text after a closing quote.
    @inline(__always)
    func next() throws -> Bool {
        guard position < end else { return false }
        fieldCount = 0
        if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
        newlines = 0
        recordStart = position
        if let delimiter {
            try scanDelimited(delimiter)
        } else {
            scanWhitespace()
        }
        return true
    }

    /// True for an empty or all-space line.
    var isBlank: Bool {
        if fields.isEmpty { return true }
        guard fields.count == 1, fields[0].count == 0 else { return false }
        for i in recordStart..<recordEnd where base[i] == UInt8(ascii: "\"") { return false }
        return true
    }

    /// Calls `body` with the bytes of field `i`.
    @inline(__always)
    func withField<R>(_ i: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let f = fieldStorage[i]
        if f.inScratch {
            return scratch.withUnsafeBufferPointer { body($0.baseAddress! + f.start, f.count) }
        }
        return body(base + f.start, f.count)
    }

    /// Calls `body` with the bytes of field `i` and how many bytes can be read from its start (the
    /// field and what follows it in this scanner's region): a parser may load 8 bytes at once when
    /// that is at least 8.
    @inline(__always)
    func withFieldBytes<R>(_ i: Int, _ body: (UnsafePointer<UInt8>, Int, Int) -> R) -> R {
        let f = fieldStorage[i]
        if f.inScratch {
            return scratch.withUnsafeBufferPointer { body($0.baseAddress! + f.start, f.count, $0.count - f.start) }
        }
        return body(base + f.start, f.count, end - f.start)
    }

    /// Field `i` as a String (for headers, error messages and small files).
    func string(_ i: Int) -> String {
        withField(i) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
    }

    /// The record's original text (for the rejects file).
    var recordText: String {
        String(decoding: UnsafeBufferPointer(start: base + recordStart, count: recordEnd - recordStart), as: UTF8.self)
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }

    private func scanWhitespace() {
        var i = position
        while true {
            while i < end && RecordScanner.isSpace(base[i]) { i += 1 }
            if i >= end { recordEnd = end; position = end; return }
            if base[i] == 10 {
                recordEnd = i
                position = i + 1
                newlines += 1
                return
            }
            let start = i
            while i < end {
                let c = base[i]
                if c == 10 || RecordScanner.isSpace(c) { break }
                i += 1
            }
            appendField(FieldSpan(start: start, count: i - start, inScratch: false))
        }
    }

    @inline(__always)
    private func scanDelimited(_ delimiter: UInt8) throws {
        let quote = UInt8(ascii: "\"")
        var i = position
        while true {
            var s = i
            while s < end && (base[s] == 32 || (base[s] == 9 && delimiter != 9)) { s += 1 }
            if s < end && base[s] == quote {
                i = try scanQuoted(from: s)
                while i < end && (base[i] == 32 || (base[i] == 9 && delimiter != 9)) { i += 1 }
                if i >= end { recordEnd = end; position = end; return }
                let c = base[i]
                if c == delimiter { i += 1; continue }
                if c == 13 && (i + 1 >= end || base[i + 1] == 10) {
                    recordEnd = i
                    position = min(i + 2, end)
                    if i + 1 < end { newlines += 1 }
                    return
                }
                if c == 10 { recordEnd = i; position = i + 1; newlines += 1; return }
                throw InputError(kind: .badQuote, columnNumber: fields.count, value: String(UnicodeScalar(c)),
                                 problem: "text after the closing quote of a quoted field",
                                 remedy: "quote the whole field and double any quote inside it (\"\"), as in RFC 4180")
            }
            let j = findDelimiterOrNewline(from: s, delimiter)
            var e = j
            while e > s && (base[e - 1] == 32 || base[e - 1] == 13 || (base[e - 1] == 9 && delimiter != 9)) { e -= 1 }
            appendField(FieldSpan(start: s, count: e - s, inScratch: false))
            if j >= end { recordEnd = end; position = end; return }
            if base[j] == delimiter { i = j + 1; continue }
            recordEnd = j > recordStart && base[j - 1] == 13 ? j - 1 : j
            position = j + 1
            newlines += 1
            return
        }
    }

    /// Index of the first delimiter or LF at or after `from` (or `end`), 8 bytes at a time
    /// ("has zero byte" bit trick on the bytes XORed with the delimiter and with LF).
    @inline(__always)
    private func findDelimiterOrNewline(from: Int, _ delimiter: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let newlines = ones &* 10
        var j = from
        let raw = UnsafeRawPointer(base)
        while j + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let a = word ^ delimiters, b = word ^ newlines
            let hits = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if hits != 0 { return j + hits.trailingZeroBitCount / 8 }
            j += 8
        }
        while j < end {
            let c = base[j]
            if c == delimiter || c == 10 { return j }
            j += 1
        }
        return end
    }

    /// Scans a quoted field starting at the opening quote; returns the index after the closing quote.
    private func scanQuoted(from open: Int) throws -> Int {
        let quote = UInt8(ascii: "\"")
        var j = open + 1
        var doubled = false
        while true {
            guard j < end else {
                throw InputError(kind: .badQuote, columnNumber: fields.count + 1,
                                 problem: "a quoted field is never closed",
                                 remedy: "close the quote, and double any quote inside a quoted field (\"\"), as in RFC 4180")
            }
            let c = base[j]
            if c == quote {
                if j + 1 < end && base[j + 1] == quote { doubled = true; j += 2; continue }
                break
            }
            if c == 10 { newlines += 1 }
            j += 1
        }
        if doubled {
            let start = scratch.count
            var k = open + 1
            while k < j {
                scratch.append(base[k])
                k += base[k] == quote ? 2 : 1
            }
            appendField(FieldSpan(start: start, count: scratch.count - start, inScratch: true))
        } else {
            appendField(FieldSpan(start: open + 1, count: j - open - 1, inScratch: false))
        }
        return j + 1
    }
}
