import CustomerData
import Foundation
import Models

/// Merging the outputs of `--shard k/N` runs into the full base's result.
extension ScoringJob {
    /// The result of this (unsharded) job from the per-customer tables its shards scored: rows in
    /// the order of the full summary, then the segment columns and the sidecar computed on the
    /// whole base exactly as `run()` computes them, so N shards merged equal one unsharded run.
    /// Each customer of the summary must be in exactly one shard table.
    public func merging(shards: [ScoreTable]) throws -> Result {
        guard case let .summary(full, source) = customers, shard == nil, customerTable == nil else {
            throw ModelError.invalidData("merging shards needs the full customer summary, without --shard and without a customer table")
        }
        guard case let .repeatPurchase(_, file) = try ModelLoader.load(URL(fileURLWithPath: modelPath)), let spendModelPath else {
            throw ModelError.invalidData("\(modelPath): merging shards is for a repeat-purchase model with a spend model")
        }
        try ModelLoader.requireSameUnit(model: file.calendarUnit, modelPath: modelPath, summary: full.timeUnit, summaryPath: source)
        let (_, spendFile) = try ModelLoader.loadSpendModel(URL(fileURLWithPath: spendModelPath))
        var table = try ScoreTable(merging: shards, order: full.customerIDs)
        var notes: [String] = []
        let analytics = try appendAnalytics(to: &table, history: PurchaseHistory(summary: full), joined: nil, notes: &notes)
        return try result(table, analytics: analytics, setting: "non-contractual",
                          models: [(modelPath, file.kind), (spendModelPath, spendFile.kind)], notes: notes)
    }
}

extension ScoreTable {
    /// The rows of `shards` (same columns in the same order) put into `order`; every id of `order`
    /// must be in exactly one shard, and the shards must hold no other id.
    public init(merging shards: [ScoreTable], order: [String]) throws {
        guard let first = shards.first else { throw ModelError.invalidData("no shard tables to merge") }
        let header = first.header
        var source: [String: (shard: Int, row: Int)] = [:]
        source.reserveCapacity(order.count)
        for (s, shard) in shards.enumerated() {
            guard shard.header == header else {
                throw ModelError.invalidData("shard \(s + 1) has the columns \(shard.header.joined(separator: ",")), shard 1 has \(header.joined(separator: ","))")
            }
            for (r, id) in shard.customerIDs.enumerated() {
                guard source.updateValue((s, r), forKey: id) == nil else { throw ModelError.invalidData("customer \(id) is in two shards (or twice in one)") }
            }
        }
        guard source.count == order.count else {
            throw ModelError.invalidData("the shards hold \(source.count) customers, the base has \(order.count): give every shard of one run")
        }
        let at = try order.map { id -> (shard: Int, row: Int) in
            guard let place = source[id] else { throw ModelError.invalidData("customer \(id) is in no shard: give every shard of one run") }
            return place
        }
        self.init(idColumn: first.idColumn, customerIDs: order)
        let rows = shards.map(\.count)
        for (k, column) in first.columns.enumerated() {
            switch column {
            case .number(let name, _):
                let parts = shards.map { shard -> [Double] in if case .number(_, let v) = shard.columns[k] { return v } else { return [] } }
                append(.number(name, try Self.gather(parts, rows, at, name)))
            case .integer(let name, _):
                let parts = shards.map { shard -> [Int] in if case .integer(_, let v) = shard.columns[k] { return v } else { return [] } }
                append(.integer(name, try Self.gather(parts, rows, at, name)))
            case .text(let name, _), .labels(let name, _, _):
                let parts = shards.map { shard in shard.columns[k].texts ?? [] }
                append(.text(name, try Self.gather(parts, rows, at, name)))
            }
        }
    }

    static func gather<T>(_ parts: [[T]], _ rows: [Int], _ at: [(shard: Int, row: Int)], _ name: String) throws -> [T] {
        for (s, part) in parts.enumerated() where part.count != rows[s] {
            throw ModelError.invalidData("column \(name) of shard \(s + 1) has another type than in shard 1")
        }
        return at.map { parts[$0.shard][$0.row] }
    }
}
