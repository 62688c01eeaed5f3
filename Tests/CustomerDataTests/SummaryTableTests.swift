import Foundation
import Testing
@testable import CustomerData

/// Reading summary tables: the papers' files, column mapping and validation.
@Suite struct SummaryTableTests {
    @Test func readsThePapersSummaryFile() throws {
        let s = try SummaryTable.read(from: dataset("cdnow_customers_summary.csv"))
        #expect(s.count == 2357)
        #expect(s.customerIDs[0] == "1" && s.frequency[0] == 2 && s.recency[0] == 30.43 && s.T[0] == 38.86)
        #expect(s.monetaryValue.allSatisfy { $0 == 0 })
        #expect(!s.hasHoldout && s.timeUnit == .week)
    }

    @Test func readsThePapersFileWithXTxTAndZbar() throws {
        let s = try SummaryTable.read(from: dataset("cdnow_customers_summary_with_transactions.csv"))
        #expect(s.count == 2357)
        #expect(s.frequency[0] == 2 && s.recency[0] == 30.43 && s.monetaryValue[0] == 22.35)
        #expect(s.frequency.filter { $0 > 0 }.count == 946)
    }

    @Test func columnNamesCanBeMapped() throws {
        var names = SummaryColumnNames()
        names.customerID = ["cust"]
        names.frequency = ["f"]
        let url = try writeTemp("cust,f,recency,T\nz,1,2,3\n")
        let s = try SummaryTable.read(from: url, timeUnit: .day, columns: names)
        #expect(s.customerIDs == ["z"] && s.frequency == [1] && s.timeUnit == .day)
    }

    func readError(_ text: String) -> InputError? {
        inputError { _ = try SummaryTable.read(from: try writeTemp(text, name: "s.csv")) }
    }

    @Test func negativeValueIsRejectedWithLineAndColumn() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,1,2,3\nb,1,-2,3\n"))
        #expect(e.kind == .badSummaryValue && e.line == 3 && e.columnName == "recency" && e.columnNumber == 3)
        #expect(e.description.contains("s.csv:3: column \"recency\" (3): value \"-2\""))
    }

    @Test func recencyGreaterThanTIsRejected() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,1,4,3\n"))
        #expect(e.kind == .badSummaryValue && e.line == 2 && e.columnName == "recency")
    }

    @Test func fractionalFrequencyIsRejected() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,1.5,2,3\n"))
        #expect(e.kind == .badSummaryValue && e.columnName == "frequency" && e.description.contains("whole"))
    }

    @Test func zeroFrequencyWithPositiveRecencyIsRejected() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,0,2,3\n"))
        #expect(e.kind == .badSummaryValue && e.columnName == "recency")
    }

    @Test func nonNumericValueIsRejected() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,one,2,3\n"))
        #expect(e.kind == .badSummaryValue && e.line == 2 && e.columnNumber == 2)
    }

    @Test func missingColumnListsTheColumns() throws {
        let e = try #require(readError("customer_id,frequency,T\na,1,3\n"))
        #expect(e.kind == .missingColumn && e.description.contains("customer_id, frequency, T"))
    }

    @Test func duplicateCustomerIsRejected() throws {
        let e = try #require(readError("customer_id,frequency,recency,T\na,1,2,3\na,1,2,3\n"))
        #expect(e.kind == .duplicateCustomer && e.line == 3 && e.description.contains("line 2"))
    }
}
