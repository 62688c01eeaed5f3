/// Purchases per calendar day over a whole transaction log, as the summary counts them (same-day
/// rows of a customer are one purchase): how many customers made their first purchase on each day,
/// and how many repeat purchases were made on each day. What the tracking charts of the papers need
/// (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Figure 2: cumulative and weekly
/// repeat purchases, actual vs model), with no customer rows kept.
public struct DailyPurchases: Sendable, Equatable {
    /// The first day of the log (day 0 of the arrays).
    public var firstDay: CalendarDay
    /// Customers whose first purchase is on `firstDay + d`.
    public var firstPurchases: [Int]
    /// Repeat purchases (distinct purchase days after a customer's first) on `firstDay + d`.
    public var repeatPurchases: [Int]

    public init(firstDay: CalendarDay, firstPurchases: [Int], repeatPurchases: [Int]) {
        precondition(firstPurchases.count == repeatPurchases.count, "DailyPurchases: arrays differ in length")
        self.firstDay = firstDay
        self.firstPurchases = firstPurchases
        self.repeatPurchases = repeatPurchases
    }

    /// Days covered: `firstDay` through `lastDay`.
    public var dayCount: Int { firstPurchases.count }
    public var lastDay: CalendarDay { CalendarDay(dayNumber: firstDay.dayNumber + dayCount - 1) }

    /// Counts the distinct purchase days of every customer of the partitions, from `firstDay` through `lastDay`.
    static func count<P: CustomerPartition>(_ parsers: [P], firstDay: Int, lastDay: Int) -> DailyPurchases {
        let days = max(0, lastDay - firstDay + 1)
        var first = [Int](repeating: 0, count: days), repeats = [Int](repeating: 0, count: days)
        func add(_ day: Int32, customerFirstDay: Int32) {
            let d = Int(day) - firstDay
            guard d >= 0, d < days else { return }
            if day == customerFirstDay { first[d] += 1 } else { repeats[d] += 1 }
        }
        for parser in parsers {
            let customers = parser.customers
            for i in 0..<customers.count {
                let firstOfCustomer = customers.entries[i].aggregate.firstDay
                customers.forEachInlineDay(i) { add($0, customerFirstDay: firstOfCustomer) }
            }
            customers.overflowDays.forEach { key in
                add(DayPairSet.day(of: key), customerFirstDay: customers.entries[DayPairSet.customer(of: key)].aggregate.firstDay)
            }
        }
        return DailyPurchases(firstDay: CalendarDay(dayNumber: firstDay), firstPurchases: first, repeatPurchases: repeats)
    }
}
