import CustomerData
import Foundation
import Testing
@testable import Rescore

/// A config that cannot be used is exit 2 before anything is written, naming the key.
struct RescoreConfigTests {
    func expectBadConfig(_ text: String, mentions: String) throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        try text.write(to: f.configURL, atomically: true, encoding: .utf8)
        do {
            _ = try f.run("1998-06-30")
            Issue.record("config accepted: \(text)")
        } catch let error as RescoreError {
            #expect(error.kind == .badInput)
            #expect(error.exitCode == 2)
            #expect(error.message.contains(mentions), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: f.storeURL.deletingLastPathComponent().path))
        #expect(!FileManager.default.fileExists(atPath: f.outDir.path))
    }

    func fixtureConfig() throws -> String {
        let f = try NightlyFixture()
        defer { f.remove() }
        return try String(contentsOf: f.configURL, encoding: .utf8)
    }

    @Test func aMissingConfigIsBadInput() throws {
        #expect(throws: RescoreError.self) { try RescoreConfig.load(path: "/nonexistent/klant.yaml") }
        do { _ = try RescoreConfig.load(path: "/nonexistent/klant.yaml") } catch let e as RescoreError { #expect(e.kind == .badInput) }
    }

    @Test func corruptYAMLIsBadInput() throws {
        try expectBadConfig("drops: [unclosed\n  folder: incoming", mentions: "not valid YAML")
    }

    @Test func anUnknownKeyIsNamed() throws {
        try expectBadConfig(try fixtureConfig().replacingOccurrences(of: "  margin: 0.3", with: "  margin: 0.3\n  marign: 0.4"), mentions: "money.marign")
    }

    @Test func aMissingSectionIsNamed() throws {
        let text = try fixtureConfig().replacingOccurrences(of: "outputs:\n  dir: out\n", with: "")
        try expectBadConfig(text, mentions: "outputs is missing")
    }

    @Test func aWrongTypeIsNamed() throws {
        try expectBadConfig(try fixtureConfig().replacingOccurrences(of: "margin: 0.3", with: "margin: thirty"), mentions: "money.margin")
    }

    @Test func aColumnOutsideTheHeaderIsNamed() throws {
        try expectBadConfig(try fixtureConfig().replacingOccurrences(of: "amount_column: dollar_value", with: "amount_column: price"), mentions: "history.amount_column")
    }

    @Test func aMissingModelFileIsBadInput() throws {
        try expectBadConfig(try fixtureConfig().replacingOccurrences(of: "cdnow-bgnbd.json", with: "no-such-model.json"), mentions: "models.purchase")
    }

    @Test func aMissingActionCatalogIsBadInput() throws {
        try expectBadConfig(try fixtureConfig() + "\ndecide:\n  catalog: no-such-catalog.yaml\n", mentions: "decide.catalog")
    }

    @Test func pathsAreRelativeToTheConfigFile() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let config = try f.load()
        #expect(config.dropsFolder.path == f.incoming.standardizedFileURL.path)
        #expect(config.storeFile.path == f.storeURL.standardizedFileURL.path)
        #expect(config.history?.through == (try CalendarDay(parsing: "1998-06-23")))
    }

    @Test func csvFieldsSplitWithQuotesAndWhitespace() {
        #expect(ParsedTransactions.split("a,\"b,c\",\"d\"\"e\"", delimiter: ",") == ["a", "b,c", "d\"e"])
        #expect(ParsedTransactions.split(" 00001 19970101  1   11.77", delimiter: "whitespace") == ["00001", "19970101", "1", "11.77"])
        #expect(ParsedTransactions.split("a;;b", delimiter: ";") == ["a", "", "b"])
    }

    @Test func theRowHashIgnoresLayoutButNotContent() throws {
        let day = try CalendarDay(parsing: "1998-06-28")
        #expect(TransactionRow(customerID: "1", day: day, amount: 10).hash == TransactionRow(customerID: "1", day: day, amount: 10.0).hash)
        #expect(TransactionRow(customerID: "1", day: day, amount: 10).hash != TransactionRow(customerID: "1", day: day, amount: 10.01).hash)
        #expect(TransactionRow(customerID: "1", day: day, amount: 10).hash != TransactionRow(customerID: "11", day: day, amount: 10).hash)
    }

    @Test func plainAndQuotedLinesParseAlikeAndBadRowsAreRejectedWithTheirLine() throws {
        let layout = RescoreConfig.TableLayout(delimiter: ",", datePattern: .iso, columns: ["customer_id", "date", "amount"],
                                               customerColumn: "customer_id", dateColumn: "date", amountColumn: "amount")
        let text = "\u{FEFF}customer_id,date,amount\r\nA1,1998-06-28,10.5\r\n\"A2\",\"1998-06-28\",\"7\"\n\n,1998-06-28,3\nA3,1998-13-01,3\n"
            + "A4,1998-06-28,x\nA5,1998-06-28\nA6,1998-06-29,4\n\"A,7\",1998-06-27,2.25\n"
        var parsed = ParsedTransactions(name: "t.csv")
        parsed.parse(Array(text.utf8), layout: layout, latest: try CalendarDay(parsing: "1998-06-28"), through: nil)
        #expect(parsed.changedHeader == nil)
        #expect(parsed.rows.map(\.customerID) == ["A1", "A2", "A,7"])
        #expect(parsed.rows.map(\.amount) == [10.5, 7, 2.25])
        #expect(parsed.rejected.map(\.line) == [5, 6, 7, 8])
        #expect(parsed.rejected.map(\.reason) == ["blank customer_id", "date 1998-13-01 is not a date yyyy-MM-dd", "amount x is not a number",
                                                  "has 2 fields, the header 3"])
        #expect(parsed.future.map(\.line) == [9])
    }
}
