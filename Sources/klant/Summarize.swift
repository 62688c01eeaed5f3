import ArgumentParser
import CustomerData
import Foundation

/// `klant summarize`: transaction log -> customer summary (lifetimes columns).
struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a transaction log into a customer summary (frequency, recency, T, monetary_value).",
        discussion: """
            Same-day purchases of a customer are merged into one purchase. Times are days divided by the
            unit's length (week = 7 days, month = 365.25/12, year = 365.25), as in the papers. With
            --calibration-end the summary also gets frequency_holdout, monetary_value_holdout and
            duration_holdout for the period after it. Customers first seen after the calibration end are
            left out and counted in the report. Negative amounts (returns) are netted into their day's
            total by default (--negative-amounts net) or rejected (--negative-amounts reject).

            Example (the shipped CDNOW master file, whitespace separated with a header):
              klant summarize datasets/CDNOW_master.txt --customer-column customer_id --date-column date \\
                    --amount-column dollar_value --date-format yyyyMMdd --unit week \\
                    --calibration-end 1997-09-30 --observation-end 1998-06-30 --out cdnow_summary.csv
            Headerless files choose columns by 1-based number:
              klant summarize datasets/CDNOW_sample.txt --no-header --customer-column 2 --date-column 3 \\
                    --amount-column 5 --date-format yyyyMMdd --calibration-end 1997-09-30 --out sample.csv
            Print the SQL that computes the same summary in a warehouse instead:
              klant summarize --emit-sql --table sales.transactions --customer-column customer_id \\
                    --date-column order_date --amount-column amount --calibration-end 1997-09-30
            """)

    @Argument(help: "Transaction file (CSV with any delimiter, or whitespace separated). Not needed with --emit-sql.")
    var file: String?

    @Option(help: "Customer id column: header name, or 1-based number for --no-header files. Example: --customer-column customer_id")
    var customerColumn = "customer_id"

    @Option(help: "Purchase date column (name or number). Example: --date-column date")
    var dateColumn = "date"

    @Option(help: "Amount column (name or number); leave out when there are no amounts (monetary values are then 0). Example: --amount-column dollar_value")
    var amountColumn: String?

    @Option(help: "Date pattern of the date column: iso (yyyy-MM-dd, date-times take the date part), or a pattern like yyyyMMdd, dd/MM/yyyy, MM/dd/yyyy. Example: --date-format yyyyMMdd")
    var dateFormat = "iso"

    @Option(help: "Field delimiter: auto, comma, semicolon, tab, pipe or whitespace. Example: --delimiter whitespace")
    var delimiter = "auto"

    @Flag(help: "The file has no header line: choose columns by 1-based number.")
    var noHeader = false

    @Option(help: "Time unit for recency, T and duration_holdout: day, week, month or year. Example: --unit week")
    var unit = "week"

    @Option(help: "Last day (yyyy-MM-dd) of the calibration period; later purchases form the holdout. Example: --calibration-end 1997-09-30")
    var calibrationEnd: String?

    @Option(help: "Last day (yyyy-MM-dd) observed; default the last date in the file. Later rows are errors (or rejects). Example: --observation-end 1998-06-30")
    var observationEnd: String?

    @Option(help: "Negative amounts (returns): net (added into the day's total, default) or reject.")
    var negativeAmounts = "net"

    @Flag(help: "Keep going past invalid rows; every rejected row goes to the --rejects file with its line number and reason.")
    var skipInvalid = false

    @Option(help: "CSV file that receives rejected rows (line, reason, original text). Required with --skip-invalid. Example: --rejects rejects.csv")
    var rejects: String?

    @Option(help: "Output summary CSV, written atomically. Example: --out cdnow_summary.csv")
    var out: String?

    @Option(help: "Parser threads (0 = one per core).")
    var threads = 0

    @Flag(help: "Print the SQL (PostgreSQL/DuckDB) that computes this summary in a warehouse, instead of reading a file.")
    var emitSql = false

    @Option(help: "With --emit-sql: the transactions table, optionally schema-qualified (each part is quoted). Example: --table sales.transactions")
    var table: String?

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            let timeUnit = try TimeUnit(parsing: unit)
            let calibration = try calibrationEnd.map { try CalendarDay(parsing: $0, option: "--calibration-end") }
            let observation = try observationEnd.map { try CalendarDay(parsing: $0, option: "--observation-end") }
            if emitSql {
                let source: SQLSource = table.map { .table($0.split(separator: ".").map(String.init)) }
                    ?? .duckDBCSV(path: file ?? "transactions.csv")
                print(WarehouseSQL.summary(from: source, customer: customerColumn, date: dateColumn, amount: amountColumn,
                                           timeUnit: timeUnit, calibrationEnd: calibration, observationEnd: observation))
                return
            }
            guard let file else { throw ValidationError("give the transaction file to summarise (or --emit-sql)") }
            guard let out else { throw ValidationError("give --out FILE for the summary") }
            let format = TransactionFileFormat(
                delimiter: try Delimiter(parsing: delimiter), hasHeader: !noHeader,
                customer: Column(parsing: customerColumn), date: Column(parsing: dateColumn),
                amount: amountColumn.map(Column.init(parsing:)),
                datePattern: dateFormat.lowercased() == "iso" ? .iso : try DatePattern(dateFormat))
            guard let policy = NegativeAmountPolicy(rawValue: negativeAmounts) else {
                throw ValidationError("--negative-amounts must be net or reject, not \(negativeAmounts)")
            }
            let options = SummaryOptions(timeUnit: timeUnit, calibrationEnd: calibration, observationEnd: observation,
                                         negativeAmounts: policy, skipInvalid: skipInvalid,
                                         rejectsFile: rejects.map { URL(fileURLWithPath: $0) }, threads: threads)
            let run = try ProgressLine.run("summarising \(file)") {
                try TransactionSummarizer.summarize(file: URL(fileURLWithPath: file), format: format, options: options)
            }
            try SummaryTable.write(run.summary, to: URL(fileURLWithPath: out))
            let r = run.report
            Log.shared.info("""
                summarised \(r.linesRead) rows (\(r.transactionsUsed) used, \(r.rejected) rejected\(r.rejected > 0 ? " -> \(rejects ?? "")" : "")) \
                into \(r.customers) customers -> \(out)
                """, fields: ["event": "summarize", "lines_read": r.linesRead, "transactions_used": r.transactionsUsed,
                              "rejected": r.rejected, "customers": r.customers, "out": out,
                              "customers_first_seen_after_calibration": r.customersFirstSeenAfterCalibration])
            if r.customersFirstSeenAfterCalibration > 0 {
                Log.shared.info("\(r.customersFirstSeenAfterCalibration) customers first bought after the calibration end and are not in the summary")
            }
            if r.customersWithNegativeMonetaryValue > 0 {
                Log.shared.warning("\(r.customersWithNegativeMonetaryValue) customers have a negative monetary value (returns outweigh purchases)")
            }
        }
    }
}
