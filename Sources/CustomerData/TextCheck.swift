import Foundation

/// Recognises input that is not a text table before any header is parsed, so a compressed or binary file
/// gets "this is a gzip file" or "this looks binary" instead of a confusing header error.
enum TextCheck {
    /// Throws `InputError` (kind `.binaryFile`) if the first 64 KB hold a NUL byte or known binary magic.
    static func requireText(_ base: UnsafePointer<UInt8>, count: Int, path: String) throws {
        if count >= 2 && base[0] == 0x1F && base[1] == 0x8B {
            throw InputError(kind: .binaryFile, file: path, line: 1,
                             problem: "the file is gzip-compressed but its name does not end in .gz",
                             remedy: "rename it to end in .gz (it is then decompressed while reading) or decompress it first (gunzip)")
        }
        let magic: [(bytes: [UInt8], name: String)] = [
            ([0x50, 0x4B, 0x03, 0x04], "a zip archive (or an .xlsx workbook)"), ([0x25, 0x50, 0x44, 0x46], "a PDF"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Excel (.xls) workbook"), ([0x42, 0x5A, 0x68], "bzip2-compressed"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A], "xz-compressed"), ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed"),
            ([0x50, 0x41, 0x52, 0x31], "a Parquet file"), ([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65], "an SQLite database"),
        ]
        for (bytes, name) in magic where count >= bytes.count && bytes.indices.allSatisfy({ base[$0] == bytes[$0] }) {
            throw InputError(kind: .binaryFile, file: path, line: 1, problem: "the file is \(name), not a text table",
                             remedy: "export it as CSV (UTF-8 or Windows-1252 text) and give that file")
        }
        let probe = min(count, 1 << 16)
        var line = 1
        for i in 0..<probe {
            if base[i] == 10 { line += 1 }
            if base[i] == 0 {
                let bom = count >= 2 && ((base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF))
                let alternating = probe >= 4 && ((base[1] == 0 && base[3] == 0 && base[0] != 0 && base[2] != 0)
                    || (base[0] == 0 && base[2] == 0 && base[1] != 0 && base[3] != 0))
                let utf16 = bom || alternating
                throw InputError(kind: .binaryFile, file: path, line: line,
                                 problem: "the file holds a NUL byte at offset \(i): it is binary\(utf16 ? " or UTF-16 text" : ""), not a text table",
                                 remedy: "give a CSV or text export (UTF-8, Windows-1252 or Latin-1); a spreadsheet saved as \"Unicode text\" is UTF-16: save it as \"CSV UTF-8\" instead")
            }
        }
        try requireUTF8(base, count: probe, complete: probe == count, path: path)
    }

    /// Throws `.badEncoding` naming the line of the first byte sequence that is not UTF-8 in the first
    /// `count` bytes (the last, possibly cut, line is left out unless `complete`).
    static func requireUTF8(_ base: UnsafePointer<UInt8>, count: Int, complete: Bool, path: String) throws {
        var end = count
        if !complete { while end > 0 && base[end - 1] != 10 { end -= 1 } }
        guard String(validating: UnsafeBufferPointer(start: base, count: end), as: UTF8.self) == nil else { return }
        var line = 1, lineStart = 0
        for i in 0..<end where base[i] == 10 {
            if String(validating: UnsafeBufferPointer(start: base + lineStart, count: i - lineStart), as: UTF8.self) == nil { break }
            line += 1
            lineStart = i + 1
        }
        var bad = lineStart
        while bad < end && base[bad] < 0x80 { bad += 1 }
        throw InputError(kind: .badEncoding, file: path, line: line, value: bad < end ? String(format: "byte 0x%02X", base[bad]) : nil,
                         problem: "the text is not valid UTF-8",
                         remedy: "give the file's encoding: --encoding windows-1252 (Excel and most Western Windows exports) or --encoding latin-1")
    }
}
