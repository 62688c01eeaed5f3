/// Transactions to fold into customer totals, column-wise, with customers numbered in order of
/// first appearance (ids NFC-normalised as the summariser does, so "ü" in either form is one customer).
struct TotalsBatch {
    private(set) var ids: [String] = []
    private var numbers: [String: Int32] = [:]
    private(set) var customer: [Int32] = []
    private(set) var day: [Int32] = []
    private(set) var amount: [Double] = []

    var count: Int { customer.count }
    var isEmpty: Bool { customer.isEmpty }

    init(expectedRows: Int = 0, expectedCustomers: Int = 0) {
        customer.reserveCapacity(expectedRows)
        day.reserveCapacity(expectedRows)
        amount.reserveCapacity(expectedRows)
        numbers.reserveCapacity(expectedCustomers)
    }

    /// A batch over customers numbered already (the ingest numbers them beside the insert).
    init(numbered customers: RowCustomers, expectedRows: Int) {
        self.init(expectedRows: expectedRows)
        ids = customers.ids
        numbers = customers.index
    }

    /// The number of an (already normalised) customer id, given a new one the first time.
    mutating func number(of id: String) -> Int32 {
        if let n = numbers[id] { return n }
        let n = Int32(ids.count)
        ids.append(id)
        numbers[id] = n
        return n
    }

    mutating func append(customer c: Int32, day d: Int32, amount a: Double) {
        customer.append(c)
        day.append(d)
        amount.append(a)
    }

    /// Row positions in day order, rows of one day in the order given (a counting sort over the
    /// days spanned, which are a few thousand at most for real data; a plain sort beyond that).
    func dayOrder() -> [Int32] {
        guard let low = day.min(), let high = day.max() else { return [] }
        let span = Int(high) - Int(low) + 1
        guard span <= 4_000_000 else {
            return (0..<Int32(count)).sorted { (day[Int($0)], $0) < (day[Int($1)], $1) }
        }
        var start = [Int](repeating: 0, count: span + 1)
        for d in day { start[Int(d - low) + 1] += 1 }
        for k in 1...span { start[k] += start[k - 1] }
        var order = [Int32](repeating: 0, count: count)
        for (r, d) in day.enumerated() {
            let k = Int(d - low)
            order[start[k]] = Int32(r)
            start[k] += 1
        }
        return order
    }
}
