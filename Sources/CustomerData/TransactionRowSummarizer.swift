import Foundation

/// Summarises transactions that arrive one row at a time instead of from a file (rows streamed from a
/// database, say): every row goes into the same per-customer totals as a file row, and the summary is
/// made by the same step as `TransactionSummarizer`'s, so the same rows give the same numbers.
///
/// Rows are checked as file rows are: a bad date or amount (text amounts read with the same
/// `NumberFormat`), an empty customer id, a date after the observation end (or today, unless
/// `allowFuture`) or a negative amount under `.reject` stops the run with an `InputError` naming the
/// source and row, or, with `skipInvalid`, goes to the rejects file. Ids are NFC-normalised as in files.
/// Memory grows with the number of customers, not rows. Customers are listed in order of their first row.
public final class TransactionRowSummarizer {
    /// A row's date: a day number (typed database columns) or text read with the date pattern.
    public enum DateValue: Sendable {
        case day(Int)
        case text(String)
    }

    /// A row's amount: a number (typed columns), text read as a decimal number, or none (no amount column).
    public enum AmountValue: Sendable {
        case number(Double)
        case text(String)
        case none
    }

    /// Where the rows come from, for messages (e.g. `postgresql://shop@db:5432/sales, table "orders"`).
    public let source: String
    private let columnNames: (customer: String, date: String, amount: String?)
    private let datePattern: DatePattern
    private let numbers: NumberReader
    private let options: SummaryOptions
    private let calibrationEnd: Int32
    private let observationEnd: Int32
    private let partition = RowPartition()
    private var report = RunReport()
    private var rejects: [RejectedRow] = []
    private var minDay = Int32.max
    private var maxDay = Int32.min

    /// `customerColumn`, `dateColumn` and `amountColumn` name the source's columns in messages;
    /// `datePattern` and `numbers` read dates and amounts given as text.
    public init(source: String, customerColumn: String, dateColumn: String, amountColumn: String?,
                datePattern: DatePattern = .iso, numbers: NumberFormat = NumberFormat(), options: SummaryOptions) throws {
        try options.validate()
        try numbers.validate()
        self.numbers = NumberReader(format: numbers, semicolonFile: false)
        self.source = source
        self.columnNames = (customerColumn, dateColumn, amountColumn)
        self.datePattern = datePattern
        self.options = options
        calibrationEnd = (options.calibrationEnd ?? options.observationEnd).map { Int32(clamping: $0.dayNumber) } ?? Int32.max
        observationEnd = options.latestDay.map { Int32(clamping: $0.day.dayNumber) } ?? Int32.max
    }

    /// Rows given so far.
    public var rowsRead: Int { report.linesRead }

    /// Adds row number `row` (1-based, for messages and the rejects file).
    public func add(row: Int, customerID: String, date: DateValue, amount: AmountValue) throws {
        report.linesRead += 1
        do {
            let (day, value) = try check(customerID: customerID, date: date, amount: amount)
            apply(customerID, row: row, day: day, amount: value)
        } catch var error as InputError {
            guard options.skipInvalid else {
                error.file = "\(source), row \(row)"
                throw error
            }
            rejects.append(RejectedRow(line: row, reason: error.description, text: rowText(customerID, date, amount)))
            report.rejected += 1
        }
    }

    /// Writes the rejects file (with `skipInvalid`) and makes the summary, as `TransactionSummarizer` does for a file.
    public func finish() throws -> SummaryRun {
        if report.linesRead == 0 {
            throw InputError(kind: .emptyFile, file: source, problem: "there are no rows",
                             remedy: "check the table or query, and that the data was loaded")
        }
        if let rejectsFile = options.rejectsFile, options.skipInvalid {
            try TransactionSummarizer.writeRejects(rejects, to: rejectsFile)
        }
        return try TransactionSummarizer.finish([partition], firstDay: minDay, lastDay: maxDay, report: report,
                                                path: source, options: options)
    }

    // MARK: - Steps

    private func check(customerID: String, date: DateValue, amount: AmountValue) throws -> (Int32, Double) {
        guard !customerID.isEmpty else {
            throw invalid(.emptyCustomerID, columnNames.customer, nil, "the customer id is empty", "give every row a customer id")
        }
        let day: Int
        switch date {
        case .day(let d):
            day = d
        case .text(let text):
            var copy = text
            guard let d = copy.withUTF8({ buffer in buffer.baseAddress.flatMap { datePattern.dayNumber($0, buffer.count) } }) else {
                throw invalid(.badDate, columnNames.date, text, "not a valid date for pattern \(datePattern.pattern)",
                              "write dates as \(datePattern.pattern) (e.g. \(datePattern.example)) or give the right date format")
            }
            day = d
        }
        guard day > Int(Int32.min), day < Int(Int32.max) else {
            throw invalid(.badDate, columnNames.date, String(day), "the date is out of range", "check the date column")
        }
        var value = 0.0
        switch amount {
        case .none: break
        case .number(let x): value = x
        case .text(let text):
            var copy = text
            guard let x = copy.withUTF8({ buffer in buffer.baseAddress.flatMap { numbers.parse($0, buffer.count) } }) else {
                let why = numbers.problem(text)
                throw invalid(why.problem.hasPrefix("ambiguous") ? .ambiguousNumber : .badAmount, columnNames.amount ?? "amount",
                              text, why.problem, why.remedy)
            }
            value = x
        }
        if case .number = amount, !value.isFinite {
            throw invalid(.badAmount, columnNames.amount ?? "amount", String(value), "not a finite number", "check the amount column")
        }
        if value < 0 && options.negativeAmounts == .reject {
            throw invalid(.negativeAmount, columnNames.amount ?? "amount", String(value),
                          "negative amount, and negative amounts are set to be rejected",
                          "remove returns from the input, or net them into their day's total with the negative-amounts policy 'net'")
        }
        if Int32(day) > observationEnd {
            throw invalid(.afterObservationEnd, columnNames.date, CalendarDay(dayNumber: day).description,
                          "the date is after \(options.latestDay?.text ?? "")",
                          options.observationEnd == nil
                            ? "correct the dates, give the period with --observation-end, accept future dates with --allow-future, filter the rows out in the query, or set such rows aside with --skip-invalid --rejects FILE"
                            : "choose a later --observation-end, filter the rows out in the query, or set such rows aside with --skip-invalid --rejects FILE")
        }
        return (Int32(day), value)
    }

    private func apply(_ customerID: String, row: Int, day: Int32, amount: Double) {
        if day < minDay { minDay = day }
        if day > maxDay { maxDay = day }
        report.transactionsUsed += 1
        var id = normalizedID(customerID)
        id.withUTF8 { buffer in
            let key = CustomerKey(buffer.baseAddress!, buffer.count)
            partition.apply(key, row: row, day: day, amount: amount, calibrationEnd: calibrationEnd)
        }
    }

    private func invalid(_ kind: InputError.Kind, _ column: String, _ value: String?, _ problem: String, _ remedy: String) -> InputError {
        var shown = value
        if let v = value, v.count > 80 { shown = String(v.prefix(80)) + "..." }
        return InputError(kind: kind, columnName: column, value: shown, problem: problem, remedy: remedy)
    }

    private func rowText(_ customerID: String, _ date: DateValue, _ amount: AmountValue) -> String {
        var fields = [customerID]
        switch date {
        case .day(let d): fields.append(CalendarDay(dayNumber: d).description)
        case .text(let t): fields.append(t)
        }
        switch amount {
        case .number(let x): fields.append(x.description)
        case .text(let t): fields.append(t)
        case .none: break
        }
        return fields.map(CSVWriter.quote).joined(separator: ",")
    }
}

/// The customers of a row-by-row summary (one partition: rows arrive in order from one reader).
final class RowPartition: CustomerPartition {
    let customers = CustomerIndex()
    private(set) var firstOffsets: [Int] = []

    func apply(_ key: CustomerKey, row: Int, day: Int32, amount: Double, calibrationEnd: Int32) {
        let (customer, isNew) = customers.intern(key, initial: CustomerAggregate(day: day, amount: amount, calibrationEnd: calibrationEnd))
        if isNew {
            firstOffsets.append(row)
        } else {
            customers.entries[customer].aggregate.add(day: day, amount: amount, calibrationEnd: calibrationEnd)
        }
        customers.addDay(customer, day)
    }
}
