import CustomerData
import Foundation
import GRDB
import Testing
@testable import Rescore
@testable import Store

/// Sharded scoring as the README's Kubernetes Indexed Job runs it: --prepare once, --shard k/N side
/// by side, --merge-shards N once; the published files equal an unsharded run's byte for byte.
@Suite(.serialized) struct ShardedRescoreTests {
    func run(_ f: NightlyFixture, _ asOf: String, _ mode: NightlyRun.Mode) throws -> NightlyRun.Outcome {
        var run = NightlyRun(config: try f.load(), asOf: try CalendarDay(parsing: asOf))
        run.mode = mode
        return try run.run()
    }

    @Test func shardsRunSideBySideAndMergedEqualAnUnshardedRunByteForByte() throws {
        let sharded = try NightlyFixture(extraConfig: NightlyFixture.decide)
        defer { sharded.remove() }
        let whole = try NightlyFixture(extraConfig: NightlyFixture.decide)
        defer { whole.remove() }
        for f in [sharded, whole] { _ = try f.run("1998-06-24") }
        _ = try whole.run("1998-06-30")
        // The models are 6 days old (limit 3): the prepare step refits, once, for all shards.
        let base = ["rescore", "--config", sharded.configURL.path, "--as-of", "1998-06-30"]
        #expect(try KlantProcess.run(base + ["--prepare"]).status == 0)
        #expect(!sharded.exists("1998-06-30"))
        let n = 3
        let processes = try (1...n).map { k in try KlantProcess.start(base + ["--shard", "\(k)/\(n)"]) }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0])
        let merged = try KlantProcess.run(base + ["--merge-shards", "\(n)"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let published = try sharded.outputs("1998-06-30")
        #expect(Set(published.keys) == Set(NightlyRun.outputNames + ["actions.csv"]))
        for (name, data) in try whole.outputs("1998-06-30") {
            #expect(published[name] == data, "\(name) differs")
        }
        // Every customer was scored by exactly one shard.
        let counts = try (1...n).map { k -> Int in
            let manifest = ShardScores.files(outputDir: sharded.outDir, asOf: try CalendarDay(parsing: "1998-06-30"), shard: try CustomerShard(index: k, count: n)).manifest
            return try JSONDecoder().decode(ShardScores.Manifest.self, from: Data(contentsOf: manifest)).customers
        }
        let summary = try JSONDecoder().decode(RunSummary.self, from: published["summary.json"]!)
        #expect(counts.reduce(0, +) == summary.customers && counts.allSatisfy { $0 > 0 })
        #expect(summary.models.refit == "refitted")
        let runs = try KlantStore(path: sharded.storeURL.path).queue.read { try String.fetchAll($0, sql: "SELECT outcome FROM run WHERE as_of = '1998-06-30' ORDER BY started_at") }
        #expect(runs == ["prepared", "ok"])
    }

    @Test func aShardBeforePrepareAndAMissingShardAreInputErrorsThatPublishNothing() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        _ = try f.run("1998-06-24")
        let early = #expect(throws: RescoreError.self) { try run(f, "1998-06-29", .shard(try CustomerShard(index: 1, count: 2))) }
        #expect(early?.kind == .badInput && early?.message.contains("--prepare") == true)
        _ = try run(f, "1998-06-29", .prepare)
        _ = try run(f, "1998-06-29", .shard(try CustomerShard(index: 1, count: 2)))
        let missing = #expect(throws: RescoreError.self) { try run(f, "1998-06-29", .mergeShards(2)) }
        #expect(missing?.kind == .badInput && missing?.message.contains("shard 2/2 of 1998-06-29 is missing") == true, "\(String(describing: missing))")
        #expect(!f.exists("1998-06-29"))
    }

    @Test func shardsScoredOnOtherDataThanTheMergeSeesAreRefused() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        _ = try run(f, "1998-06-29", .prepare)
        for k in 1...2 { _ = try run(f, "1998-06-29", .shard(try CustomerShard(index: k, count: 2))) }
        // The day's drop is delivered again with one more row after the shards ran.
        let drop = f.incoming.appendingPathComponent("1998-06-29.csv")
        try (try String(contentsOf: drop, encoding: .utf8) + "99999,1998-06-29,12.50\n").write(to: drop, atomically: true, encoding: .utf8)
        let stale = #expect(throws: RescoreError.self) { try run(f, "1998-06-29", .mergeShards(2)) }
        #expect(stale?.kind == .badInput && stale?.message.contains("run the shards again") == true, "\(String(describing: stale))")
        #expect(!f.exists("1998-06-29"))
        // Prepared again (which ingests the new row), the shards see it and the merge publishes.
        _ = try run(f, "1998-06-29", .prepare)
        for k in 1...2 { _ = try run(f, "1998-06-29", .shard(try CustomerShard(index: k, count: 2))) }
        #expect(try run(f, "1998-06-29", .mergeShards(2)).published != nil)
    }

    @Test func badShardFlagsExitTwoAndWriteNothing() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let base = ["rescore", "--config", f.configURL.path, "--as-of", "1998-06-30"]
        for extra in [["--shard", "0/3"], ["--shard", "4/3"], ["--shard", "two"], ["--prepare", "--shard", "1/2"],
                      ["--shard", "1/2", "--merge-shards", "2"], ["--dry-run", "--shard", "1/2"], ["--merge-shards", "0"]] {
            let run = try KlantProcess.run(base + extra)
            #expect(run.status == 2, "\(extra): \(run.stderr)")
            #expect(!run.stderr.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: f.storeURL.path) && !FileManager.default.fileExists(atPath: f.outDir.path))
    }
}
