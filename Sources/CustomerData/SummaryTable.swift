import Foundation

/// Which header names to accept for each summary column when reading. The defaults cover Klant's own
/// files (`customer_id,frequency,recency,T,monetary_value[,frequency_holdout,monetary_value_holdout,duration_holdout]`),
/// lifetimes exports (`ID`, `id`, ...) and the papers' files (`ID,frequency,recency,T` and `ID,x,t_x,T,zbar`).
/// The first name found in the header is used.
public struct SummaryColumnNames: Sendable {
    public var customerID = ["customer_id", "ID", "id", "CustomerID", "customer"]
    public var frequency = ["frequency", "x"]
    public var recency = ["recency", "t_x"]
    public var T = ["T"]
    public var monetaryValue = ["monetary_value", "zbar", "m_x"]
    public var frequencyHoldout = ["frequency_holdout"]
    public var monetaryValueHoldout = ["monetary_value_holdout"]
    public var durationHoldout = ["duration_holdout"]

    public init() {}
}

/// The summary table contract as CSV.
///
/// Written with header `customer_id,frequency,recency,T,monetary_value` (plus the three holdout columns
/// when present), numbers in shortest round-trip form, so reading gives back exactly the same values.
/// The file carries no time unit (so pandas, spreadsheets and warehouses read it as a plain table):
/// the unit is a parameter when reading, week by default as in the papers.
public enum SummaryTable {
    /// The standard column names, in order.
    public static func header(withHoldout: Bool) -> [String] {
        ["customer_id", "frequency", "recency", "T", "monetary_value"]
            + (withHoldout ? ["frequency_holdout", "monetary_value_holdout", "duration_holdout"] : [])
    }

    /// The summary as CSV text.
    public static func csv(_ summary: CustomerSummary) -> CSVWriter {
        var writer = CSVWriter(header: header(withHoldout: summary.hasHoldout))
        for i in 0..<summary.count {
            var row: [CSVCell] = [.text(summary.customerIDs[i]), .number(summary.frequency[i]), .number(summary.recency[i]),
                                  .number(summary.T[i]), .number(summary.monetaryValue[i])]
            if let fh = summary.frequencyHoldout, let mh = summary.monetaryValueHoldout, let dh = summary.durationHoldout {
                row += [.number(fh[i]), .number(mh[i]), .number(dh[i])]
            }
            writer.append(row)
        }
        return writer
    }

    /// Writes the summary atomically.
    public static func write(_ summary: CustomerSummary, to url: URL) throws {
        try AtomicFile.write(csv(summary).data, to: url)
    }

    /// Reads and validates a summary table. Checks: numbers are finite and non-negative, frequencies are
    /// whole numbers, recency <= T, frequency 0 implies recency 0, ids are unique. Errors name line and column.
    public static func read(from url: URL, timeUnit: TimeUnit = .week,
                            columns: SummaryColumnNames = SummaryColumnNames()) throws -> CustomerSummary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(kind: .unreadableFile, file: url.path, problem: "cannot read the file (\(error.localizedDescription))",
                             remedy: "check the path and its permissions")
        }
        return try parse(data, path: url.path, timeUnit: timeUnit, columns: columns)
    }

    /// Parses summary CSV bytes; `path` is used in error messages.
    public static func parse(_ data: Data, path: String, timeUnit: TimeUnit = .week,
                             columns: SummaryColumnNames = SummaryColumnNames()) throws -> CustomerSummary {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> CustomerSummary in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else {
                throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file is empty",
                                 remedy: "give a summary table with a header line")
            }
            var reader = SummaryReader(scanner: RecordScanner(base: base, start: 0, end: raw.count, delimiter: 44),
                                       path: path, columns: columns)
            return try reader.read(timeUnit: timeUnit)
        }
    }
}

/// Reads summary rows one by one, checking each value.
private struct SummaryReader {
    let scanner: RecordScanner
    let path: String
    let columns: SummaryColumnNames
    var line = 1
    var names: [String] = []

    init(scanner: RecordScanner, path: String, columns: SummaryColumnNames) {
        self.scanner = scanner
        self.path = path
        self.columns = columns
    }

    mutating func read(timeUnit: TimeUnit) throws -> CustomerSummary {
        guard try scanner.next(), !scanner.isBlank else {
            throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file has no header line",
                             remedy: "give a summary table with a header line")
        }
        names = (0..<scanner.fields.count).map { scanner.string($0) }
        let headerLine = line
        line += scanner.newlines
        let id = try required(columns.customerID, "customer id")
        let x = try required(columns.frequency, "frequency")
        let tx = try required(columns.recency, "recency")
        let t = try required(columns.T, "T")
        let m = find(columns.monetaryValue)
        let holdout = [find(columns.frequencyHoldout), find(columns.monetaryValueHoldout), find(columns.durationHoldout)]
        let present = holdout.compactMap { $0 }
        if !present.isEmpty && present.count < 3 {
            throw InputError(kind: .missingColumn, file: path, line: headerLine,
                             problem: "only some holdout columns are present; the columns are \(names.joined(separator: ", "))",
                             remedy: "give all of frequency_holdout, monetary_value_holdout and duration_holdout, or none")
        }
        var ids: [String] = [], frequency: [Double] = [], recency: [Double] = [], T: [Double] = [], monetary: [Double] = []
        var fh: [Double] = [], mh: [Double] = [], dh: [Double] = []
        var seen: [String: Int] = [:]
        while try scanner.next() {
            let rowLine = line
            line += scanner.newlines
            if scanner.isBlank { continue }
            guard scanner.fields.count == names.count else {
                throw InputError(kind: .raggedRow, file: path, line: rowLine,
                                 problem: "the row has \(scanner.fields.count) fields but the header has \(names.count)",
                                 remedy: "give every row the same number of fields as the header")
            }
            let customer = CSVWriter.unneutralise(scanner.string(id))
            if customer.isEmpty { throw error(rowLine, id, .emptyCustomerID, "the customer id is empty", "give every row a customer id") }
            if let earlier = seen[customer] {
                throw error(rowLine, id, .duplicateCustomer, "the customer id also appears on line \(earlier)", "give each customer one row")
            }
            seen[customer] = rowLine
            let xi = try number(rowLine, x, whole: true)
            let txi = try number(rowLine, tx)
            let ti = try number(rowLine, t)
            if txi > ti { throw error(rowLine, tx, .badSummaryValue, "recency is greater than T (\(ti))", "recency cannot exceed T; check the columns and units") }
            if xi == 0 && txi != 0 { throw error(rowLine, tx, .badSummaryValue, "recency must be 0 when frequency is 0", "check the frequency and recency columns") }
            ids.append(customer)
            frequency.append(xi)
            recency.append(txi)
            T.append(ti)
            monetary.append(try m.map { try number(rowLine, $0) } ?? 0)
            if present.count == 3 {
                fh.append(try number(rowLine, holdout[0]!, whole: true))
                mh.append(try number(rowLine, holdout[1]!))
                dh.append(try number(rowLine, holdout[2]!))
            }
        }
        let hasHoldout = present.count == 3
        return CustomerSummary(customerIDs: ids, frequency: frequency, recency: recency, T: T, monetaryValue: monetary,
                               frequencyHoldout: hasHoldout ? fh : nil, monetaryValueHoldout: hasHoldout ? mh : nil,
                               durationHoldout: hasHoldout ? dh : nil, timeUnit: timeUnit)
    }

    private func find(_ candidates: [String]) -> Int? {
        for c in candidates { if let i = names.firstIndex(of: c) { return i } }
        return nil
    }

    private func required(_ candidates: [String], _ role: String) throws -> Int {
        if let i = find(candidates) { return i }
        throw InputError(kind: .missingColumn, file: path, line: 1, columnName: candidates.first,
                         problem: "no \(role) column (looked for \(candidates.joined(separator: ", "))); the columns are \(names.joined(separator: ", "))",
                         remedy: "rename the column or map it with the column-name options")
    }

    /// A finite, non-negative number (whole-valued if `whole`).
    private func number(_ rowLine: Int, _ index: Int, whole: Bool = false) throws -> Double {
        let text = scanner.string(index)
        guard let v = Double(text), v.isFinite else {
            throw error(rowLine, index, .badSummaryValue, "not a number", "write plain decimal numbers")
        }
        guard v >= 0 else {
            throw error(rowLine, index, .badSummaryValue, "negative value",
                        "summary values cannot be negative (a negative monetary value means returns outweigh purchases: remove the customer or summarise with negative amounts rejected)")
        }
        if whole && v.rounded() != v {
            throw error(rowLine, index, .badSummaryValue, "not a whole number", "frequencies count purchase days and must be whole numbers")
        }
        return v
    }

    private func error(_ rowLine: Int, _ index: Int, _ kind: InputError.Kind, _ problem: String, _ remedy: String) -> InputError {
        InputError(kind: kind, file: path, line: rowLine, columnName: names[index], columnNumber: index + 1,
                   value: scanner.string(index), problem: problem, remedy: remedy)
    }
}
