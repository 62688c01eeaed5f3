import Foundation

/// The summary table contract as CSV.
///
/// Written with header `customer_id,frequency,recency,T,monetary_value` (plus the three holdout columns
/// when present), numbers in shortest round-trip form, so reading gives back exactly the same values.
/// The file carries no time unit (so pandas, spreadsheets and warehouses read it as a plain table):
/// `write` puts it in the sidecar `<summary>.meta.json` (`SummaryMetadata`), and reading takes the
/// unit as a parameter, which commands resolve from the sidecar and the model.
public enum SummaryTable {
    /// The standard column names, in order.
    public static func header(withHoldout: Bool) -> [String] {
        ["customer_id", "frequency", "recency", "T", "monetary_value"]
            + (withHoldout ? ["frequency_holdout", "monetary_value_holdout", "duration_holdout"] : [])
    }

    /// Every customer's row in header order, made as they are read (for a database table);
    /// `TableWriter` formats them straight from the columns.
    public static func rows(_ summary: CustomerSummary) -> ColumnRows {
        var columns: [TableColumn] = [.texts(summary.customerIDs), .numbers(summary.frequency), .numbers(summary.recency),
                                      .numbers(summary.T), .numbers(summary.monetaryValue)]
        if let fh = summary.frequencyHoldout, let mh = summary.monetaryValueHoldout, let dh = summary.durationHoldout {
            columns += [.numbers(fh), .numbers(mh), .numbers(dh)]
        }
        return ColumnRows(columns)
    }

    /// The summary as CSV text (small summaries and tests; files go through `write`).
    public static func csv(_ summary: CustomerSummary) -> CSVWriter {
        var writer = CSVWriter(header: header(withHoldout: summary.hasHoldout))
        for row in rows(summary) { writer.append(row) }
        return writer
    }

    /// Streams the summary to `url` atomically.
    public static func write(_ summary: CustomerSummary, to url: URL) throws {
        try write(summary, toPath: url.path)
    }

    /// Streams the summary to `path` atomically (`-` is standard output) and writes its sidecar
    /// `<path>.meta.json` with the summary's time unit and the given calibration/observation ends.
    /// An old sidecar is removed before the table is published, so a table never sits beside the
    /// sidecar of another (a missing sidecar is safe: readers then take the model's unit and say so).
    public static func write(_ summary: CustomerSummary, toPath path: String, calibrationEnd: CalendarDay? = nil,
                             observationEnd: CalendarDay? = nil) throws {
        let writer = try TableWriter(path: path, header: header(withHoldout: summary.hasHoldout), format: .csv)
        try writer.append(contentsOf: rows(summary))
        guard path != "-" else { return try writer.commit() }
        let sidecar = SummaryMetadata.path(forSummary: path)
        if FileManager.default.fileExists(atPath: sidecar) {
            do { try FileManager.default.removeItem(atPath: sidecar) } catch {
                throw FileError(path: sidecar, operation: "remove the old summary sidecar", reason: error.localizedDescription)
            }
        }
        try writer.commit()
        try SummaryMetadata(timeUnit: summary.timeUnit, calibrationEnd: calibrationEnd, observationEnd: observationEnd,
                            customers: summary.count).write(forSummary: path)
    }

    /// Reads and validates a summary table. Checks: numbers are finite and non-negative, frequencies are
    /// whole numbers, recency <= T, frequency 0 implies recency 0, ids are unique. Errors name line and column.
    public static func read(from url: URL, timeUnit: TimeUnit = .week, columns: SummaryColumnNames = SummaryColumnNames(),
                            format: TableTextFormat = TableTextFormat()) throws -> CustomerSummary {
        try read(path: url.path, timeUnit: timeUnit, columns: columns, format: format)
    }

    /// Reads a summary from `path` (a file, gzip, or `-` for standard input; see `InputSource`).
    public static func read(path: String, timeUnit: TimeUnit = .week, columns: SummaryColumnNames = SummaryColumnNames(),
                            format: TableTextFormat = TableTextFormat()) throws -> CustomerSummary {
        let name = InputSource.displayName(path)
        if format.encoding == .utf8, let mapped = try InputSource.mapped(path, encoding: .utf8) {
            guard let base = mapped.bytes else { throw emptyFile(name) }
            return try parse(base, count: mapped.count, path: name, timeUnit: timeUnit, columns: columns, format: format)
        }
        let bytes = try InputSource.readAll(path, encoding: format.encoding)
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { throw emptyFile(name) }
            return try parse(base, count: buffer.count, path: name, timeUnit: timeUnit, columns: columns, format: format)
        }
    }

    /// Parses summary CSV bytes; `path` is used in error messages.
    public static func parse(_ data: Data, path: String, timeUnit: TimeUnit = .week, columns: SummaryColumnNames = SummaryColumnNames(),
                             format: TableTextFormat = TableTextFormat()) throws -> CustomerSummary {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> CustomerSummary in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { throw emptyFile(path) }
            return try parse(base, count: raw.count, path: path, timeUnit: timeUnit, columns: columns, format: format)
        }
    }

    private static func parse(_ base: UnsafePointer<UInt8>, count: Int, path: String, timeUnit: TimeUnit,
                              columns: SummaryColumnNames, format: TableTextFormat) throws -> CustomerSummary {
        try format.numbers.validate()
        try TextCheck.requireText(base, count: count, path: path)
        let start = TransactionSummarizer.hasByteOrderMark(base, count: count) ? 3 : 0
        let delimiter = format.delimiter == .auto ? FileLayout.detectDelimiter(base, from: start, end: count) : format.delimiter
        var reader = SummaryReader(scanner: RecordScanner(base: base, start: start, end: count, delimiter: delimiter.byte ?? 44),
                                   path: path, columns: columns,
                                   numbers: NumberReader(format: format.numbers, semicolonFile: delimiter == .semicolon))
        return try reader.read(timeUnit: timeUnit)
    }

    private static func emptyFile(_ path: String) -> InputError {
        InputError(kind: .emptyFile, file: path, line: 1, problem: "the file is empty", remedy: "give a summary table with a header line")
    }
}
