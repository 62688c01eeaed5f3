import CustomerData
import Foundation
import GRDB
import Testing
@testable import Rescore
@testable import Store

/// The scheduler's view through the `klant` executable: exit codes, the lock, and SIGKILL at random moments.
@Suite(.serialized) struct RescoreProcessTests {
    func arguments(_ f: NightlyFixture, _ asOf: String) -> [String] {
        ["rescore", "--config", f.configURL.path, "--as-of", asOf]
    }

    @Test func aSuccessfulRunIsQuietAndExitsZero() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let run = try KlantProcess.run(arguments(f, "1998-06-30"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
        let runs = try KlantProcess.run(["runs", "--store", f.storeURL.path])
        #expect(runs.status == 0)
        #expect(runs.stdout.contains("1998-06-30\tok\t0"))
    }

    @Test func jsonLogsAreOneObjectPerLineWithRunIDAndDurations() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let run = try KlantProcess.run(arguments(f, "1998-06-30") + ["--log-format", "json"])
        #expect(run.status == 0)
        let objects = try run.stderr.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count >= 3)
        #expect(objects.contains { $0["step"] as? String == "ingest" && $0["new_transactions"] != nil })
        #expect(objects.contains { ($0["durations"] as? [String: Any])?["score"] != nil && $0["run_id"] != nil })
    }

    @Test func exitCodesForBadConfigAndGates() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let bad = try KlantProcess.run(["rescore", "--config", f.dir.appendingPathComponent("none.yaml").path, "--as-of", "1998-06-30"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cannot read the config"))
        let badDate = try KlantProcess.run(["rescore", "--config", f.configURL.path, "--as-of", "30/06/1998"])
        #expect(badDate.status == 2)
        try FileManager.default.removeItem(at: f.incoming.appendingPathComponent("1998-06-29.csv"))
        let gate = try KlantProcess.run(arguments(f, "1998-06-29"))
        #expect(gate.status == 4)
        #expect(gate.stderr.contains("missing_drop"))
        #expect(!f.exists("1998-06-29"))
    }

    @Test func aSecondConcurrentRunExitsThreeNamingTheHolder() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        try FileManager.default.createDirectory(at: f.storeURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock = try RunLock(path: f.storeURL.path + ".lock")
        let second = try KlantProcess.run(arguments(f, "1998-06-30"))
        #expect(second.status == 3)
        #expect(second.stderr.contains("pid \(getpid())"), "\(second.stderr)")
        #expect(!f.exists("1998-06-30"))
        lock.release()
        let third = try KlantProcess.run(arguments(f, "1998-06-30"))
        #expect(third.status == 0, "\(third.stderr)")
    }

    @Test func aStaleLockFromAKilledRunIsTakenOver() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let process = try KlantProcess.start(arguments(f, "1998-06-30"))
        // Wait until the run holds the lock (its pid is in the file), then kill it.
        let lockPath = f.storeURL.path + ".lock"
        for _ in 0..<400 where (try? String(contentsOfFile: lockPath, encoding: .utf8))?.contains("\(process.processIdentifier)") != true {
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try String(contentsOfFile: lockPath, encoding: .utf8).contains("\(process.processIdentifier)"))
        let next = try KlantProcess.run(arguments(f, "1998-06-30"))
        #expect(next.status == 0, "\(next.stderr)")
    }

    /// SIGKILL at random moments (seeded) over two as-of dates with the decide step, tried until each date has
    /// had 10 kills of a still-running process (at most 40 tries a date, so a busy machine where runs
    /// finish early still gets its 20 kills); after every kill
    /// the published folders are either absent or exactly the uninterrupted outputs, and a final
    /// clean run per date gives the uninterrupted outputs byte for byte.
    @Test func killedAtRandomMomentsTheNextRunGivesTheUninterruptedOutputs() throws {
        let days = ["1998-06-29", "1998-06-30"]
        let reference = try NightlyFixture(maxAgeDays: 0, extraConfig: NightlyFixture.decide)
        defer { reference.remove() }
        var expected: [String: [String: Data]] = [:]
        var duration = 0.0
        for day in days {
            let start = Date()
            let run = try KlantProcess.run(arguments(reference, day))
            duration = max(duration, Date().timeIntervalSince(start))
            #expect(run.status == 0, "\(run.stderr)")
            expected[day] = try reference.outputs(day)
        }
        let f = try NightlyFixture(maxAgeDays: 0, extraConfig: NightlyFixture.decide)
        defer { f.remove() }
        var random = SplitMix64(state: 20261201)
        var kills = 0, schedule: [String] = []
        for day in days {
            var dayKills = 0, tries = 0
            while dayKills < 10 && tries < 40 {
                tries += 1
                let delay = Double.random(in: 0..<duration * 0.7, using: &random)   // reruns skip the history load: shorter than the first run
                let process = try KlantProcess.start(arguments(f, day))
                usleep(UInt32(delay * 1e6))
                let killed = process.isRunning
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if killed { kills += 1; dayKills += 1 }
                schedule.append("\(day)@\(String(format: "%.3f", delay))s\(killed ? "" : "(finished)")")
                for d in days where f.exists(d) {
                    #expect(try f.outputs(d) == expected[d]!, "published outputs of \(d) differ after kills \(schedule)")
                }
                let store = try KlantStore(path: f.storeURL.path)
                #expect(try store.queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
            }
            let clean = try KlantProcess.run(arguments(f, day))
            #expect(clean.status == 0, "\(clean.stderr) after \(schedule)")
            #expect(try f.outputs(day) == expected[day]!, "outputs of \(day) differ after kills \(schedule)")
        }
        #expect(kills >= 20, "only \(kills) runs were still running when killed: \(schedule)")
        let store = try KlantStore(path: f.storeURL.path)
        let (transactions, snapshots) = try store.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transaction_row")!, try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT as_of) FROM score_snapshot")!)
        }
        let referenceStore = try KlantStore(path: reference.storeURL.path)
        #expect(transactions == (try referenceStore.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM transaction_row")! }))
        #expect(snapshots == 2)
    }
}
