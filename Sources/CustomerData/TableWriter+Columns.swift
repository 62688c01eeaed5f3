/// Writing a table kept by column (`ColumnRows`: score tables, predictions): rows are formatted
/// straight from the columns' storage, on all cores, without a `[CSVCell]` per row.
extension TableWriter {
    /// A table kept by column: each cell is formatted from its column's storage (no cells are made;
    /// label texts are escaped once).
    func appendColumns(_ columns: [TableColumn]) throws {
        precondition(columns.count == header.count, "TableWriter: \(columns.count) columns for \(header.count) header names")
        let rows = columns.first?.count ?? 0
        let format = format, jsonKeys = jsonKeys
        var labelTexts: [LabelTexts] = []
        defer { for texts in labelTexts { texts.deallocate() } }
        for case .labels(_, let labels) in columns { labelTexts.append(LabelTexts(labels, format: format)) }
        // The error of a failed write is carried out of the storage closures and thrown after them:
        // thrown through them (rethrows, nested once per column), it reached the caller as a broken
        // existential when the table had a labels column (a crash on a full disk, seen in `klant score`).
        var failure: Error?
        Self.withStorage(of: columns[...], labelTexts: labelTexts[...], []) { storage in
            do {
                for start in stride(from: 0, to: rows, by: Self.batchRows) {
                    try appendBatch(count: min(Self.batchRows, rows - start)) { i, sink in
                        Self.appendRow(start + i, of: storage, format: format, jsonKeys: jsonKeys, to: &sink)
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// The formatted texts of a labels column, each in a 16-byte slot when all fit (a cell is then
    /// one fixed-size copy, not a call to memmove), else in one block (reading one counts no references).
    private struct LabelTexts {
        let bytes: UnsafeMutableBufferPointer<UInt8>
        /// Label k is bytes[starts[k]..<starts[k + 1]].
        let starts: UnsafeMutableBufferPointer<Int>
        /// Label k is slots[16k..<16k + lengths[k]] when every label has at most 16 bytes, else nil.
        let slots: UnsafeMutablePointer<UInt8>?
        let lengths: UnsafeMutableBufferPointer<UInt8>

        init(_ labels: [String], format: TableFormat) {
            var sink = ByteSink()
            var starts = [0]
            for label in labels {
                format == .csv ? TableWriter.appendCSV(.text(label), to: &sink) : TableWriter.appendJSON(.text(label), to: &sink)
                starts.append(sink.count)
            }
            bytes = .allocate(capacity: sink.count)
            _ = bytes.initialize(from: sink.bytes)
            self.starts = .allocate(capacity: starts.count)
            _ = self.starts.initialize(from: starts)
            let lengths = zip(starts, starts.dropFirst()).map { $1 - $0 }
            self.lengths = .allocate(capacity: lengths.count)
            _ = self.lengths.initialize(from: lengths.map { UInt8(clamping: $0) })
            if lengths.allSatisfy({ $0 <= 16 }) {
                let slots = UnsafeMutablePointer<UInt8>.allocate(capacity: 16 * Swift.max(1, labels.count))
                slots.initialize(repeating: 0, count: 16 * Swift.max(1, labels.count))
                for k in labels.indices { (slots + 16 * k).update(from: bytes.baseAddress! + starts[k], count: lengths[k]) }
                self.slots = slots
            } else {
                slots = nil
            }
        }

        func deallocate() { bytes.deallocate(); starts.deallocate(); lengths.deallocate(); slots?.deallocate() }
    }

    /// A column's values seen through pointers: reading a cell copies no array and counts no references.
    private enum ColumnStorage {
        case numbers(UnsafeBufferPointer<Double>)
        case integers(UnsafeBufferPointer<Int>)
        case texts(UnsafeBufferPointer<String>)
        case labels(UnsafeBufferPointer<UInt8>, LabelTexts)
    }

    /// Calls `body` with every column's storage, valid for the call.
    private static func withStorage(of columns: ArraySlice<TableColumn>, labelTexts: ArraySlice<LabelTexts>, _ storage: [ColumnStorage],
                                    _ body: ([ColumnStorage]) -> Void) {
        guard let column = columns.first else { return body(storage) }
        let rest = columns.dropFirst()
        switch column {
        case .numbers(let v):
            v.withUnsafeBufferPointer { withStorage(of: rest, labelTexts: labelTexts, storage + [.numbers($0)], body) }
        case .integers(let v):
            v.withUnsafeBufferPointer { withStorage(of: rest, labelTexts: labelTexts, storage + [.integers($0)], body) }
        case .texts(let v):
            v.withUnsafeBufferPointer { withStorage(of: rest, labelTexts: labelTexts, storage + [.texts($0)], body) }
        case .labels(let codes, _):
            codes.withUnsafeBufferPointer {
                withStorage(of: rest, labelTexts: labelTexts.dropFirst(), storage + [.labels($0, labelTexts.first!)], body)
            }
        }
    }

    /// Row `i` of column-stored values, the same bytes as `appendRow` of its cells.
    @inline(__always)
    private static func appendRow(_ i: Int, of columns: [ColumnStorage], format: TableFormat, jsonKeys: [[UInt8]], to line: inout ByteSink) {
        let json = format == .jsonl
        if json { line.append(123) }
        for k in columns.indices {
            if k > 0 { line.append(44) }
            if json { line.append(contentsOf: jsonKeys[k]) }
            switch columns[k] {
            case .numbers(let v):
                let x = v[i]
                if x.isFinite { line.appendNumber(x) } else if json { line.append(contentsOf: "null".utf8) }
            case .integers(let v): line.appendInteger(v[i])
            case .texts(let v): json ? appendJSON(.text(v[i]), to: &line) : appendCSV(.text(v[i]), to: &line)
            case .labels(let codes, let texts):
                let k = Int(codes[i])
                if let slots = texts.slots {
                    line.appendSlot(slots + 16 * k, count: Int(texts.lengths[k]))
                } else {
                    line.append(UnsafeBufferPointer(rebasing: texts.bytes[texts.starts[k]..<texts.starts[k + 1]]))
                }
            }
        }
        if json { line.append(125) }
        line.append(10)
    }
}
