import CustomerData
import Foundation
import GRDB

/// The per-customer running totals in the store (`customer_total`, migration v5): the ingest folds
/// each run's new transactions into them in the run's one transaction, and the summary reads one row
/// per customer instead of every stored transaction. When they cannot serve a date, the totals are
/// rebuilt from the rows: a store migrated with transactions in it, a late row dated strictly between
/// a customer's first and last purchase day (whether it is a new purchase day needs the rows), or an
/// as-of date before the newest stored transaction (a backfilled run). Exact sums (`ExactAmount`)
/// make all these paths give the same bits.
enum CustomerTotals {
    struct State: Equatable {
        /// The newest transaction day in the store (nil: none).
        var maxDay: Int32?
        /// The table holds the totals of every stored transaction.
        var valid: Bool
    }

    static func state(_ db: Database) throws -> State {
        let row = try Row.fetchOne(db, sql: "SELECT max_day, valid FROM customer_total_state WHERE id = 1")
        return State(maxDay: (row?["max_day"] as Int64?).map { Int32($0) }, valid: (row?["valid"] as Bool?) ?? false)
    }

    static func save(_ db: Database, _ state: State) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO customer_total_state (id, max_day, valid) VALUES (1, ?, ?)",
                       arguments: [state.maxDay.map { Int64($0) }, state.valid])
    }

    /// Folds a run's newly stored transactions into the totals (only into the customers they touch).
    static func apply(_ db: Database, _ batch: TotalsBatch) throws {
        guard !batch.isEmpty else { return }
        var state = try state(db)
        state.maxDay = max(state.maxDay ?? Int32.min, batch.day.max()!)
        if state.valid {
            if let totals = try folded(db, batch) {
                try write(db, ids: batch.ids, totals: totals)
            } else {
                // A late row inside a customer's purchase span: the summary rebuilds the totals from the rows.
                state.valid = false
            }
        }
        try save(db, state)
    }

    /// The stored totals of the batch's customers with its rows added in day order (nil for a
    /// customer with neither); nil when a row falls strictly inside a customer's stored purchase span.
    static func folded(_ db: Database, _ batch: TotalsBatch) throws -> [CustomerTotal?]? {
        var totals = try stored(db, ids: batch.ids)
        for r in batch.dayOrder() {
            let r = Int(r), c = Int(batch.customer[r]), value = ExactAmount.fixed(batch.amount[r])
            guard totals[c] != nil else { totals[c] = CustomerTotal(day: batch.day[r], amount: value); continue }
            guard try added(value, day: batch.day[r], to: &totals[c]!, id: batch.ids[c]) else { return nil }
        }
        return totals
    }

    static func added(_ value: Int128, day: Int32, to total: inout CustomerTotal, id: String) throws -> Bool {
        do { return try total.add(day: day, amount: value) } catch {
            throw RescoreError(.badInput, "customer \(id): the sum of the amounts is out of range (amounts must be below \(ExactAmount.limit) in size)")
        }
    }

    /// The stored totals of `ids` (nil for customers not in the table).
    static func stored(_ db: Database, ids: [String]) throws -> [CustomerTotal?] {
        var totals = [CustomerTotal?](repeating: nil, count: ids.count)
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer_total)") == true else { return totals }
        let select = try RawStatement(db, sql: """
            SELECT first_day, last_day, purchase_days, transactions, first_day_amount_hi, first_day_amount_lo, amount_hi, amount_lo
            FROM customer_total WHERE customer_id = ?
            """)
        for (c, id) in ids.enumerated() {
            select.bind(1, text: id)
            if try select.next() {
                totals[c] = read(select, from: 0)
                select.reset()
            }
        }
        return totals
    }

    static func read(_ s: RawStatement, from k: Int32) -> CustomerTotal {
        CustomerTotal(firstDay: Int32(s.int64(k)), lastDay: Int32(s.int64(k + 1)), purchaseDays: Int32(s.int64(k + 2)), transactions: s.int64(k + 3),
                      firstDayAmount: ExactAmount.join(hi: s.int64(k + 4), lo: s.int64(k + 5)),
                      amount: ExactAmount.join(hi: s.int64(k + 6), lo: s.int64(k + 7)))
    }

    /// Writes the totals of `ids` (nil: nothing to write for that customer).
    static func write(_ db: Database, ids: [String], totals: [CustomerTotal?]) throws {
        let insert = try RawStatement(db, sql: """
            INSERT OR REPLACE INTO customer_total (customer_id, first_day, last_day, purchase_days, transactions,
                first_day_amount_hi, first_day_amount_lo, amount_hi, amount_lo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (id, total) in zip(ids, totals) {
            guard let t = total else { continue }
            let first = ExactAmount.split(t.firstDayAmount), all = ExactAmount.split(t.amount)
            insert.bind(1, text: id)
            insert.bind(2, Int64(t.firstDay)); insert.bind(3, Int64(t.lastDay)); insert.bind(4, Int64(t.purchaseDays)); insert.bind(5, t.transactions)
            insert.bind(6, first.hi); insert.bind(7, first.lo); insert.bind(8, all.hi); insert.bind(9, all.lo)
            try insert.execute()
        }
    }

    // MARK: - Summary

    /// Every customer's totals as of `asOf`, in id order: read from the table when it holds every
    /// stored transaction and none is dated after `asOf`; otherwise rebuilt from the stored rows
    /// through `asOf` (and, when `persist` and no row is later, written back for the next runs).
    static func asOf(_ db: Database, _ asOf: CalendarDay, persist: Bool) throws -> (ids: [String], totals: [CustomerTotal]) {
        let day = Int32(asOf.dayNumber)
        let state = try state(db)
        if state.valid && (state.maxDay ?? Int32.min) <= day { return try readAll(db) }
        let (ids, totals, maxDay) = try rebuild(db, through: day)
        if persist && (maxDay ?? Int32.min) <= day {
            try db.execute(sql: "DELETE FROM customer_total")
            try write(db, ids: ids, totals: totals)
            try save(db, State(maxDay: maxDay, valid: true))
        }
        return (ids, totals)
    }

    /// The table in id order (byte order of NFC ids, which is Swift's `String` order for them;
    /// checked, and sorted should it ever differ).
    static func readAll(_ db: Database) throws -> (ids: [String], totals: [CustomerTotal]) {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer_total") ?? 0
        var ids: [String] = [], totals: [CustomerTotal] = []
        ids.reserveCapacity(count)
        totals.reserveCapacity(count)
        let select = try RawStatement(db, sql: """
            SELECT customer_id, first_day, last_day, purchase_days, transactions, first_day_amount_hi, first_day_amount_lo, amount_hi, amount_lo
            FROM customer_total ORDER BY customer_id
            """)
        var ordered = true
        while try select.next() {
            let id = select.text(0)
            if let last = ids.last, !(last < id) { ordered = false }
            ids.append(id)
            totals.append(read(select, from: 1))
        }
        guard !ordered else { return (ids, totals) }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        return (order.map { ids[$0] }, order.map { totals[$0] })
    }

    /// Totals from every stored row dated on or before `through`, in id order, and the newest day of all rows.
    static func rebuild(_ db: Database, through: Int32) throws -> (ids: [String], totals: [CustomerTotal], maxDay: Int32?) {
        var batch = TotalsBatch()
        var maxDay: Int32? = nil
        let scan = try RawStatement(db, sql: "SELECT customer_id, day, amount FROM transaction_row")
        while try scan.next() {
            let day = try isoDay(scan.bytes(1))
            maxDay = max(maxDay ?? day, day)
            guard day <= through else { continue }
            batch.append(customer: batch.number(of: normalizedID(scan.text(0))), day: day, amount: scan.double(2))
        }
        var totals = [CustomerTotal?](repeating: nil, count: batch.ids.count)
        for r in batch.dayOrder() {
            let r = Int(r), c = Int(batch.customer[r]), value = ExactAmount.fixed(batch.amount[r])
            if totals[c] == nil { totals[c] = CustomerTotal(day: batch.day[r], amount: value) } else {
                _ = try added(value, day: batch.day[r], to: &totals[c]!, id: batch.ids[c])
            }
        }
        let order = batch.ids.indices.sorted { batch.ids[$0] < batch.ids[$1] }
        return (order.map { batch.ids[$0] }, order.map { totals[$0]! }, maxDay)
    }

    /// The day number of a stored `yyyy-MM-dd` day.
    static func isoDay(_ text: UnsafeBufferPointer<UInt8>) throws -> Int32 {
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for k in range {
                let d = Int(text[k]) - 48
                guard d >= 0 && d < 10 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard text.count == 10, let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10),
              let day = CalendarDay(year: y, month: m, day: d) else {
            throw RescoreError(.failed, "the store holds a transaction day \(String(decoding: text, as: UTF8.self)) that is not yyyy-MM-dd")
        }
        return Int32(day.dayNumber)
    }

    /// The customer summary as of `asOf` from the totals (the same numbers as the transaction
    /// summariser on the stored rows: frequency = purchase days - 1, recency = last - first day,
    /// T = as-of - first day, monetary value = mean day total of the repeat days), customers in id
    /// order, with the number of transactions behind it. Only `shard`'s customers when given.
    static func summary(ids: [String], totals: [CustomerTotal], asOf: CalendarDay, unit: TimeUnit,
                        shard: CustomerShard? = nil) -> (summary: CustomerSummary, transactions: Int) {
        let unitDays = unit.days, end = asOf.dayNumber
        var kept: [String] = [], frequency: [Double] = [], recency: [Double] = [], T: [Double] = [], monetary: [Double] = []
        kept.reserveCapacity(ids.count)
        frequency.reserveCapacity(ids.count); recency.reserveCapacity(ids.count); T.reserveCapacity(ids.count); monetary.reserveCapacity(ids.count)
        var transactions = 0
        for (id, t) in zip(ids, totals) {
            if let shard, !shard.contains(id) { continue }
            let x = Int(t.purchaseDays) - 1
            kept.append(id)
            frequency.append(Double(x))
            recency.append(Double(Int(t.lastDay) - Int(t.firstDay)) / unitDays)
            T.append(Double(end - Int(t.firstDay)) / unitDays)
            monetary.append(x > 0 ? ExactAmount.double(t.amount - t.firstDayAmount) / Double(x) : 0)
            transactions += Int(t.transactions)
        }
        return (CustomerSummary(customerIDs: kept, frequency: frequency, recency: recency, T: T, monetaryValue: monetary, timeUnit: unit), transactions)
    }
}
