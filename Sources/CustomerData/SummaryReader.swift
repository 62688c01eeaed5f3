import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
        let layout = RowLayout(id: id, frequency: x, recency: tx, T: t, monetaryValue: m, holdout: present.count == 3 ? holdout.map { $0! } : nil)
        return try Self.merge(readInPieces(layout), hasHoldout: layout.holdout != nil, timeUnit: timeUnit, path: path,
                              idColumn: names[id], idColumnNumber: id + 1)
    }

    /// Reads the rows after the header, one piece of the file per core (see `pieces`).
    private func readInPieces(_ layout: RowLayout) -> [SummaryRows] {
        let pieces = Self.pieces(scanner.base, from: scanner.position, to: scanner.end)
        let firstLines = Self.firstLines(of: pieces, base: scanner.base, firstLine: line)
        var parsed = [SummaryRows](repeating: SummaryRows(), count: pieces.count)
        parsed.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: pieces.count) { k in
                var reader = SummaryReader(scanner: RecordScanner(base: scanner.base, start: pieces[k].lowerBound, end: pieces[k].upperBound,
                                                                  delimiter: scanner.delimiter),
                                           path: path, columns: columns, numbers: numbers)
                reader.names = names
                reader.line = firstLines[k]
                out[k] = reader.readRows(layout)
            }
        }
        return parsed
    }

    /// Where the summary's columns are.
    struct RowLayout {
        let id, frequency, recency, T: Int
        let monetaryValue: Int?
        /// frequency_holdout, monetary_value_holdout, duration_holdout, when all are present.
        let holdout: [Int]?
    }

    /// The rows of one piece of the file, and the error that ended it early (rows before it are kept,
    /// so the first error in file order can be told from a duplicate id on an earlier line).
    struct SummaryRows {
        var ids: [String] = []
        var lines: [Int32] = []
        var hashes: [UInt64] = []
        var frequency: [Double] = [], recency: [Double] = [], T: [Double] = [], monetary: [Double] = []
        var holdout: [[Double]] = [[], [], []]
        var error: Error?
    }

    /// Splits the data rows into one piece per core at line ends. A file with a quote anywhere stays one
    /// piece: a quoted field may hold a line end, so only a sequential scan can tell where rows end.
    static func pieces(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> [Range<Int>] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, end - start >= 1 << 20, memchr(base + start, 34, end - start) == nil else { return [start..<end] }
        var pieces: [Range<Int>] = [], from = start
        for k in 1..<cores {
            var cut = max(from, start + (end - start) * k / cores)
            while cut < end && base[cut - 1] != 10 { cut += 1 }
            pieces.append(from..<cut)
            from = cut
        }
        pieces.append(from..<end)
        return pieces
    }

    /// The line number each piece starts on (lines end with LF).
    static func firstLines(of pieces: [Range<Int>], base: UnsafePointer<UInt8>, firstLine: Int) -> [Int] {
        var lines = [firstLine]
        for piece in pieces.dropLast() {
            lines.append(lines[lines.count - 1] + countLineEnds(base + piece.lowerBound, piece.count))
        }
        return lines
    }

    /// The LF bytes among `n` bytes, eight at a time: a byte of w ^ 0x0A0A... is zero exactly where
    /// w has an LF, and ~(((x & 0x7F..) + 0x7F..) | x | 0x7F..) has the top bit of exactly the zero bytes
    /// of x (no carries between bytes).
    static func countLineEnds(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        var count = 0, i = 0
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            count &+= (~(((x & low7) &+ low7) | x | low7)).nonzeroBitCount
            i += 8
        }
        while i < n { count &+= p[i] == 10 ? 1 : 0; i += 1 }
        return count
    }

    /// Reads this scanner's rows, checking each value; stops at the first error.
    mutating func readRows(_ layout: RowLayout) -> SummaryRows {
        var rows = SummaryRows()
        let expected = (scanner.end - scanner.position) / 24
        rows.ids.reserveCapacity(expected); rows.lines.reserveCapacity(expected); rows.hashes.reserveCapacity(expected)
        rows.frequency.reserveCapacity(expected); rows.recency.reserveCapacity(expected)
        rows.T.reserveCapacity(expected); rows.monetary.reserveCapacity(expected)
        do {
            while try scanner.next() {
                let rowLine = line
                line += scanner.newlines
                if scanner.isBlank { continue }
                try readRow(layout, line: rowLine, into: &rows)
            }
        } catch {
            rows.error = error
        }
        return rows
    }

    private func readRow(_ layout: RowLayout, line rowLine: Int, into rows: inout SummaryRows) throws {
        guard scanner.fields.count == names.count else {
            throw InputError(kind: .raggedRow, file: path, line: rowLine,
                             problem: "the row has \(scanner.fields.count) fields but the header has \(names.count)",
                             remedy: "give every row the same number of fields as the header")
        }
        var customer = customerID(layout.id)
        if customer.isEmpty { throw error(rowLine, layout.id, .emptyCustomerID, "the customer id is empty", "give every row a customer id") }
        let xi = try number(rowLine, layout.frequency, whole: true)
        let txi = try number(rowLine, layout.recency)
        let ti = try number(rowLine, layout.T)
        if txi > ti { throw error(rowLine, layout.recency, .badSummaryValue, "recency is greater than T (\(ti))", "recency cannot exceed T; check the columns and units") }
        if xi == 0 && txi != 0 { throw error(rowLine, layout.recency, .badSummaryValue, "recency must be 0 when frequency is 0", "check the frequency and recency columns") }
        let mi = try layout.monetaryValue.map { try number(rowLine, $0, allowNegative: true) } ?? 0
        if let holdout = layout.holdout {
            let values = [try number(rowLine, holdout[0], whole: true), try number(rowLine, holdout[1], allowNegative: true),
                          try number(rowLine, holdout[2])]
            for k in 0..<3 { rows.holdout[k].append(values[k]) }
        }
        rows.hashes.append(customer.withUTF8 { hashBytes($0.baseAddress!, $0.count) })
        rows.ids.append(customer)
        rows.lines.append(Int32(clamping: rowLine))
        rows.frequency.append(xi)
        rows.recency.append(txi)
        rows.T.append(ti)
        rows.monetary.append(mi)
    }

    /// Joins the pieces in file order up to the first error, then checks that ids are unique: the
    /// error reported is the first in file order, as a one-piece read would find it.
    static func merge(_ pieces: [SummaryRows], hasHoldout: Bool, timeUnit: TimeUnit, path: String, idColumn: String, idColumnNumber: Int) throws -> CustomerSummary {
        var all = pieces[0]
        for piece in pieces.dropFirst() {
            if all.error != nil { break }
            all.ids += piece.ids; all.lines += piece.lines; all.hashes += piece.hashes
            all.frequency += piece.frequency; all.recency += piece.recency; all.T += piece.T; all.monetary += piece.monetary
            for k in 0..<3 { all.holdout[k] += piece.holdout[k] }
            all.error = piece.error
        }
        if let (i, earlier) = UniqueIDs.firstRepeat(ids: all.ids, hashes: all.hashes) {
            throw InputError(kind: .duplicateCustomer, file: path, line: Int(all.lines[i]), columnName: idColumn, columnNumber: idColumnNumber,
                             value: all.ids[i], problem: "the customer id also appears on line \(all.lines[earlier])", remedy: "give each customer one row")
        }
        if let error = all.error { throw error }
        return CustomerSummary(customerIDs: all.ids, frequency: all.frequency, recency: all.recency, T: all.T, monetaryValue: all.monetary,
                               frequencyHoldout: hasHoldout ? all.holdout[0] : nil, monetaryValueHoldout: hasHoldout ? all.holdout[1] : nil,
                               durationHoldout: hasHoldout ? all.holdout[2] : nil, timeUnit: timeUnit)
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
