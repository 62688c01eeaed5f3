/// One cell of a CSV row. Text is escaped (RFC 4180 quoting and formula neutralising);
/// numbers are written as numbers (shortest round-trip form), so `-3.5` stays `-3.5`.
public enum CSVCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case empty
}
