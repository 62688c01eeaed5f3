import CustomerData
import Foundation
import PostgresNIO

/// Customer summaries from transactions in PostgreSQL, two ways that give the same numbers:
/// - `summarize` streams the rows (customer, date, amount) into `CustomerData.TransactionRowSummarizer`,
///   the file summariser's own per-customer totals, so row checks, rejects and the report are as for a file;
/// - `pushDown` runs the summary as SQL in the database (`CustomerData.WarehouseSQL`, what `--emit-sql`
///   prints) and reads back one row per customer.
///
/// Columns are chosen as in a file (`TransactionFileFormat`: names or 1-based numbers). Typed columns are
/// read as they are: DATE/TIMESTAMP dates as days (a TIMESTAMPTZ in the session time zone), numeric
/// amounts as doubles; text columns are read with the format's date pattern and as decimal numbers.
public enum PostgresTransactions {
    /// Streams the relation's rows into the summariser (memory grows with customers, not rows).
    public static func summarize(_ relation: WarehouseRelation, on connection: WarehouseConnection,
                                 format: TransactionFileFormat, options: SummaryOptions) async throws -> SummaryRun {
        let source = label(relation, connection)
        try checkSupported(format)
        let columns = try await connection.columns(of: relation, source: source)
        let customer = try resolve(format.customer, in: columns, role: "customer", source: source)
        let date = try resolve(format.date, in: columns, role: "date", source: source)
        let amount = try format.amount.map { try resolve($0, in: columns, role: "amount", source: source) }
        let summarizer = try TransactionRowSummarizer(source: source, customerColumn: customer.name, dateColumn: date.name,
                                                      amountColumn: amount?.name, datePattern: format.datePattern,
                                                      numbers: format.numbers, options: options)
        var select = ["CAST(\(WarehouseSQL.quoteIdentifier(customer.name)) AS TEXT)"]
        select.append(date.isDateLike
                      ? "CAST(\(WarehouseSQL.quoteIdentifier(date.name)) AS DATE) - DATE '1970-01-01'"
                      : "CAST(\(WarehouseSQL.quoteIdentifier(date.name)) AS TEXT)")
        if let amount {
            let q = WarehouseSQL.quoteIdentifier(amount.name)
            select.append(amount.type == .money ? "CAST(CAST(\(q) AS NUMERIC) AS DOUBLE PRECISION)"
                          : amount.isNumeric ? "CAST(\(q) AS DOUBLE PRECISION)" : "CAST(\(q) AS TEXT)")
        }
        let action = "reading the \(relation)"
        let rows = try await connection.query("SELECT \(select.joined(separator: ", ")) FROM \(relation.from)", action: action)
        var rowNumber = 0
        do {
            for try await row in rows {
                rowNumber += 1
                let cells = row.makeRandomAccess()
                let id = text(cells[0]) ?? ""
                let day: TransactionRowSummarizer.DateValue =
                    date.isDateLike ? (try cells[1].decode(Int?.self)).map { .day($0) } ?? .text("") : .text(text(cells[1]) ?? "")
                var value = TransactionRowSummarizer.AmountValue.none
                if let amount {
                    value = amount.isNumeric ? (try cells[2].decode(Double?.self)).map { .number($0) } ?? .text("")
                                             : .text(text(cells[2]) ?? "")
                }
                try summarizer.add(row: rowNumber, customerID: id, date: day, amount: value)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw WarehouseError.wrap(error, location: connection.location, action: action)
        }
        return try summarizer.finish()
    }

    /// Runs the summary in the database and reads back one row per customer (in the server's order).
    /// As the generated SQL does, rows after the observation end are left out rather than reported, and
    /// negative amounts are netted; invalid rows cannot be skipped into a rejects file there.
    public static func pushDown(_ relation: WarehouseRelation, on connection: WarehouseConnection,
                                format: TransactionFileFormat, options: SummaryOptions) async throws -> SummaryRun {
        let source = label(relation, connection)
        if options.skipInvalid || options.negativeAmounts == .reject {
            throw InputError(kind: .badOption, columnName: "push-down",
                             problem: "a pushed-down summary cannot skip invalid rows or reject negative amounts",
                             remedy: "drop --skip-invalid / --negative-amounts reject, or summarise without --push-down")
        }
        let columns = try await connection.columns(of: relation, source: source)
        let customer = try resolve(format.customer, in: columns, role: "customer", source: source)
        let date = try resolve(format.date, in: columns, role: "date", source: source)
        let amount = try format.amount.map { try resolve($0, in: columns, role: "amount", source: source) }
        let sql = WarehouseSQL.summary(from: relation.sqlSource, customer: customer.name, date: date.name, amount: amount?.name,
                                       timeUnit: options.timeUnit, calibrationEnd: options.calibrationEnd,
                                       observationEnd: options.observationEnd,
                                       textDatePattern: date.isDateLike ? nil : format.datePattern)
        let holdout = options.calibrationEnd != nil
        var ids: [String] = [], x: [Double] = [], tx: [Double] = [], T: [Double] = [], m: [Double] = []
        var fh: [Double] = [], mh: [Double] = [], dh: [Double] = []
        let action = "running the summary of the \(relation) in the database"
        let rows = try await connection.query(sql, action: action)
        do {
            for try await row in rows {
                let cells = row.makeRandomAccess()
                ids.append(text(cells[0]) ?? "")
                x.append(try cells[1].decode(Double.self))
                tx.append(try cells[2].decode(Double.self))
                T.append(try cells[3].decode(Double.self))
                m.append(try cells[4].decode(Double.self))
                if holdout {
                    fh.append(try cells[5].decode(Double.self))
                    mh.append(try cells[6].decode(Double.self))
                    dh.append(try cells[7].decode(Double.self))
                }
            }
        } catch {
            throw WarehouseError.wrap(error, location: connection.location, action: action)
        }
        guard !ids.isEmpty else {
            throw InputError(kind: .noValidRows, file: source, problem: "the summary in the database has no customers",
                             remedy: "check the table or query, the column names and the periods")
        }
        let summary = CustomerSummary(customerIDs: ids, frequency: x, recency: tx, T: T, monetaryValue: m,
                                      frequencyHoldout: holdout ? fh : nil, monetaryValueHoldout: holdout ? mh : nil,
                                      durationHoldout: holdout ? dh : nil, timeUnit: options.timeUnit)
        var report = RunReport()
        report.customers = ids.count
        report.customersWithNegativeMonetaryValue = ids.indices.filter { m[$0] < 0 || (holdout && mh[$0] < 0) }.count
        report.calibrationEnd = options.calibrationEnd ?? options.observationEnd
        report.observationEnd = options.observationEnd
        return SummaryRun(summary: summary, report: report)
    }

    /// Line-item options belong to files: in the database the query computes the amount and merges invoices.
    static func checkSupported(_ format: TransactionFileFormat) throws {
        if format.quantity != nil || format.price != nil || format.invoice != nil || format.cancelledPrefix != nil {
            throw InputError(kind: .badOption, columnName: "quantity/price/invoice column",
                             problem: "line-item options are for files, not database input",
                             remedy: "compute the amount and merge invoices in --query, e.g. SELECT customer_id, MIN(invoice_date) AS date, SUM(quantity * unit_price) AS amount FROM lines GROUP BY customer_id, invoice_no")
        }
    }

    /// `postgresql://u@h:5432/db, table "orders"`: the source named in messages and reports.
    static func label(_ relation: WarehouseRelation, _ connection: WarehouseConnection) -> String {
        "\(connection.location), \(relation)"
    }
}

/// A cell's text (for columns cast to TEXT), or nil for NULL.
func text(_ cell: PostgresCell) -> String? {
    cell.bytes.map { String(buffer: $0) }
}
