import Foundation
import Testing
@testable import CustomerData

/// CSV cell escaping, atomic writes and the warehouse SQL.
@Suite struct OutputFileTests {
    @Test func csvTextCellsAreQuotedPerRFC4180() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape(" pad") == "\" pad\"")
    }

    @Test func formulaLikeTextCellsAreNeutralisedButNumbersAreNot() {
        #expect(CSVWriter.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVWriter.escape("+1") == "'+1")
        #expect(CSVWriter.escape("-1") == "'-1")
        #expect(CSVWriter.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.escape("\tx") == "'\tx")
        #expect(CSVWriter.format(.number(-3.5)) == "-3.5")
        #expect(CSVWriter.format(.integer(-7)) == "-7")
        var w = CSVWriter(header: ["id", "value"])
        w.append([.text("=1+1"), .number(-2)])
        #expect(w.text == "id,value\n'=1+1,-2.0\n")
    }

    @Test func neutralisingIsUndoneExactly() {
        for s in ["=x", "'=x", "''=x", "'", "'a", "-5", "plain", "", "@", "''"] {
            #expect(CSVWriter.unneutralise(CSVWriter.neutralise(s)) == s, "\(s)")
        }
    }

    @Test func atomicWriteReplacesTheFileAndLeavesNoTemporaryFiles() throws {
        let dir = try makeTempDirectory()
        let url = dir.appendingPathComponent("out.csv")
        try AtomicFile.write(Data("old\n".utf8), to: url)
        try AtomicFile.write("new\n", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    @Test func atomicWriteIntoMissingDirectoryThrowsFileErrorNamingThePath() throws {
        let url = try makeTempDirectory().appendingPathComponent("no/such/dir/out.csv")
        #expect(throws: FileError.self) { try AtomicFile.write(Data("x".utf8), to: url) }
        do { try AtomicFile.write(Data("x".utf8), to: url) } catch { #expect("\(error)".contains("out.csv")) }
    }

    @Test func tableWriterStreamsCSVThatEqualsTheInMemoryWriter() throws {
        let url = try makeTempDirectory().appendingPathComponent("t.csv")
        let writer = try TableWriter(path: url.path, header: ["id", "x", "n", "blank"])
        var reference = CSVWriter(header: ["id", "x", "n", "blank"])
        for k in 0..<5000 {
            let row: [CSVCell] = [.text(k % 7 == 0 ? "=evil,\(k)" : "c\(k)"), .number(Double(k) / 3), .integer(-k), .empty]
            try writer.append(row)
            reference.append(row)
        }
        try writer.commit()
        #expect(try String(contentsOf: url, encoding: .utf8) == reference.text)
        #expect(writer.rowCount == 5000)
    }

    @Test func tableWriterWritesJSONLinesWithEscapesAndNullsForNonFiniteNumbers() throws {
        let url = try makeTempDirectory().appendingPathComponent("t.jsonl")
        let writer = try TableWriter(path: url.path, header: ["id", "x", "k"])
        #expect(writer.format == .jsonl)
        try writer.append([.text("a\"b\\c\n\u{1}"), .number(.nan), .integer(3)])
        try writer.append([.text("=x"), .number(0.5), .empty])
        try writer.commit()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "{\"id\":\"a\\\"b\\\\c\\n\\u0001\",\"x\":null,\"k\":3}\n{\"id\":\"=x\",\"x\":0.5,\"k\":null}\n")
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
        }
    }

    @Test func tableWriterDroppedWithoutCommitLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try makeTempDirectory()
        let url = dir.appendingPathComponent("keep.csv")
        try AtomicFile.write("yesterday\n", to: url)
        do {
            let writer = try TableWriter(path: url.path, header: ["a"])
            try writer.append([.integer(1)])
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "yesterday\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.csv"])
    }

    @Test func byteSinkGrowsAndKeepsEveryByteInOrder() {
        // Bytes, buffers, sequences, text and numbers across many growths (from 256 bytes to ~1 MB),
        // against the same appends to an array; then cleared and reused.
        var sink = ByteSink(), expected: [UInt8] = []
        for round in 0..<2 {
            sink.removeAll(); expected.removeAll()
            for k in 0..<20_000 {
                let block = [UInt8](repeating: UInt8(k % 251), count: k % 97)
                sink.append(UInt8(k % 256)); expected.append(UInt8(k % 256))
                block.withUnsafeBufferPointer { sink.append($0) }; expected += block
                sink.append(contentsOf: "é\(k)".utf8); expected += Array("é\(k)".utf8)
                let x = Double(k) / 7 + Double(round)
                x.write(to: &sink); expected += Array(x.description.utf8)
            }
            #expect(sink.count == expected.count)
            #expect(Array(sink.bytes) == expected)
        }
    }

    @Test func integersAreWrittenAsStringSpellsThem() {
        var generator = SystemRandomNumberGenerator()
        let edge = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for k in edge + (0..<20_000).map({ _ in Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63, using: &generator) }) {
            var sink = ByteSink()
            sink.appendInteger(k)
            #expect(String(decoding: sink.bytes, as: UTF8.self) == String(k))
        }
    }

    @Test func bigAndSmallWritesAcrossTheWritebackSizeArriveInOrder() throws {
        // Blocks of 300 KB go to the file directly, small ones through the buffer; 20 MB in all
        // passes the 8 MB early-writeback mark twice.
        let dir = try makeTempDirectory()
        let url = dir.appendingPathComponent("big.bin")
        let stream = try AtomicFileStream(url: url)
        var expected: [UInt8] = []
        for k in 0..<200 {
            let block = [UInt8](repeating: UInt8(k % 251), count: k % 3 == 0 ? 300_000 : 1_000 + k)
            try stream.write(block)
            expected += block
        }
        while expected.count < 20_000_000 {
            let block = [UInt8](repeating: 7, count: 400_000)
            try stream.write(block)
            expected += block
        }
        try stream.commit()
        #expect(try Data(contentsOf: url) == Data(expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.bin"])
    }

    @Test(arguments: [true, false])
    func uncachedWriterWritesEveryByteAtLengthsAroundTheAlignmentAndTheBlock(tryUncached: Bool) throws {
        // Lengths just below, at and above the 4096-byte alignment and the 4 MB block, written in
        // uneven pieces; the same bytes whether the writes go around the page cache or not.
        let dir = try makeTempDirectory()
        let block = UncachedFileWriter.blockSize, a = UncachedFileWriter.alignment
        for length in [0, 1, a - 1, a, a + 1, block - 1, block, block + 1, 2 * block + a + 17] {
            let url = dir.appendingPathComponent("file-\(length).bin")
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            #expect(descriptor >= 0)
            let writer = UncachedFileWriter(descriptor: descriptor, path: url.path, tryUncached: tryUncached)
            if !tryUncached { #expect(!writer.uncached) }
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
            var from = 0, piece = 1
            while from < length {
                let n = min(piece, length - from)
                try bytes[from..<(from + n)].withUnsafeBytes { try writer.write($0) }
                from += n
                piece = piece * 7 % 1_000_003 + 1
            }
            try writer.finish()
            #expect(writer.fileSize == length)
            close(descriptor)
            #expect(try Data(contentsOf: url) == Data(bytes), "length \(length)")
        }
    }

    @Test func tableWriterKeepsRowOrderWhenBatchesAndSingleRowsAlternate() throws {
        // Batches are written by a file queue while the next is formatted; a single row appended
        // in between must land after the batch before it.
        let dir = try makeTempDirectory()
        let mixed = dir.appendingPathComponent("mixed.csv").path, plain = dir.appendingPathComponent("plain.csv").path
        let block: (Int) -> [[CSVCell]] = { start in (start..<(start + 70_000)).map { [.text("c\($0)"), .number(Double($0) / 3)] } }
        let writer = try TableWriter(path: mixed, header: ["id", "x"])
        let reference = try TableWriter(path: plain, header: ["id", "x"])
        for round in 0..<3 {
            let rows = block(round * 100_000)
            try writer.append(contentsOf: (0..<rows.count).lazy.map { rows[$0] })
            try writer.append([.text("single \(round)"), .number(-1)])
            for row in rows { try reference.append(row) }
            try reference.append([.text("single \(round)"), .number(-1)])
        }
        try writer.commit()
        try reference.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: mixed)) == Data(contentsOf: URL(fileURLWithPath: plain)))
        #expect(writer.rowCount == 3 * 70_001)
    }

    @Test func backgroundReleaseFreesTheLastReferenceOnAnotherThreadBeforeWaitReturns() {
        final class Tracked: @unchecked Sendable {
            let onFree: (pthread_t) -> Void
            init(onFree: @escaping (pthread_t) -> Void) { self.onFree = onFree }
            deinit { onFree(pthread_self()) }
        }
        final class Record: @unchecked Sendable { var freedOn: [pthread_t] = [] }
        let record = Record(), lock = NSLock()
        let memory = BackgroundRelease()
        var value: Tracked? = Tracked { thread in lock.withLock { record.freedOn.append(thread) } }
        memory.release(value.take())
        #expect(value == nil)
        memory.wait()
        #expect(record.freedOn.count == 1)
        #expect(record.freedOn.first.map { pthread_equal($0, pthread_self()) == 0 } == true)
    }

    @Test func backgroundResultGivesTheValueOrRethrowsTheError() throws {
        struct Failure: Error, Equatable {}
        #expect(try BackgroundResult { (1...1000).reduce(0, +) }.value() == 500_500)
        #expect(throws: Failure()) { try BackgroundResult<Int> { throw Failure() }.value() }
    }

    @Test func warehouseSQLQuotesHostileIdentifiersAndLiterals() {
        let hostile = "amount\"; DROP TABLE customers; --"
        let sql = WarehouseSQL.summary(from: .table(["sales", "tx\"s"]), customer: "cust id", date: "d", amount: hostile,
                                       timeUnit: .week, calibrationEnd: CalendarDay(year: 1997, month: 9, day: 30),
                                       observationEnd: CalendarDay(year: 1998, month: 6, day: 30))
        #expect(sql.contains("CAST(\"amount\"\"; DROP TABLE customers; --\" AS DOUBLE PRECISION)"))
        #expect(!sql.contains("amount\"; DROP"))
        #expect(sql.contains("FROM \"sales\".\"tx\"\"s\""))
        #expect(sql.contains("\"cust id\""))
        #expect(sql.contains("DATE '1997-09-30'") && sql.contains("DATE '1998-06-30'"))
        #expect(sql.contains("frequency_holdout"))
        let file = WarehouseSQL.summary(from: .duckDBCSV(path: "/tmp/it's.csv"), customer: "c", date: "d", amount: nil, timeUnit: .day)
        #expect(file.contains("read_csv('/tmp/it''s.csv'"))
        #expect(!file.contains("frequency_holdout"))
    }
}
