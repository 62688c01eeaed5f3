import Foundation

/// A problem with the input (a file, a row, a value or an option) that the user can fix.
/// The message names the file, line, column (name and 1-based number), the offending value,
/// what was wrong and what to do. The CLI maps it to exit code 2.
public struct InputError: Error, LocalizedError, CustomStringConvertible, Equatable, Sendable {
    /// What kind of problem; tests and callers switch on this rather than on the message.
    public enum Kind: String, Sendable {
        case badDate, badAmount, negativeAmount, emptyCustomerID
        case missingColumn, duplicateHeader, raggedRow, badQuote
        case emptyFile, headerOnly, noValidRows
        case afterObservationEnd, calibrationAfterObservation
        case unknownTimeUnit, badOption, rejectsPathRequired
        case unreadableFile, badSummaryValue, duplicateCustomer
        case outputIsInput, binaryFile, badEncoding, ambiguousNumber
    }

    public var kind: Kind
    public var file: String?
    public var line: Int?
    public var columnName: String?
    public var columnNumber: Int?
    public var value: String?
    /// What was wrong.
    public var problem: String
    /// What to do about it.
    public var remedy: String

    public init(kind: Kind, file: String? = nil, line: Int? = nil, columnName: String? = nil,
                columnNumber: Int? = nil, value: String? = nil, problem: String, remedy: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.columnName = columnName
        self.columnNumber = columnNumber
        self.value = value
        self.problem = problem
        self.remedy = remedy
    }

    /// e.g. `tx.csv:12: column "date" (2): value "1997-13-01": not a valid date for pattern yyyy-MM-dd. Fix ...`
    public var description: String {
        var where_: [String] = []
        if let file { where_.append(line.map { "\(file):\($0)" } ?? file) }
        else if let line { where_.append("line \(line)") }
        if let columnName {
            where_.append(columnNumber.map { "column \"\(columnName)\" (\($0))" } ?? "\"\(columnName)\"")
        } else if let columnNumber {
            where_.append("column \(columnNumber)")
        }
        if let value { where_.append("value \"\(value)\"") }
        let prefix = where_.isEmpty ? "" : where_.joined(separator: ": ") + ": "
        return "\(prefix)\(problem). \(remedy)"
    }

    public var errorDescription: String? { description }

    /// A copy located in `file` at `line` (parsers fill these in as the error travels up).
    func located(file: String?, line: Int?) -> InputError {
        var e = self
        if e.file == nil { e.file = file }
        if e.line == nil { e.line = line }
        return e
    }
}
