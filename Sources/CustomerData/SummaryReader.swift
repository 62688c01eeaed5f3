import Foundation

/// Reads summary rows one by one, checking each value.
struct SummaryReader {
    let scanner: RecordScanner
    let path: String
    let columns: SummaryColumnNames
    var line = 1
    var names: [String] = []

    let numbers: NumberReader

    init(scanner: RecordScanner, path: String, columns: SummaryColumnNames, numbers: NumberReader) {
        self.scanner = scanner
        self.path = path
        self.columns = columns
        self.numbers = numbers
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
        var seen = UniqueIDs(expected: scanner.end / 40)
        var lines: [Int32] = []
        let expectedRows = scanner.end / 40
        ids.reserveCapacity(expectedRows); lines.reserveCapacity(expectedRows)
        frequency.reserveCapacity(expectedRows); recency.reserveCapacity(expectedRows)
        T.reserveCapacity(expectedRows); monetary.reserveCapacity(expectedRows)
        while try scanner.next() {
            let rowLine = line
            line += scanner.newlines
            if scanner.isBlank { continue }
            guard scanner.fields.count == names.count else {
                throw InputError(kind: .raggedRow, file: path, line: rowLine,
                                 problem: "the row has \(scanner.fields.count) fields but the header has \(names.count)",
                                 remedy: "give every row the same number of fields as the header")
            }
            let customer = customerID(id)
            if customer.isEmpty { throw error(rowLine, id, .emptyCustomerID, "the customer id is empty", "give every row a customer id") }
            var key = customer
            let hash = key.withUTF8 { hashBytes($0.baseAddress!, $0.count) }
            if let earlier = seen.insert(hash: hash, equals: { ids[$0] == customer }) {
                throw error(rowLine, id, .duplicateCustomer, "the customer id also appears on line \(lines[earlier])", "give each customer one row")
            }
            lines.append(Int32(clamping: rowLine))
            let xi = try number(rowLine, x, whole: true)
            let txi = try number(rowLine, tx)
            let ti = try number(rowLine, t)
            if txi > ti { throw error(rowLine, tx, .badSummaryValue, "recency is greater than T (\(ti))", "recency cannot exceed T; check the columns and units") }
            if xi == 0 && txi != 0 { throw error(rowLine, tx, .badSummaryValue, "recency must be 0 when frequency is 0", "check the frequency and recency columns") }
            ids.append(customer)
            frequency.append(xi)
            recency.append(txi)
            T.append(ti)
            monetary.append(try m.map { try number(rowLine, $0, allowNegative: true) } ?? 0)
            if present.count == 3 {
                fh.append(try number(rowLine, holdout[0]!, whole: true))
                mh.append(try number(rowLine, holdout[1]!, allowNegative: true))
                dh.append(try number(rowLine, holdout[2]!))
            }
        }
        let hasHoldout = present.count == 3
        return CustomerSummary(customerIDs: ids, frequency: frequency, recency: recency, T: T, monetaryValue: monetary,
                               frequencyHoldout: hasHoldout ? fh : nil, monetaryValueHoldout: hasHoldout ? mh : nil,
                               durationHoldout: hasHoldout ? dh : nil, timeUnit: timeUnit)
    }

    /// The id in field `index`: plain ASCII ids not starting with `'` are taken as they are; others
    /// lose a neutralising `'` and are NFC-normalised.
    @inline(__always)
    private func customerID(_ index: Int) -> String {
        let plain = scanner.withField(index) { p, n in n > 0 && p[0] != 39 && isASCII(p, n) }
        let text = scanner.string(index)
        return plain ? text : normalizedID(CSVWriter.unneutralise(text))
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

    /// A finite number, non-negative unless `allowNegative` (whole-valued if `whole`). Monetary values
    /// may be negative when returns outweigh purchases (the `net` policy); the spend model leaves such
    /// customers out explicitly rather than the reader refusing the whole table.
    private func number(_ rowLine: Int, _ index: Int, whole: Bool = false, allowNegative: Bool = false) throws -> Double {
        guard let v = scanner.withField(index, { p, n in numbers.parse(p, n) }), v.isFinite else {
            let why = numbers.problem(scanner.string(index))
            throw error(rowLine, index, .badSummaryValue, why.problem, why.remedy)
        }
        guard v >= 0 || allowNegative else {
            throw error(rowLine, index, .badSummaryValue, "negative value",
                        "frequency, recency, T and durations cannot be negative; check the columns")
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
