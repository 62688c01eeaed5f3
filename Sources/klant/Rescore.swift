import ArgumentParser
import CustomerData
import Foundation
import GRDB
import Rescore
import Store

/// `klant rescore`: the nightly run a scheduler starts — ingest the day's drops, check them,
/// refit when due, rescore everyone as of the date, and publish all outputs together.
struct RescoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Nightly run: ingest daily drops, quality gates, refit when due, rescore as of a date, change report, publish atomically.",
        discussion: """
            Example (the shipped example, from a fresh clone):
              klant rescore --config examples/nightly/klant.yaml --as-of 1998-06-30
            Steps: ingest the drops (incoming/YYYY-MM-DD.csv[.gz]) up to --as-of not yet in the store, deduplicated by \
            a content hash per row (a file sent twice counts once); quality gates; refit when the models are older than \
            refit.max_age_days or the holdout check (predicted vs actual repeat purchases since the last fit) drifted past \
            refit.max_drift (a failed or non-converged refit keeps the previous models, recorded in the summary and klant runs); \
            score every customer as of the date with the same library as klant score; compare with the previous snapshot \
            (newly at risk, segment moves, CLV up/down); with a decide section, plan the day's actions (as klant actions) and \
            record the contacts once; publish scores.csv (+ .meta.json), changes.csv, rejected_rows.csv, actions.csv \
            and summary.json into <output-dir>/<as-of>/ together (staged, fsynced, renamed), and point <output-dir>/latest at it.
            The same as-of date twice gives byte-identical outputs and counts nothing twice; earlier dates can be backfilled.
            Sharded (several machines): --prepare once, --shard k/N for each shard (in parallel), --merge-shards N once.
            Quiet on success; --log-format json writes one JSON object per step (run id, counts, durations).
            Exit codes: 0 ok, 1 failed, 2 bad config or input (before any write), 3 another run holds the lock \
            (its pid is named), 4 a quality gate failed (gate and numbers named; nothing published).
            """)

    @Option(help: "The run's YAML config; its relative paths are relative to it. Example: --config examples/nightly/klant.yaml")
    var config: String

    @Option(help: "Score as of this date (yyyy-MM-dd): drops up to it are ingested, customers valued on it. Example: --as-of 1998-06-30")
    var asOf: String

    @Option(help: "Where to publish (default: outputs.dir of the config). Example: --output-dir /srv/klant/out")
    var outputDir: String?

    @Option(help: "The SQLite store (default: store.file of the config). Example: --store /srv/klant/klant.sqlite")
    var store: String?

    @Flag(help: "Print what the run would ingest, refit, score and publish; write nothing.")
    var dryRun = false

    @Flag(help: "Sharded scoring, step 1 of 3: ingest, run the gates and decide the refit once, commit; score and publish nothing. Example: --prepare")
    var prepare = false

    @Option(help: "Sharded scoring, step 2 of 3: score only shard k of N (customers whose id hashes to it) of a prepared date into <output-dir>/shards/<as-of>/; reads the store, takes no lock, so the N shards run side by side (Kubernetes: k = $JOB_COMPLETION_INDEX + 1). Example: --shard 3/8")
    var shard: String?

    @Option(help: "Sharded scoring, step 3 of 3: the full run (change report, decide, publish) with the scores merged from the N shards' outputs; byte-identical to an unsharded run. Example: --merge-shards 8")
    var mergeShards: Int?

    @Flag(help: "Also print progress on success (default: quiet unless something is wrong).")
    var verbose = false

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        if !verbose { Log.shared.quiet = true }
        let day: CalendarDay
        do { day = try CalendarDay(parsing: asOf) } catch {
            throw KlantFailure(message: "--as-of must be a date yyyy-MM-dd, not \(asOf)", exitCode: 2)
        }
        do {
            let loaded = try RescoreConfig.load(path: config)
            var run = NightlyRun(config: loaded, asOf: day, outputDir: outputDir.map { URL(fileURLWithPath: $0) },
                                 storeFile: store.map { URL(fileURLWithPath: $0) }, log: RescoreCommand.emit)
            run.dryRun = dryRun
            run.mode = try mode()
            let outcome = try run.run()
            if dryRun { print(outcome.plan.joined(separator: "\n")) }
            let steps = outcome.durations.map { "\($0.step)=\(String(format: "%.3f", $0.seconds))s" }.joined(separator: " ")
            Log.shared.info("run \(outcome.runID): \(steps)", fields: ["event": "durations", "run_id": outcome.runID,
                            "durations": Dictionary(uniqueKeysWithValues: outcome.durations.map { ($0.step, $0.seconds) })])
        } catch let error as RescoreError {
            var fields: [String: Any] = ["exit_code": error.exitCode, "as_of": asOf]
            if let gate = error.gate { fields["gate"] = gate }
            Log.shared.error(error.message, fields: fields)
            throw ExitCode(error.exitCode)
        } catch let error as InputError {
            throw KlantFailure(message: error.description, exitCode: 2)
        } catch let error as StoreError {
            throw KlantFailure(message: error.description, exitCode: 2)
        } catch let error as DatabaseError {
            throw KlantFailure(message: "the store failed: \(error)", exitCode: 1)
        }
    }

    /// The part of the run the flags ask for; the sharding flags exclude each other and --dry-run.
    func mode() throws -> NightlyRun.Mode {
        let given = [prepare ? "--prepare" : nil, shard.map { _ in "--shard" }, mergeShards.map { _ in "--merge-shards" }, dryRun ? "--dry-run" : nil].compactMap { $0 }
        guard given.count <= 1 || (given.count == 2 && given.contains("--dry-run") && !given.contains("--shard")) else {
            throw KlantFailure(message: "\(given.joined(separator: " and ")) cannot be combined: a sharded run is --prepare, then --shard k/N per shard, then --merge-shards N", exitCode: 2)
        }
        if prepare { return .prepare }
        if let shard {
            do { return .shard(try CustomerShard(parsing: shard)) } catch { throw KlantFailure(message: "\(error)", exitCode: 2) }
        }
        if let mergeShards {
            guard mergeShards >= 1 else { throw KlantFailure(message: "--merge-shards must be the number of shards (>= 1), not \(mergeShards)", exitCode: 2) }
            return .mergeShards(mergeShards)
        }
        return .full
    }

    static func emit(_ event: RunEvent) {
        var fields: [String: Any] = event.fields
        fields["step"] = event.step
        switch event.level {
        case .info: Log.shared.info(event.message, fields: fields)
        case .warning: Log.shared.warning(event.message, fields: fields)
        case .error: Log.shared.error(event.message, fields: fields)
        }
    }
}

/// `klant runs`: the run records of a store, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List past rescore runs: as-of date, outcome, counts, step durations and the refit decision with its reason (age, holdout drift).",
        discussion: "Example: klant runs --store examples/nightly/state/klant.sqlite --limit 10")

    @Option(help: "The SQLite store of klant rescore. Example: --store examples/nightly/state/klant.sqlite")
    var store: String

    @Option(help: "How many runs to list. Example: --limit 10")
    var limit = 20

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else { throw KlantFailure(message: "no store at \(store)", exitCode: 2) }
        let opened = try KlantStore(path: store)
        let rows = try opened.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, as_of, started_at, outcome, exit_code, counts, durations, refit, message FROM run ORDER BY started_at DESC, run_id DESC LIMIT ?", arguments: [limit])
        }
        print("started_at\tas_of\toutcome\texit\tcounts\tdurations\trefit\tmessage")
        for r in rows {
            let fields: [String] = [r["started_at"], r["as_of"], r["outcome"], String(r["exit_code"] as Int), r["counts"], r["durations"], r["refit"], r["message"]]
            print(fields.joined(separator: "\t"))
        }
    }
}
