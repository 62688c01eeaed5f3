/// One customer in two adjacent cache lines: its id (inline when short, else an arena offset), its totals,
/// and its first 16 distinct purchase days (later distinct days go to the table's overflow `DayPairSet`).
/// Keeping the days beside the totals means a row usually touches just this entry and one hash slot.
struct CustomerEntry {
    var w0: UInt64, w1: UInt64, w2: UInt64
    var length: Int32
    /// Distinct days stored in `days` (at most `inlineDays`).
    var dayCount: Int32 = 0
    var aggregate: CustomerAggregate
    var days: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
               Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    static let inlineDays = 16
    static let daysOffset = MemoryLayout<CustomerEntry>.offset(of: \CustomerEntry.days)!
}
