/// The character encoding of an input table. Everything is parsed as UTF-8; other encodings are
/// converted while reading (one byte is one character in both, so chunks convert independently).
public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8, with or without a byte-order mark (the default).
    case utf8 = "utf-8"
    /// Windows-1252 (Western European Windows and Excel "CSV" exports: € is 0x80).
    case windows1252 = "windows-1252"
    /// ISO 8859-1 (Latin-1): bytes are the code points U+0000-U+00FF.
    case latin1 = "latin-1"

    /// Parses a command-line value: utf-8/utf8, windows-1252/cp1252, latin-1/latin1/iso-8859-1.
    public init(parsing text: String) throws {
        switch text.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "windows-1252", "cp1252", "win1252", "windows1252": self = .windows1252
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        default:
            throw InputError(kind: .badOption, columnName: "encoding", value: text, problem: "unknown encoding",
                             remedy: "use utf-8, windows-1252 or latin-1")
        }
    }

    /// Windows-1252 code points of bytes 0x80-0x9F (the five unassigned bytes map to the C1 controls, as WHATWG does).
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Appends the UTF-8 form of `count` bytes at `p` in this (single-byte) encoding to `out`.
    func appendUTF8(_ p: UnsafePointer<UInt8>, _ count: Int, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + count + count / 8)
        for i in 0..<count {
            let b = p[i]
            if b < 0x80 { out.append(b); continue }
            let scalar = self == .windows1252 && b < 0xA0 ? TextEncoding.windows1252High[Int(b) - 0x80] : UInt32(b)
            if scalar < 0x800 {
                out.append(UInt8(0xC0 | (scalar >> 6)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (scalar >> 12)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
    }
}
