import Foundation

/// Everything a partition parser needs to know about the file layout and the periods, resolved once.
struct ParseConfig {
    let path: String
    let delimiter: UInt8?
    let fieldCount: Int
    /// True when the field count comes from a header (else from the first row).
    let hasHeader: Bool
    let columnNames: [String]
    let customerIndex: Int
    let dateIndex: Int
    let amountIndex: Int?
    let datePattern: DatePattern
    /// Rows on or before this day are calibration rows (Int32.max when the calibration end is the last date).
    let calibrationEnd: Int32
    /// Rows after this day are invalid: the observation end, or today unless future dates are allowed
    /// (Int32.max when neither applies).
    let observationEnd: Int32
    /// How the limit is named in messages, e.g. "the observation end 1998-06-30" or "today (2026-12-01)".
    let observationEndText: String
    let negativeAmounts: NegativeAmountPolicy
    let skipInvalid: Bool
    /// Reads amounts in the file's number format.
    let numbers: NumberReader
    /// Line items: amount = quantity x price.
    let quantityIndex: Int?
    let priceIndex: Int?
    /// Lines of one invoice are one transaction on the invoice's first day; a prefix marks cancellations.
    let invoiceIndex: Int?
    let cancelledPrefix: [UInt8]?
}

/// Parses the data rows of the file for one partition of the customers: every partition reads every
/// row (splitting fields is cheap) but only the rows of its own customers (chosen by id hash) go into its
/// per-customer totals and distinct purchase days. Partitions share no customers, so their
/// results need no merging, and each thread's hash tables stay half the size. Rows that cannot be
/// assigned to a customer (ragged, empty id) belong to partition 0, which also counts lines.
final class PartitionParser {
    /// The bytes being parsed: the whole memory-mapped file, or one chunk of a stream at a time.
    private(set) var file: MappedFile
    private(set) var start: Int
    private(set) var end: Int
    private(set) var firstLine: Int
    /// Offset of `file`'s first byte in the whole input (chunks), for file order.
    private(set) var offsetBase = 0
    /// The line after the last record parsed (where the next chunk starts).
    private(set) var nextLine: Int
    let part: Int
    let parts: Int
    let config: ParseConfig

    let customers: CustomerIndex
    /// Byte offset of each customer's first row, for putting the partitions back in file order.
    private(set) var firstOffsets: [Int] = []
    private(set) var linesRead = 0
    private(set) var blankLines = 0
    private(set) var transactionsUsed = 0
    private(set) var minDay = Int32.max
    private(set) var maxDay = Int32.min
    private(set) var rejects: [RejectedRow] = []
    /// The first invalid row of this partition (fail-fast mode) or a quoting error.
    private(set) var error: InputError?
    /// Rows dated after the observation end (fail-fast mode): counted over the whole file, so the
    /// error can say how many there are, and the first of them.
    private(set) var lateRows = 0
    private(set) var firstLateRow: InputError?

    /// The first day of each invoice of this partition's customers (by hash of the invoice number).
    private(set) var invoiceDays: [UInt64: Int32] = [:]

    /// Part 0 reports its position here (every parser reads the whole file).
    var progress: WorkProgress?

    init(file: MappedFile, start: Int, end: Int, firstLine: Int, part: Int, parts: Int, config: ParseConfig,
         expectedBytes: Int? = nil) {
        self.file = file
        self.start = start
        self.end = end
        self.firstLine = firstLine
        self.nextLine = firstLine
        self.part = part
        self.parts = parts
        self.config = config
        // Presize for roughly one row per 32 bytes and 16 rows per customer; the table grows if needed.
        let expectedRows = max(1 << 12, (expectedBytes ?? (end - start)) / 32 / parts)
        customers = CustomerIndex(expectedCustomers: max(1 << 12, expectedRows / 16))
    }

    /// A valid row waiting in the current batch.
    struct BatchRow {
        var offset: Int
        var key: CustomerKey
        var day: Int32
        var amount: Double
    }

    /// Rows are applied in batches: first every row's hash slot is loaded, then every entry, then the rows
    /// are applied, so the cache misses of a batch overlap instead of following one another.
    static let batchSize = 32
    private var batch: UnsafeMutablePointer<BatchRow> = .allocate(capacity: PartitionParser.batchSize)
    private var batchCount = 0
    /// Keeps the prefetch loads from being optimised away.
    private(set) var sink: UInt64 = 0

    deinit {
        batch.deallocate()
    }

    /// Parses the next chunk of a stream: `file` from `start`, its first byte at `offset` in the input.
    func run(chunk: MappedFile, start: Int, offset: Int) {
        file = chunk
        self.start = start
        end = chunk.count
        offsetBase = offset
        firstLine = nextLine
        run()
    }

    /// Parses the whole range, stopping at the first invalid row unless `skipInvalid`.
    func run() {
        guard let base = file.bytes, end > start else { return }
        let scanner = RecordScanner(base: base, start: start, end: end, delimiter: config.delimiter)
        var line = firstLine
        var released = start
        var reported = start
        defer {
            progress?.update(done: end - start, of: end - start)
            nextLine = line
        }
        do {
            while try scanner.next() {
                let recordLine = line
                line += scanner.newlines
                if scanner.isBlank {
                    if part == 0 { blankLines += 1 }
                    continue
                }
                if part == 0 { linesRead += 1 }
                let key = customerKey(scanner)
                guard owns(key) else { continue }
                if let problem = parseRecord(scanner, key) {
                    if problem.kind == .afterObservationEnd && !config.skipInvalid {
                        lateRows += 1
                        if firstLateRow == nil { firstLateRow = problem.located(file: config.path, line: recordLine) }
                    } else if config.skipInvalid {
                        rejects.append(RejectedRow(line: recordLine, reason: problem.description, text: scanner.recordText))
                    } else {
                        error = problem.located(file: config.path, line: recordLine)
                        break
                    }
                }
                if let progress, scanner.position - reported > 4 << 20 {
                    reported = scanner.position
                    progress.update(done: reported - start, of: end - start)
                }
                if scanner.position - released > 64 << 20 {
                    flushBatch()
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
        flushBatch()
    }

    /// The record's customer id, or nil if the record has no usable id (ragged row, empty id).
    /// Non-ASCII ids are NFC-normalised into `normalized` (so "ü" typed composed or decomposed is one customer).
    @inline(__always)
    private func customerKey(_ scanner: RecordScanner) -> CustomerKey? {
        guard scanner.fields.count == config.fieldCount, scanner.fields[config.customerIndex].count > 0 else { return nil }
        return scanner.withField(config.customerIndex) { p, n in
            isASCII(p, n) ? CustomerKey(p, n) : normalized.key(p, n)
        }
    }

    /// NFC forms of non-ASCII ids (valid until the next record).
    private let normalized = NormalizedID()

    /// True if this partition handles the record: its customer's id hash picks the partition;
    /// records without a usable customer id go to partition 0.
    @inline(__always)
    private func owns(_ key: CustomerKey?) -> Bool {
        guard parts > 1 else { return true }
        guard let key else { return part == 0 }
        return Int((UInt64(UInt32(truncatingIfNeeded: key.hash)) &* UInt64(parts)) >> 32) == part
    }

    /// Checks one record and queues it for the batch; returns the problem if the record is invalid.
    @inline(__always)
    private func parseRecord(_ scanner: RecordScanner, _ customerKey: CustomerKey?) -> InputError? {
        guard scanner.fields.count == config.fieldCount else {
            return InputError(kind: .raggedRow, columnNumber: nil, value: nil,
                              problem: "the row has \(scanner.fields.count) fields but the \(config.hasHeader ? "header" : "first row") has \(config.fieldCount)",
                              remedy: "give every row the same number of fields (quote fields that contain the delimiter)")
        }
        let parsedDay = scanner.withField(config.dateIndex) { p, n in config.datePattern.dayNumber(p, n) }
        guard let dayNumber = parsedDay, dayNumber >= Int(Int32.min) + 1, dayNumber < Int(Int32.max) else {
            return problem(scanner, config.dateIndex, .badDate, "not a valid date for pattern \(config.datePattern.pattern)",
                           "write dates as \(config.datePattern.pattern) (e.g. \(config.datePattern.example)) or give the right date format")
        }
        var day = Int32(dayNumber)
        var amount = 0.0
        var amountColumn = config.amountIndex
        if let amountIndex = config.amountIndex {
            switch number(scanner, amountIndex) {
            case .success(let value): amount = value
            case .failure(let error): return error
            }
        } else if let quantityIndex = config.quantityIndex, let priceIndex = config.priceIndex {
            amountColumn = quantityIndex
            switch (number(scanner, quantityIndex), number(scanner, priceIndex)) {
            case (.success(let q), .success(let p)): amount = q * p
            case (.failure(let error), _), (_, .failure(let error)): return error
            }
        }
        var cancelled = false
        var newInvoice: UInt64?
        if let invoiceIndex = config.invoiceIndex, scanner.fields[invoiceIndex].count > 0 {
            let (invoice, isCancelled) = scanner.withField(invoiceIndex) { p, n in
                (hashBytes(p, n), config.cancelledPrefix.map { prefix in n >= prefix.count && (0..<prefix.count).allSatisfy { p[$0] == prefix[$0] } } ?? false)
            }
            if let first = invoiceDays[invoice] { day = first } else { newInvoice = invoice }
            if isCancelled { amount = -abs(amount); cancelled = true }
        }
        if amount < 0 && config.negativeAmounts == .reject, let column = amountColumn {
            return problem(scanner, column, .negativeAmount,
                           cancelled ? "a cancelled invoice (a return), and negative amounts are set to be rejected" : "negative amount, and negative amounts are set to be rejected",
                           "remove returns from the input, or net them into their day's total with the negative-amounts policy 'net'")
        }
        if day > config.observationEnd {
            return problem(scanner, config.dateIndex, .afterObservationEnd, "the date is after \(config.observationEndText)",
                           "choose a later observation end, remove the row, or skip invalid rows with a rejects file")
        }
        let field = scanner.fields[config.customerIndex]
        if field.count == 0 {
            return problem(scanner, config.customerIndex, .emptyCustomerID, "the customer id is empty", "give every row a customer id")
        }
        if let newInvoice { invoiceDays[newInvoice] = day }
        if day < minDay { minDay = day }
        if day > maxDay { maxDay = day }
        transactionsUsed += 1
        guard let key = customerKey else { return nil }
        if !key.isInline && (field.inScratch || normalized.owns(key.bytes)) {
            // A long id in a buffer that the next record reuses: apply now (after the queued rows, to keep file order).
            flushBatch()
            apply(key, offset: scanner.recordStart, day: day, amount: amount)
            return nil
        }
        (batch + batchCount).initialize(to: BatchRow(offset: scanner.recordStart, key: key, day: day, amount: amount))
        batchCount += 1
        if batchCount == PartitionParser.batchSize { flushBatch() }
        return nil
    }

    /// Applies the queued rows in three passes (see `batchSize`).
    private func flushBatch() {
        let n = batchCount
        guard n > 0 else { return }
        // The stored properties are read once into locals: each access to a class's `var` pays a
        // dynamic exclusivity check, which per row was a few percent of a 10M-row summary.
        let batch = batch, customers = customers, offsetBase = offsetBase
        var touched: UInt64 = 0
        for i in 0..<n { touched &+= customers.touchSlot(batch[i].key) }
        for i in 0..<n { touched &+= customers.touchEntry(batch[i].key) }
        let calibrationEnd = config.calibrationEnd
        var offsets: [Int] = []
        swap(&offsets, &firstOffsets)   // appended to as a local, put back below
        defer { swap(&offsets, &firstOffsets) }
        for i in 0..<n {
            let row = batch[i]
            let (customer, isNew) = customers.intern(row.key, initial: CustomerAggregate(day: row.day, amount: row.amount, calibrationEnd: calibrationEnd))
            if isNew {
                offsets.append(offsetBase + row.offset)
            } else {
                customers.entries[customer].aggregate.add(day: row.day, amount: row.amount, calibrationEnd: calibrationEnd)
            }
            customers.addDay(customer, row.day)
        }
        sink &+= touched
        batchCount = 0
    }

    /// Applies one row directly.
    private func apply(_ key: CustomerKey, offset: Int, day: Int32, amount: Double) {
        let calibrationEnd = config.calibrationEnd
        let (customer, isNew) = customers.intern(key, initial: CustomerAggregate(day: day, amount: amount, calibrationEnd: calibrationEnd))
        if isNew {
            firstOffsets.append(offsetBase + offset)
        } else {
            customers.entries[customer].aggregate.add(day: day, amount: amount, calibrationEnd: calibrationEnd)
        }
        customers.addDay(customer, day)
    }

    /// The number in field `index`, or the problem naming the option that would read it.
    @inline(__always)
    private func number(_ scanner: RecordScanner, _ index: Int) -> Result<Double, InputError> {
        if let value = scanner.withFieldBytes(index, { p, n, readable in config.numbers.parse(p, n, readable: readable) }) { return .success(value) }
        let why = config.numbers.problem(scanner.string(index))
        return .failure(problem(scanner, index, why.problem.hasPrefix("ambiguous") ? .ambiguousNumber : .badAmount, why.problem, why.remedy))
    }

    private func problem(_ scanner: RecordScanner, _ index: Int, _ kind: InputError.Kind, _ what: String, _ remedy: String) -> InputError {
        var value = scanner.string(index)
        if value.count > 80 { value = String(value.prefix(80)) + "..." }
        return InputError(kind: kind, columnName: config.columnNames[index], columnNumber: index + 1, value: value,
                          problem: what, remedy: remedy)
    }
}
