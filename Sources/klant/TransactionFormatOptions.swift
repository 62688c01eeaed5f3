import ArgumentParser
import CustomerData
import Foundation

/// How a transaction file is laid out and which periods it covers: shared by `klant summarize` and
/// every command that takes `--transactions` instead of a ready summary.
struct TransactionFormatOptions: ParsableArguments {
    @Option(help: "Transactions: customer id column, header name or 1-based number for --no-header files. Example: --customer-column customer_id")
    var customerColumn = "customer_id"

    @Option(help: "Transactions: purchase date column (name or number). Example: --date-column date")
    var dateColumn = "date"

    @Option(help: "Transactions: amount column (name or number); leave out when there are no amounts (monetary values are then 0). Example: --amount-column dollar_value")
    var amountColumn: String?

    @Option(help: "Transactions: date pattern, iso (yyyy-MM-dd, with or without a time: 2024-03-01T10:15:00 and 2024-03-01 10:15 give their date) or a pattern of yyyy, MM/M, dd/d and literals: dd-MM-yyyy, d-M-yyyy, yyyyMMdd, dd/MM/yyyy, M/d/yyyy (a time after the date is ignored). Example: --date-format dd-MM-yyyy")
    var dateFormat = "iso"

    @Option(help: "Line-item logs: quantity column; with --price-column the amount is quantity x unit price (instead of --amount-column). Negative quantities are returns. Example: --quantity-column Quantity --price-column UnitPrice")
    var quantityColumn: String?

    @Option(help: "Line-item logs: unit price column (with --quantity-column). Example: --price-column UnitPrice")
    var priceColumn: String?

    @Option(help: "Line-item logs: invoice number column; all lines of an invoice are one transaction, dated by its first line. Example: --invoice-column InvoiceNo")
    var invoiceColumn: String?

    @Option(help: "With --invoice-column: invoices whose number starts with this are cancellations, counted as returns (negative amounts) under --negative-amounts. Example: --cancelled-prefix C")
    var cancelledPrefix: String?

    @OptionGroup var text: TextFormatOptions

    @Flag(help: "Transactions: the file has no header line; choose columns by 1-based number.")
    var noHeader = false

    @Option(help: "Transactions: last day (yyyy-MM-dd) of the calibration period; later purchases form the holdout. Example: --calibration-end 1997-09-30")
    var calibrationEnd: String?

    @Option(help: "Transactions: last day (yyyy-MM-dd) observed; default the last date in the file. Later rows are errors (or rejects). Example: --observation-end 1998-06-30")
    var observationEnd: String?

    @Option(help: "Transactions: negative amounts (returns) are net (added into the day's total, default) or reject.")
    var negativeAmounts = "net"

    @Flag(help: "Transactions: accept rows dated after today when no --observation-end is given (the last date then ends the observation). Without it such rows are an error with their count, since one mistyped year would stretch every customer's T.")
    var allowFuture = false

    var calibrationDay: CalendarDay? { get throws { try calibrationEnd.map { try CalendarDay(parsing: $0, option: "--calibration-end") } } }
    var observationDay: CalendarDay? { get throws { try observationEnd.map { try CalendarDay(parsing: $0, option: "--observation-end") } } }

    /// The file layout for the summariser.
    func fileFormat() throws -> TransactionFileFormat {
        let table = try text.tableFormat()
        return TransactionFileFormat(
            delimiter: table.delimiter, hasHeader: !noHeader,
            customer: Column(parsing: customerColumn), date: Column(parsing: dateColumn),
            amount: amountColumn.map(Column.init(parsing:)),
            datePattern: dateFormat.lowercased() == "iso" ? .iso : try DatePattern(dateFormat),
            numbers: table.numbers, encoding: table.encoding,
            quantity: quantityColumn.map(Column.init(parsing:)), price: priceColumn.map(Column.init(parsing:)),
            invoice: invoiceColumn.map(Column.init(parsing:)), cancelledPrefix: cancelledPrefix)
    }

    /// Summariser options: periods and negative-amount policy from these flags, the rest from the caller.
    func summaryOptions(unit: TimeUnit, skipInvalid: Bool = false, rejects: String? = nil, threads: Int = 0) throws -> SummaryOptions {
        guard let policy = NegativeAmountPolicy(rawValue: negativeAmounts) else {
            throw ValidationError("--negative-amounts must be net or reject, not \(negativeAmounts)")
        }
        return SummaryOptions(timeUnit: unit, calibrationEnd: try calibrationDay, observationEnd: try observationDay,
                              negativeAmounts: policy, skipInvalid: skipInvalid,
                              rejectsFile: rejects.map { URL(fileURLWithPath: $0) }, threads: threads,
                              allowFuture: allowFuture)
    }

    /// Summarises `file` (with a progress line on a terminal) and logs what the summariser reports.
    func summarize(file: String, options: SummaryOptions, rejects: String? = nil) throws -> SummaryRun {
        var options = options
        let progress = WorkProgress()
        options.progress = progress
        let run = try ProgressLine.run("summarising \(InputSource.displayName(file))", progress: progress) {
            try TransactionSummarizer.summarize(path: file, format: try fileFormat(), options: options)
        }
        let r = run.report
        Log.shared.info("""
            summarised \(r.linesRead) rows (\(r.transactionsUsed) used\(r.invoices > 0 ? " in \(r.invoices) invoices" : ""), \(r.rejected) rejected\(r.rejected > 0 ? " -> \(rejects ?? "")" : "")) \
            into \(r.customers) customers
            """, fields: ["event": "summarize", "file": file, "lines_read": r.linesRead, "transactions_used": r.transactionsUsed,
                          "rejected": r.rejected, "customers": r.customers,
                          "customers_first_seen_after_calibration": r.customersFirstSeenAfterCalibration])
        if r.customersFirstSeenAfterCalibration > 0 {
            Log.shared.info("\(r.customersFirstSeenAfterCalibration) customers first bought after the calibration end and are not in the summary")
        }
        if r.customersWithZeroT > 0 {
            Log.shared.warning("""
                \(r.customersWithZeroT) customers first bought on the calibration end day\(r.calibrationEnd.map { " \($0)" } ?? ""), so their T is 0: \
                observed for no time, they carry no information; `klant fit` leaves them out (and says so)
                """, fields: ["event": "zero_T", "customers": r.customersWithZeroT])
        }
        if r.customersWithNegativeMonetaryValue > 0 {
            Log.shared.warning("\(r.customersWithNegativeMonetaryValue) customers have a negative monetary value (returns outweigh purchases)")
        }
        return run
    }
}
