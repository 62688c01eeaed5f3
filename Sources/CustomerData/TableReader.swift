import Foundation

/// Reads a table that `TableWriter` wrote (or any CSV with a header line, or JSON lines of flat
/// objects) row by row, without building a String per cell: the counterpart of `TableWriter` for
/// commands that aggregate big exports (reports over a score table of millions of customers).
public final class TableReader {
    public let path: String
    public let format: TableFormat
    /// The header (CSV) or the keys of the first object (JSON lines), in order.
    public private(set) var columnNames: [String] = []
    private let file: MappedFile

    /// Opens `path`; the format defaults to the extension (`.jsonl`/`.ndjson` → JSON lines, else CSV).
    public init(path: String, format: TableFormat? = nil) throws {
        self.path = path
        self.format = format ?? TableWriter.format(forPath: path)
        file = try MappedFile(path: path)
        guard file.count > 0, file.bytes != nil else {
            throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file is empty", remedy: "give a table with a header line (CSV) or one JSON object per line")
        }
        columnNames = try readColumnNames()
    }

    /// The position of a column, nil when the table does not have it.
    public func columnIndex(_ name: String) -> Int? { columnNames.firstIndex(of: name) }

    /// The position of a column the caller cannot do without; a missing one is an error naming the file and the columns it has.
    public func requiredColumn(_ name: String, purpose: String) throws -> Int {
        guard let i = columnIndex(name) else {
            throw InputError(kind: .missingColumn, file: path, line: 1, columnName: name,
                             problem: "the table has no column \(name) (needed for \(purpose)); its columns are \(columnNames.joined(separator: ", "))",
                             remedy: "give the table written by the command that makes it, or add the column")
        }
        return i
    }

    /// Calls `body` once per data row, in file order (blank lines skipped).
    public func forEachRow(_ body: (TableRow) throws -> Void) throws {
        let base = file.bytes!
        let start = TransactionSummarizer.hasByteOrderMark(base, count: file.count) ? 3 : 0
        switch format {
        case .csv:
            let scanner = RecordScanner(base: base, start: start, end: file.count, delimiter: 44)
            var line = 1
            _ = try scanner.next()
            line += scanner.newlines
            let row = TableRow(reader: self)
            while try scanner.next() {
                let rowLine = line
                line += scanner.newlines
                if scanner.isBlank { continue }
                guard scanner.fields.count == columnNames.count else {
                    throw InputError(kind: .raggedRow, file: path, line: rowLine,
                                     problem: "the row has \(scanner.fields.count) fields but the header has \(columnNames.count)",
                                     remedy: "give every row the same number of fields as the header")
                }
                row.line = rowLine
                row.scanner = scanner
                try body(row)
            }
        case .jsonl:
            var parser = FlatJSONLine(base: base, end: file.count, position: start)
            let row = TableRow(reader: self)
            var seen: [Bool] = []
            var line = 0
            while let (lineStart, lineEnd) = parser.nextLine() {
                line += 1
                if lineStart == lineEnd { continue }
                row.line = line
                try parser.parseObject(from: lineStart, to: lineEnd, columns: columnNames, into: &row.values, seen: &seen, file: path, line: line)
                row.parser = parser
                row.scanner = nil
                try body(row)
            }
        }
    }

    private func readColumnNames() throws -> [String] {
        let base = file.bytes!
        let start = TransactionSummarizer.hasByteOrderMark(base, count: file.count) ? 3 : 0
        switch format {
        case .csv:
            let scanner = RecordScanner(base: base, start: start, end: file.count, delimiter: 44)
            guard try scanner.next(), !scanner.isBlank else {
                throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file has no header line", remedy: "give a CSV table with a header line")
            }
            return (0..<scanner.fields.count).map { scanner.string($0) }
        case .jsonl:
            var parser = FlatJSONLine(base: base, end: file.count, position: start)
            guard let (a, b) = parser.nextLine() else {
                throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file has no rows", remedy: "give one JSON object per line")
            }
            return try parser.keys(from: a, to: b, file: path)
        }
    }
}

/// The current row of a `TableReader` (valid only inside the `forEachRow` body).
public final class TableRow {
    unowned let reader: TableReader
    /// Line number in the file (1 = header for CSV).
    public internal(set) var line = 0
    var scanner: RecordScanner?
    var values: [FlatJSONLine.Value] = []
    var parser: FlatJSONLine?

    init(reader: TableReader) { self.reader = reader }

    /// Cell `column` as text (a CSV cell neutralised against formulas by `TableWriter` is restored).
    public func text(_ column: Int) -> String {
        if let scanner { return CSVWriter.unneutralise(scanner.string(column)) }
        return parser?.string(values[column]) ?? ""
    }

    /// Cell `column` as a number; nil for an empty or null cell.
    public func optionalNumber(_ column: Int) throws -> Double? {
        if let scanner {
            if scanner.withField(column, { _, n in n == 0 }) { return nil }
            if let x = scanner.withField(column, { p, n in parseDecimal(p, n) }) { return x }
            throw badNumber(column, text(column))
        }
        switch values[column] {
        case .number(let x): return x
        case .null: return nil
        case .text, .rawText:
            let s = text(column)
            if s.isEmpty { return nil }
            if let x = Double(s), x.isFinite { return x }
            throw badNumber(column, s)
        case .bool(let b): throw badNumber(column, b ? "true" : "false")
        }
    }

    /// Cell `column` as a number; an empty cell is an error naming the line and column.
    public func number(_ column: Int) throws -> Double {
        guard let x = try optionalNumber(column) else {
            throw InputError(kind: .badSummaryValue, file: reader.path, line: line, columnName: reader.columnNames[column],
                             columnNumber: column + 1, problem: "the cell is empty", remedy: "give a number in every row of this column")
        }
        return x
    }

    private func badNumber(_ column: Int, _ value: String) -> InputError {
        InputError(kind: .badSummaryValue, file: reader.path, line: line, columnName: reader.columnNames[column],
                   columnNumber: column + 1, value: value, problem: "not a number", remedy: "give a plain decimal number")
    }
}

/// A small parser for JSON lines of flat objects (strings, numbers, booleans, null), as
/// `TableWriter` writes them (RFC 8259 string escapes). Keys are matched against the column names
/// as bytes and unescaped strings stay byte ranges until asked for, so a row allocates nothing.
struct FlatJSONLine {
    enum Value: Equatable {
        case text(String)
        /// A string without escapes: its bytes in the file.
        case rawText(start: Int, count: Int)
        case number(Double)
        case bool(Bool)
        case null
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int
    /// The column names as UTF-8 bytes, for matching keys without making Strings.
    private var columnBytes: [[UInt8]] = []

    init(base: UnsafePointer<UInt8>, end: Int, position: Int) {
        self.base = base; self.end = end; self.position = position
    }

    /// The next line's byte range (without the newline), trimmed of spaces and CR.
    mutating func nextLine() -> (Int, Int)? {
        guard position < end else { return nil }
        var stop = position
        while stop < end && base[stop] != 10 { stop += 1 }
        var a = position, b = stop
        position = stop + 1
        while a < b && (base[a] == 32 || base[a] == 9 || base[a] == 13) { a += 1 }
        while b > a && (base[b - 1] == 32 || base[b - 1] == 9 || base[b - 1] == 13) { b -= 1 }
        return (a, b)
    }

    func string(_ value: Value) -> String {
        switch value {
        case .text(let s): return s
        case let .rawText(start, count): return String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        case .number(let x): return x.description
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        }
    }

    func keys(from a: Int, to b: Int, file: String) throws -> [String] {
        var keys: [String] = []
        try members(from: a, to: b, file: file, line: 1) { key, _ in keys.append(string(key)) }
        return keys
    }

    /// Fills `values` with the object's values in the order of `columns`; a key not in `columns`
    /// or a missing key is an error.
    mutating func parseObject(from a: Int, to b: Int, columns: [String], into values: inout [Value], seen: inout [Bool],
                              file: String, line: Int) throws {
        if columnBytes.count != columns.count { columnBytes = columns.map { Array($0.utf8) } }
        if values.count != columns.count { values = [Value](repeating: .null, count: columns.count) }
        if seen.count != columns.count { seen = [Bool](repeating: false, count: columns.count) }
        for k in seen.indices { seen[k] = false }
        var expected = 0
        let names = columnBytes
        try members(from: a, to: b, file: file, line: line) { key, value in
            let i: Int
            if expected < names.count && matches(key, names[expected]) { i = expected }
            else if let k = names.firstIndex(where: { matches(key, $0) }) { i = k }
            else {
                throw InputError(kind: .raggedRow, file: file, line: line, columnName: string(key), problem: "the key is not in the first row",
                                 remedy: "give every row the same keys")
            }
            values[i] = value
            seen[i] = true
            expected = i + 1
        }
        if let missing = seen.firstIndex(of: false) {
            throw InputError(kind: .raggedRow, file: file, line: line, columnName: columns[missing], problem: "the row has no such key",
                             remedy: "give every row the same keys")
        }
    }

    private func matches(_ key: Value, _ name: [UInt8]) -> Bool {
        switch key {
        case let .rawText(start, count):
            guard count == name.count else { return false }
            return name.withUnsafeBufferPointer { memcmp($0.baseAddress!, base + start, count) == 0 }
        case .text(let s): return Array(s.utf8) == name
        default: return false
        }
    }

    /// Calls `body` with each member's key (a text value) and value.
    private func members(from a: Int, to b: Int, file: String, line: Int, _ body: (Value, Value) throws -> Void) throws {
        var i = a
        func fail(_ what: String) -> InputError {
            InputError(kind: .badQuote, file: file, line: line, columnNumber: i - a + 1, problem: "not a flat JSON object: \(what)",
                       remedy: "give one JSON object of strings, numbers, booleans or null per line")
        }
        func skipSpace() { while i < b && (base[i] == 32 || base[i] == 9) { i += 1 } }
        func string() throws -> Value {
            guard i < b, base[i] == 34 else { throw fail("expected a string") }
            i += 1
            let s = i
            while i < b && base[i] != 34 && base[i] != 92 { i += 1 }
            if i < b && base[i] == 34 {
                i += 1
                return .rawText(start: s, count: i - 1 - s)
            }
            var bytes = Array(UnsafeBufferPointer(start: base + s, count: i - s))
            while i < b && base[i] != 34 {
                if base[i] == 92 {
                    guard i + 1 < b else { throw fail("unfinished escape") }
                    i += 1
                    switch base[i] {
                    case 110: bytes.append(10)
                    case 116: bytes.append(9)
                    case 114: bytes.append(13)
                    case 98: bytes.append(8)
                    case 102: bytes.append(12)
                    case 117:
                        guard i + 4 < b, let code = UInt32(String(decoding: UnsafeBufferPointer(start: base + i + 1, count: 4), as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
                        bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                        i += 4
                    default: bytes.append(base[i])
                    }
                } else {
                    bytes.append(base[i])
                }
                i += 1
            }
            guard i < b else { throw fail("unterminated string") }
            i += 1
            return .text(String(decoding: bytes, as: UTF8.self))
        }
        skipSpace()
        guard i < b, base[i] == 123 else { throw fail("expected {") }
        i += 1
        skipSpace()
        if i < b && base[i] == 125 { return }
        while true {
            skipSpace()
            let key = try string()
            skipSpace()
            guard i < b, base[i] == 58 else { throw fail("expected :") }
            i += 1
            skipSpace()
            guard i < b else { throw fail("missing value") }
            let value: Value
            switch base[i] {
            case 34: value = try string()
            case 110 where b - i >= 4: value = .null; i += 4
            case 116 where b - i >= 4: value = .bool(true); i += 4
            case 102 where b - i >= 5: value = .bool(false); i += 5
            default:
                let s = i
                while i < b && base[i] != 44 && base[i] != 125 && base[i] != 32 { i += 1 }
                guard let x = parseDecimal(base + s, i - s) else { throw fail("bad number") }
                value = .number(x)
            }
            try body(key, value)
            skipSpace()
            guard i < b else { throw fail("expected , or }") }
            if base[i] == 44 { i += 1; continue }
            if base[i] == 125 { return }
            throw fail("expected , or }")
        }
    }
}
