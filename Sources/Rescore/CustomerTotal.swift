/// Money in fixed point with 64 fraction bits in an `Int128`. Each amount is rounded once (exactly
/// for any |amount| >= 2^-12, to 2^-64 below that), and sums of such values are exact integer sums,
/// so a customer's totals are the same whatever order the rows arrive in: a daily update, a backfill
/// and a rebuild from every stored row give the same bits, hence byte-identical outputs.
enum ExactAmount {
    /// Amounts at or beyond this magnitude are rejected at ingest (no transaction is that large, and
    /// it keeps every customer's sum far inside the `Int128` range).
    static let limit = 1e15

    static func fixed(_ amount: Double) -> Int128 { Int128((amount * 0x1p64).rounded()) }

    /// The nearest `Double`.
    static func double(_ value: Int128) -> Double { Double(value) * 0x1p-64 }

    /// The two 64-bit halves the store keeps (SQLite integers are 64-bit).
    static func split(_ value: Int128) -> (hi: Int64, lo: Int64) {
        (Int64(truncatingIfNeeded: value >> 64), Int64(truncatingIfNeeded: value))
    }

    static func join(hi: Int64, lo: Int64) -> Int128 {
        Int128(hi) << 64 | Int128(UInt64(bitPattern: lo))
    }
}

/// One customer's running totals of the stored transactions: what the customer summary needs
/// (same-day rows are one purchase, amounts of a day added into its total, negative amounts netted
/// as `NegativeAmountPolicy.net` does), kept up to date row by row.
struct CustomerTotal: Equatable, Sendable {
    var firstDay: Int32
    var lastDay: Int32
    /// Distinct days with a transaction.
    var purchaseDays: Int32
    var transactions: Int64
    /// Sum of the amounts on `firstDay` and of all amounts (`ExactAmount`).
    var firstDayAmount: Int128
    var amount: Int128

    struct Overflow: Error {}

    init(day: Int32, amount: Int128) {
        firstDay = day
        lastDay = day
        purchaseDays = 1
        transactions = 1
        firstDayAmount = amount
        self.amount = amount
    }

    init(firstDay: Int32, lastDay: Int32, purchaseDays: Int32, transactions: Int64, firstDayAmount: Int128, amount: Int128) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.purchaseDays = purchaseDays
        self.transactions = transactions
        self.firstDayAmount = firstDayAmount
        self.amount = amount
    }

    /// Adds one transaction. Whether its day is a new purchase day is known when the day is after
    /// the last one, before the first one, or one of the two; for a day strictly between them only
    /// the stored rows can tell, so nothing is changed and the result is false (the caller rebuilds).
    /// Rows given in day order are therefore always taken.
    mutating func add(day: Int32, amount value: Int128) throws -> Bool {
        if day > lastDay {
            lastDay = day
            purchaseDays += 1
        } else if day < firstDay {
            firstDay = day
            firstDayAmount = 0
            purchaseDays += 1
        } else if day != firstDay && day != lastDay {
            return false
        }
        let (sum, overflow) = amount.addingReportingOverflow(value)
        guard !overflow else { throw Overflow() }
        amount = sum
        if day == firstDay { firstDayAmount += value }
        transactions += 1
        return true
    }
}
