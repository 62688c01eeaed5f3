import CustomerData
import Foundation
import Testing
@testable import Reports

/// Bad inputs to a report are errors that name the file, the line and the column.
@Suite struct InputCheckTests {
    func write(_ text: String, _ name: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func scoreTableWithoutCLVNamesTheColumnAndTheColumnsItHas() throws {
        let url = try write("customer_id,probability_alive\nA,0.5\n", "scores.csv")
        let error = try #require(throws: InputError.self) { try ScoreTableSummary(path: url.path) }
        #expect(error.kind == .missingColumn && error.columnName == "clv" && error.description.contains("probability_alive"))
    }

    @Test func nonNumericCLVNamesLineAndColumn() throws {
        let url = try write("customer_id,clv\nA,1.5\nB,lots\n", "scores.csv")
        let error = try #require(throws: InputError.self) { try ScoreTableSummary(path: url.path) }
        #expect(error.line == 3 && error.columnName == "clv" && error.columnNumber == 2 && error.value == "lots")
    }

    @Test func raggedRowAndEmptyFileAreErrors() throws {
        let ragged = try write("customer_id,clv\nA,1,2\n", "scores.csv")
        #expect(throws: InputError.self) { try ScoreTableSummary(path: ragged.path) }
        let empty = try write("", "empty.csv")
        let error = try #require(throws: InputError.self) { try ScoreTableSummary(path: empty.path) }
        #expect(error.kind == .emptyFile)
    }

    @Test func brokenJSONLineNamesItsLine() throws {
        let url = try write("{\"customer_id\": \"A\", \"clv\": 1}\n{\"customer_id\": \"B\", \"clv\": }\n", "scores.jsonl")
        let error = try #require(throws: InputError.self) { try ScoreTableSummary(path: url.path) }
        #expect(error.line == 2)
        let extra = try write("{\"customer_id\": \"A\", \"clv\": 1}\n{\"customer_id\": \"B\", \"clv\": 2, \"x\": 3}\n", "extra.jsonl")
        let keyError = try #require(throws: InputError.self) { try ScoreTableSummary(path: extra.path) }
        #expect(keyError.line == 2 && keyError.columnName == "x")
    }

    @Test func jsonLinesReadEscapesNullsAndBooleans() throws {
        let url = try write("{\"customer_id\": \"a\\\"b\\u00e9\", \"clv\": -2.5e1, \"churn_probability\": null}\n", "s.jsonl")
        let reader = try TableReader(path: url.path)
        var seen: [(String, Double, Double?)] = []
        try reader.forEachRow { row in seen.append((row.text(0), try row.number(1), try row.optionalNumber(2))) }
        #expect(seen.count == 1 && seen[0].0 == "a\"bé" && seen[0].1 == -25 && seen[0].2 == nil)
    }

    @Test func controlFlagOtherThanYesOrNoIsAnError() throws {
        let url = try write(ConstructedActions.header.joined(separator: ",") + "\nC1,a,retain,email,1,0.5,r,maybe,c1\n", "actions.csv")
        let error = try #require(throws: InputError.self) { try ActionsSection.make(actions: url) }
        #expect(error.line == 2 && error.columnName == "control" && error.value == "maybe")
    }

    @Test func actionListWithoutAChannelColumnSaysSo() throws {
        let url = try write("customer_id,action,expected_value,cost,control\nC1,a,1,0.5,false\n", "actions.csv")
        let error = try #require(throws: InputError.self) { try ActionsSection.make(actions: url) }
        #expect(error.columnName == "channel")
    }

    @Test func damagedSidecarIsAReportError() throws {
        let directory = try temporaryDirectory()
        let url = directory.appendingPathComponent("scores.csv")
        try ConstructedScores(customers: 10).write(to: url, withSidecar: false)
        try "{ not json".write(to: URL(fileURLWithPath: url.path + ".meta.json"), atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try ValueSection.make(scores: url) }
    }

    @Test func scoreTableWithoutSidecarStillReportsWithANote() throws {
        let directory = try temporaryDirectory()
        let url = directory.appendingPathComponent("scores.csv")
        try ConstructedScores(customers: 10).write(to: url, withSidecar: false)
        let section = try ValueSection.make(scores: url)
        #expect(section.figure("value-profitability") == nil && section.figure("value-clv-distribution") != nil)
        #expect(section.blocks.contains { if case .note(let t) = $0 { return t.contains(".meta.json") } else { return false } })
    }

    @Test func missingModelFolderIsAReportError() {
        #expect(throws: ReportError.self) { try ReportInputs.modelFiles(in: URL(fileURLWithPath: "/nonexistent/klant-models")) }
    }
}
