import Foundation

/// One of N disjoint shards of the customer base, so N scoring jobs can share a night's rescoring
/// (`klant predict --shard k/N`). A customer's shard is a stable hash of the id (FNV-1a 64 of its
/// UTF-8 bytes, mod N): the same on every machine and run, independent of file order, and every
/// customer is in exactly one shard, so the N outputs together are the full scoring.
public struct CustomerShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based shard number.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw InputError(kind: .badOption, columnName: "--shard",
                             problem: "shard \(index)/\(count) does not exist",
                             remedy: "give --shard k/N with 1 <= k <= N, e.g. --shard 3/8 for the third of eight jobs")
        }
        self.index = index
        self.count = count
    }

    /// Parses "k/N", e.g. "3/8".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw InputError(kind: .badOption, columnName: "--shard", problem: "'\(text)' is not a shard k/N",
                             remedy: "give --shard k/N with 1 <= k <= N, e.g. --shard 3/8")
        }
        try self.init(index: k, count: n)
    }

    /// Whether the customer with this id belongs to the shard.
    public func contains(_ customerID: String) -> Bool {
        var hash = FNV1a()
        hash.add(bytes: customerID.utf8)
        return Int(hash.value % UInt64(count)) == index - 1
    }

    public var description: String { "\(index)/\(count)" }
}
