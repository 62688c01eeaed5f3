import Foundation
import Testing
@testable import CustomerData

/// Big tables are read and written in pieces on all cores: the results must be exactly those of a
/// one-piece read and a row-by-row write, errors included.
@Suite struct ParallelTableIOTests {
    /// A summary big enough to be split into pieces (> 1 MB), with optional edits to some rows.
    func bigSummary(rows: Int = 60_000, edit: (Int, inout String) -> Void = { _, _ in }) -> String {
        var text = "customer_id,frequency,recency,T,monetary_value\n"
        for i in 0..<rows {
            var line = "customer-\(i),\(i % 7),\(i % 7 == 0 ? 0 : Double(i % 30) + 0.25),\(40.5 + Double(i % 11)),\(Double(i % 97) * 1.5)"
            edit(i, &line)
            text += line + "\n"
        }
        return text
    }

    @Test func bigSummaryIsSplitIntoPiecesAtLineEnds() throws {
        let text = bigSummary()
        let bytes = Array(text.utf8)
        let start = bytes.firstIndex(of: 10)! + 1
        let pieces = bytes.withUnsafeBufferPointer { SummaryReader.pieces($0.baseAddress!, from: start, to: bytes.count) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(pieces.count >= cores && pieces.count <= 16 * cores)
        #expect(pieces.first?.lowerBound == start && pieces.last?.upperBound == bytes.count)
        for (a, b) in zip(pieces, pieces.dropFirst()) { #expect(a.upperBound == b.lowerBound && bytes[a.upperBound - 1] == 10) }
    }

    @Test func lineEndsAndQuotesAreFoundSixteenBytesAtATimeExactly() {
        // Every byte value next to LFs, at every offset and length around a block, and past the 255
        // blocks after which the byte counters are emptied (a run of LFs fills them fastest).
        var bytes: [UInt8] = (0..<10_099).map { i in i % 7 == 0 || i % 11 == 3 ? 10 : UInt8(truncatingIfNeeded: i &* 37) }
        for i in 5_000..<9_500 { bytes[i] = 10 }
        bytes.withUnsafeBufferPointer { b in
            for start in 0..<17 {
                for n in [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 4_000, 4_080, 4_096, 10_000] {
                    let scan = SummaryReader.lineEndsAndQuotes(b.baseAddress! + start, n)
                    #expect(scan.lineEnds == b[start..<(start + n)].filter { $0 == 10 }.count)
                    #expect(scan.quoted == b[start..<(start + n)].contains(34))
                }
            }
        }
    }

    @Test func aQuoteAnywhereKeepsTheFileInOnePiece() throws {
        let text = bigSummary { i, line in if i == 40_000 { line = line.replacingOccurrences(of: "customer-40000", with: "\"customer-40000\"") } }
        let bytes = Array(text.utf8)
        let split = bytes.withUnsafeBufferPointer { SummaryReader.piecesAndSlots($0.baseAddress!, from: 0, to: bytes.count) }
        #expect(split.pieces == [0..<bytes.count])
        #expect(split.slots.count == 1 && split.slots[0].lineEnds == bytes.filter { $0 == 10 }.count)
    }

    @Test func piecewiseReadEqualsTheOnePieceRead() throws {
        let plain = try SummaryTable.read(from: try writeTemp(bigSummary(), name: "s.csv"))
        // The same rows with one quoted id: read in one piece.
        let quoted = try SummaryTable.read(from: try writeTemp(bigSummary { i, line in
            if i == 5 { line = line.replacingOccurrences(of: "customer-5,", with: "\"customer-5\",") }
        }, name: "s.csv"))
        #expect(plain.count == 60_000)
        #expect(plain.customerIDs == quoted.customerIDs && plain.frequency == quoted.frequency && plain.recency == quoted.recency)
        #expect(plain.T == quoted.T && plain.monetaryValue == quoted.monetaryValue)
    }

    @Test func errorInALaterPieceNamesItsFileLine() throws {
        let text = bigSummary { i, line in if i == 55_000 { line = "customer-55000,1,9,x,0" } }
        let e = try #require(inputError { _ = try SummaryTable.read(from: try writeTemp(text, name: "s.csv")) })
        #expect(e.line == 55_002 && e.columnName == "T" && e.value == "x")
    }

    @Test func duplicateAcrossPiecesIsFoundWithBothLines() throws {
        let text = bigSummary { i, line in if i == 59_000 { line = line.replacingOccurrences(of: "customer-59000", with: "customer-3") } }
        let e = try #require(inputError { _ = try SummaryTable.read(from: try writeTemp(text, name: "s.csv")) })
        #expect(e.kind == .duplicateCustomer && e.line == 59_002 && e.problem.contains("line 5"))
    }

    @Test func blankLinesHoldoutColumnsLongIdsAndAnUnterminatedLastLineReadAsInOnePiece() throws {
        // Pieces write straight into the columns and are closed up afterwards: blank lines leave gaps,
        // long non-ASCII ids are heap strings that must be moved, not copied bit by bit twice.
        func table(quoteFirst: Bool) -> String {
            var text = "customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,duration_holdout\n"
            for i in 0..<60_000 {
                let id = "klant-kundé-nummer-\(i)"
                text += (quoteFirst && i == 0 ? "\"\(id)\"" : id)
                text += ",\(i % 7),\(i % 7 == 0 ? 0 : Double(i % 30) + 0.25),\(40.5 + Double(i % 11)),\(Double(i % 97) * 1.5),\(i % 3),\(Double(i % 5) * 2),39\n"
                if i % 9_999 == 0 { text += "\n" }
            }
            text.removeLast()   // no line end after the last row
            return text
        }
        let pieces = try SummaryTable.read(from: try writeTemp(table(quoteFirst: false), name: "s.csv"))
        let onePiece = try SummaryTable.read(from: try writeTemp(table(quoteFirst: true), name: "s.csv"))
        #expect(pieces.count == 60_000 && pieces.customerIDs.last == "klant-kundé-nummer-59999")
        #expect(pieces.customerIDs == onePiece.customerIDs && pieces.frequency == onePiece.frequency && pieces.recency == onePiece.recency)
        #expect(pieces.T == onePiece.T && pieces.monetaryValue == onePiece.monetaryValue)
        #expect(pieces.frequencyHoldout == onePiece.frequencyHoldout && pieces.monetaryValueHoldout == onePiece.monetaryValueHoldout)
        #expect(pieces.durationHoldout == onePiece.durationHoldout && pieces.durationHoldout?.count == 60_000)
    }

    @Test func anErrorInTheFirstPieceIsReportedAndTheRowsReadAfterItAreDropped() throws {
        let text = bigSummary { i, line in
            line = line.replacingOccurrences(of: "customer-", with: "klant-kundé-nummer-")
            if i == 100 { line = "klant-kundé-nummer-100,1,9,-3,0" }
        }
        let e = try #require(inputError { _ = try SummaryTable.read(from: try writeTemp(text, name: "s.csv")) })
        #expect(e.line == 102 && e.columnName == "T" && e.value == "-3")
    }

    @Test func aHeaderWithoutRowsReadsAsAnEmptySummary() throws {
        let empty = try SummaryTable.read(from: try writeTemp("customer_id,frequency,recency,T\n", name: "s.csv"))
        #expect(empty.count == 0 && empty.frequency.isEmpty && empty.customerIDs.isEmpty)
    }

    @Test func earlierDuplicateIsReportedBeforeALaterBadValue() throws {
        // One read stops at the first problem in file order: the duplicate on line 1,002, not the bad value on line 55,002.
        let text = bigSummary { i, line in
            if i == 1_000 { line = line.replacingOccurrences(of: "customer-1000,", with: "customer-2,") }
            if i == 55_000 { line = "customer-55000,1,9,x,0" }
        }
        let e = try #require(inputError { _ = try SummaryTable.read(from: try writeTemp(text, name: "s.csv")) })
        #expect(e.kind == .duplicateCustomer && e.line == 1_002)
    }

    /// Rows of every cell kind, with texts that need quoting or neutralising, and non-finite numbers.
    func rows(_ n: Int) -> [[CSVCell]] {
        let texts = ["plain", "=SUM(A1)", "a,b", "say \"hi\"", " padded ", "'+1", "ümlaut", "", "-5", "line\nbreak"]
        return (0..<n).map { i -> [CSVCell] in
            let big: CSVCell = i % 13 == 0 ? .number(.nan) : .number(1e300 * Double(i % 3))
            let first = texts[i % texts.count] + String(i)
            let last = texts[(i * 7) % texts.count]
            return [.text(first), .number(Double(i) / 7), .integer(i - 500), big, .empty, .text(last)]
        }
    }

    @Test(arguments: [TableFormat.csv, .jsonl])
    func batchedWriteEqualsRowByRowWrite(format: TableFormat) throws {
        let header = ["id", "x", "k", "big", "blank", "note"]
        let all = rows(150_000)   // more than two batches
        let dir = try makeTempDirectory()
        let one = dir.appendingPathComponent("one").path, sequence = dir.appendingPathComponent("seq").path
        let indexed = dir.appendingPathComponent("idx").path
        let w1 = try TableWriter(path: one, header: header, format: format)
        for row in all { try w1.append(row) }
        try w1.commit()
        let w2 = try TableWriter(path: sequence, header: header, format: format)
        try w2.append(contentsOf: AnySequence(all))
        try w2.commit()
        let w3 = try TableWriter(path: indexed, header: header, format: format)
        try w3.append(contentsOf: (0..<all.count).lazy.map { all[$0] })
        try w3.commit()
        let expected = try Data(contentsOf: URL(fileURLWithPath: one))
        #expect(try Data(contentsOf: URL(fileURLWithPath: sequence)) == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: indexed)) == expected)
        #expect(w2.rowCount == all.count && w3.rowCount == all.count)
        if format == .csv {
            var reference = CSVWriter(header: header)
            for row in all { reference.append(row) }
            #expect(expected == reference.data)
        }
    }

    @Test(arguments: [TableFormat.csv, .jsonl])
    func columnStoredWriteEqualsRowByRowWriteOfItsCells(format: TableFormat) throws {
        let n = 150_000
        let texts = ["plain", "=SUM(A1)", "a,b", "say \"hi\"", " padded ", "'+1", "ümlaut", "-5", "line\nbreak"]
        let ids: [String] = (0..<n).map { texts[$0 % texts.count] + String($0) }
        let x: [Double] = (0..<n).map { $0 % 13 == 0 ? Double.nan : Double($0) / 7 }
        let k: [Int] = (0..<n).map { $0 - 500 }
        let codes: [UInt8] = (0..<n).map { UInt8($0 % 5) }
        let big: [Double] = (0..<n).map { $0 % 5 == 0 ? -Double.infinity : 1e300 * Double($0 % 3) }
        let table = ColumnRows([.texts(ids), .numbers(x), .integers(k),
                                .labels(codes: codes, labels: ["top", "=cmd()", "a,b", "say \"hi\"", "ümlaut"]), .numbers(big)])
        let header = ["id", "x", "k", "segment", "big"]
        let dir = try makeTempDirectory()
        let one = dir.appendingPathComponent("one").path, columns = dir.appendingPathComponent("columns").path
        let w1 = try TableWriter(path: one, header: header, format: format)
        for row in table { try w1.append(row) }
        try w1.commit()
        let w2 = try TableWriter(path: columns, header: header, format: format)
        try w2.append(contentsOf: table)
        try w2.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: columns)) == Data(contentsOf: URL(fileURLWithPath: one)))
        #expect(w2.rowCount == n)
        let expected: [CSVCell] = [.text(" padded 13"), .empty, .integer(-487), .text("say \"hi\""), .number(1e300)]
        #expect(table[13] == expected)
    }
}
