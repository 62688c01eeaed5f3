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
    let jsonKeys: [[UInt8]]
    private var line = ByteSink()
    /// Two batches alternate: one is written to the file while the next is formatted.
    private let batches = [FormattedBatch(), FormattedBatch()]
    private var nextBatch = 0
    private let fileQueue = DispatchQueue(label: "klant.table-writer")
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
        try finishWrites()
        line.removeAll()
        Self.appendRow(row, format: format, jsonKeys: jsonKeys, to: &line)   // one access to `line` for the row
        try stream.write(UnsafeRawBufferPointer(line.bytes))
        rowCount += 1
    }

    /// Appends every row, in order: the same bytes as `append` one row at a time, but batches of
    /// rows are formatted on all cores (formatting numbers is most of the cost of a big export).
    /// A random-access collection (e.g. `(0..<n).lazy.map { row($0) }`) also has its rows made on
    /// all cores, so making a row must only read shared data; `ColumnRows` skips making rows at all.
    public func append(contentsOf rows: some Sequence<[CSVCell]>) throws {
        do {
            try appendBatches(of: rows)
        } catch {
            waitForWrites()
            throw error
        }
        try finishWrites()
    }

    private func appendBatches(of rows: some Sequence<[CSVCell]>) throws {
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

    private func appendCells(_ cells: [CSVCell], to sink: inout ByteSink) {
        precondition(cells.count == header.count, "TableWriter: row of \(cells.count) cells for \(header.count) columns")
        Self.appendRow(cells, format: format, jsonKeys: jsonKeys, to: &sink)
    }

    /// Formats rows 0..<count of a batch in pieces on all cores, then hands the pieces to the file
    /// queue, which writes them in order while the next batch is formatted. The piece buffers are
    /// kept from batch to batch (fresh big buffers would cost page faults).
    func appendBatch(count: Int, formatRow: (Int, inout ByteSink) -> Void) throws {
        let pieces = (count + Self.pieceRows - 1) / Self.pieceRows
        guard pieces > 0 else { return }
        let batch = batches[nextBatch]
        nextBatch = 1 - nextBatch
        try batch.waitUntilWritten()
        batch.format(pieces: pieces) { p, sink in
            for i in (p * Self.pieceRows)..<min(count, (p + 1) * Self.pieceRows) { formatRow(i, &sink) }
        }
        nonisolated(unsafe) let stream = stream
        fileQueue.async(group: batch.written) { batch.write(to: stream) }
        rowCount += count
    }

    /// Waits for the file queue; throws the first error it met.
    private func finishWrites() throws {
        waitForWrites()
        for batch in batches { try batch.waitUntilWritten() }
    }

    /// Waits for every batch on the file queue, also after an error: a batch still being written
    /// holds the file, and only when none does is the temporary file removed with this writer,
    /// before the error reaches the caller (a CLI exits then; the queue's last write used to race
    /// that exit and leave the temporary file behind).
    private func waitForWrites() {
        for batch in batches { batch.written.wait() }
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
                if k > 0 { line.append(44) }
                appendCSV(cell(k), to: &line)
            }
        case .jsonl:
            line.append(123)
            for k in 0..<columns {
                if k > 0 { line.append(44) }
                line.append(contentsOf: jsonKeys[k])
                appendJSON(cell(k), to: &line)
            }
            line.append(125)
        }
        line.append(10)
    }

    /// A cell as `CSVWriter.format` writes it, without building a String for plain text and numbers.
    @inline(__always)
    static func appendCSV(_ cell: CSVCell, to line: inout ByteSink) {
        switch cell {
        case .text(let s):
            if !line.appendIfPlain(s) { line.append(contentsOf: CSVWriter.escape(s).utf8) }
        case .number(let x): line.appendNumber(x)
        case .integer(let k): line.appendInteger(k)
        case .empty: break
        }
    }

    /// Publishes the table (see `AtomicFileStream.commit`).
    public func commit() throws {
        try finishWrites()
        try stream.commit()
    }

    @inline(__always)
    static func appendJSON(_ cell: CSVCell, to line: inout ByteSink) {
        switch cell {
        case .text(let s): line.append(contentsOf: "\"\(TableWriter.jsonEscaped(s))\"".utf8)
        case .number(let x) where x.isFinite: line.appendNumber(x)
        case .integer(let k): line.appendInteger(k)
        case .number, .empty: line.append(contentsOf: "null".utf8)
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

/// The formatted pieces of one batch of rows, owned by the formatting side until it is handed to
/// the file queue, and by the file queue until `written` is done.
private final class FormattedBatch: @unchecked Sendable {
    private var pieces: [ByteSink] = []
    private var count = 0
    private var error: Error?
    /// Done when the pieces are in the file (or failed: `error`).
    let written = DispatchGroup()

    /// Fills pieces 0..<pieces on all cores: `formatPiece(p, &sink)` appends piece p's rows.
    func format(pieces: Int, _ formatPiece: (Int, inout ByteSink) -> Void) {
        while self.pieces.count < pieces { self.pieces.append(ByteSink()) }   // each with memory of its own
        count = pieces
        self.pieces.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                // Work on a copy on this thread's stack, stored back after: the sinks' counters sit
                // side by side in the array, and two cores updating one cache line slowed both.
                var sink = out[p]
                sink.removeAll()
                formatPiece(p, &sink)
                out[p] = sink
            }
        }
    }

    /// Writes the pieces in order (on the file queue); an error is kept for `waitUntilWritten`, and
    /// the writer that meets it never commits the file.
    func write(to stream: AtomicFileStream) {
        do { for piece in pieces[0..<count] { try stream.write(UnsafeRawBufferPointer(piece.bytes)) } } catch { self.error = error }
    }

    /// Blocks until the last write of this batch is done, then throws its error, if any.
    func waitUntilWritten() throws {
        written.wait()
        if let error { throw error }
    }
}
