/// How numbers are written in a table: decimal mark, thousands separator, currency symbols.
///
/// The default reads plain numbers (`12.50`, `-3`, `1e3`) and refuses what a European export would
/// mean differently: `12,50` (a decimal comma) and, in `;`-separated files, `1.234` (a thousands
/// point), each with a message naming the option that reads it. Nothing is ever guessed silently.
public struct NumberFormat: Sendable, Equatable {
    public enum DecimalMark: String, Sendable, Equatable {
        /// `.`, but amounts that only a decimal comma or thousands point would explain are errors.
        case auto
        /// `.`, stated explicitly (`1.234` is one point two three four, also in `;` files).
        case point
        /// `,` (`12,50`); a `.` is then only allowed as the thousands separator.
        case comma
    }

    public var decimalMark: DecimalMark
    /// Bytes of the thousands separator (`.`, `,`, `'`, a space; nil: none allowed). Groups must have 3 digits.
    public var thousandsSeparator: [UInt8]?
    /// Currency symbols or codes stripped before or after the number (`€`, `EUR`, `$`), with spaces.
    public var currencySymbols: [[UInt8]]

    public init(decimalMark: DecimalMark = .auto, thousandsSeparator: String? = nil, currencySymbols: [String] = []) {
        self.decimalMark = decimalMark
        self.thousandsSeparator = thousandsSeparator.map { Array($0.utf8) }
        self.currencySymbols = currencySymbols.map { Array($0.utf8) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// True when numbers are read by the plain fast path (no conversion needed).
    var isPlain: Bool { decimalMark != .comma && thousandsSeparator == nil && currencySymbols.isEmpty }

    /// Parses a command-line thousands separator: `.`, `,`, `'`, `space` (also no-break spaces) or `none`.
    public static func thousandsSeparator(parsing text: String) throws -> String? {
        switch text.lowercased() {
        case ".", "point", "dot": return "."
        case ",", "comma": return ","
        case "'", "apostrophe": return "'"
        case " ", "space": return " "
        case "none", "": return nil
        default:
            throw InputError(kind: .badOption, columnName: "thousands separator", value: text, problem: "unknown thousands separator",
                             remedy: "use . (as in 1.234,50), comma (1,234.50), ' (1'234.50), space or none")
        }
    }

    /// Checks that the marks do not contradict each other.
    public func validate() throws {
        let sep = thousandsSeparator.map { String(decoding: $0, as: UTF8.self) }
        if (decimalMark == .comma && sep == ",") || (decimalMark != .comma && sep == ".") {
            throw InputError(kind: .badOption, columnName: "thousands separator", value: sep,
                             problem: "the thousands separator is the same as the decimal mark",
                             remedy: decimalMark == .comma ? "with --decimal-comma use --thousands-separator . (1.234,50)"
                                                           : "a . thousands separator needs --decimal-comma (1.234,50)")
        }
    }
}

/// Reads numbers in a `NumberFormat` from raw bytes; `semicolonFile` turns on the `1.234` check of the
/// auto decimal mark (the file is most likely a European export).
struct NumberReader {
    let format: NumberFormat
    let checkThousandsPoint: Bool
    private let plain: Bool

    init(format: NumberFormat, semicolonFile: Bool) {
        self.format = format
        checkThousandsPoint = semicolonFile && format.decimalMark == .auto
        plain = format.isPlain && !checkThousandsPoint
    }

    /// The number in `n` bytes at `p`, or nil if it is not one in this format (see `problem` for why).
    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        if plain { return parseDecimal(p, n) }
        if format.isPlain {
            guard let v = parseDecimal(p, n) else { return nil }
            return looksLikeThousandsPoint(p, n) ? nil : v
        }
        return parseFormatted(p, n)
    }

    /// As `parse`, when `readable` bytes (at least the field's) can be read at `p`: with 8 or more, a
    /// plain number of at most 8 bytes is read from one load (`parseShortDecimal`), same value.
    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> Double? {
        if plain, n <= 8, readable >= 8, let v = parseShortDecimal(p, n) { return v }
        return parse(p, n)
    }

    /// `1.234`, `-12.500`: 1-3 integer digits (not starting with 0), a point, then exactly 3 digits.
    @inline(__always)
    private func looksLikeThousandsPoint(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 5, p[n - 4] == 46 else { return false }
        let signed = p[0] == 45 || p[0] == 43 ? 1 : 0
        let integerDigits = n - 4 - signed
        guard integerDigits >= 1, integerDigits <= 3, p[signed] != 48 else { return false }
        for k in signed..<(n - 4) where p[k] &- 48 >= 10 { return false }
        for k in (n - 3)..<n where p[k] &- 48 >= 10 { return false }
        return true
    }

    private func parseFormatted(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n > 0, n <= 96 else { return n > 96 && format.isPlain ? parseDecimal(p, n) : nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 100) { buffer -> Double? in
            var out = 0
            var start = 0, end = n
            func trimSpaces() {
                while start < end && (p[start] == 32 || p[start] == 9) { start += 1 }
                while end > start && (p[end - 1] == 32 || p[end - 1] == 9) { end -= 1 }
            }
            if !format.currencySymbols.isEmpty {
                trimSpaces()
                if start < end && (p[start] == 45 || p[start] == 43) { buffer[out] = p[start]; out += 1; start += 1; trimSpaces() }
                for symbol in format.currencySymbols where matches(p, start, end, symbol, atStart: true) { start += symbol.count; break }
                for symbol in format.currencySymbols where matches(p, start, end, symbol, atStart: false) { end -= symbol.count; break }
                trimSpaces()
                if out == 0 && start < end && (p[start] == 45 || p[start] == 43) { buffer[out] = p[start]; out += 1; start += 1 }
            }
            let decimal: UInt8 = format.decimalMark == .comma ? 44 : 46
            let thousands = format.thousandsSeparator
            var integerDigits = 0, groupDigits = -1, seenDecimal = false, fractionDigits = 0, seenDot = false
            var leadingZero = false
            var i = start
            if i < end && (p[i] == 45 || p[i] == 43) && out == 0 { buffer[out] = p[i]; out += 1; i += 1 }
            while i < end {
                let c = p[i]
                if c &- 48 < 10 {
                    buffer[out] = c; out += 1
                    if seenDecimal { fractionDigits += 1 } else {
                        if integerDigits == 0 { leadingZero = c == 48 }
                        integerDigits += 1
                        if groupDigits >= 0 { groupDigits += 1 }
                    }
                    i += 1
                } else if let t = thousands, !seenDecimal, matches(p, i, end, t, atStart: true) {
                    // Groups after the first must have exactly 3 digits.
                    if integerDigits == 0 || (groupDigits >= 0 && groupDigits != 3) || (groupDigits < 0 && integerDigits > 3) { return nil }
                    groupDigits = 0
                    i += t.count
                } else if c == decimal && !seenDecimal {
                    if groupDigits >= 0 && groupDigits != 3 { return nil }
                    seenDecimal = true
                    seenDot = c == 46
                    buffer[out] = 46; out += 1
                    i += 1
                } else if (c == 101 || c == 69) && thousands == nil && format.decimalMark != .comma {
                    // An exponent (1e3): leave it to the plain parser.
                    while i < end { buffer[out] = p[i]; out += 1; i += 1 }
                    break
                } else {
                    return nil
                }
            }
            if groupDigits >= 0 && !seenDecimal && groupDigits != 3 { return nil }
            if checkThousandsPoint && seenDot && fractionDigits == 3 && integerDigits <= 3 && !leadingZero && thousands == nil { return nil }
            return parseDecimal(UnsafePointer(buffer.baseAddress!), out)
        }
    }

    @inline(__always)
    private func matches(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ s: [UInt8], atStart: Bool) -> Bool {
        guard end - start >= s.count else { return false }
        let at = atStart ? start : end - s.count
        for k in 0..<s.count where p[at + k] != s[k] { return false }
        return true
    }

    /// Why `text` is not a number in this format, and the option that would read it.
    func problem(_ text: String) -> (problem: String, remedy: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digitsAndMarks = t.unicodeScalars.allSatisfy { "0123456789.,-+ '".unicodeScalars.contains($0) || $0 == "\u{A0}" }
        let hasDigit = t.unicodeScalars.contains { CharacterSet.decimalDigits.contains($0) }
        if hasDigit && !digitsAndMarks && t.unicodeScalars.contains(where: { CharacterSet.letters.contains($0) || CharacterSet.symbols.contains($0) || $0 == "€" }) {
            let symbol = String(t.unicodeScalars.filter { !"0123456789.,-+ '".unicodeScalars.contains($0) })
            return ("not a number (it has a currency symbol or letters)",
                    "strip the symbol with --currency '\(symbol.trimmingCharacters(in: .whitespaces))' (and give --decimal-comma if amounts are written 12,50)")
        }
        let comma = t.contains(","), dot = t.contains(".")
        switch format.decimalMark {
        case .auto:
            if comma {
                return ("not a number: a comma is only read as a decimal mark (12,50) or thousands separator (1,234) when asked",
                        "if amounts are written like 12,50 give --decimal-comma (and --thousands-separator . for 1.234,50); if 1,234 means one thousand two hundred thirty-four give --thousands-separator ,")
            }
            if dot && checkThousandsPoint {
                return ("ambiguous in a ;-separated export: 1.234 is one thousand two hundred thirty-four in a Dutch or German export, or 1.234 with a decimal point",
                        "give --decimal-comma (with --thousands-separator . if amounts are written 1.234,50), or --decimal-point if the point is the decimal mark")
            }
        case .point:
            if comma { return ("not a number: the decimal mark is set to a point", "give --decimal-comma if amounts are written 12,50, or --thousands-separator , for 1,234.50") }
        case .comma:
            if dot && format.thousandsSeparator == nil {
                return ("not a number: with --decimal-comma a point is only allowed as the thousands separator",
                        "add --thousands-separator . if amounts are written 1.234,50, or drop --decimal-comma if the point is the decimal mark")
            }
        }
        if format.thousandsSeparator != nil && (comma || dot || t.contains(" ") || t.contains("'")) {
            return ("not a number in this format: thousands groups must have 3 digits and come before the decimal mark",
                    "check --thousands-separator and --decimal-comma against how the file writes amounts")
        }
        return ("not a number", "write plain numbers such as 12.50 or -3, or describe the format with --decimal-comma, --thousands-separator and --currency")
    }
}

import Foundation
