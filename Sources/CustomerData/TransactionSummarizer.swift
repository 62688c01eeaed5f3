import Foundation

/// Turns a transaction file into a `CustomerSummary` in one streaming pass.
///
/// The file is memory-mapped; each thread reads all rows but keeps only its own share of the customers
/// (by id hash): per-customer totals and distinct purchase days, so no merge is needed.
/// Memory grows with the number of customers (a 128-byte entry holding the id, totals and first 16 distinct
/// purchase days, plus 16 bytes of hash slots) and with distinct purchase days beyond 16 per customer (about
/// 12 bytes each), not with the number of lines (parsed file pages are handed back).
///
/// Semantics (lifetimes' `summary_data_from_transaction_data` / `calibration_and_holdout_data`, but with
/// times = days / unit days): same-day rows of a customer are one purchase (amounts summed);
/// frequency = distinct calibration purchase days - 1; recency = (last - first calibration purchase day) / unit;
/// T = (calibration end - first purchase day) / unit; monetary_value = mean day total of the repeat days
/// (0 when frequency is 0). Holdout: frequency_holdout = distinct purchase days in (calibration end,
/// observation end], monetary_value_holdout = their mean day total (0 if none), duration_holdout =
/// (observation end - calibration end) / unit. Customers first seen after the calibration end are left
/// out and counted in the report. Customers appear in order of first appearance in the file.
public enum TransactionSummarizer {
    /// Summarises the file at `url`. Throws `InputError` for bad input (with file, line and column)
    /// and `FileError` when the rejects file cannot be written.
    public static func summarize(file url: URL, format: TransactionFileFormat,
                                 options: SummaryOptions = SummaryOptions()) throws -> SummaryRun {
        try summarize(path: url.path, format: format, options: options)
    }

    /// Summarises the input at `path` (see `InputSource`): a plain UTF-8 file is memory-mapped and parsed
    /// in place; `-` (standard input), gzip files and other encodings are parsed chunk by chunk as they
    /// are read (the next chunk is read and decompressed while the current one is parsed).
    public static func summarize(path: String, format: TransactionFileFormat,
                                 options: SummaryOptions = SummaryOptions()) throws -> SummaryRun {
        try options.validate()
        try format.validate()
        try format.numbers.validate()
        let name = InputSource.displayName(path)
        if let mapped = try InputSource.mapped(path, encoding: format.encoding) {
            return try summarize(mapped, name: name, format: format, options: options)
        }
        return try summarize(stream: InputSource.open(path), name: name, format: format, options: options)
    }

    /// Summarises transactions held in memory (e.g. read from standard input); `name` stands for the
    /// file name in error messages.
    public static func summarize(data: Data, name: String, format: TransactionFileFormat,
                                 options: SummaryOptions = SummaryOptions()) throws -> SummaryRun {
        try options.validate()
        try format.validate()
        return try summarize(MappedFile(data: data), name: name, format: format, options: options)
    }

    private static func summarize(_ file: MappedFile, name path: String, format: TransactionFileFormat,
                                  options: SummaryOptions) throws -> SummaryRun {
        guard let base = file.bytes else { throw emptyFile(path) }
        let layout = try FileLayout.read(base, count: file.count, format: format, path: path)
        let config = parseConfig(layout, path: path, format: format, options: options)
        let threads = threadCount(options)
        let parsers = (0..<threads).map {
            PartitionParser(file: file, start: layout.dataStart, end: file.count, firstLine: layout.firstDataLine,
                            part: $0, parts: threads, config: config)
        }
        parsers[0].progress = options.progress
        runAll(parsers) { $0.run() }
        return try finish(parsers, layout: layout, path: path, format: format, options: options)
    }

    /// The streaming form: chunks from a `ChunkReader`, each parsed by all partitions while the next is read.
    private static func summarize(stream: any ByteStream, name path: String, format: TransactionFileFormat,
                                  options: SummaryOptions) throws -> SummaryRun {
        let reader = ChunkReader(stream: stream, encoding: format.encoding)
        guard let first = try reader.next(), let base = first.file.bytes else { throw emptyFile(path) }
        let layout = try FileLayout.read(base, count: first.file.count, format: format, path: path)
        reader.quoting = layout.delimiter != .whitespace
        let config = parseConfig(layout, path: path, format: format, options: options)
        let threads = threadCount(options)
        let expectedBytes = stream.total.map { stream is GzipStream ? $0 * 5 : $0 } ?? first.file.count
        let parsers = (0..<threads).map {
            PartitionParser(file: first.file, start: layout.dataStart, end: first.file.count, firstLine: layout.firstDataLine,
                            part: $0, parts: threads, config: config, expectedBytes: expectedBytes)
        }
        var chunk: (file: MappedFile, offset: Int)? = first
        var isFirst = true
        while let current = chunk {
            // Read (and decompress) the next chunk on another thread while this one is parsed.
            let next = NextChunk()
            let reading = DispatchGroup()
            DispatchQueue.global().async(group: reading) { next.result = Result { try reader.next() } }
            if isFirst {
                runAll(parsers) { $0.run() }
            } else {
                runAll(parsers) { $0.run(chunk: current.file, start: 0, offset: current.offset) }
            }
            isFirst = false
            reading.wait()
            options.progress?.update(done: stream.consumed, of: stream.total ?? 0)
            if parsers.contains(where: { $0.error != nil }) { break }
            chunk = try next.result.get()
        }
        return try finish(parsers, layout: layout, path: path, format: format, options: options)
    }

    private static func threadCount(_ options: SummaryOptions) -> Int {
        max(1, options.threads > 0 ? options.threads : min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    private static func runAll(_ parsers: [PartitionParser], _ body: (PartitionParser) -> Void) {
        if parsers.count == 1 {
            body(parsers[0])
        } else {
            DispatchQueue.concurrentPerform(iterations: parsers.count) { body(parsers[$0]) }
        }
    }

    private static func parseConfig(_ layout: FileLayout, path: String, format: TransactionFileFormat,
                                     options: SummaryOptions) -> ParseConfig {
        let calibrationEnd = options.calibrationEnd ?? options.observationEnd
        return ParseConfig(
            path: path, delimiter: layout.delimiter.byte, fieldCount: layout.columnNames.count,
            hasHeader: format.hasHeader, columnNames: layout.columnNames,
            customerIndex: layout.customerIndex, dateIndex: layout.dateIndex, amountIndex: layout.amountIndex,
            datePattern: format.datePattern,
            calibrationEnd: calibrationEnd.map { Int32(clamping: $0.dayNumber) } ?? Int32.max,
            observationEnd: options.latestDay.map { Int32(clamping: $0.day.dayNumber) } ?? Int32.max,
            observationEndText: options.latestDay?.text ?? "",
            negativeAmounts: options.negativeAmounts, skipInvalid: options.skipInvalid,
            numbers: NumberReader(format: format.numbers, semicolonFile: layout.delimiter == .semicolon),
            quantityIndex: layout.quantityIndex, priceIndex: layout.priceIndex, invoiceIndex: layout.invoiceIndex,
            cancelledPrefix: format.cancelledPrefix.map { Array($0.utf8) })
    }

    /// Errors, rejects, the report and the summary once every row is parsed.
    private static func finish(_ parsers: [PartitionParser], layout: FileLayout, path: String, format: TransactionFileFormat,
                               options: SummaryOptions) throws -> SummaryRun {
        // The first error in file order wins; rejects are listed in file order.
        try throwFirstError(parsers, options: options)
        let rejects = parsers.flatMap(\.rejects).sorted { $0.line < $1.line }

        var report = RunReport()
        report.blankLines = layout.leadingBlankLines + parsers[0].blankLines
        report.linesRead = parsers[0].linesRead
        report.transactionsUsed = parsers.reduce(0) { $0 + $1.transactionsUsed }
        report.invoices = parsers.reduce(0) { $0 + $1.invoiceDays.count }
        report.rejected = rejects.count
        if report.linesRead == 0 {
            throw InputError(kind: format.hasHeader ? .headerOnly : .emptyFile, file: path, line: layout.headerLine,
                             problem: format.hasHeader ? "the file has a header but no data rows" : "the file has no data rows",
                             remedy: "check that the right file was given and that it was fully written")
        }
        if let rejectsFile = options.rejectsFile, options.skipInvalid {
            try writeRejects(rejects, to: rejectsFile)
        }
        return try finish(parsers, firstDay: parsers.map(\.minDay).min()!, lastDay: parsers.map(\.maxDay).max()!,
                          report: report, path: path, options: options)
    }

    /// The step after the rows are in: periods from the dates seen and the options, checks, and the summary.
    /// Shared by files and by rows that arrive one at a time (`TransactionRowSummarizer`).
    static func finish<P: CustomerPartition>(_ parsers: [P], firstDay: Int32, lastDay: Int32, report: RunReport,
                                             path: String, options: SummaryOptions) throws -> SummaryRun {
        var report = report
        guard report.transactionsUsed > 0 else {
            throw InputError(kind: .noValidRows, file: path, problem: "every row was rejected (\(report.rejected) rejected)",
                             remedy: "see the rejects file for the reasons")
        }

        let lastDay = Int(lastDay)
        let firstDay = Int(firstDay)
        let observationEnd = options.observationEnd ?? CalendarDay(dayNumber: lastDay)
        if let cal = options.calibrationEnd, cal > observationEnd {
            throw calibrationAfterObservation(cal, observationEnd, obsFromFile: true).located(file: path, line: nil)
        }
        let finalCalibrationEnd = options.calibrationEnd ?? observationEnd
        report.firstDate = CalendarDay(dayNumber: firstDay)
        report.lastDate = CalendarDay(dayNumber: lastDay)
        report.calibrationEnd = finalCalibrationEnd
        report.observationEnd = observationEnd

        let summary = buildSummary(parsers, calibrationEnd: finalCalibrationEnd.dayNumber, observationEnd: observationEnd.dayNumber,
                                   withHoldout: options.calibrationEnd != nil, unit: options.timeUnit, report: &report)
        let daily = options.countDailyPurchases ? DailyPurchases.count(parsers, firstDay: firstDay, lastDay: observationEnd.dayNumber) : nil
        return SummaryRun(summary: summary, report: report, dailyPurchases: daily)
    }

    // MARK: - Steps

    /// Throws the first invalid row in file order; rows dated after the observation end (or today)
    /// are reported together, with their count and the first of them.
    static func throwFirstError(_ parsers: [PartitionParser], options: SummaryOptions) throws {
        let error = parsers.compactMap(\.error).min(by: { ($0.line ?? 0) < ($1.line ?? 0) })
        guard var late = parsers.compactMap(\.firstLateRow).min(by: { ($0.line ?? 0) < ($1.line ?? 0) }),
              (late.line ?? 0) < (error?.line ?? Int.max) else {
            if let error { throw error }
            return
        }
        let count = parsers.reduce(0) { $0 + $1.lateRows }
        let atLeast = error != nil ? "at least " : ""
        late.problem += " (\(atLeast)\(count) row\(count == 1 ? "" : "s") in the file \(count == 1 ? "is" : "are") dated after it, this is the first)"
        late.remedy = options.observationEnd == nil
            ? "correct the dates, give the period with --observation-end, accept future dates with --allow-future (the last date then ends the observation), or set such rows aside with --skip-invalid --rejects FILE"
            : "choose a later --observation-end, or set such rows aside with --skip-invalid --rejects FILE"
        throw late
    }

    private static func emptyFile(_ path: String) -> InputError {
        InputError(kind: .emptyFile, file: path, line: 1, problem: "the file is empty",
                   remedy: "check that the right file was given and that it was fully written")
    }

    /// True if the bytes start with the UTF-8 byte-order mark that spreadsheet exports often add.
    static func hasByteOrderMark(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    }

    /// Distinct calibration and holdout purchase days of each customer of one partition.
    static func countDays<P: CustomerPartition>(_ parser: P, calibrationEnd: Int32) -> (calibration: [UInt32], holdout: [UInt32]) {
        let customers = parser.customers
        var calibration = [UInt32](repeating: 0, count: customers.count)
        var holdout = [UInt32](repeating: 0, count: customers.count)
        for i in 0..<customers.count {
            customers.forEachInlineDay(i) { day in
                if day <= calibrationEnd { calibration[i] += 1 } else { holdout[i] += 1 }
            }
        }
        customers.overflowDays.forEach { key in
            if DayPairSet.day(of: key) <= calibrationEnd {
                calibration[DayPairSet.customer(of: key)] += 1
            } else {
                holdout[DayPairSet.customer(of: key)] += 1
            }
        }
        return (calibration, holdout)
    }

    /// (partition, local index) of every customer in order of first appearance in the file.
    static func fileOrder<P: CustomerPartition>(_ parsers: [P]) -> [(part: Int, index: Int)] {
        var order: [(part: Int, index: Int)] = []
        order.reserveCapacity(parsers.reduce(0) { $0 + $1.customers.count })
        var next = [Int](repeating: 0, count: parsers.count)
        let firstOffsets = parsers.map(\.firstOffsets)   // once: a parser's property costs an access check per read
        while true {
            var best = -1
            for p in parsers.indices where next[p] < firstOffsets[p].count {
                if best < 0 || firstOffsets[p][next[p]] < firstOffsets[best][next[best]] { best = p }
            }
            if best < 0 { return order }
            order.append((best, next[best]))
            next[best] += 1
        }
    }

    /// The summary rows; customers first seen after the calibration end are counted, not listed.
    static func buildSummary<P: CustomerPartition>(_ parsers: [P], calibrationEnd: Int, observationEnd: Int,
                             withHoldout: Bool, unit: TimeUnit, report: inout RunReport) -> CustomerSummary {
        var days = [(calibration: [UInt32], holdout: [UInt32])](repeating: ([], []), count: parsers.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: parsers.count) { p in
            let counted = countDays(parsers[p], calibrationEnd: Int32(clamping: calibrationEnd))
            lock.lock()
            days[p] = counted
            lock.unlock()
        }
        let order = fileOrder(parsers)
        let rows = SummaryRows(parsers.map(\.customers), days: days, order: order, calibrationEnd: calibrationEnd,
                               unitDays: unit.days, withHoldout: withHoldout)
        let n = rows.customerIDs.count
        report.customers = n
        report.customersFirstSeenAfterCalibration += order.count - n
        report.customersWithZeroT += rows.zeroT
        report.customersWithNegativeMonetaryValue = rows.negatives
        let column = { (k: Int) in n == 0 ? [] : rows.columns[k] }
        let duration = Double(observationEnd - calibrationEnd) / unit.days
        return CustomerSummary(
            customerIDs: rows.customerIDs, frequency: column(0), recency: column(1), T: column(2), monetaryValue: column(3),
            frequencyHoldout: withHoldout ? column(4) : nil,
            monetaryValueHoldout: withHoldout ? column(5) : nil,
            durationHoldout: withHoldout ? [Double](repeating: duration, count: n) : nil,
            timeUnit: unit)
    }

    /// Writes every rejected row (line, reason, original text) as CSV, atomically.
    static func writeRejects(_ rejects: [RejectedRow], to url: URL) throws {
        let writer = try TableWriter(path: url.path, header: ["line", "reason", "original_text"], format: .csv)
        for r in rejects { try writer.append([.integer(r.line), .text(r.reason), .text(r.text)]) }
        try writer.commit()
    }
}

/// The chunk read ahead on another thread (handed over after `DispatchGroup.wait`).
private final class NextChunk: @unchecked Sendable {
    var result: Result<(file: MappedFile, offset: Int)?, Error> = .success(nil)
}

/// The summary's rows in file order of first purchase, made on all cores: chunks of the order count
/// the customers they list (those first seen by the calibration end), then fill their own rows.
private struct SummaryRows {
    var customerIDs: [String] = []
    /// frequency, recency, T, monetary value (and frequency and monetary value in the holdout).
    var columns: [[Double]] = []
    var zeroT = 0
    var negatives = 0

    init(_ customers: [CustomerIndex], days: [(calibration: [UInt32], holdout: [UInt32])], order: [(part: Int, index: Int)],
         calibrationEnd: Int, unitDays: Double, withHoldout: Bool) {
        let entries = customers.map(\.entries)   // read once: each read of the index's property is an access check
        func aggregate(_ k: Int) -> CustomerAggregate { entries[order[k].part][order[k].index].aggregate }
        let chunks = order.isEmpty ? 1 : min(order.count, 64)
        let chunkRange = { (c: Int) in (order.count * c / chunks)..<(order.count * (c + 1) / chunks) }
        var listedBefore = [Int](repeating: 0, count: chunks + 1)
        listedBefore.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let counts = counts
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                counts[c + 1] = chunkRange(c).reduce(0) { $0 + (Int(aggregate($1).firstDay) <= calibrationEnd ? 1 : 0) }
            }
        }
        for c in 0..<chunks { listedBefore[c + 1] += listedBefore[c] }
        let n = listedBefore[chunks]
        guard n > 0 else { return }
        var zeroT = [Int](repeating: 0, count: chunks), negatives = [Int](repeating: 0, count: chunks)
        var columns: [[Double]] = []
        customerIDs = [String](unsafeUninitializedCapacity: n) { ids, initialized in
            columns = uninitializedColumns(withHoldout ? 6 : 4, count: n) { columns in
                nonisolated(unsafe) let ids = ids, columns = columns
                zeroT.withUnsafeMutableBufferPointer { zeroT in
                    negatives.withUnsafeMutableBufferPointer { negatives in
                        nonisolated(unsafe) let zeroT = zeroT, negatives = negatives
                        DispatchQueue.concurrentPerform(iterations: chunks) { c in
                            var row = listedBefore[c]
                            for k in chunkRange(c) {
                                let a = aggregate(k), (p, i) = order[k]
                                guard Int(a.firstDay) <= calibrationEnd else { continue }
                                if Int(a.firstDay) == calibrationEnd { zeroT[c] += 1 }
                                let x = Int(days[p].calibration[i]) - 1
                                (ids.baseAddress! + row).initialize(to: customers[p].id(i))
                                let m = x > 0 ? (a.calibrationAmount - a.firstDayAmount) / Double(x) : 0
                                columns[0][row] = Double(x)
                                columns[1][row] = Double(Int(a.lastCalibrationDay) - Int(a.firstDay)) / unitDays
                                columns[2][row] = Double(calibrationEnd - Int(a.firstDay)) / unitDays
                                columns[3][row] = m
                                var isNegative = m < 0
                                if withHoldout {
                                    let h = Int(days[p].holdout[i])
                                    let mh = h > 0 ? a.holdoutAmount / Double(h) : 0
                                    columns[4][row] = Double(h)
                                    columns[5][row] = mh
                                    isNegative = isNegative || mh < 0
                                }
                                if isNegative { negatives[c] += 1 }
                                row += 1
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        self.columns = columns
        self.zeroT = zeroT.reduce(0, +)
        self.negatives = negatives.reduce(0, +)
    }
}
