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
        var line: [UInt8] = []
        swap(&line, &self.line)
        line.removeAll(keepingCapacity: true)
        switch format {
        case .csv:
            for (k, cell) in row.enumerated() {
                if k > 0 { line.append(44) }
                line.append(contentsOf: CSVWriter.format(cell).utf8)
            }
        case .jsonl:
            line.append(123)
            for (k, cell) in row.enumerated() {
                if k > 0 { line.append(44) }
                line.append(contentsOf: jsonKeys[k])
                Self.appendJSON(cell, to: &line)
            }
            line.append(125)
        }
        line.append(10)
        defer { swap(&line, &self.line) }
        try stream.write(line)
        rowCount += 1
    }

    /// Publishes the table (see `AtomicFileStream.commit`).
    public func commit() throws { try stream.commit() }

    private static func appendJSON(_ cell: CSVCell, to line: inout [UInt8]) {
        switch cell {
        case .text(let s): line.append(contentsOf: "\"\(TableWriter.jsonEscaped(s))\"".utf8)
        case .number(let x): line.append(contentsOf: (x.isFinite ? x.description : "null").utf8)
        case .integer(let k): line.append(contentsOf: String(k).utf8)
        case .empty: line.append(contentsOf: "null".utf8)
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
