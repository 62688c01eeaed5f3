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
        try insertRows(db, &results)
        for result in results where Self.isStorable(result.parsed) { try recordFile(db, result) }
        return results
    }

    /// Unreadable files are reported by the gates; nothing of them is stored.
    static func isStorable(_ parsed: ParsedTransactions) -> Bool {
        parsed.truncation == nil && parsed.changedHeader == nil && !parsed.contentHash.isEmpty
    }

    func insertRows(_ db: Database, _ results: inout [FileResult]) throws {
        var order: [(hash: Int64, file: Int32, row: Int32)] = []
        order.reserveCapacity(results.reduce(0) { $0 + $1.parsed.rows.count })
        for (f, result) in results.enumerated() where Self.isStorable(result.parsed) {
            for (r, row) in result.parsed.rows.enumerated() { order.append((row.hash, Int32(f), Int32(r))) }
        }
        order.sort { ($0.hash, $0.file, $0.row) < ($1.hash, $1.file, $1.row) }
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO transaction_row (row_hash, customer_id, day, amount, drop_date) VALUES (?, ?, ?, ?, ?)")
        for entry in order {
            let f = Int(entry.file), row = results[f].parsed.rows[Int(entry.row)]
            try insert.execute(arguments: [row.hash, row.customerID, row.day.description, row.amount, results[f].day])
            results[f].newRows += db.changesCount
        }
    }

    func recordFile(_ db: Database, _ result: FileResult) throws {
        let parsed = result.parsed
        try db.execute(sql: "INSERT INTO ingested_file (content_hash, name, drop_date, kind, rows, new_rows, customers, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [parsed.contentHash, parsed.name, result.day, result.kind, parsed.rows.count, result.newRows, parsed.customers, parsed.rejected.count])
        let reject = try db.makeStatement(sql: "INSERT INTO rejected_row (content_hash, line, reason, text) VALUES (?, ?, ?, ?)")
        for r in parsed.rejected { try reject.execute(arguments: [parsed.contentHash, r.line, r.reason, r.text]) }
    }
}
