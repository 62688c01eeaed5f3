import CustomerData
import Foundation

/// One transaction of a drop, with the content hash that deduplicates re-delivered rows.
public struct TransactionRow: Sendable, Equatable {
    public var customerID: String
    public var day: CalendarDay
    public var amount: Double
    /// FNV-1a 64 of (customer id, day, amount): the same purchase delivered twice has the same hash.
    public var hash: Int64

    public init(customerID: String, day: CalendarDay, amount: Double) {
        self.customerID = customerID
        self.day = day
        self.amount = amount
        var h = FNV1a()
        h.add(bytes: customerID.utf8)
        h.add(UInt64(bitPattern: Int64(day.dayNumber)))
        h.add(amount.bitPattern)
        hash = Int64(bitPattern: h.value)
    }
}

/// A transaction file read and checked against its layout: the rows, the rows rejected (line and
/// reason), and what the quality gates look at (header, truncation, future dates).
public struct ParsedTransactions: Sendable {
    public struct Rejected: Sendable, Equatable {
        public var line: Int
        public var reason: String
        public var text: String
    }

    public var name: String
    public var rows: [TransactionRow] = []
    public var rejected: [Rejected] = []
    /// The header when it differs from the configured columns.
    public var changedHeader: [String]?
    /// Why the file looks cut short (no final newline, unreadable gzip), nil when whole.
    public var truncation: String?
    /// Rows dated after the latest allowed day: (line, day).
    public var future: [(line: Int, day: CalendarDay)] = []
    /// FNV-1a 64 of the file's (decompressed) bytes, to recognise a re-delivered file.
    public var contentHash = ""

    public var customers: Int { Set(rows.map(\.customerID)).count }
    /// Rows read, also after `releaseRows()`.
    public var rowCount: Int { rows.count + releasedRows }
    var releasedRows = 0
    public var rejectedShare: Double {
        let total = rowCount + rejected.count
        return total == 0 ? 0 : Double(rejected.count) / Double(total)
    }

    /// Hands back the rows' memory once they are stored (a first load holds millions); counts stay.
    mutating func releaseRows() {
        releasedRows += rows.count
        rows = []
    }

    /// Reads `url` (plain or gzip) with `layout`. Rows after `through` are skipped (history loads);
    /// rows after `latest` are recorded as future-dated.
    public static func read(_ url: URL, layout: RescoreConfig.TableLayout, latest: CalendarDay, through: CalendarDay? = nil) -> ParsedTransactions {
        read(url, layout: layout, latest: latest, through: through, skippingKnown: { _ in false })!
    }

    /// As `read`, but returns nil without parsing when `known(contentHash)` says the file's content
    /// was read before (the nightly run hashes every drop each night and parses only new ones).
    public static func read(_ url: URL, layout: RescoreConfig.TableLayout, latest: CalendarDay, through: CalendarDay? = nil,
                            skippingKnown known: (String) throws -> Bool) rethrows -> ParsedTransactions? {
        var parsed = ParsedTransactions(name: url.lastPathComponent)
        let bytes: [UInt8]
        do { bytes = try InputSource.readAll(url.path) } catch {
            parsed.truncation = "cannot be read whole: \(error)"
            return parsed
        }
        var hash = FNV1a()
        hash.add(bytes: bytes)
        parsed.contentHash = hash.hex
        if try known(parsed.contentHash) { return nil }
        guard !bytes.isEmpty else { parsed.truncation = "is empty (not even a header)"; return parsed }
        if bytes.last != UInt8(ascii: "\n") { parsed.truncation = "does not end with a newline (cut off while being written?)" }
        parsed.parse(bytes, layout: layout, latest: latest, through: through)
        return parsed
    }

    mutating func parse(_ bytes: [UInt8], layout: RescoreConfig.TableLayout, latest: CalendarDay, through: CalendarDay?) {
        let columns = (customer: layout.columns.firstIndex(of: layout.customerColumn)!, date: layout.columns.firstIndex(of: layout.dateColumn)!,
                       amount: layout.columns.firstIndex(of: layout.amountColumn)!)
        // A one-byte delimiter lets plain lines (no quotes) be cut without building a String per line and field.
        let delimiter: UInt8? = switch layout.delimiter {
        case "whitespace": nil
        case "tab": 9
        default: layout.delimiter.utf8.count == 1 ? layout.delimiter.utf8.first : nil
        }
        var cells = [Range<Int>](repeating: 0..<0, count: layout.columns.count)
        var lineNumber = 0
        bytes.withUnsafeBufferPointer { buffer in
            var start = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while start < buffer.count {
                let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
                var lineEnd = end
                if lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                lineNumber += 1
                defer { start = end + 1 }
                if lineNumber > 1, let delimiter, Self.cut(buffer, start..<lineEnd, delimiter: delimiter, into: &cells) {
                    let text = { (r: Range<Int>) in String(decoding: UnsafeBufferPointer(rebasing: buffer[r]), as: UTF8.self) }
                    if accept(customer: text(cells[columns.customer]), date: text(cells[columns.date]), amount: text(cells[columns.amount]),
                              line: lineNumber, layout: layout, latest: latest, through: through) { continue }
                }
                // Headers, quoted or odd lines, and every rejection take the general path (same messages).
                let line = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<lineEnd]), as: UTF8.self)
                let fields = Self.split(line, delimiter: layout.delimiter)
                if lineNumber == 1 {
                    if fields != layout.columns { changedHeader = fields }
                    continue
                }
                if fields.isEmpty || (fields.count == 1 && fields[0].isEmpty) { continue }
                guard fields.count == layout.columns.count else {
                    rejected.append(.init(line: lineNumber, reason: "has \(fields.count) fields, the header \(layout.columns.count)", text: line))
                    continue
                }
                guard !fields[columns.customer].isEmpty else {
                    rejected.append(.init(line: lineNumber, reason: "blank \(layout.customerColumn)", text: line)); continue
                }
                guard (try? CalendarDay(parsing: fields[columns.date], pattern: layout.datePattern)) != nil else {
                    rejected.append(.init(line: lineNumber, reason: "\(layout.dateColumn) \(fields[columns.date]) is not a date \(layout.datePattern)", text: line)); continue
                }
                guard let amount = Double(fields[columns.amount]), amount.isFinite else {
                    rejected.append(.init(line: lineNumber, reason: "\(layout.amountColumn) \(fields[columns.amount]) is not a number", text: line)); continue
                }
                guard abs(amount) < ExactAmount.limit else {
                    rejected.append(.init(line: lineNumber, reason: "\(layout.amountColumn) \(fields[columns.amount]) is out of range (below 1e15 in size)", text: line)); continue
                }
                _ = accept(customer: fields[columns.customer], date: fields[columns.date], amount: fields[columns.amount],
                           line: lineNumber, layout: layout, latest: latest, through: through)
            }
        }
    }

    /// Takes a row whose fields are all valid (true), or leaves it to the general path (false).
    mutating func accept(customer: String, date: String, amount: String, line: Int, layout: RescoreConfig.TableLayout,
                         latest: CalendarDay, through: CalendarDay?) -> Bool {
        guard !customer.isEmpty, let day = try? CalendarDay(parsing: date, pattern: layout.datePattern),
              let value = Double(amount), value.isFinite, abs(value) < ExactAmount.limit else { return false }
        if let through, day > through { return true }
        if day > latest { future.append((line, day)); return true }
        rows.append(TransactionRow(customerID: customer, day: day, amount: value))
        return true
    }

    /// Cuts `range` of a line with no quote at `delimiter` into exactly `cells.count` fields; false
    /// for a quoted line or another number of fields.
    static func cut(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, delimiter: UInt8, into cells: inout [Range<Int>]) -> Bool {
        var field = 0, fieldStart = range.lowerBound
        for i in range {
            let b = buffer[i]
            if b == UInt8(ascii: "\"") { return false }
            if b == delimiter {
                guard field < cells.count - 1 else { return false }
                cells[field] = fieldStart..<i
                field += 1
                fieldStart = i + 1
            }
        }
        guard field == cells.count - 1 else { return false }
        cells[field] = fieldStart..<range.upperBound
        return true
    }

    /// Splits a line on the delimiter; double quotes around a field are removed (`""` inside is a quote).
    static func split(_ line: String, delimiter: String) -> [String] {
        if delimiter == "whitespace" { return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        let separator: Character = delimiter == "tab" ? "\t" : Character(delimiter)
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote inside quotes is one quote; a single one closes the field.
                    var lookahead = iterator
                    if lookahead.next() == "\"" { field.append("\""); iterator = lookahead } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == separator {
                fields.append(field); field = ""
            } else { field.append(c) }
        }
        fields.append(field)
        return fields
    }
}
