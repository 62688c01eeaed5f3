import ArgumentParser
import CustomerData
import Foundation
import Warehouse

/// `klant summarize`: transaction log -> customer summary (lifetimes columns).
struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a transaction log into a customer summary (frequency, recency, T, monetary_value).",
        discussion: """
            Same-day purchases of a customer are merged into one purchase. Times are days divided by the \
            unit's length (week = 7 days, month = 365.25/12, year = 365.25), as in the papers. With \
            --calibration-end the summary also gets frequency_holdout, monetary_value_holdout and \
            duration_holdout for the period after it. Customers first seen after the calibration end are \
            left out and counted in the report. Negative amounts (returns) are netted into their day's \
            total by default (--negative-amounts net) or rejected (--negative-amounts reject).

            Example (the shipped CDNOW master file, whitespace separated with a header):
              klant summarize datasets/CDNOW_master.txt --customer-column customer_id --date-column date \\
                    --amount-column dollar_value --date-format yyyyMMdd --unit week \\
                    --calibration-end 1997-09-30 --observation-end 1998-06-30 --out cdnow_summary.csv
            Headerless files choose columns by 1-based number:
              klant summarize datasets/CDNOW_sample.txt --no-header --customer-column 2 --date-column 3 \\
                    --amount-column 5 --date-format yyyyMMdd --calibration-end 1997-09-30 --out sample.csv
            A Dutch web-shop export (; separated, byte-order mark, CRLF, dd-MM-yyyy, amounts like € 1.234,50), \
            gzip-compressed (read natively, whatever the name) or on standard input (-):
              klant summarize export.csv.gz --customer-column "Klant ID" --date-column Datum \\
                    --amount-column Bedrag --date-format dd-MM-yyyy --decimal-comma --thousands-separator . \\
                    --currency € --out summary.csv
              zcat export.csv.gz | klant summarize - --customer-column "Klant ID" ... --out - | head
            A line-item log (Online Retail: one line per item, invoices merged, C... invoices are returns):
              klant summarize datasets/online_retail.csv.gz --customer-column CustomerID --date-column InvoiceDate \\
                    --quantity-column Quantity --price-column UnitPrice --invoice-column InvoiceNo \\
                    --cancelled-prefix C --calibration-end 2011-09-30 --observation-end 2011-12-09 \\
                    --skip-invalid --rejects retail-rejects.csv --out retail_summary.csv
            Rows dated after today (or after --observation-end) are an error with their count unless \
            --allow-future; an output equal to an input is refused (exit 2) before anything is read.

            Print the SQL that computes the same summary in a warehouse instead:
              klant summarize --emit-sql --table sales.transactions --customer-column customer_id \\
                    --date-column order_date --amount-column amount --calibration-end 1997-09-30

            PostgreSQL as input and output. The input may be a postgresql://user@host:port/database URL with \
            --table or --query; columns are chosen by the same options, DATE/TIMESTAMP and numeric columns are \
            read as they are, text columns with --date-format. The rows are streamed through the same \
            summariser as a file; --push-down instead runs the summary as SQL in the database and reads back \
            one row per customer. --out postgresql://... --out-table NAME writes the summary into a table, \
            replacing it atomically. The password comes only from PGPASSWORD or ~/.pgpass, never from the URL:
              klant summarize postgresql://analyst@db:5432/shop --table sales.orders \\
                    --customer-column customer_id --date-column ordered_at \\
                    --amount-column total --calibration-end 2024-06-30 --out summary.csv
              klant summarize postgresql://analyst@db/shop --push-down \\
                    --query "SELECT * FROM sales.orders WHERE country = 'NL'" \\
                    --customer-column customer_id --date-column ordered_at \\
                    --out postgresql://analyst@db/shop --out-table crm.customer_summary
            """)

    @Argument(help: "Transaction file (CSV with any delimiter, or whitespace separated; .gz read natively; - for standard input), or a postgresql://user@host:port/database URL with --table or --query. Not needed with --emit-sql.")
    var file: String?

    @OptionGroup var format: TransactionFormatOptions

    @Option(help: "Time unit for recency, T and duration_holdout: day, week, month or year. Example: --unit week")
    var unit = "week"

    @Flag(help: "Keep going past invalid rows; every rejected row goes to the --rejects file with its line number and reason.")
    var skipInvalid = false

    @Option(help: "CSV file that receives rejected rows (line, reason, original text). Required with --skip-invalid. Example: --rejects rejects.csv")
    var rejects: String?

    @Option(help: "Output summary CSV, written atomically; - writes to standard output; or a postgresql:// URL with --out-table. Never one of the inputs (refused, exit 2). Example: --out cdnow_summary.csv")
    var out: String?

    @Option(help: ArgumentHelp("With --out postgresql://...: the table to replace (atomically) with the summary, optionally schema-qualified. Example: --out-table crm.customer_summary", valueName: "name"))
    var outTable: String?

    @Option(help: "Parser threads (0 = one per core).")
    var threads = 0

    @Flag(help: "Print the SQL (PostgreSQL/DuckDB) that computes this summary in a warehouse, instead of reading a file.")
    var emitSql = false

    @OptionGroup(title: "PostgreSQL input") var warehouse: WarehouseInputOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            let timeUnit = try TimeUnit(parsing: unit)
            if emitSql {
                let source: SQLSource = try warehouse.table.map { .table(try QualifiedName(parsing: $0).parts) }
                    ?? warehouse.query.map { .query($0) } ?? .duckDBCSV(path: file ?? "transactions.csv")
                print(WarehouseSQL.summary(from: source, customer: format.customerColumn, date: format.dateColumn,
                                           amount: format.amountColumn, timeUnit: timeUnit,
                                           calibrationEnd: try format.calibrationDay, observationEnd: try format.observationDay))
                return
            }
            guard let file else { throw ValidationError("give the transaction file to summarise (or --emit-sql)") }
            guard let out else { throw ValidationError("give --out FILE for the summary") }
            let destination = try TableDestination(out: out, outTable: outTable)
            try checkOutputs([("--out", out), ("--rejects", rejects)], inputs: [("FILE", file)])
            let options = try format.summaryOptions(unit: timeUnit, skipInvalid: skipInvalid, rejects: rejects, threads: threads)
            let run: SummaryRun
            if PostgresLocation.isLocation(file) {
                run = try warehouse.summarize(url: file, format: try format.fileFormat(), options: options)
            } else {
                try warehouse.checkUnused()
                run = try format.summarize(file: file, options: options, rejects: rejects)
            }
            switch destination {
            case .file:
                // The summary file and its sidecar (time unit, periods).
                try SummaryTable.write(run.summary, toPath: out, calibrationEnd: run.report.calibrationEnd,
                                       observationEnd: run.report.observationEnd)
                Log.shared.info("wrote \(out == "-" ? "standard output" : out)", fields: ["event": "write", "out": out])
            case .postgres:
                try writeTable(header: SummaryTable.header(withHoldout: run.summary.hasHoldout), rows: SummaryTable.rows(run.summary),
                               to: destination, what: "summary")
            }
        }
    }
}
