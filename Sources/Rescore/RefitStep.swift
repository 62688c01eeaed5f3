import CustomerData
import Foundation
import GRDB
import Models

/// Step 2: which models score this as-of date. The latest accepted fit before the date is used
/// (the config's models before any); when the policy says so (the models are older than
/// `max_age_days`, or this run's holdout check drifted past `max_drift`) the models are refit on
/// the summary as of the date, and a fit that fails or does not converge leaves the previous
/// models in use with the reason recorded. A decision already recorded for this date is replayed,
/// so a rerun (after a crash, or the same day twice) makes the same choice.
struct RefitStep {
    /// The models to score with and how they were chosen (all of it goes into the run summary).
    struct Choice: Sendable, Equatable {
        var purchase: URL
        var spend: URL
        /// When the models in use were fitted by a refit (nil: the config's models).
        var fittedAsOf: String?
        /// none, refitted, kept_previous or (dry runs) would_refit.
        var decision: String
        var reason: String
        /// This run's holdout check of the previous fit (nil: the config's models, or no earlier fit).
        var holdout: HoldoutCheck? = nil

        /// "decision: reason" for the run record (`klant runs`).
        var recordText: String { reason.hasPrefix(decision) ? reason : "\(decision): \(reason)" }
    }

    var config: RescoreConfig
    var asOf: CalendarDay
    /// Dry runs decide but neither fit nor write.
    var writes: Bool

    func choose(_ db: Database, summary: CustomerSummary, log: (RunEvent) -> Void) throws -> Choice {
        let choice = try decide(db, summary: summary, log: log)
        if let check = choice.holdout {
            try check.record(db)
            log(RunEvent(step: "refit", message: "holdout check: \(check.description)",
                         fields: ["holdout_drift": String(format: "%.4f", check.drift), "holdout_predicted": String(format: "%.2f", check.predicted),
                                  "holdout_actual": String(format: "%.0f", check.actual)]))
        }
        return choice
    }

    func decide(_ db: Database, summary: CustomerSummary, log: (RunEvent) -> Void) throws -> Choice {
        let today = asOf.description
        let previous = try latestAccepted(db, before: today)
        let check = try previous.flatMap {
            try HoldoutCheck.measure(db, fittedAsOf: $0.day, purchaseModel: resolve($0.purchase), summary: summary, asOf: asOf)
        }
        if var replayed = try recorded(db, previous: previous) {
            replayed.holdout = check
            return replayed
        }
        let policy = config.refit
        guard policy.maxAgeDays != nil || policy.maxDrift != nil else {
            return previousChoice(previous, decision: "none", reason: "refit policy: never (no refit.max_age_days or refit.max_drift)", holdout: check)
        }
        let (why, keep) = reasons(previous: previous, check: check)
        guard let why else { return previousChoice(previous, decision: "none", reason: keep, holdout: check) }
        guard writes else { return previousChoice(previous, decision: "would_refit", reason: why, holdout: check) }
        do {
            let fitted = try fit(summary: summary)
            try record(db, role: "purchase", path: fitted.purchase, accepted: true, note: "refitted: \(why)")
            try record(db, role: "spend", path: fitted.spend, accepted: true, note: "refitted: \(why)")
            try HoldoutCheck.recordBase(db, fittedAsOf: today, summary: summary)
            return Choice(purchase: fitted.purchase, spend: fitted.spend, fittedAsOf: today, decision: "refitted", reason: "refitted: \(why)", holdout: check)
        } catch {
            let note = "refit failed, previous models kept (\(why)): \(error)"
            log(RunEvent(level: .warning, step: "refit", message: note))
            try record(db, role: "purchase", path: nil, accepted: false, note: note)
            try record(db, role: "spend", path: nil, accepted: false, note: note)
            return previousChoice(previous, decision: "kept_previous", reason: note, holdout: check)
        }
    }

    /// The decision recorded for this date (a refit or a failed one), nil when none was.
    func recorded(_ db: Database, previous: Previous?) throws -> Choice? {
        let rows = try Row.fetchAll(db, sql: "SELECT role, path, accepted, note FROM model_fit WHERE fitted_as_of = ? ORDER BY role", arguments: [asOf.description])
        guard let first = rows.first else { return nil }
        let note: String = first["note"]
        if rows.allSatisfy({ ($0["accepted"] as Bool) }) {
            let paths = Dictionary(uniqueKeysWithValues: rows.map { ($0["role"] as String, $0["path"] as String) })
            return Choice(purchase: resolve(paths["purchase"]!), spend: resolve(paths["spend"]!), fittedAsOf: asOf.description, decision: "refitted", reason: note)
        }
        return previousChoice(previous, decision: "kept_previous", reason: note, holdout: nil)
    }

    /// The models a prepared date uses, without deciding anything (scoring shards): the decision
    /// recorded for the date, else the latest accepted fit before it.
    func prepared(_ db: Database) throws -> Choice {
        let previous = try latestAccepted(db, before: asOf.description)
        return try recorded(db, previous: previous) ?? previousChoice(previous, decision: "none", reason: "as prepared", holdout: nil)
    }

    /// Why the policy refits (nil: it does not), and otherwise why the models are kept.
    func reasons(previous: Previous?, check: HoldoutCheck?) -> (refit: String?, keep: String) {
        guard let previous else { return ("the config's models have not been refit yet", "") }
        let policy = config.refit
        let age = asOf.dayNumber - previous.day.dayNumber
        var keep: [String] = []
        if let maxAge = policy.maxAgeDays {
            if age > maxAge { return ("models fitted \(age) days before (limit \(maxAge))", "") }
            keep.append("models fitted \(age) days before (limit \(maxAge))")
        }
        if let maxDrift = policy.maxDrift {
            let limit = String(format: "limit %.1f%%", maxDrift * 100)
            if let check {
                if check.horizonDays >= policy.minHoldoutDays && check.drift > maxDrift {
                    return ("holdout drift past the \(limit): \(check.description)", "")
                }
                let waiting = check.horizonDays < policy.minHoldoutDays ? ", rule waits for \(policy.minHoldoutDays) days" : ""
                keep.append("holdout \(check.description) (\(limit)\(waiting))")
            } else {
                keep.append("no holdout base for the fit of \(previous.day)")
            }
        }
        return (nil, keep.joined(separator: "; "))
    }

    struct Previous { var day: CalendarDay; var purchase: String; var spend: String }

    func latestAccepted(_ db: Database, before day: String) throws -> Previous? {
        guard let date = try String.fetchOne(db, sql: "SELECT MAX(fitted_as_of) FROM model_fit WHERE accepted AND fitted_as_of < ?", arguments: [day]) else { return nil }
        let rows = try Row.fetchAll(db, sql: "SELECT role, path FROM model_fit WHERE fitted_as_of = ?", arguments: [date])
        let paths = Dictionary(uniqueKeysWithValues: rows.map { ($0["role"] as String, $0["path"] as String) })
        return Previous(day: try CalendarDay(parsing: date), purchase: paths["purchase"]!, spend: paths["spend"]!)
    }

    func previousChoice(_ previous: Previous?, decision: String, reason: String, holdout: HoldoutCheck?) -> Choice {
        guard let previous else {
            return Choice(purchase: config.models.purchase, spend: config.models.spend, fittedAsOf: nil, decision: decision, reason: reason, holdout: holdout)
        }
        return Choice(purchase: resolve(previous.purchase), spend: resolve(previous.spend), fittedAsOf: previous.day.description,
                      decision: decision, reason: reason, holdout: holdout)
    }

    /// Refit model files are recorded relative to the models folder, so a store can move with it.
    func resolve(_ stored: String) -> URL { config.modelsDir.appendingPathComponent(stored) }

    func record(_ db: Database, role: String, path: URL?, accepted: Bool, note: String) throws {
        var fingerprint = ""
        if let path { var h = FNV1a(); h.add(bytes: try Data(contentsOf: path)); fingerprint = h.hex }
        try db.execute(sql: "INSERT INTO model_fit (fitted_as_of, role, path, fingerprint, accepted, note) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [asOf.description, role, path?.lastPathComponent ?? "", fingerprint, accepted, note])
    }

    /// Fits the purchase model (same kind as the config's) and Gamma-Gamma on the summary; throws
    /// when either fails or does not converge. Files are written atomically under content-free
    /// names (kind and date), so a rerun after a crash rewrites the same bytes.
    func fit(summary: CustomerSummary) throws -> (purchase: URL, spend: URL) {
        let source = "klant rescore: store transactions through \(asOf)"
        let base = try ModelFile.read(from: config.models.purchase)
        let kept = summary.droppingZeroT().summary
        try kept.requireRepeatBuyers(source: source)
        let purchase = try ModelCatalog.fitRepeatPurchaseModel(base.kind, patterns: PurchasePatterns(summary: kept), penalizer: config.refit.penalizer,
                                                               timeUnit: .calendar(summary.timeUnit), source: source)
        guard purchase.convergence.converged else {
            throw RescoreError(.failed, "the \(purchase.kind.rawValue) fit did not converge (\(purchase.convergence.message))")
        }
        let spend = try GammaGamma.fit(frequency: summary.frequency, monetaryValue: summary.monetaryValue,
                                       penalizer: config.refit.penalizer, nonPositiveSpend: .exclude).modelFile(source: source)
        guard spend.convergence.converged else {
            throw RescoreError(.failed, "the gamma-gamma fit did not converge (\(spend.convergence.message))")
        }
        try FileManager.default.createDirectory(at: config.modelsDir, withIntermediateDirectories: true)
        let purchaseURL = config.modelsDir.appendingPathComponent("\(purchase.kind.rawValue)-\(asOf).json")
        let spendURL = config.modelsDir.appendingPathComponent("gamma-gamma-\(asOf).json")
        try purchase.write(to: purchaseURL)
        try spend.write(to: spendURL)
        return (purchaseURL, spendURL)
    }
}
