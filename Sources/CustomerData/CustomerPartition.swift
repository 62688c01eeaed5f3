/// The customers one parser collected, in the form the summary step reads: the interned customers with
/// their totals and days, and where each customer was first seen (to list customers in input order).
protocol CustomerPartition {
    var customers: CustomerIndex { get }
    /// Position of each customer's first row (a byte offset or a row number), in index order.
    var firstOffsets: [Int] { get }
}

extension PartitionParser: CustomerPartition {}
