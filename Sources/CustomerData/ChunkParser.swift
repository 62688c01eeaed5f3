import Foundation

/// Everything a chunk parser needs to know about the file layout and the periods, resolved once.
struct ParseConfig {
    let path: String
    let delimiter: UInt8?
    let fieldCount: Int
    let columnNames: [String]
    let customerIndex: Int
    let dateIndex: Int
    let amountIndex: Int?
    let datePattern: DatePattern
    /// Rows on or before this day are calibration rows (Int32.max when the calibration end is the last date).
    let calibrationEnd: Int32
    /// Rows after this day are invalid (Int32.max when the observation end is the last date).
    let observationEnd: Int32
    let observationEndText: String
    let negativeAmounts: NegativeAmountPolicy
    let skipInvalid: Bool
}

/// Parses one byte range of the file (starting and ending at record boundaries) into per-customer
/// totals and a set of (customer, day) pairs. Line numbers are local (1 = first line of the range)
/// until the summariser shifts them by the lines of the ranges before.
final class ChunkParser {
    let file: MappedFile
    let start: Int
    let end: Int
    let config: ParseConfig

    let customers: CustomerTable
    let pairs: DayPairSet
    private(set) var newlines = 0
    private(set) var linesRead = 0
    private(set) var blankLines = 0
    private(set) var transactionsUsed = 0
    private(set) var minDay = Int32.max
    private(set) var maxDay = Int32.min
    private(set) var rejects: [RejectedRow] = []
    /// The first invalid row (fail-fast mode) or a quoting error; its line is local.
    private(set) var error: InputError?

    init(file: MappedFile, start: Int, end: Int, config: ParseConfig) {
        self.file = file
        self.start = start
        self.end = end
        self.config = config
        // Presize for roughly one distinct (customer, day) per 32 bytes; tables grow if needed.
        let expectedRows = max(1 << 12, (end - start) / 32)
        pairs = DayPairSet(expectedCount: expectedRows)
        customers = CustomerTable(expectedCustomers: max(1 << 12, expectedRows / 16))
    }

    /// Parses the whole range, stopping at the first invalid row unless `skipInvalid`.
    func run() {
        guard let base = file.bytes, end > start else { return }
        var scanner = RecordScanner(base: base, start: start, end: end, delimiter: config.delimiter)
        var line = 1
        var released = start
        do {
            while try scanner.next() {
                let recordLine = line
                line += scanner.newlines
                if scanner.isBlank { blankLines += 1; continue }
                linesRead += 1
                if let problem = parseRecord(scanner) {
                    if config.skipInvalid {
                        rejects.append(RejectedRow(line: recordLine, reason: problem.description, text: scanner.recordText))
                    } else {
                        error = problem.located(file: config.path, line: recordLine)
                        break
                    }
                }
                if scanner.position - released > 64 << 20 {
                    file.release(from: released, to: scanner.recordStart)
                    released = scanner.recordStart
                }
            }
        } catch let e as InputError {
            var located = e.located(file: config.path, line: line)
            if let n = located.columnNumber, n >= 1, n <= config.columnNames.count { located.columnName = config.columnNames[n - 1] }
            error = located
        } catch {
            self.error = InputError(kind: .badQuote, file: config.path, line: line, problem: "\(error)", remedy: "fix the row")
        }
        newlines = line - 1
    }

    /// Adds one record to the totals; returns the problem if the record is invalid.
    @inline(__always)
    private func parseRecord(_ scanner: RecordScanner) -> InputError? {
        guard scanner.fields.count == config.fieldCount else {
            return InputError(kind: .raggedRow, columnNumber: nil, value: nil,
                              problem: "the row has \(scanner.fields.count) fields but the \(config.fieldCount == config.columnNames.count ? "header" : "first row") has \(config.fieldCount)",
                              remedy: "give every row the same number of fields (quote fields that contain the delimiter)")
        }
        let parsedDay = scanner.withField(config.dateIndex) { p, n in config.datePattern.dayNumber(p, n) }
        guard let dayNumber = parsedDay, dayNumber >= Int(Int32.min) + 1, dayNumber < Int(Int32.max) else {
            return problem(scanner, config.dateIndex, .badDate, "not a valid date for pattern \(config.datePattern.pattern)",
                           "write dates as \(config.datePattern.pattern) (e.g. \(config.datePattern.example)) or give the right date format")
        }
        let day = Int32(dayNumber)
        var amount = 0.0
        if let amountIndex = config.amountIndex {
            guard let value = scanner.withField(amountIndex, { p, n in parseDecimal(p, n) }) else {
                return problem(scanner, amountIndex, .badAmount, "not a number",
                               "write amounts as plain decimal numbers such as 12.50 or -3 (no currency symbols or thousands separators)")
            }
            if value < 0 && config.negativeAmounts == .reject {
                return problem(scanner, amountIndex, .negativeAmount, "negative amount, and negative amounts are set to be rejected",
                               "remove returns from the input, or net them into their day's total with the negative-amounts policy 'net'")
            }
            amount = value
        }
        if day > config.observationEnd {
            return problem(scanner, config.dateIndex, .afterObservationEnd, "the date is after the observation end \(config.observationEndText)",
                           "choose a later observation end, remove the row, or skip invalid rows with a rejects file")
        }
        let (customer, isNew) = scanner.withField(config.customerIndex) { p, n in n > 0 ? customers.intern(p, n) : (-1, false) }
        if customer < 0 {
            return problem(scanner, config.customerIndex, .emptyCustomerID, "the customer id is empty", "give every row a customer id")
        }
        if isNew {
            customers.aggregates.append(CustomerAggregate(day: day, amount: amount, calibrationEnd: config.calibrationEnd))
        } else {
            customers.aggregates[customer].add(day: day, amount: amount, calibrationEnd: config.calibrationEnd)
        }
        pairs.insert(DayPairSet.key(customer: customer, day: day))
        if day < minDay { minDay = day }
        if day > maxDay { maxDay = day }
        transactionsUsed += 1
        return nil
    }

    private func problem(_ scanner: RecordScanner, _ index: Int, _ kind: InputError.Kind, _ what: String, _ remedy: String) -> InputError {
        var value = scanner.string(index)
        if value.count > 80 { value = String(value.prefix(80)) + "..." }
        return InputError(kind: kind, columnName: config.columnNames[index], columnNumber: index + 1, value: value,
                          problem: what, remedy: remedy)
    }
}
