import CustomerData
import Foundation
import Testing
@testable import Warehouse

/// Transactions read from PostgreSQL (streamed and pushed down) against the file summariser, on CDNOW.
@Suite struct SourceTests {
    static let fileFormat = TransactionFileFormat(delimiter: .whitespace, customer: "customer_id", date: "date",
                                                  amount: "dollar_value", datePattern: try! DatePattern("yyyyMMdd"))
    static let options = SummaryOptions(timeUnit: .week, calibrationEnd: CalendarDay(year: 1997, month: 9, day: 30),
                                        observationEnd: CalendarDay(year: 1998, month: 6, day: 30))

    /// Loads CDNOW twice: as text exactly as in the file (dates yyyyMMdd), and typed (DATE, NUMERIC(10,2)).
    static func loadCDNOW(_ connection: WarehouseConnection, schema: String) async throws -> (text: QualifiedName, typed: QualifiedName) {
        let text = try QualifiedName(schema: schema, name: "cdnow text")
        let typed = try QualifiedName(schema: schema, name: "CDNOW Typed")
        try await PostgresTableSink.replace(text, columns: ["customer_id", "date", "dollar_value"], rows: try TestServer.cdnowRows(), on: connection)
        try await connection.execute("""
            CREATE TABLE \(typed.sql) AS SELECT customer_id AS "Customer", to_date(date, 'YYYYMMDD') AS "Order Date",
                   CAST(dollar_value AS NUMERIC(10, 2)) AS "Amount" FROM \(text.sql)
            """, action: "typing CDNOW")
        return (text, typed)
    }

    /// Every customer's row agrees to 1e-9 (relative above 1), whatever the row order.
    static func expectEqual(_ a: CustomerSummary, _ b: CustomerSummary, tolerance: Double = 1e-9) {
        #expect(a.count == b.count)
        #expect(a.hasHoldout == b.hasHoldout)
        let index = Dictionary(uniqueKeysWithValues: b.customerIDs.enumerated().map { ($1, $0) })
        var worst = 0.0
        for i in 0..<a.count {
            guard let j = index[a.customerIDs[i]] else { Issue.record("customer \(a.customerIDs[i]) missing"); return }
            var pairs = [(a.frequency[i], b.frequency[j]), (a.recency[i], b.recency[j]), (a.T[i], b.T[j]),
                         (a.monetaryValue[i], b.monetaryValue[j])]
            if let fa = a.frequencyHoldout, let fb = b.frequencyHoldout, let ma = a.monetaryValueHoldout, let mb = b.monetaryValueHoldout,
               let da = a.durationHoldout, let db = b.durationHoldout {
                pairs += [(fa[i], fb[j]), (ma[i], mb[j]), (da[i], db[j])]
            }
            for (x, y) in pairs { worst = max(worst, abs(x - y) / max(1, abs(x))) }
        }
        #expect(worst <= tolerance, "largest difference \(worst)")
    }

    @Test func tableStreamedAndPushedDownEqualTheFileSummaryOnCDNOW() async throws {
        let file = try TransactionSummarizer.summarize(file: TestServer.cdnowFile, format: Self.fileFormat, options: Self.options)
        #expect(file.summary.count == 23570)
        try await TestServer.withSchema { connection, schema in
            let (text, typed) = try await Self.loadCDNOW(connection, schema: schema)
            // Text columns, read with the file's own date pattern and number parsing: exactly the file's summary.
            let streamedText = try await PostgresTransactions.summarize(.table(text), on: connection, format: Self.fileFormat, options: Self.options)
            #expect(streamedText.summary == file.summary)
            #expect(streamedText.report.transactionsUsed == file.report.transactionsUsed)
            // Typed columns (DATE, NUMERIC), chosen case-insensitively by the same options.
            var typedFormat = Self.fileFormat
            (typedFormat.customer, typedFormat.date, typedFormat.amount) = ("customer", "order date", "amount")
            let streamedTyped = try await PostgresTransactions.summarize(.table(typed), on: connection, format: typedFormat, options: Self.options)
            #expect(streamedTyped.summary == file.summary)
            // Pushed down: the SQL summary read back, from the typed and from the text table (to_date with the pattern).
            let pushedTyped = try await PostgresTransactions.pushDown(.table(typed), on: connection, format: typedFormat, options: Self.options)
            Self.expectEqual(file.summary, pushedTyped.summary)
            let pushedText = try await PostgresTransactions.pushDown(.table(text), on: connection, format: Self.fileFormat, options: Self.options)
            Self.expectEqual(file.summary, pushedText.summary)
        }
    }

    @Test func queryInputMapsColumnsLikeAFile() async throws {
        let file = try TransactionSummarizer.summarize(file: TestServer.cdnowFile, format: Self.fileFormat, options: Self.options)
        try await TestServer.withSchema { connection, schema in
            let (_, typed) = try await Self.loadCDNOW(connection, schema: schema)
            let query = WarehouseRelation.query("SELECT \"Amount\" AS amt, \"Customer\" AS cust, \"Order Date\" AS day FROM \(typed.sql);")
            let format = TransactionFileFormat(customer: 2, date: "day", amount: "amt")
            let streamed = try await PostgresTransactions.summarize(query, on: connection, format: format, options: Self.options)
            #expect(streamed.summary == file.summary)
            let pushed = try await PostgresTransactions.pushDown(query, on: connection, format: format, options: Self.options)
            Self.expectEqual(file.summary, pushed.summary)
        }
    }

    @Test func badRowsAreReportedWithSourceRowAndValue() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "tx")
            try await PostgresTableSink.replace(table, columns: ["customer_id", "date", "amount"],
                                                rows: [[.text("a"), .text("2020-01-01"), .number(3)], [.text("b"), .text("2020-02-31"), .number(1)]],
                                                on: connection)
            let format = TransactionFileFormat(customer: "customer_id", date: "date", amount: "amount")
            do {
                _ = try await PostgresTransactions.summarize(.table(table), on: connection, format: format, options: SummaryOptions())
                Issue.record("a bad date was accepted")
            } catch let error as InputError {
                #expect(error.kind == .badDate)
                #expect(error.value == "2020-02-31")
                #expect(error.description.contains("table \(table), row 2"))
            }
        }
    }

    @Test func missingColumnsTablesAndRowsAreClearErrors() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "tx")
            try await PostgresTableSink.replace(table, columns: ["customer_id", "day"], rows: [[.text("a"), .text("2020-01-01")]], on: connection)
            let format = TransactionFileFormat(customer: "customer_id", date: "date")
            do {
                _ = try await PostgresTransactions.summarize(.table(table), on: connection, format: format, options: SummaryOptions())
                Issue.record("a missing column was accepted")
            } catch let error as InputError {
                #expect(error.kind == .missingColumn)
                #expect(error.description.contains("customer_id, day"))
            }
            do {
                _ = try await PostgresTransactions.summarize(.table(try QualifiedName(schema: schema, name: "nope")), on: connection,
                                                             format: format, options: SummaryOptions())
                Issue.record("a missing table was accepted")
            } catch let error as WarehouseError {
                #expect(error.sqlState == "42P01")
                #expect(error.isBadInput)
            }
            try await connection.execute("DELETE FROM \(table.sql)", action: "emptying")
            do {
                _ = try await PostgresTransactions.summarize(.table(table), on: connection, format: TransactionFileFormat(customer: "customer_id", date: "day"),
                                                             options: SummaryOptions())
                Issue.record("an empty table was accepted")
            } catch let error as InputError {
                #expect(error.kind == .emptyFile)
            }
        }
    }

    @Test func pushDownRefusesOptionsItCannotHonour() async throws {
        try await TestServer.withSchema { connection, schema in
            let table = try QualifiedName(schema: schema, name: "tx")
            try await PostgresTableSink.replace(table, columns: ["customer_id", "date"], rows: [[.text("a"), .text("2020-01-01")]], on: connection)
            var options = SummaryOptions()
            options.negativeAmounts = .reject
            await #expect(throws: InputError.self) {
                _ = try await PostgresTransactions.pushDown(.table(table), on: connection, format: TransactionFileFormat(), options: options)
            }
        }
    }
}
