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
        return try readInPieces(layout, timeUnit: timeUnit, idColumn: names[id], idColumnNumber: id + 1)
    }

    /// Reads the rows after the header in pieces of the file, in parallel (see `pieces`). Each piece
    /// writes straight into the summary's columns from its own first slot (one slot per line end
    /// of the piece), and the pieces are closed up afterwards: no per-piece arrays to join, and
    /// each column's memory is touched once.
    private func readInPieces(_ layout: RowLayout, timeUnit: TimeUnit, idColumn: String, idColumnNumber: Int) throws -> CustomerSummary {
        let (pieces, slots) = Self.piecesAndSlots(scanner.base, from: scanner.position, to: scanner.end)
        var firstSlot = [0], firstLine = [line]
        for k in pieces.indices {
            firstSlot.append(firstSlot[k] + slots[k].rows)
            firstLine.append(firstLine[k] + slots[k].lineEnds)
        }
        let total = Swift.max(1, firstSlot[pieces.count])   // at least one slot, so every column has memory
        var outcome = [(rows: Int, error: Error?)](repeating: (0, nil), count: pieces.count)
        var kept = 0
        var lines: [Int32] = [], hashes: [UInt64] = []
        var numbers: [[Double]] = []
        let ids = [String](unsafeUninitializedCapacity: total) { idBuffer, initialized in
            lines = uninitializedColumn(total) { linePointer in
            hashes = uninitializedColumn(total) { hashPointer in
            numbers = uninitializedColumns(layout.holdout == nil ? 4 : 7, count: total) { numberPointers in
                let sink = RowSink(ids: idBuffer.baseAddress!, lines: linePointer, hashes: hashPointer, numbers: numberPointers)
                outcome.withUnsafeMutableBufferPointer { results in
                    nonisolated(unsafe) let results = results
                    DispatchQueue.concurrentPerform(iterations: pieces.count) { k in
                        var reader = SummaryReader(scanner: RecordScanner(base: scanner.base, start: pieces[k].lowerBound, end: pieces[k].upperBound,
                                                                          delimiter: scanner.delimiter),
                                                   path: path, columns: columns, numbers: self.numbers)
                        reader.names = names
                        reader.line = firstLine[k]
                        results[k] = reader.readRows(layout, into: sink, from: firstSlot[k], slots: slots[k].rows)
                    }
                }
                kept = sink.closeUp(outcome, firstSlot: firstSlot)
            }}}
            initialized = kept
        }
        lines.removeLast(total - kept); hashes.removeLast(total - kept)
        for k in numbers.indices { numbers[k].removeLast(total - kept) }
        if let (i, earlier) = UniqueIDs.firstRepeat(ids: ids, hashes: hashes) {
            throw InputError(kind: .duplicateCustomer, file: path, line: Int(lines[i]), columnName: idColumn, columnNumber: idColumnNumber,
                             value: ids[i], problem: "the customer id also appears on line \(lines[earlier])", remedy: "give each customer one row")
        }
        if let error = outcome.lazy.compactMap(\.error).first { throw error }
        let holdout = numbers.count == 7
        return CustomerSummary(customerIDs: ids, frequency: numbers[0], recency: numbers[1], T: numbers[2], monetaryValue: numbers[3],
                               frequencyHoldout: holdout ? numbers[4] : nil, monetaryValueHoldout: holdout ? numbers[5] : nil,
                               durationHoldout: holdout ? numbers[6] : nil, timeUnit: timeUnit)
    }

    /// The pieces of the data rows and, per piece, its line ends and the rows it can hold (one per
    /// line end, one more for a last line without one; a row ends at a line end or at the end of its
    /// piece, so this bounds it). The pieces are scanned on all cores, for line ends and quotes at
    /// once: a quote anywhere puts the rows back into one piece, since a quoted field may hold a line
    /// end and only a sequential scan can tell where such rows end.
    static func piecesAndSlots(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (pieces: [Range<Int>], slots: [(lineEnds: Int, rows: Int)]) {
        let pieces = pieces(base, from: start, to: end)
        var scans = [(lineEnds: Int, quoted: Bool)](repeating: (0, false), count: pieces.count)
        scans.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: pieces.count) { k in
                out[k] = lineEndsAndQuotes(base + pieces[k].lowerBound, pieces[k].count)
            }
        }
        if pieces.count > 1 && scans.contains(where: \.quoted) {
            return ([start..<end], [slots(start..<end, lineEnds: scans.reduce(0) { $0 + $1.lineEnds }, base: base)])
        }
        return (pieces, zip(pieces, scans).map { slots($0, lineEnds: $1.lineEnds, base: base) })
    }

    private static func slots(_ piece: Range<Int>, lineEnds: Int, base: UnsafePointer<UInt8>) -> (lineEnds: Int, rows: Int) {
        (lineEnds, lineEnds + (piece.isEmpty || base[piece.upperBound - 1] == 10 ? 0 : 1))
    }

    /// Where the pieces write their rows: the id, line and id-hash columns and the numeric columns
    /// (frequency, recency, T, monetary value, then the three holdout columns when present).
    struct RowSink: @unchecked Sendable {
        let ids: UnsafeMutablePointer<String>
        let lines: UnsafeMutablePointer<Int32>
        let hashes: UnsafeMutablePointer<UInt64>
        let numbers: [UnsafeMutablePointer<Double>]

        /// Moves every piece's rows down to follow the previous piece's, up to the first piece that
        /// stopped at an error (the rows of later pieces are dropped); returns the rows kept.
        func closeUp(_ outcome: [(rows: Int, error: Error?)], firstSlot: [Int]) -> Int {
            var kept = 0, stopped = false
            for k in outcome.indices {
                let from = firstSlot[k], rows = outcome[k].rows
                if stopped { (ids + from).deinitialize(count: rows); continue }
                if from != kept {
                    (ids + kept).moveInitialize(from: ids + from, count: rows)
                    (lines + kept).moveInitialize(from: lines + from, count: rows)
                    (hashes + kept).moveInitialize(from: hashes + from, count: rows)
                    for column in numbers { (column + kept).moveInitialize(from: column + from, count: rows) }
                }
                kept += rows
                stopped = outcome[k].error != nil
            }
            return kept
        }
    }

    /// Where the summary's columns are.
    struct RowLayout {
        let id, frequency, recency, T: Int
        let monetaryValue: Int?
        /// frequency_holdout, monetary_value_holdout, duration_holdout, when all are present.
        let holdout: [Int]?
    }

    /// Splits the data rows into pieces for the cores at line ends (see `piecesAndSlots` for quotes).
    static func pieces(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> [Range<Int>] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, end - start >= 1 << 20 else { return [start..<end] }
        // Up to sixteen pieces per core (of at least 1 MB each), so a core that starts late or is slowed
        // by other work does not hold up the rest, and the last pieces end close together.
        let count = Swift.min(16 * cores, Swift.max(cores, (end - start) >> 20))
        var pieces: [Range<Int>] = [], from = start
        for k in 1..<count {
            var cut = max(from, start + (end - start) * k / count)
            while cut < end && base[cut - 1] != 10 { cut += 1 }
            pieces.append(from..<cut)
            from = cut
        }
        pieces.append(from..<end)
        return pieces
    }

    /// The LF bytes among `n` bytes, and whether there is a double quote among them, sixteen bytes at
    /// a time: each block's matches (1 per LF) add up in 16 byte counters, emptied into the total
    /// every 255 blocks before they could overflow; quote matches are OR-ed together.
    static func lineEndsAndQuotes(_ p: UnsafePointer<UInt8>, _ n: Int) -> (lineEnds: Int, quoted: Bool) {
        let raw = UnsafeRawPointer(p)
        let lineFeed = SIMD16<UInt8>(repeating: 10), quote = SIMD16<UInt8>(repeating: 34)
        let zero = SIMD16<UInt8>(), one = SIMD16<UInt8>(repeating: 1)
        var count = 0, i = 0
        var quotes = zero
        while i + 16 <= n {
            var counters = zero
            let stop = Swift.min(n - 16, i + 254 * 16)
            while i <= stop {
                let bytes = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                counters &+= zero.replacing(with: one, where: bytes .== lineFeed)
                quotes |= zero.replacing(with: one, where: bytes .== quote)
                i += 16
            }
            for k in 0..<16 { count += Int(counters[k]) }
        }
        var quoted = quotes != zero
        while i < n { count &+= p[i] == 10 ? 1 : 0; quoted = quoted || p[i] == 34; i += 1 }
        return (count, quoted)
    }

    /// Reads this scanner's rows into `sink` from slot `first` on, checking each value; stops at the
    /// first error (the rows before it are written).
    mutating func readRows(_ layout: RowLayout, into sink: RowSink, from first: Int, slots: Int) -> (rows: Int, error: Error?) {
        var rows = 0
        do {
            while try scanner.next() {
                let rowLine = line
                line += scanner.newlines
                if scanner.isBlank { continue }
                guard rows < slots else {   // cannot happen: a row ends at a line end or at the piece's end
                    throw InputError(kind: .raggedRow, file: path, line: rowLine, problem: "more rows than line ends in this part of the file",
                                     remedy: "report this file to the Klant developers")
                }
                try readRow(layout, line: rowLine, into: sink, at: first + rows)
                rows += 1
            }
        } catch {
            return (rows, error)
        }
        return (rows, nil)
    }

    private func readRow(_ layout: RowLayout, line rowLine: Int, into sink: RowSink, at slot: Int) throws {
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
            let values = (try number(rowLine, holdout[0], whole: true), try number(rowLine, holdout[1], allowNegative: true),
                          try number(rowLine, holdout[2]))
            sink.numbers[4][slot] = values.0; sink.numbers[5][slot] = values.1; sink.numbers[6][slot] = values.2
        }
        sink.hashes[slot] = customer.withUTF8 { hashBytes($0.baseAddress!, $0.count) }
        (sink.ids + slot).initialize(to: customer)
        sink.lines[slot] = Int32(clamping: rowLine)
        sink.numbers[0][slot] = xi
        sink.numbers[1][slot] = txi
        sink.numbers[2][slot] = ti
        sink.numbers[3][slot] = mi
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
        guard let v = scanner.withFieldBytes(index, { p, n, readable in numbers.parse(p, n, readable: readable) }), v.isFinite else {
            let why = numbers.problem(scanner.string(index))
            throw error(rowLine, index, .badSummaryValue, why.problem, why.remedy)
        }
        guard v >= 0 || allowNegative else {
            throw error(rowLine, index, .badSummaryValue, "negative value",
                        "frequency, recency, T and durations cannot be negative; check the columns")
        }
        if whole && !isWholeNumber(v) {
            throw error(rowLine, index, .badSummaryValue, "not a whole number", "frequencies count purchase days and must be whole numbers")
        }
        return v
    }

    private func error(_ rowLine: Int, _ index: Int, _ kind: InputError.Kind, _ problem: String, _ remedy: String) -> InputError {
        InputError(kind: kind, file: path, line: rowLine, columnName: names[index], columnNumber: index + 1,
                   value: scanner.string(index), problem: problem, remedy: remedy)
    }
}

/// An array of `count` elements that `body` fills through a pointer (elements it leaves unset are
/// for the caller to remove): a column written in parallel without being zeroed first. `count` >= 1.
package func uninitializedColumn<T: BitwiseCopyable>(_ count: Int, _ body: (UnsafeMutablePointer<T>) throws -> Void) rethrows -> [T] {
    try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        try body(buffer.baseAddress!)   // count >= 1
        initialized = count
    }
}

/// `columns` such arrays at once, each filled through its pointer.
package func uninitializedColumns<T: BitwiseCopyable>(_ columns: Int, count: Int, pointers: [UnsafeMutablePointer<T>] = [],
                                              _ body: ([UnsafeMutablePointer<T>]) throws -> Void) rethrows -> [[T]] {
    guard columns > 0 else { try body(pointers); return [] }
    var rest: [[T]] = []
    let column = try uninitializedColumn(count) { (pointer: UnsafeMutablePointer<T>) in
        rest = try uninitializedColumns(columns - 1, count: count, pointers: pointers + [pointer], body)
    }
    return [column] + rest
}
