import CustomerData
import Foundation
import GRDB

/// Step 1: loads the history (once) and the drops up to the as-of date that the store has not
/// seen (by file content hash) into `transaction_row`, deduplicated by row hash.
struct Ingest {
    struct FileResult: Sendable {
        var parsed: ParsedTransactions
        var day: String
        var kind: String
        var newRows: Int
    }

    var config: RescoreConfig
    var asOf: CalendarDay

    /// The files read in this run (already-ingested files are skipped and not listed). All their
    /// rows go in at once in row-hash order, the order of the table's B-tree, so a large load appends
    /// pages instead of seeking all over the table; a row in two files counts for the earlier file.
    /// The rows that are new to the store are folded into the customer totals in the same
    /// transaction, and the parsed rows are then handed back (their counts stay).
    func run(_ db: Database, drops: [DropFile]) throws -> [FileResult] {
        var results: [FileResult] = []
        let known = try db.makeStatement(sql: "SELECT 1 FROM ingested_file WHERE content_hash = ?")
        // Seen before, or earlier in this run (the same file under two names is read once).
        var seen = Set<String>()
        let isIngested = { (hash: String) throws -> Bool in
            if try !seen.insert(hash).inserted || Int.fetchOne(known, arguments: [hash]) != nil { return true }
            return false
        }
        if let history = config.history,
           let parsed = try ParsedTransactions.read(history.file, layout: history.layout, latest: asOf, through: history.through, skippingKnown: isIngested) {
            results.append(FileResult(parsed: parsed, day: "history", kind: "history", newRows: 0))
        }
        for drop in drops {
            guard let parsed = try ParsedTransactions.read(drop.url, layout: config.dropLayout, latest: drop.day, skippingKnown: isIngested) else { continue }
            results.append(FileResult(parsed: parsed, day: drop.day.description, kind: "drop", newRows: 0))
        }
        // The rows' customers are numbered on another core while this one inserts the rows.
        let customers = RowCustomers()
        let numbering = DispatchGroup()
        let rows = results.map { Self.isStorable($0.parsed) ? $0.parsed.rows : [] }
        DispatchQueue.global().async(group: numbering) { customers.number(rows) }
        let isNew: [[Bool]]
        do { isNew = try insertRows(db, &results) } catch {
            numbering.wait()
            throw error
        }
        numbering.wait()
        try CustomerTotals.apply(db, fold(&results, isNew: isNew, customers: customers))
        for (f, result) in results.enumerated() where Self.isStorable(result.parsed) { try recordFile(db, result, customers: customers.perFile[f]) }
        return results
    }

    /// Unreadable files are reported by the gates; nothing of them is stored.
    static func isStorable(_ parsed: ParsedTransactions) -> Bool {
        parsed.truncation == nil && parsed.changedHeader == nil && !parsed.contentHash.isEmpty
    }

    /// Rows gathered per chunk before they are inserted (a few hundred kB, stays in cache).
    static let gatherChunk = 1 << 14

    /// Inserts the storable files' rows in row-hash order (SQLite C API: GRDB's arguments box every
    /// value, which at millions of rows cost more than the insert); per file, which rows were new.
    func insertRows(_ db: Database, _ results: inout [FileResult]) throws -> [[Bool]] {
        var isNew = results.map { [Bool](repeating: false, count: Self.isStorable($0.parsed) ? $0.parsed.rows.count : 0) }
        var order: [(hash: Int64, file: Int32, row: Int32)] = []
        order.reserveCapacity(isNew.reduce(0) { $0 + $1.count })
        for (f, result) in results.enumerated() where Self.isStorable(result.parsed) {
            for (r, row) in result.parsed.rows.enumerated() { order.append((row.hash, Int32(f), Int32(r))) }
        }
        order.sort { ($0.hash, $0.file, $0.row) < ($1.hash, $1.file, $1.row) }
        let insert = try RawStatement(db, sql: "INSERT OR IGNORE INTO transaction_row (row_hash, customer_id, day, amount, drop_date) VALUES (?, ?, ?, ?, ?)")
        // Day texts live as long as the loop, so they are bound without a copy.
        var texts = StableTexts()
        defer { texts.free() }
        let dropDates = results.map { texts.text($0.day) }
        let rows = results.map(\.parsed.rows)
        // Rows are gathered a chunk at a time in a tight loop (many cache misses in flight at once),
        // then inserted: read one by one between inserts, each row of a large load was a cache miss.
        var chunk: [(row: TransactionRow, file: Int32, index: Int32)] = []
        chunk.reserveCapacity(Self.gatherChunk)
        for start in stride(from: 0, to: order.count, by: Self.gatherChunk) {
            chunk.removeAll(keepingCapacity: true)
            for entry in order[start..<min(start + Self.gatherChunk, order.count)] {
                chunk.append((rows[Int(entry.file)][Int(entry.row)], entry.file, entry.row))
            }
            for (row, file, index) in chunk {
                let f = Int(file)
                let day = texts.day(row.day)
                var id = row.customerID
                let changed = try id.withUTF8 { id -> Int in
                    insert.bind(1, row.hash)
                    insert.bind(2, borrowedText: id)
                    insert.bind(3, borrowedText: day)
                    insert.bind(4, row.amount)
                    insert.bind(5, borrowedText: dropDates[f])
                    return try insert.execute()
                }
                if changed > 0 {
                    isNew[f][Int(index)] = true
                    results[f].newRows += 1
                }
            }
        }
        return isNew
    }

    /// The new rows as a batch for the customer totals; the parsed rows are handed back file by file.
    func fold(_ results: inout [FileResult], isNew: [[Bool]], customers: RowCustomers) -> TotalsBatch {
        var batch = TotalsBatch(numbered: customers, expectedRows: results.reduce(0) { $0 + $1.newRows })
        for f in results.indices where !isNew[f].isEmpty {
            let numbers = customers.numbers[f]
            for (r, row) in results[f].parsed.rows.enumerated() where isNew[f][r] {
                batch.append(customer: numbers[r], day: Int32(row.day.dayNumber), amount: row.amount)
            }
            results[f].parsed.releaseRows()
        }
        return batch
    }

    func recordFile(_ db: Database, _ result: FileResult, customers: Int) throws {
        let parsed = result.parsed
        try db.execute(sql: "INSERT INTO ingested_file (content_hash, name, drop_date, kind, rows, new_rows, customers, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [parsed.contentHash, parsed.name, result.day, result.kind, parsed.rowCount, result.newRows, customers, parsed.rejected.count])
        let reject = try db.makeStatement(sql: "INSERT INTO rejected_row (content_hash, line, reason, text) VALUES (?, ?, ?, ?)")
        for r in parsed.rejected { try reject.execute(arguments: [parsed.contentHash, r.line, r.reason, r.text]) }
    }
}
