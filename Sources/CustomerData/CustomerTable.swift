import Foundation

/// A customer table read from CSV: a header row naming the columns, then one record per customer.
///
/// Values are kept as the raw strings of the file (after RFC 4180 unquoting), stored column-wise,
/// so that each consumer decides how to type a column (number, boolean, category) and can name the
/// offending line when a value does not fit. Nothing is trimmed or converted here.
///
/// Parsing follows RFC 4180: fields separated by commas, records by LF or CRLF; a field may be
/// enclosed in double quotes, in which case it may contain commas, line breaks and doubled quotes
/// (`""` stands for one `"`). A final line break is optional; completely empty lines are skipped.
public struct CustomerTable: Equatable, Sendable {
    /// Column names in file order.
    public let columnNames: [String]
    /// `columns[j][i]` is the raw value of column `j` in record `i`.
    public private(set) var columns: [[String]]
    /// The 1-based line of the file on which each record starts (the header is line 1).
    public private(set) var lineNumbers: [Int]
    /// Where the table came from (a path or a label), used in error messages.
    public let source: String

    public var rowCount: Int { lineNumbers.count }

    /// Builds a table from column-wise values; all columns must have the same length.
    public init(columnNames: [String], columns: [[String]], lineNumbers: [Int]? = nil, source: String = "<memory>") throws {
        guard columnNames.count == columns.count else {
            throw CustomerTableError.malformed(source: source, line: 1, message: "\(columnNames.count) names for \(columns.count) columns")
        }
        if let dup = CustomerTable.firstDuplicate(columnNames) {
            throw CustomerTableError.duplicateColumn(source: source, name: dup)
        }
        let n = columns.first?.count ?? 0
        for (name, col) in zip(columnNames, columns) where col.count != n {
            throw CustomerTableError.malformed(source: source, line: 1, message: "column '\(name)' has \(col.count) values, expected \(n)")
        }
        self.columnNames = columnNames
        self.columns = columns
        self.lineNumbers = lineNumbers ?? (0..<n).map { $0 + 2 }
        self.source = source
    }

    /// Reads a CSV file (UTF-8).
    public init(contentsOf url: URL) throws {
        try self.init(path: url.path)
    }

    /// Reads a table from `path` (a file, gzip, or `-` for standard input; see `InputSource`) in `format`.
    public init(path: String, format: TableTextFormat = TableTextFormat()) throws {
        try self.init(bytes: try InputSource.readAll(path, encoding: format.encoding), source: InputSource.displayName(path), format: format)
    }

    /// Parses CSV bytes. `source` names the input in error messages.
    public init(csv data: Data, source: String = "<memory>", format: TableTextFormat = TableTextFormat()) throws {
        try self.init(bytes: [UInt8](data), source: source, format: format)
    }

    /// Parses UTF-8 table bytes in `format`: the delimiter (detected from the header line for `.auto`),
    /// and numbers in the format's locale rewritten to plain form (`1.234,50` → `1234.5`), so every
    /// consumer reads them as numbers. Without a number format, values that only a decimal comma or a
    /// thousands point would explain are an error suggesting the option (in files not separated by commas).
    public init(bytes: [UInt8], source: String, format: TableTextFormat) throws {
        var delimiter: UInt8 = 44
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            try TextCheck.requireText(base, count: buffer.count, path: source)
            if format.delimiter == .auto {
                let start = TransactionSummarizer.hasByteOrderMark(base, count: buffer.count) ? 3 : 0
                delimiter = FileLayout.detectDelimiter(base, from: start, end: buffer.count).byte ?? 44
            } else if let byte = format.delimiter.byte {
                delimiter = byte
            }
        }
        try self.init(records: try CustomerTable.parseRecords(bytes, source: source, delimiter: delimiter), source: source)
        try localiseNumbers(format.numbers, semicolonFile: delimiter == 59, checkAmbiguity: delimiter != 44)
    }

    private init(records: [Record], source: String) throws {
        guard let header = records.first else { throw CustomerTableError.empty(source: source) }
        var names = header.fields
        // A UTF-8 byte-order mark at the very start belongs to no column name.
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        var columns = [[String]](repeating: [], count: names.count)
        var lines: [Int] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw CustomerTableError.malformed(source: source, line: record.line,
                                                   message: "\(record.fields.count) fields, but the header has \(names.count) columns")
            }
            for j in 0..<names.count { columns[j].append(record.fields[j]) }
            lines.append(record.line)
        }
        try self.init(columnNames: names, columns: columns, lineNumbers: lines, source: source)
    }

    /// Whether a column of this name exists.
    public func hasColumn(_ name: String) -> Bool { columnNames.contains(name) }

    /// The raw values of a column, or a clear error naming the available columns.
    public func column(named name: String) throws -> [String] {
        guard let j = columnNames.firstIndex(of: name) else {
            throw CustomerTableError.missingColumn(source: source, name: name, available: columnNames)
        }
        return columns[j]
    }

    /// A table holding only the records at `indices` (in that order).
    public func selectingRows(_ indices: [Int]) -> CustomerTable {
        var copy = self
        copy.columns = columns.map { col in indices.map { col[$0] } }
        copy.lineNumbers = indices.map { lineNumbers[$0] }
        return copy
    }

    // MARK: - RFC 4180 parsing

    struct Record { var fields: [String]; var line: Int }

    /// Splits bytes into records of fields, tracking the line each record starts on.
    static func parseRecords(_ bytes: [UInt8], source: String, delimiter comma: UInt8 = 44) throws -> [Record] {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var i = 0
        var inQuotes = false
        var fieldWasQuoted = false
        func finishField() throws {
            guard let s = String(validating: field, as: UTF8.self) else {
                throw CustomerTableError.malformed(source: source, line: line, message: "text is not valid UTF-8")
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            try finishField()
            // A completely empty line is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    inQuotes = false
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case quote:
                guard field.isEmpty && !fieldWasQuoted else {
                    throw CustomerTableError.malformed(source: source, line: line,
                                                       message: "a double quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                fieldWasQuoted = true
            case comma:
                try finishField()
            case cr where i + 1 < bytes.count && bytes[i + 1] == lf:
                break // the LF that follows ends the record
            case lf, cr:
                try finishRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw CustomerTableError.malformed(source: source, line: line, message: "text after the closing quote of a field")
                }
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw CustomerTableError.malformed(source: source, line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try finishRecord() }
        return records
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for n in names { if !seen.insert(n).inserted { return n } }
        return nil
    }
}

/// Why a customer table could not be read. Messages name the file and line.
public enum CustomerTableError: Error, Equatable, CustomStringConvertible {
    case unreadable(source: String, reason: String)
    case empty(source: String)
    case malformed(source: String, line: Int, message: String)
    case duplicateColumn(source: String, name: String)
    case missingColumn(source: String, name: String, available: [String])

    public var description: String {
        switch self {
        case let .unreadable(source, reason): return "\(source): cannot read the file: \(reason)"
        case let .empty(source): return "\(source): the file is empty (a header row is required)"
        case let .malformed(source, line, message): return "\(source):\(line): \(message)"
        case let .duplicateColumn(source, name): return "\(source):1: column '\(name)' appears more than once in the header"
        case let .missingColumn(source, name, available):
            return "\(source): no column named '\(name)'; the columns are: \(available.joined(separator: ", "))"
        }
    }
}

extension CustomerTable {
    /// Rewrites the numbers written in `numbers` to plain form; with the default format, refuses values
    /// that only a decimal comma or thousands point would explain (when `checkAmbiguity`).
    mutating func localiseNumbers(_ numbers: NumberFormat, semicolonFile: Bool, checkAmbiguity: Bool) throws {
        if numbers.isPlain {
            guard checkAmbiguity && numbers.decimalMark == .auto else { return }
            let plain = NumberReader(format: numbers, semicolonFile: semicolonFile)
            let european = NumberReader(format: NumberFormat(decimalMark: .comma, thousandsSeparator: "."), semicolonFile: false)
            for (j, column) in columns.enumerated() {
                for (i, value) in column.enumerated() where value.utf8.contains(where: { $0 == 44 || $0 == 46 }) {
                    guard CustomerTable.parse(plain, value) == nil, CustomerTable.parse(european, value) != nil else { continue }
                    let why = plain.problem(value)
                    throw InputError(kind: .ambiguousNumber, file: source, line: lineNumbers[i], columnName: columnNames[j],
                                     columnNumber: j + 1, value: value, problem: why.problem, remedy: why.remedy)
                }
            }
            return
        }
        let reader = NumberReader(format: numbers, semicolonFile: semicolonFile)
        var marks = Set<UInt8>([44, 46])
        marks.formUnion(numbers.thousandsSeparator ?? [])
        for symbol in numbers.currencySymbols { marks.formUnion(symbol) }
        for j in columns.indices {
            for i in columns[j].indices where columns[j][i].utf8.contains(where: { marks.contains($0) }) {
                if let v = CustomerTable.parse(reader, columns[j][i]) { columns[j][i] = "\(v)" }
            }
        }
    }

    private static func parse(_ reader: NumberReader, _ value: String) -> Double? {
        var text = value.trimmingCharacters(in: .whitespaces)
        return text.withUTF8 { buffer in buffer.baseAddress.flatMap { reader.parse($0, buffer.count) } }
    }
}
