import ArgumentParser
import CustomerData
import Foundation
import Warehouse

/// How to read an input given as a `postgresql://user@host:port/database` URL instead of a file: which
/// table or query, and whether the summary runs in the database. Columns are mapped by the same
/// --customer-column/--date-column/--amount-column options as a file.
struct WarehouseInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Database input (or --emit-sql): the table or view to read, optionally schema-qualified; quote parts with dots or capitals as in SQL. Example: --table sales.transactions", valueName: "name"))
    var table: String?

    @Option(help: ArgumentHelp("Database input: a SELECT whose rows are the input, run as given (instead of --table). Example: --query \"SELECT customer_id, order_date, amount FROM sales.orders WHERE country = 'NL'\"", valueName: "sql"))
    var query: String?

    @Flag(help: "Database input: compute the summary in the database (the SQL of --emit-sql) and read back one row per customer, instead of streaming every transaction. Rows after --observation-end are left out there rather than reported.")
    var pushDown = false

    /// The table or query; exactly one must be given for a database input.
    func relation() throws -> WarehouseRelation {
        switch (table, query) {
        case let (table?, nil): return .table(try QualifiedName(parsing: table))
        case let (nil, query?): return .query(query)
        case (nil, nil): throw ValidationError("a postgresql:// input needs --table NAME or --query SQL")
        case (_?, _?): throw ValidationError("give --table or --query, not both")
        }
    }

    /// Refuses database options when the input is a file, so they are never silently ignored.
    func checkUnused(allowTable: Bool = false) throws {
        if query != nil || pushDown || (table != nil && !allowTable) {
            throw ValidationError("--table, --query and --push-down are for a postgresql:// input")
        }
    }

    /// Summarises the transactions at `url` (streamed, or pushed down), with a progress line and the run's report logged.
    func summarize(url: String, format: TransactionFileFormat, options: SummaryOptions) throws -> SummaryRun {
        let location = try PostgresLocation(parsing: url)
        let relation = try self.relation()
        let run = try ProgressLine.run("summarising \(location) \(relation)\(pushDown ? " in the database" : "")") {
            try runBlocking {
                try await WarehouseConnection.with(location, warn: { Log.shared.warning($0) }) { connection in
                    pushDown ? try await PostgresTransactions.pushDown(relation, on: connection, format: format, options: options)
                             : try await PostgresTransactions.summarize(relation, on: connection, format: format, options: options)
                }
            }
        }
        let r = run.report
        Log.shared.info("summarised \(location), \(relation)\(pushDown ? " (pushed down)" : ""): \(r)",
                        fields: ["event": "summarize", "source": location.description, "relation": relation.description,
                                 "push_down": pushDown, "rows_read": r.linesRead, "transactions_used": r.transactionsUsed,
                                 "rejected": r.rejected, "customers": r.customers])
        if r.customersWithNegativeMonetaryValue > 0 {
            Log.shared.warning("\(r.customersWithNegativeMonetaryValue) customers have a negative monetary value (returns outweigh purchases)")
        }
        return run
    }

    /// `postgresql://u@h:5432/db, table "x"` (never a password), recorded as a model's training source.
    func sourceDescription(url: String) throws -> String {
        "\(try PostgresLocation(parsing: url)), \(try relation())"
    }

    /// Reads a customer table (e.g. to train, score or evaluate a churn model) from the database at `url`.
    func customerTable(url: String) throws -> CustomerTable {
        if pushDown { throw ValidationError("--push-down is for transactions, not a customer table") }
        let location = try PostgresLocation(parsing: url)
        let relation = try self.relation()
        return try runBlocking {
            try await WarehouseConnection.with(location, warn: { Log.shared.warning($0) }) { connection in
                try await PostgresCustomerTable.read(relation, on: connection)
            }
        }
    }
}

/// Writes an export to its destination (a file, `-`, or a database table; see `TableDestination`) and logs
/// where it went. Build the destination from --out/--out-table before reading the input, so a bad
/// combination fails before any work. `beforeCommit`: see `TableDestination.write`.
func writeTable(header: [String], rows: consuming some Sequence<[CSVCell]>, to destination: TableDestination, what: String,
                format: TableFormat? = nil, beforeCommit: () -> Void = {}) throws {
    let count = try destination.write(header: header, rows: consume rows, format: format, warn: { Log.shared.warning($0) },
                                      beforeCommit: beforeCommit)
    Log.shared.info("wrote \(count) \(what) rows to \(destination)", fields: ["event": "write", "out": destination.description, "rows": count])
}
