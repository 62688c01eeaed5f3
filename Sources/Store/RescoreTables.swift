import GRDB

/// Tables of the nightly rescoring (`klant rescore`): ingested drops and transactions, fitted
/// models, score snapshots (one per as-of date) and the run records.
enum RescoreTables {
    @Sendable static func createV1(_ db: Database) throws {
        // One row per drop file content ingested; a re-delivered identical file matches its hash.
        try db.create(table: "ingested_file") { t in
            t.column("content_hash", .text).primaryKey()
            t.column("name", .text).notNull()
            t.column("drop_date", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("rows", .integer).notNull()
            t.column("new_rows", .integer).notNull()
            t.column("customers", .integer).notNull()
            t.column("rejected", .integer).notNull()
        }
        // Rows a drop could not use, kept so none goes away silently (published with the day's outputs).
        try db.create(table: "rejected_row") { t in
            t.column("content_hash", .text).notNull().references("ingested_file", onDelete: .cascade)
            t.column("line", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("text", .text).notNull()
            t.primaryKey(["content_hash", "line"])
        }
        // Transactions deduplicated by the content hash of their row.
        try db.create(table: "transaction_row") { t in
            t.column("row_hash", .integer).primaryKey()
            t.column("customer_id", .text).notNull()
            t.column("day", .text).notNull()
            t.column("amount", .double).notNull()
            t.column("drop_date", .text).notNull()
        }
        try db.create(index: "transaction_row_day", on: "transaction_row", columns: ["day"])
        // Models fitted by the refit policy; the latest converged fit at or before an as-of date is used.
        try db.create(table: "model_fit") { t in
            t.column("fitted_as_of", .text).notNull()
            t.column("role", .text).notNull()
            t.column("path", .text).notNull()
            t.column("fingerprint", .text).notNull()
            t.column("accepted", .boolean).notNull()
            t.column("note", .text).notNull()
            t.primaryKey(["fitted_as_of", "role"])
        }
        // One score snapshot per as-of date: what the change report compares against.
        try db.create(table: "score_snapshot") { t in
            t.column("as_of", .text).notNull()
            t.column("customer_id", .text).notNull()
            t.column("probability_alive", .double)
            t.column("clv", .double)
            t.column("value_segment", .text).notNull()
            t.primaryKey(["as_of", "customer_id"])
        }
        // The run record: ids, timestamps and durations live here and in the logs, never in outputs.
        try db.create(table: "run") { t in
            t.column("run_id", .text).primaryKey()
            t.column("as_of", .text).notNull()
            t.column("started_at", .text).notNull()
            t.column("finished_at", .text).notNull()
            t.column("outcome", .text).notNull()
            t.column("exit_code", .integer).notNull()
            t.column("pid", .integer).notNull()
            t.column("counts", .text).notNull()
            t.column("durations", .text).notNull()
            t.column("message", .text).notNull()
        }
    }

    /// The refit policy's drift rule: a deterministic sample of the customers as they were when a
    /// refit was fitted (its holdout base), one holdout check per as-of date comparing the model's
    /// predicted repeat purchases since the fit with the actual ones, and the refit decision of
    /// each run in its run record.
    @Sendable static func createV3(_ db: Database) throws {
        try db.create(table: "holdout_base") { t in
            t.column("fitted_as_of", .text).notNull()
            t.column("customer_id", .text).notNull()
            t.column("frequency", .double).notNull()
            t.column("recency", .double).notNull()
            t.column("t", .double).notNull()
            t.primaryKey(["fitted_as_of", "customer_id"])
        }
        try db.create(table: "holdout_check") { t in
            t.column("as_of", .text).primaryKey()
            t.column("fitted_as_of", .text).notNull()
            t.column("customers", .integer).notNull()
            t.column("horizon_days", .integer).notNull()
            t.column("predicted", .double).notNull()
            t.column("actual", .double).notNull()
            t.column("drift", .double).notNull()
        }
        try db.alter(table: "run") { t in t.add(column: "refit", .text).notNull().defaults(to: "") }
    }

    /// The nightly summary reads every row through the as-of date in rowid order, never through
    /// the day index, which only cost a random insert per row.
    @Sendable static func dropDayIndexV4(_ db: Database) throws {
        try db.drop(index: "transaction_row_day")
    }

    /// Per-customer running totals of the stored transactions (the sufficient statistics of the
    /// customer summary), updated in the same transaction as the ingest so a daily run reads one row
    /// per customer instead of every transaction. Days are day numbers; money is fixed point with 64
    /// fraction bits in two 64-bit halves (hi, lo), so sums are exact and do not depend on the order
    /// rows arrive in. `customer_total_state` says through which day the totals hold and whether they
    /// can be trusted; a store migrated with transactions already in it starts untrusted and the next
    /// run rebuilds them from the rows.
    @Sendable static func createCustomerTotalsV5(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE customer_total (
                customer_id TEXT PRIMARY KEY,
                first_day INTEGER NOT NULL,
                last_day INTEGER NOT NULL,
                purchase_days INTEGER NOT NULL,
                transactions INTEGER NOT NULL,
                first_day_amount_hi INTEGER NOT NULL,
                first_day_amount_lo INTEGER NOT NULL,
                amount_hi INTEGER NOT NULL,
                amount_lo INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE customer_total_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                max_day INTEGER,
                valid INTEGER NOT NULL CHECK (valid IN (0, 1))
            );
            INSERT INTO customer_total_state (id, max_day, valid)
                VALUES (1, NULL, NOT EXISTS (SELECT 1 FROM transaction_row));
            """)
    }
}
