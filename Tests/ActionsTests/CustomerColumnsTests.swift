import Foundation
import Testing
@testable import Actions

/// Reading the score table into rule columns.
@Suite struct CustomerColumnsTests {
    @Test func anEmptyCellKeepsANumberColumnANumberColumn() throws {
        // Score tables write numbers that are not finite (an interval that could not be computed) as
        // empty cells; the column stays numeric, with NaN there, so rules like clv_lower > 0 still work.
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try "customer_id,clv_lower,segment\nA,1.5,top\nB,,retain\nC,-2,\n".write(toFile: scores, atomically: true, encoding: .utf8)
        let columns = try CustomerColumns(scoresPath: scores, customersPath: nil, customerIDColumn: "customer_id",
                                          wanted: ["clv_lower", "segment"])
        guard case .number(let values)? = columns.table.columns["clv_lower"] else {
            Issue.record("clv_lower was not read as numbers")
            return
        }
        #expect(values[0] == 1.5 && values[1].isNaN && values[2] == -2)
        guard case .text? = columns.table.columns["segment"] else {
            Issue.record("segment was not read as text")
            return
        }
    }

    @Test func aWordInANumberColumnMakesItTextFromTheFirstRow() throws {
        let dir = try temporaryDirectory()
        let scores = dir.appendingPathComponent("scores.csv").path
        try "customer_id,tier\nA,1\nB,2\nC,gold\n".write(toFile: scores, atomically: true, encoding: .utf8)
        let columns = try CustomerColumns(scoresPath: scores, customersPath: nil, customerIDColumn: "customer_id", wanted: ["tier"])
        guard case .text(let texts)? = columns.table.columns["tier"] else {
            Issue.record("tier was not read as text")
            return
        }
        #expect((0..<3).map { texts[$0] } == ["1", "2", "gold"])
    }
}
