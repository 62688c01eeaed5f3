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
    public var rejectedShare: Double {
        let total = rows.count + rejected.count
        return total == 0 ? 0 : Double(rejected.count) / Double(total)
    }

    /// Reads `url` (plain or gzip) with `layout`. Rows after `through` are skipped (history loads);
    /// rows after `latest` are recorded as future-dated.
    public static func read(_ url: URL, layout: RescoreConfig.TableLayout, latest: CalendarDay, through: CalendarDay? = nil) -> ParsedTransactions {
        var parsed = ParsedTransactions(name: url.lastPathComponent)
        let bytes: [UInt8]
        do { bytes = try InputSource.readAll(url.path) } catch {
            parsed.truncation = "cannot be read whole: \(error)"
            return parsed
        }
        var hash = FNV1a()
        hash.add(bytes: bytes)
        parsed.contentHash = hash.hex
        guard !bytes.isEmpty else { parsed.truncation = "is empty (not even a header)"; return parsed }
        if bytes.last != UInt8(ascii: "\n") { parsed.truncation = "does not end with a newline (cut off while being written?)" }
        parsed.parse(bytes, layout: layout, latest: latest, through: through)
        return parsed
    }

    mutating func parse(_ bytes: [UInt8], layout: RescoreConfig.TableLayout, latest: CalendarDay, through: CalendarDay?) {
        let customer = layout.columns.firstIndex(of: layout.customerColumn)!
        let date = layout.columns.firstIndex(of: layout.dateColumn)!
        let amount = layout.columns.firstIndex(of: layout.amountColumn)!
        var lineNumber = 0
        var start = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = String(decoding: bytes[start..<lineEnd], as: UTF8.self)
            lineNumber += 1
            start = end + 1
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
            guard !fields[customer].isEmpty else {
                rejected.append(.init(line: lineNumber, reason: "blank \(layout.customerColumn)", text: line)); continue
            }
            guard let day = try? CalendarDay(parsing: fields[date], pattern: layout.datePattern) else {
                rejected.append(.init(line: lineNumber, reason: "\(layout.dateColumn) \(fields[date]) is not a date \(layout.datePattern)", text: line)); continue
            }
            guard let value = Double(fields[amount]), value.isFinite else {
                rejected.append(.init(line: lineNumber, reason: "\(layout.amountColumn) \(fields[amount]) is not a number", text: line)); continue
            }
            if let through, day > through { continue }
            if day > latest { future.append((lineNumber, day)); continue }
            rows.append(TransactionRow(customerID: fields[customer], day: day, amount: value))
        }
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
