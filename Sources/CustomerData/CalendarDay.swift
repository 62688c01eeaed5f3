import Foundation

/// A calendar date stored as a day number (days since 1970-01-01, proleptic Gregorian).
/// Day numbers make "days between purchases" plain integer subtraction; conversion uses
/// Howard Hinnant's days-from-civil algorithm because DateFormatter is far too slow for bulk input.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// A valid date, or nil (e.g. February 30th, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard isValidDate(year: year, month: month, day: day) else { return nil }
        dayNumber = daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses a date such as "1997-09-30" (ISO by default) given on the command line or in options.
    /// Throws `InputError` (kind `.badDate`) naming the option when the text is not a date.
    public init(parsing text: String, pattern: DatePattern = .iso, option: String = "date") throws {
        let bytes = Array(text.utf8)
        let parsed: Int? = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return nil }
            return pattern.dayNumber(base, buf.count)
        }
        guard let day = parsed else {
            throw InputError(kind: .badDate, columnName: option, value: text,
                             problem: "not a valid date for pattern \(pattern.pattern)",
                             remedy: "write the date as \(pattern.pattern), e.g. \(pattern.example)")
        }
        dayNumber = day
    }

    /// (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) { civilFromDays(dayNumber) }

    /// ISO form, yyyy-MM-dd.
    public var description: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.dayNumber < b.dayNumber }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-Compatible Low-Level Date Algorithms").
@inline(__always)
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// Inverse of `daysFromCivil`.
func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

@inline(__always)
func isValidDate(year: Int, month: Int, day: Int) -> Bool {
    guard month >= 1 && month <= 12 && day >= 1 else { return false }
    return day <= daysInMonth(year: year, month: month)
}

@inline(__always)
func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

extension CalendarDay {
    /// The current date in UTC.
    public static var today: CalendarDay {
        CalendarDay(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
