import Foundation

/// A date layout such as `yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy` or `MM/dd/yyyy`, parsed from raw bytes.
/// Tokens: `yyyy` (4 digits), `MM`/`dd` (2 digits), `M`/`d` (1 or 2 digits); anything else is a literal.
/// A time part after the date (`T...` or ` ...`) is ignored, so ISO date-times give their date.
public struct DatePattern: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case year4, month2, day2, month1or2, day1or2
        case literal(UInt8)
    }

    /// The pattern text as given.
    public let pattern: String
    let tokens: [Token]
    let isISO: Bool

    /// ISO 8601 calendar date, `yyyy-MM-dd`.
    public static let iso = try! DatePattern("yyyy-MM-dd")

    /// Compiles a pattern; throws `InputError` (kind `.badOption`) if it lacks a year, month or day.
    /// Letters of time patterns (hours, minutes, seconds, fractions, am/pm), refused with a remedy.
    private static let timeLetters: Set<UInt8> = Set("HhKkmsSa".utf8)

    public init(_ pattern: String) throws {
        var tokens: [Token] = []
        let chars = Array(pattern.utf8)
        var i = 0
        func run(of c: UInt8) -> Int {
            var n = 0
            while i + n < chars.count && chars[i + n] == c { n += 1 }
            return n
        }
        while i < chars.count {
            let c = chars[i]
            let n = run(of: c)
            switch (c, n) {
            case (UInt8(ascii: "y"), 4): tokens.append(.year4)
            case (UInt8(ascii: "M"), 2): tokens.append(.month2)
            case (UInt8(ascii: "M"), 1): tokens.append(.month1or2)
            case (UInt8(ascii: "d"), 2): tokens.append(.day2)
            case (UInt8(ascii: "d"), 1): tokens.append(.day1or2)
            case (UInt8(ascii: "y"), _), (UInt8(ascii: "M"), _), (UInt8(ascii: "d"), _):
                throw InputError(kind: .badOption, columnName: "date format", value: pattern,
                                 problem: "unsupported run '\(String(repeating: Character(UnicodeScalar(c)), count: n))' in date format",
                                 remedy: "use yyyy for the year, MM or M for the month, dd or d for the day, e.g. yyyy-MM-dd, yyyyMMdd, dd/MM/yyyy")
            case _ where Self.timeLetters.contains(c):
                // "yyyy-MM-dd HH:mm" would otherwise read H, m as literal letters and reject every date.
                let datePart = String(decoding: chars[..<i], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " T:"))
                throw InputError(kind: .badOption, columnName: "date format", value: pattern,
                                 problem: "the date format has a time part ('\(Character(UnicodeScalar(c)))'); Klant reads dates only",
                                 remedy: "leave the time out: a time after the date is ignored, e.g. --date-format \(datePart.isEmpty ? "yyyy-MM-dd" : datePart)")
            default:
                for _ in 0..<n { tokens.append(.literal(c)) }
            }
            i += n
        }
        let hasYear = tokens.contains(.year4)
        let hasMonth = tokens.contains(.month2) || tokens.contains(.month1or2)
        let hasDay = tokens.contains(.day2) || tokens.contains(.day1or2)
        guard hasYear && hasMonth && hasDay else {
            throw InputError(kind: .badOption, columnName: "date format", value: pattern,
                             problem: "a date format needs a year (yyyy), a month (MM) and a day (dd)",
                             remedy: "use e.g. yyyy-MM-dd, yyyyMMdd, dd/MM/yyyy or MM/dd/yyyy")
        }
        self.pattern = pattern
        self.tokens = tokens
        self.isISO = tokens == [.year4, .literal(45), .month2, .literal(45), .day2]
    }

    public var description: String { pattern }

    /// An example date in this pattern, for error messages.
    var example: String {
        var s = ""
        for t in tokens {
            switch t {
            case .year4: s += "1997"
            case .month2, .month1or2: s += "09"
            case .day2, .day1or2: s += "30"
            case .literal(let c): s.append(Character(UnicodeScalar(c)))
            }
        }
        return s
    }

    /// Day number of the date in `n` bytes at `p`, or nil if they do not match the pattern or name no real date.
    @inline(__always)
    func dayNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        if isISO { return isoDayNumber(p, n) }
        var i = 0
        var year = -1, month = -1, day = -1
        for token in tokens {
            switch token {
            case .year4:
                guard let v = digits(p, n, &i, min: 4, max: 4) else { return nil }
                year = v
            case .month2:
                guard let v = digits(p, n, &i, min: 2, max: 2) else { return nil }
                month = v
            case .day2:
                guard let v = digits(p, n, &i, min: 2, max: 2) else { return nil }
                day = v
            case .month1or2:
                guard let v = digits(p, n, &i, min: 1, max: 2) else { return nil }
                month = v
            case .day1or2:
                guard let v = digits(p, n, &i, min: 1, max: 2) else { return nil }
                day = v
            case .literal(let c):
                guard i < n && p[i] == c else { return nil }
                i += 1
            }
        }
        guard isTimeSuffix(p, n, i), isValidDate(year: year, month: month, day: day) else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    /// Fast path for yyyy-MM-dd (the common warehouse export format).
    @inline(__always)
    private func isoDayNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        guard n >= 10, p[4] == 45, p[7] == 45 else { return nil }
        @inline(__always) func isDigit(_ k: Int) -> Bool { p[k] &- 48 < 10 }
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k] &- 48) }
        guard isDigit(0), isDigit(1), isDigit(2), isDigit(3), isDigit(5), isDigit(6), isDigit(8), isDigit(9) else { return nil }
        let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)
        let month = d(5) * 10 + d(6)
        let day = d(8) * 10 + d(9)
        guard isTimeSuffix(p, n, 10), isValidDate(year: year, month: month, day: day) else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    /// True at the end of the field or where a time part starts ("T10:00" or " 10:00").
    @inline(__always)
    private func isTimeSuffix(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Bool {
        i == n || (i < n - 1 && (p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: " ")) && p[i + 1] >= 48 && p[i + 1] <= 57)
    }

    @inline(__always)
    private func digits(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, min: Int, max: Int) -> Int? {
        var value = 0, count = 0
        while count < max && i < n && p[i] >= 48 && p[i] <= 57 {
            value = value * 10 + Int(p[i] - 48)
            i += 1
            count += 1
        }
        return count >= min ? value : nil
    }
}
