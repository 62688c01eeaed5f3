import Foundation

/// The format of an exported table.
public enum TableFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV with a header line; text cells neutralised against formula injection.
    case csv
    /// JSON lines: one object per row keyed by the header; numbers as numbers, non-finite as null.
    case jsonl
}

/// Streams a table row by row to a file that appears atomically on `commit()` (or to standard
/// output for `-`), so a 10M-row export never exists as one string. Every export of Klant
/// (summaries, predictions, scores, action lists, rejects) goes through it.
public final class TableWriter {
    public let format: TableFormat
    public let header: [String]
    private let stream: AtomicFileStream
    private let jsonKeys: [[UInt8]]
    private var line: [UInt8] = []
    private var pieceBuffers: [[UInt8]] = []
    public private(set) var rowCount = 0

    /// Opens the output: `path` "-" is standard output. The format defaults to the file's extension
    /// (`.jsonl`/`.ndjson` → JSON lines, anything else CSV).
    public init(path: String, header: [String], format: TableFormat? = nil) throws {
        self.format = format ?? TableWriter.format(forPath: path)
        self.header = header
        stream = try AtomicFileStream(url: path == "-" ? nil : URL(fileURLWithPath: path))
        jsonKeys = header.map { Array("\"\(TableWriter.jsonEscaped($0))\":".utf8) }
        if self.format == .csv {
            try stream.write(header.map(CSVWriter.escape).joined(separator: ",") + "\n")
        }
    }

    /// The format a path implies by its extension.
    public static func format(forPath path: String) -> TableFormat {
        let lower = path.lowercased()
        return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? .jsonl : .csv
    }

    /// Appends one row; it must have one cell per header column.
    public func append(_ row: [CSVCell]) throws {
        precondition(row.count == header.count, "TableWriter: row of \(row.count) cells for \(header.count) columns")
        // Work on a local buffer: touching the stored property per byte would pay a dynamic
        // exclusivity check each time.
        var line = ByteSink()
        swap(&line.bytes, &self.line)
        line.bytes.removeAll(keepingCapacity: true)
        Self.appendRow(row, format: format, jsonKeys: jsonKeys, to: &line)
        defer { swap(&line.bytes, &self.line) }
        try stream.write(line.bytes)
        rowCount += 1
    }

    /// Appends every row, in order: the same bytes as `append` one row at a time, but batches of
    /// rows are formatted on all cores (formatting numbers is most of the cost of a big export).
    /// A random-access collection (e.g. `(0..<n).lazy.map { row($0) }`) also has its rows made on
    /// all cores, so making a row must only read shared data; `ColumnRows` skips making rows at all.
    public func append(contentsOf rows: some Sequence<[CSVCell]>) throws {
        if let table = rows as? ColumnRows { return try appendColumns(table.columns) }
        if let rows = rows as? any RandomAccessCollection<[CSVCell]> { return try appendIndexed(rows) }
        var batch: [[CSVCell]] = []
        batch.reserveCapacity(Self.batchRows)
        for row in rows {
            batch.append(row)
            if batch.count == Self.batchRows {
                try appendBatch(count: batch.count) { i, sink in self.appendCells(batch[i], to: &sink) }
                batch.removeAll(keepingCapacity: true)
            }
        }
        try appendBatch(count: batch.count) { i, sink in self.appendCells(batch[i], to: &sink) }
    }

    /// Rows per batch held in memory at once; pieces of `pieceRows` go to the cores.
    static let batchRows = 65_536
    static let pieceRows = 4_096

    private func appendIndexed<Rows: RandomAccessCollection<[CSVCell]>>(_ rows: Rows) throws {
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: Self.batchRows, limitedBy: rows.endIndex) ?? rows.endIndex
            let first = start
            try appendBatch(count: rows.distance(from: start, to: end)) { i, sink in
                self.appendCells(rows[rows.index(first, offsetBy: i)], to: &sink)
            }
            start = end
        }
    }

    /// A table kept by column: each cell is formatted from its column's storage (no cells are made;
    /// label texts are escaped once).
    private func appendColumns(_ columns: [TableColumn]) throws {
        precondition(columns.count == header.count, "TableWriter: \(columns.count) columns for \(header.count) header names")
        let rows = columns.first?.count ?? 0
        let format = format, jsonKeys = jsonKeys
        var labelTexts: [LabelTexts] = []
        defer { for texts in labelTexts { texts.deallocate() } }
        for case .labels(_, let labels) in columns { labelTexts.append(LabelTexts(labels, format: format)) }
        try Self.withStorage(of: columns[...], labelTexts: labelTexts[...], []) { storage in
            for start in stride(from: 0, to: rows, by: Self.batchRows) {
                try appendBatch(count: min(Self.batchRows, rows - start)) { i, sink in
                    Self.appendRow(start + i, of: storage, format: format, jsonKeys: jsonKeys, to: &sink)
                }
            }
        }
    }

    /// The formatted texts of a labels column in one block (reading one counts no references).
    private struct LabelTexts {
        let bytes: UnsafeMutableBufferPointer<UInt8>
        /// Label k is bytes[starts[k]..<starts[k + 1]].
        let starts: UnsafeMutableBufferPointer<Int>

        init(_ labels: [String], format: TableFormat) {
            var sink = ByteSink()
            var starts = [0]
            for label in labels {
                format == .csv ? TableWriter.appendCSV(.text(label), to: &sink) : TableWriter.appendJSON(.text(label), to: &sink)
                starts.append(sink.bytes.count)
            }
            bytes = .allocate(capacity: sink.bytes.count)
            _ = bytes.initialize(from: sink.bytes)
            self.starts = .allocate(capacity: starts.count)
            _ = self.starts.initialize(from: starts)
        }

        func deallocate() { bytes.deallocate(); starts.deallocate() }
    }

    /// A column's values seen through pointers: reading a cell copies no array and counts no references.
    private enum ColumnStorage {
        case numbers(UnsafeBufferPointer<Double>)
        case integers(UnsafeBufferPointer<Int>)
        case texts(UnsafeBufferPointer<String>)
        case labels(UnsafeBufferPointer<UInt8>, LabelTexts)
    }

    /// Calls `body` with every column's storage, valid for the call.
    private static func withStorage<R>(of columns: ArraySlice<TableColumn>, labelTexts: ArraySlice<LabelTexts>, _ storage: [ColumnStorage],
                                       _ body: ([ColumnStorage]) throws -> R) rethrows -> R {
        guard let column = columns.first else { return try body(storage) }
        let rest = columns.dropFirst()
        switch column {
        case .numbers(let v):
            return try v.withUnsafeBufferPointer { try withStorage(of: rest, labelTexts: labelTexts, storage + [.numbers($0)], body) }
        case .integers(let v):
            return try v.withUnsafeBufferPointer { try withStorage(of: rest, labelTexts: labelTexts, storage + [.integers($0)], body) }
        case .texts(let v):
            return try v.withUnsafeBufferPointer { try withStorage(of: rest, labelTexts: labelTexts, storage + [.texts($0)], body) }
        case .labels(let codes, _):
            return try codes.withUnsafeBufferPointer {
                try withStorage(of: rest, labelTexts: labelTexts.dropFirst(), storage + [.labels($0, labelTexts.first!)], body)
            }
        }
    }

    /// Row `i` of column-stored values, the same bytes as `appendRow` of its cells.
    @inline(__always)
    private static func appendRow(_ i: Int, of columns: [ColumnStorage], format: TableFormat, jsonKeys: [[UInt8]], to line: inout ByteSink) {
        let json = format == .jsonl
        if json { line.bytes.append(123) }
        for k in columns.indices {
            if k > 0 { line.bytes.append(44) }
            if json { line.bytes.append(contentsOf: jsonKeys[k]) }
            switch columns[k] {
            case .numbers(let v):
                let x = v[i]
                if x.isFinite { x.write(to: &line) } else if json { line.bytes.append(contentsOf: "null".utf8) }
            case .integers(let v): line.bytes.append(contentsOf: String(v[i]).utf8)
            case .texts(let v): json ? appendJSON(.text(v[i]), to: &line) : appendCSV(.text(v[i]), to: &line)
            case .labels(let codes, let texts):
                let k = Int(codes[i])
                line.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: texts.bytes[texts.starts[k]..<texts.starts[k + 1]]))
            }
        }
        if json { line.bytes.append(125) }
        line.bytes.append(10)
    }

    private func appendCells(_ cells: [CSVCell], to sink: inout ByteSink) {
        precondition(cells.count == header.count, "TableWriter: row of \(cells.count) cells for \(header.count) columns")
        Self.appendRow(cells, format: format, jsonKeys: jsonKeys, to: &sink)
    }

    /// Formats rows 0..<count of a batch in pieces on all cores, then writes the pieces in order.
    /// The piece buffers are kept from batch to batch (fresh big buffers would cost page faults).
    private func appendBatch(count: Int, formatRow: (Int, inout ByteSink) -> Void) throws {
        let pieces = (count + Self.pieceRows - 1) / Self.pieceRows
        guard pieces > 0 else { return }
        if pieceBuffers.count < pieces { pieceBuffers += [[UInt8]](repeating: [], count: pieces - pieceBuffers.count) }
        pieceBuffers.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                var sink = ByteSink()
                swap(&sink.bytes, &out[p])
                sink.bytes.removeAll(keepingCapacity: true)
                for i in (p * Self.pieceRows)..<min(count, (p + 1) * Self.pieceRows) { formatRow(i, &sink) }
                swap(&sink.bytes, &out[p])
            }
        }
        for piece in pieceBuffers[0..<pieces] { try stream.write(piece) }
        rowCount += count
    }

    /// One row as a line of CSV or JSON, newline included.
    static func appendRow(_ row: [CSVCell], format: TableFormat, jsonKeys: [[UInt8]], to line: inout ByteSink) {
        appendRow(columns: row.count, format: format, jsonKeys: jsonKeys, to: &line) { row[$0] }
    }

    /// The row whose cell k is `cell(k)`, as a line of CSV or JSON.
    @inline(__always)
    static func appendRow(columns: Int, format: TableFormat, jsonKeys: [[UInt8]], to line: inout ByteSink, cell: (Int) -> CSVCell) {
        switch format {
        case .csv:
            for k in 0..<columns {
                if k > 0 { line.bytes.append(44) }
                appendCSV(cell(k), to: &line)
            }
        case .jsonl:
            line.bytes.append(123)
            for k in 0..<columns {
                if k > 0 { line.bytes.append(44) }
                line.bytes.append(contentsOf: jsonKeys[k])
                appendJSON(cell(k), to: &line)
            }
            line.bytes.append(125)
        }
        line.bytes.append(10)
    }

    /// A cell as `CSVWriter.format` writes it, without building a String for plain text and numbers.
    @inline(__always)
    fileprivate static func appendCSV(_ cell: CSVCell, to line: inout ByteSink) {
        switch cell {
        case .text(let s):
            if !line.appendIfPlain(s) { line.bytes.append(contentsOf: CSVWriter.escape(s).utf8) }
        case .number(let x): x.write(to: &line)
        case .integer(let k): line.bytes.append(contentsOf: String(k).utf8)
        case .empty: break
        }
    }

    /// Publishes the table (see `AtomicFileStream.commit`).
    public func commit() throws { try stream.commit() }

    @inline(__always)
    fileprivate static func appendJSON(_ cell: CSVCell, to line: inout ByteSink) {
        switch cell {
        case .text(let s): line.bytes.append(contentsOf: "\"\(TableWriter.jsonEscaped(s))\"".utf8)
        case .number(let x) where x.isFinite: x.write(to: &line)
        case .integer(let k): line.bytes.append(contentsOf: String(k).utf8)
        case .number, .empty: line.bytes.append(contentsOf: "null".utf8)
        }
    }

    /// JSON string escaping (RFC 8259): quote, backslash and control characters.
    static func jsonEscaped(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 32 || $0 == 34 || $0 == 92 }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 32: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
