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

    /// The files read in this run (already-ingested files are skipped and not listed).
    func run(_ db: Database, drops: [DropFile]) throws -> [FileResult] {
        var results: [FileResult] = []
        if let history = config.history {
            let parsed = ParsedTransactions.read(history.file, layout: history.layout, latest: asOf, through: history.through)
            if try !isIngested(db, parsed) {
                results.append(try store(db, parsed, day: "history", kind: "history"))
            }
        }
        for drop in drops {
            let parsed = ParsedTransactions.read(drop.url, layout: config.dropLayout, latest: drop.day)
            if try isIngested(db, parsed) { continue }
            results.append(try store(db, parsed, day: drop.day.description, kind: "drop"))
        }
        return results
    }

    func isIngested(_ db: Database, _ parsed: ParsedTransactions) throws -> Bool {
        guard !parsed.contentHash.isEmpty else { return false }
        return try Int.fetchOne(db, sql: "SELECT 1 FROM ingested_file WHERE content_hash = ?", arguments: [parsed.contentHash]) != nil
    }

    func store(_ db: Database, _ parsed: ParsedTransactions, day: String, kind: String) throws -> FileResult {
        var result = FileResult(parsed: parsed, day: day, kind: kind, newRows: 0)
        // Unreadable files are reported by the gates; nothing of them is stored.
        guard parsed.truncation == nil, parsed.changedHeader == nil, !parsed.contentHash.isEmpty else { return result }
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO transaction_row (row_hash, customer_id, day, amount, drop_date) VALUES (?, ?, ?, ?, ?)")
        for row in parsed.rows {
            try insert.execute(arguments: [row.hash, row.customerID, row.day.description, row.amount, day])
            result.newRows += db.changesCount
        }
        try db.execute(sql: "INSERT INTO ingested_file (content_hash, name, drop_date, kind, rows, new_rows, customers, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [parsed.contentHash, parsed.name, day, kind, parsed.rows.count, result.newRows, parsed.customers, parsed.rejected.count])
        let reject = try db.makeStatement(sql: "INSERT INTO rejected_row (content_hash, line, reason, text) VALUES (?, ?, ?, ?)")
        for r in parsed.rejected { try reject.execute(arguments: [parsed.contentHash, r.line, r.reason, r.text]) }
        return result
    }
}
