import Foundation

/// The layout of a transaction file found from its first line: delimiter, column names (or numbers for
/// headerless files), where the data starts, and the positions of the customer, date and amount columns.
struct FileLayout {
    let delimiter: Delimiter
    let columnNames: [String]
    /// Line of the header (or of the first row when there is no header).
    let headerLine: Int
    let firstDataLine: Int
    /// Byte offset of the first data row.
    let dataStart: Int
    let leadingBlankLines: Int
    let customerIndex: Int
    let dateIndex: Int
    let amountIndex: Int?
    let quantityIndex: Int?
    let priceIndex: Int?
    let invoiceIndex: Int?

    /// Reads the first non-blank line (after a byte-order mark) and resolves the chosen columns.
    static func read(_ base: UnsafePointer<UInt8>, count: Int, format: TransactionFileFormat, path: String) throws -> FileLayout {
        try TextCheck.requireText(base, count: count, path: path)
        var line = 1
        var blankLines = 0
        var offset = TransactionSummarizer.hasByteOrderMark(base, count: count) ? 3 : 0
        while offset < count {
            let probe = RecordScanner(base: base, start: offset, end: count, delimiter: nil)
            guard try probe.next() else { break }
            if !probe.fields.isEmpty { break }
            offset = probe.position
            line += probe.newlines
            blankLines += 1
        }
        guard offset < count else {
            throw InputError(kind: .emptyFile, file: path, line: 1, problem: "the file is empty",
                             remedy: "check that the right file was given and that it was fully written")
        }
        let delimiter = format.delimiter == .auto ? detectDelimiter(base, from: offset, end: count) : format.delimiter
        let first = RecordScanner(base: base, start: offset, end: count, delimiter: delimiter.byte)
        do { _ = try first.next() } catch let e as InputError { throw e.located(file: path, line: line) }
        let firstFields = (0..<first.fields.count).map { first.string($0) }

        let names = format.hasHeader ? firstFields : (1...max(1, firstFields.count)).map { "column \($0)" }
        if format.hasHeader { try checkDuplicateNames(names, path: path, line: line) }
        func resolve(_ column: Column, _ role: String) throws -> Int {
            try resolveColumn(column, role: role, names: names, hasHeader: format.hasHeader, path: path, line: line)
        }
        return FileLayout(
            delimiter: delimiter, columnNames: names, headerLine: line,
            firstDataLine: format.hasHeader ? line + first.newlines : line,
            dataStart: format.hasHeader ? first.position : offset,
            leadingBlankLines: blankLines,
            customerIndex: try resolve(format.customer, "customer"),
            dateIndex: try resolve(format.date, "date"),
            amountIndex: try format.amount.map { try resolve($0, "amount") },
            quantityIndex: try format.quantity.map { try resolve($0, "quantity") },
            priceIndex: try format.price.map { try resolve($0, "price") },
            invoiceIndex: try format.invoice.map { try resolve($0, "invoice") })
    }

    /// The most frequent of `,` `;` tab `|` outside quotes on the first line; whitespace if none occurs.
    static func detectDelimiter(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Delimiter {
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        var i = start
        while i < end && base[i] != 10 {
            let c = base[i]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && (c == 44 || c == 59 || c == 9 || c == 124) { counts[c, default: 0] += 1 }
            i += 1
        }
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else {
            return .whitespace
        }
        switch best.key {
        case 59: return .semicolon
        case 9: return .tab
        case 124: return .pipe
        default: return .comma
        }
    }

    private static func checkDuplicateNames(_ names: [String], path: String, line: Int) throws {
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if let earlier = seen[name] {
                throw InputError(kind: .duplicateHeader, file: path, line: line, columnName: name, columnNumber: i + 1,
                                 problem: "the header name is used twice (also column \(earlier + 1))",
                                 remedy: "rename one of the columns so every header name is unique")
            }
            seen[name] = i
        }
    }

    private static func resolveColumn(_ column: Column, role: String, names: [String], hasHeader: Bool,
                                      path: String, line: Int) throws -> Int {
        let available = hasHeader ? names.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: ", ")
                                  : "\(names.count) unnamed columns"
        switch column {
        case .number(let k):
            guard k >= 1 && k <= names.count else {
                throw InputError(kind: .missingColumn, file: path, line: line, columnName: role, columnNumber: k,
                                 problem: "there is no column \(k) for the \(role); the file has \(names.count) columns (\(available))",
                                 remedy: "choose a column number between 1 and \(names.count)")
            }
            return k - 1
        case .name(let name):
            guard hasHeader else {
                throw InputError(kind: .missingColumn, file: path, line: line, columnName: name,
                                 problem: "the file has no header, so the \(role) column cannot be chosen by name",
                                 remedy: "choose columns by number (1-based) for headerless files")
            }
            if let i = names.firstIndex(of: name) { return i }
            let folded = names.indices.filter { names[$0].lowercased() == name.lowercased() }
            if folded.count == 1 { return folded[0] }
            throw InputError(kind: .missingColumn, file: path, line: line, columnName: name,
                             problem: "no \(role) column named \"\(name)\"; the columns are \(available)",
                             remedy: "choose one of the existing columns (by name or 1-based number)")
        }
    }
}
