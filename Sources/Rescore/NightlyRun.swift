import CustomerData
import Foundation
import Actions
import GRDB
import Models
import Scoring
import Store

/// One nightly run of `klant rescore`: ingest, gates, refit, rescore, change report, publish.
/// All store work happens in one transaction and the outputs are published together after it
/// commits, so a run killed at any moment leaves the previous state, and the next run (or the same
/// one again) gives the same outputs.
public struct NightlyRun {
    public var config: RescoreConfig
    public var asOf: CalendarDay
    public var outputDir: URL
    public var storeFile: URL
    /// Decide and report, write nothing (store changes are rolled back, no files, no lock).
    public var dryRun = false
    /// Which part of the run this process does; sharded scoring (a Kubernetes Indexed Job, Airflow
    /// mapped tasks) is `prepare` once, `shard(k/N)` N times in parallel, then `mergeShards(N)` once.
    public var mode: Mode = .full

    public enum Mode: Sendable, Equatable {
        /// Every step in one process.
        case full
        /// Ingest, gates and the refit decision, committed; nothing scored or published.
        case prepare
        /// Score one shard's customers of a prepared date into `<output-dir>/shards/<as-of>/` (reads the store, takes no lock).
        case shard(CustomerShard)
        /// The full run, with the scores taken from the N shards' outputs instead of scored here.
        case mergeShards(Int)
    }
    public var log: (RunEvent) -> Void

    public init(config: RescoreConfig, asOf: CalendarDay, outputDir: URL? = nil, storeFile: URL? = nil, log: @escaping (RunEvent) -> Void = { _ in }) {
        self.config = config
        self.asOf = asOf
        self.outputDir = outputDir ?? config.outputDir
        self.storeFile = storeFile ?? config.storeFile
        self.log = log
    }

    /// What a run did; `plan` lists what a dry run would do.
    public struct Outcome: Sendable {
        public var runID: String
        public var published: URL?
        public var summary: RunSummary
        public var newTransactions: Int
        public var filesRead: [String]
        public var durations: [(step: String, seconds: Double)]
        public var plan: [String]
    }

    /// The outputs, by file name, in the order they are listed in the summary.
    static let outputNames = ["scores.csv", "scores.csv.meta.json", "changes.csv", "rejected_rows.csv", "summary.json"]

    public func run() throws -> Outcome {
        try checkBeforeWriting()
        let started = Date()
        let runID = "\(asOf)-\(getpid())-\(Int(started.timeIntervalSince1970 * 1000))"
        var tagged = self
        let original = log
        tagged.log = { event in
            var event = event
            event.fields["run_id"] = runID
            original(event)
        }
        if case .shard(let shard) = mode { return try tagged.scoreShard(shard, runID: runID) }
        return try tagged.execute(runID: runID, started: started)
    }

    /// One scoring shard: the store read in one read transaction (no lock: shards run side by
    /// side), the models the prepare step chose, the shard's customers scored into its shard output.
    func scoreShard(_ shard: CustomerShard, runID: String) throws -> Outcome {
        guard !dryRun else { throw RescoreError(.badInput, "--dry-run and --shard cannot be combined") }
        guard FileManager.default.fileExists(atPath: storeFile.path) else {
            throw RescoreError(.badInput, "no store at \(storeFile.path): run klant rescore --as-of \(asOf) --prepare first")
        }
        let store = try KlantStore(path: storeFile.path)
        var timer = StepTimer()
        let scoring = ScoreStep(config: config, asOf: asOf)
        let (table, transactions, models) = try store.queue.read { db -> (ScoreTable, Int, RefitStep.Choice) in
            let prepared = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run WHERE as_of = ? AND outcome IN ('prepared', 'ok')", arguments: [asOf.description]) ?? 0
            guard prepared > 0 else {
                throw RescoreError(.badInput, "\(asOf) is not prepared in \(storeFile.path): run klant rescore --as-of \(asOf) --prepare once before the shards")
            }
            let unit = try ModelFile.read(from: config.models.purchase).calendarUnit ?? .week
            let (summary, transactions) = try scoring.summary(db, unit: unit, shard: shard)
            timer.lap("summarize")
            let models = try RefitStep(config: config, asOf: asOf, writes: false).prepared(db)
            let table = try scoring.scoreShard(summary, models: models, shard: shard)
            timer.lap("score")
            return (table, transactions, models)
        }
        try ShardScores.write(table, shard: shard, asOf: asOf, transactions: transactions, models: models, outputDir: outputDir)
        timer.lap("stage")
        log(RunEvent(step: "shard", message: "shard \(shard): scored \(table.count) customers as of \(asOf)",
                     fields: ["shard": shard.description, "customers": "\(table.count)", "transactions": "\(transactions)"]))
        let summary = RunSummary(asOf: asOf.description, transactions: transactions, customers: table.count, drops: 0, rejectedRows: 0,
                                 models: .init(purchase: models.purchase.lastPathComponent, spend: models.spend.lastPathComponent,
                                               fittedAsOf: models.fittedAsOf, refit: models.decision, reason: models.reason),
                                 changes: .init(), outputs: [ShardScores.files(outputDir: outputDir, asOf: asOf, shard: shard).table.lastPathComponent])
        return Outcome(runID: runID, published: nil, summary: summary, newTransactions: 0, filesRead: [], durations: timer.laps, plan: [])
    }

    func execute(runID: String, started: Date) throws -> Outcome {
        var lock: RunLock? = nil
        let store: KlantStore
        if dryRun {
            store = FileManager.default.fileExists(atPath: storeFile.path) ? try KlantStore(path: storeFile.path) : try KlantStore()
        } else {
            for dir in [outputDir, storeFile.deletingLastPathComponent()] {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            }
            lock = try RunLock(path: storeFile.path + ".lock")
            try StagedOutputs.recover(outputDir: outputDir)
            store = try KlantStore(path: storeFile.path)
        }
        defer { lock?.release() }
        var timer = StepTimer()
        do {
            var outcome = try transaction(store, runID: runID, started: started, timer: &timer)
            if !dryRun && mode != .prepare {
                try StagedOutputs(outputDir: outputDir, asOf: asOf.description).publish()
                timer.lap("publish")
                outcome.published = outputDir.appendingPathComponent(asOf.description)
            }
            outcome.durations = timer.laps
            log(RunEvent(step: "done", message: "rescored \(outcome.summary.customers) customers as of \(asOf)",
                         fields: ["run_id": runID, "customers": "\(outcome.summary.customers)", "new_transactions": "\(outcome.newTransactions)",
                                  "seconds": String(format: "%.3f", Date().timeIntervalSince(started))]))
            return outcome
        } catch let error as RescoreError where !dryRun && (error.kind == .gate || error.kind == .failed) {
            try? record(store, runID: runID, started: started, outcome: error.kind == .gate ? "gate_failed" : "failed",
                        exitCode: error.exitCode, counts: [:], durations: timer.laps, message: error.message)
            throw error
        }
    }

    /// Config problems found before anything is written (exit 2).
    func checkBeforeWriting() throws {
        if let decide = config.decide {
            do { _ = try ActionCatalog.load(path: decide.catalog.path) } catch {
                throw RescoreError(.badInput, "\(config.configFile.path): decide.catalog: \(error)")
            }
        }
        for (key, url) in [("models.purchase", config.models.purchase), ("models.spend", config.models.spend)] {
            do { _ = try ModelLoader.load(url) } catch {
                throw RescoreError(.badInput, "\(config.configFile.path): \(key) \(url.path) cannot be loaded: \(error)")
            }
        }
        if let history = config.history, !FileManager.default.fileExists(atPath: history.file.path) {
            throw RescoreError(.badInput, "\(config.configFile.path): history.file \(history.file.path) does not exist")
        }
        _ = try DropFile.list(folder: config.dropsFolder, through: asOf)
    }

    struct Rollback: Error { var outcome: Outcome }

    /// SQLite page cache of a run, in KiB (pages are only held as the run touches them). A first load
    /// appends in key order, so 256 MB costs no more CPU than 512 MB did and keeps 170 MB off its peak.
    static let cacheKiB = 256 * 1024

    func transaction(_ store: KlantStore, runID: String, started: Date, timer: inout StepTimer) throws -> Outcome {
        var result: Outcome? = nil
        var laps = timer
        do {
            try store.queue.write { db in
                // A page cache big enough for the run's inserts (SQLite's default is 2 MB): without it the
                // first load of a large base spends most of its time re-reading and spilling pages.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
                let outcome = try steps(db, runID: runID, started: started, timer: &laps)
                if dryRun { throw Rollback(outcome: outcome) }
                result = outcome
            }
        } catch let rollback as Rollback {
            result = rollback.outcome
        }
        timer = laps
        return result!
    }

    func steps(_ db: Database, runID: String, started: Date, timer: inout StepTimer) throws -> Outcome {
        let day = asOf.description
        let drops = try DropFile.list(folder: config.dropsFolder, through: asOf)
        let files = try Ingest(config: config, asOf: asOf).run(db, drops: drops)
        let newRows = files.reduce(0) { $0 + $1.newRows }
        timer.lap("ingest")
        log(RunEvent(step: "ingest", message: "read \(files.count) new files, \(newRows) new transactions",
                     fields: ["files": "\(files.count)", "new_transactions": "\(newRows)"]))
        let gates = QualityGates(config: config.gates, asOf: asOf)
        let failures = gates.fileFailures(files) + (try gates.dayFailures(db, drops: drops))
        timer.lap("gates")
        if let first = failures.first {
            let text = failures.map { "gate \($0.gate): \($0.detail)" }.joined(separator: "; ")
            throw RescoreError(.gate, "quality gate failed, nothing published: \(text)", gate: first.gate)
        }
        let unit = try ModelFile.read(from: config.models.purchase).calendarUnit ?? .week
        let (summary, transactions) = try ScoreStep(config: config, asOf: asOf).summary(db, unit: unit, persist: true)
        timer.lap("summarize")
        let models = try RefitStep(config: config, asOf: asOf, writes: !dryRun).choose(db, summary: summary, log: log)
        timer.lap("refit")
        if mode == .prepare {
            try insertRun(db, runID: runID, started: started, outcome: "prepared", exitCode: 0,
                          counts: ["files": files.count, "new_transactions": newRows, "transactions": transactions, "customers": summary.count],
                          durations: timer.laps, message: "", refit: models.recordText)
            let prepared = RunSummary(asOf: day, transactions: transactions, customers: summary.count, drops: 0, rejectedRows: 0,
                                      models: .init(purchase: models.purchase.lastPathComponent, spend: models.spend.lastPathComponent,
                                                    fittedAsOf: models.fittedAsOf, refit: models.decision, reason: models.reason),
                                      changes: .init(), outputs: [])
            return Outcome(runID: runID, published: nil, summary: prepared, newTransactions: newRows, filesRead: files.map(\.parsed.name),
                           durations: [], plan: [])
        }
        let scoring = ScoreStep(config: config, asOf: asOf)
        let scored: ScoringJob.Result
        if case .mergeShards(let count) = mode {
            let shards = try ShardScores.readAll(count: count, outputDir: outputDir, asOf: asOf, transactions: transactions, models: models)
            scored = try scoring.merge(summary, models: models, shards: shards)
        } else {
            scored = try scoring.score(summary, models: models)
        }
        timer.lap("score")
        let table = scored.table
        let p = table.numbers("probability_alive")!, clv = table.numbers("clv")!
        let segments = table.texts("value_segment")!
        let snapshot = table.customerIDs.indices.map { ChangeReport.Snapshot(probabilityAlive: p[$0], clv: clv[$0], segment: segments[$0]) }
        let previous = try ChangeReport.previousSnapshot(db, before: day)
        let changes = ChangeReport.compare(ids: table.customerIDs, current: snapshot, previous: previous?.values ?? [:],
                                           previousAsOf: previous?.asOf, rules: config.changes)
        let rejected = try Row.fetchAll(db, sql: """
            SELECT f.name, r.line, r.reason, r.text FROM rejected_row r JOIN ingested_file f USING (content_hash)
            WHERE f.drop_date = ? ORDER BY f.name, r.line
            """, arguments: [day])
        let dropCount = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT drop_date) FROM ingested_file WHERE kind = 'drop' AND drop_date <= ?", arguments: [day]) ?? 0
        timer.lap("changes")
        let summaryFile = RunSummary(asOf: day, transactions: transactions, customers: table.count, drops: dropCount, rejectedRows: rejected.count,
                                     models: .init(purchase: scored.metadata.models[0].file, spend: scored.metadata.models[1].file,
                                                   fittedAsOf: models.fittedAsOf, refit: models.decision, reason: models.reason),
                                     changes: changes.counts, outputs: Self.outputNames + (config.decide == nil ? [] : ["actions.csv"]))
        var outcome = Outcome(runID: runID, published: nil, summary: summaryFile, newTransactions: newRows,
                              filesRead: files.map(\.parsed.name), durations: [], plan: [])
        if dryRun {
            outcome.plan = plan(files: files, models: models, summary: summaryFile)
            if let decide = config.decide {
                outcome.plan += try dryRunDecide(db, decide: decide, table: table)
                timer.lap("decide")
            }
            return outcome
        }
        let staged = StagedOutputs(outputDir: outputDir, asOf: day)
        let folder = try staged.begin()
        try table.write(to: folder.appendingPathComponent("scores.csv").path, format: .csv)
        try scored.metadata.write(to: folder.appendingPathComponent("scores.csv.meta.json"))
        try changes.table.write(to: folder.appendingPathComponent("changes.csv").path, format: .csv)
        try writeRejected(rejected, to: folder.appendingPathComponent("rejected_rows.csv"))
        try summaryFile.write(to: folder.appendingPathComponent("summary.json"))
        timer.lap("stage")
        var counts = ["files": files.count, "new_transactions": newRows, "transactions": transactions, "customers": table.count]
        if let decide = config.decide {
            let actions = try decideActions(db, decide: decide, scores: folder.appendingPathComponent("scores.csv"))
            try actions.plan.write(to: folder.appendingPathComponent("actions.csv").path, format: .csv)
            let recorded: Int
            switch try StoreTransaction(db).record(actions.plan.contactRecords()) {
            case .recorded(let n): recorded = n
            case .alreadyRecorded: recorded = 0
            }
            counts["actions"] = actions.plan.rows.count
            counts["contacts_recorded"] = recorded
            timer.lap("decide")
            log(RunEvent(step: "decide", message: "\(actions.plan.rows.count) actions, \(recorded) contacts recorded",
                         fields: ["actions": "\(actions.plan.rows.count)", "contacts_recorded": "\(recorded)"]))
        }
        try ChangeReport.storeSnapshot(db, asOf: day, ids: table.customerIDs, values: snapshot)
        try insertRun(db, runID: runID, started: started, outcome: "ok", exitCode: 0, counts: counts, durations: timer.laps, message: "",
                      refit: models.recordText)
        timer.lap("store")
        return outcome
    }

    /// Step 4: the day's action list from the staged scores through the Actions library (`klant actions`),
    /// reading the contact policy's history inside the run's transaction. The planner leaves out this
    /// campaign's contacts of the as-of date, so a rerun plans the same list; the contacts are recorded
    /// in the same transaction as the score snapshot and the run record, once per campaign and date, so
    /// the store never holds a run without its contacts or contacts without their run.
    func decideActions(_ db: Database, decide: RescoreConfig.Decide, scores: URL) throws -> (plan: ActionPlan, campaign: String) {
        let catalog = try ActionCatalog.load(path: decide.catalog.path)
        let options = ActionRunOptions(scoresPath: scores.path, scoresFormat: .csv,
                                       customersPath: decide.customers?.path, customerIDColumn: decide.customerIDColumn,
                                       catalog: catalog, asOf: asOf)
        return (try ActionPlanner.plan(options, store: StoreTransaction(db)), options.effectiveCampaignID)
    }

    /// The decide step of a dry run: the scores go to a private temporary folder (removed at once,
    /// nothing in the output folder or the store), and the plan lists the actions it would choose.
    func dryRunDecide(_ db: Database, decide: RescoreConfig.Decide, table: ScoreTable) throws -> [String] {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("klant-dry-run-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let scores = temp.appendingPathComponent("scores.csv")
        try table.write(to: scores.path, format: .csv)
        let (plan, campaign) = try decideActions(db, decide: decide, scores: scores)
        return Self.decideLines(plan, campaign: campaign)
    }

    /// "decide: N actions (campaign ...)" and one line per catalog action with its chosen and control counts.
    static func decideLines(_ plan: ActionPlan, campaign: String) -> [String] {
        let control = plan.rows.filter(\.control).count
        var lines = ["decide: \(plan.rows.count) actions for campaign \(campaign) (\(plan.rows.count - control) contacts, \(control) held out as control)"]
        for stats in plan.actionStats {
            lines.append("decide \(stats.name): \(stats.chosen) chosen (\(stats.control) of them held out as control), \(stats.eligible) eligible, \(stats.blocked) blocked by the contact policy")
        }
        return lines
    }

    func writeRejected(_ rows: [Row], to url: URL) throws {
        let writer = try TableWriter(path: url.path, header: ["file", "line", "reason", "text"], format: .csv)
        for row in rows {
            try writer.append([.text(row[0]), .text(String(row[1] as Int)), .text(row[2]), .text(row[3])])
        }
        try writer.commit()
    }

    func plan(files: [Ingest.FileResult], models: RefitStep.Choice, summary: RunSummary) -> [String] {
        var lines = files.map { "ingest \($0.parsed.name): \($0.parsed.rowCount) rows, \($0.newRows) new, \($0.parsed.rejected.count) rejected" }
        if files.isEmpty { lines.append("ingest: nothing new") }
        lines.append("models: \(models.decision) (\(models.reason)); purchase \(summary.models.purchase), spend \(summary.models.spend)")
        lines.append("score: \(summary.customers) customers from \(summary.transactions) transactions through \(summary.asOf)")
        let c = summary.changes
        lines.append("changes since \(c.previousAsOf ?? "no earlier snapshot"): \(c.newlyAtRisk) newly at risk, \(c.segmentMoves) segment moves, CLV up \(c.clvUp), down \(c.clvDown), \(c.newCustomers) new customers")
        lines.append("publish: \(Self.outputNames.joined(separator: ", ")) into \(outputDir.appendingPathComponent(summary.asOf).path)")
        return lines
    }

    func insertRun(_ db: Database, runID: String, started: Date, outcome: String, exitCode: Int32, counts: [String: Int],
                   durations: [(step: String, seconds: Double)], message: String, refit: String = "") throws {
        let iso = ISO8601DateFormatter()
        let countsJSON = String(decoding: try JSONSerialization.data(withJSONObject: counts, options: [.sortedKeys]), as: UTF8.self)
        let durationJSON = "{" + durations.map { "\"\($0.step)\":\(String(format: "%.4f", $0.seconds))" }.joined(separator: ",") + "}"
        try db.execute(sql: "INSERT INTO run (run_id, as_of, started_at, finished_at, outcome, exit_code, pid, counts, durations, message, refit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [runID, asOf.description, iso.string(from: started), iso.string(from: Date()), outcome, Int(exitCode), Int(getpid()), countsJSON, durationJSON, message, refit])
    }

    func record(_ store: KlantStore, runID: String, started: Date, outcome: String, exitCode: Int32, counts: [String: Int],
                durations: [(step: String, seconds: Double)], message: String) throws {
        try store.queue.write { db in
            try insertRun(db, runID: runID, started: started, outcome: outcome, exitCode: exitCode, counts: counts, durations: durations, message: message)
        }
    }
}

/// Wall-clock time per step, for the logs and the run record.
struct StepTimer {
    private var last = DispatchTime.now()
    private(set) var laps: [(step: String, seconds: Double)] = []

    mutating func lap(_ step: String) {
        let now = DispatchTime.now()
        laps.append((step, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9))
        last = now
    }
}
