extension TimeUnit {
    /// Parses a unit name from the command line ("day", "days", "D", "week", "W", "month", "M", "year", "Y").
    /// Throws `InputError` (kind `.unknownTimeUnit`) listing the valid names.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "day", "days", "d": self = .day
        case "week", "weeks", "w": self = .week
        case "month", "months", "m": self = .month
        case "year", "years", "y": self = .year
        default:
            throw InputError(kind: .unknownTimeUnit, columnName: "time unit", value: text,
                             problem: "unknown time unit",
                             remedy: "use one of: day, week, month (365.25/12 days), year (365.25 days)")
        }
    }
}
