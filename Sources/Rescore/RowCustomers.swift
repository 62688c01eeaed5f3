import CustomerData

/// The customer of every row of a run's files as a number (NFC ids, numbered in order of first
/// appearance), and each file's distinct customers (what the active-customer gate compares).
/// Filled on one thread, read after it is done (`Ingest` waits for it).
final class RowCustomers: @unchecked Sendable {
    private(set) var ids: [String] = []
    private(set) var index: [String: Int32] = [:]
    /// Per file, per row.
    private(set) var numbers: [[Int32]] = []
    /// Per file.
    private(set) var perFile: [Int] = []

    func number(_ files: [[TransactionRow]]) {
        var lastFile: [Int32] = []
        for (f, rows) in files.enumerated() {
            var numbersOfFile: [Int32] = []
            numbersOfFile.reserveCapacity(rows.count)
            var distinct = 0
            for row in rows {
                let id = normalizedID(row.customerID)
                let c: Int32
                if let known = index[id] { c = known } else {
                    c = Int32(ids.count)
                    ids.append(id)
                    index[id] = c
                    lastFile.append(-1)
                }
                if lastFile[Int(c)] != Int32(f) {
                    lastFile[Int(c)] = Int32(f)
                    distinct += 1
                }
                numbersOfFile.append(c)
            }
            numbers.append(numbersOfFile)
            perFile.append(distinct)
        }
    }
}
