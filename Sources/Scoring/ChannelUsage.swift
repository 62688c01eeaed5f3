import CustomerData
import Foundation

/// Which sales channels each customer bought through, from a channel per transaction:
/// `channels_used` is the number of distinct channels of the customer's transactions (0 for a
/// customer without transactions in the log). Channel names are compared exactly after trimming
/// spaces; at most 64 distinct channels (a bit per channel per customer).
public struct ChannelUsage: Sendable {
    /// The distinct channels of the log (all transactions), sorted.
    public let channels: [String]
    /// Distinct channels per customer, in the order of `customers`.
    public let channelsUsed: [Int]
    /// Bit j set when the customer used `channels[j]`.
    public let masks: [UInt64]
    /// Transactions of customers not in the scored base (skipped, counted here).
    public let unmatchedTransactions: Int

    /// Counts channels per customer. `transactionCustomers[t]` and `transactionChannels[t]` are the
    /// customer and channel of transaction t; `lines[t]` its line in `source` for error messages.
    /// A blank channel is an error naming the line.
    public init<ID: Hashable>(customers: [ID], transactionCustomers: [ID], transactionChannels: [String],
                              lines: [Int]? = nil, source: String = "<memory>") throws {
        try ValueChecks.requireLength(transactionChannels, transactionCustomers.count, "channel")
        var index = [ID: Int](minimumCapacity: customers.count)
        for (i, id) in customers.enumerated() { index[id] = i }
        var channelIndex = [String: Int]()
        var rawMasks = [UInt64](repeating: 0, count: customers.count)
        var unmatched = 0
        for (t, raw) in transactionChannels.enumerated() {
            let line = lines?[t] ?? t + 2
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw InputError(kind: .badSummaryValue, file: source, line: line, columnName: "channel", value: raw,
                                 problem: "the channel is blank", remedy: "Give every transaction its channel, or leave the channel column out")
            }
            let bit: Int
            if let b = channelIndex[name] { bit = b } else {
                guard channelIndex.count < 64 else {
                    throw InputError(kind: .badSummaryValue, file: source, line: line, columnName: "channel", value: raw,
                                     problem: "more than 64 distinct channels", remedy: "Check that the channel column holds channels (web, shop, phone, ...)")
                }
                bit = channelIndex.count
                channelIndex[name] = bit
            }
            guard let customer = index[transactionCustomers[t]] else { unmatched += 1; continue }
            rawMasks[customer] |= 1 << UInt64(bit)
        }
        // Renumber the bits so that bit j is the j-th channel in sorted order.
        let sortedNames = channelIndex.keys.sorted()
        var remap = [Int](repeating: 0, count: channelIndex.count)
        for (j, name) in sortedNames.enumerated() { remap[channelIndex[name]!] = j }
        masks = rawMasks.map { m in
            var out: UInt64 = 0
            for (old, new) in remap.enumerated() where m & (1 << UInt64(old)) != 0 { out |= 1 << UInt64(new) }
            return out
        }
        channels = sortedNames
        channelsUsed = masks.map { $0.nonzeroBitCount }
        unmatchedTransactions = unmatched
    }
}
