import Foundation

/// The choices that turn transactions into a customer summary.
public struct SummaryOptions: Sendable {
    /// Unit for recency, T and duration_holdout (days / unit days).
    public var timeUnit: TimeUnit
    /// Last day of the calibration period. When set, the summary gets holdout columns for
    /// (calibrationEnd, observationEnd]. When nil, the calibration period ends at the observation end.
    public var calibrationEnd: CalendarDay?
    /// Last day observed. Default: the last date in the file. Later rows are errors (or rejects).
    public var observationEnd: CalendarDay?
    public var negativeAmounts: NegativeAmountPolicy
    /// Keep going past invalid rows, writing each to `rejectsFile`. Requires `rejectsFile`:
    /// rows are never dropped without a record of them.
    public var skipInvalid: Bool
    /// CSV file (line,reason,original_text) that receives every rejected row; written atomically,
    /// also when nothing was rejected (so yesterday's rejects never linger).
    public var rejectsFile: URL?
    /// Parser threads; 0 means one per active processor, at most 8. Every thread reads the whole file
    /// (keeping only its share of the customers), so more threads add reading work.
    public var threads: Int
    /// Raised as the file is read (bytes of the file), for a progress bar; nil for none.
    public var progress: WorkProgress?
    /// Accept rows dated after `today` when no observation end is given (the last date in the file then
    /// ends the observation). Off by default: one mistyped year would otherwise stretch every T.
    public var allowFuture: Bool
    /// The day after which rows count as future-dated (default: the current UTC date).
    public var today: CalendarDay
    /// Also count purchases per calendar day (`SummaryRun.dailyPurchases`), for the tracking charts.
    public var countDailyPurchases = false

    public init(timeUnit: TimeUnit = .week, calibrationEnd: CalendarDay? = nil, observationEnd: CalendarDay? = nil,
                negativeAmounts: NegativeAmountPolicy = .net, skipInvalid: Bool = false, rejectsFile: URL? = nil,
                threads: Int = 0, progress: WorkProgress? = nil, allowFuture: Bool = false, today: CalendarDay = .today) {
        self.timeUnit = timeUnit
        self.calibrationEnd = calibrationEnd
        self.observationEnd = observationEnd
        self.negativeAmounts = negativeAmounts
        self.skipInvalid = skipInvalid
        self.rejectsFile = rejectsFile
        self.threads = threads
        self.progress = progress
        self.allowFuture = allowFuture
        self.today = today
    }

    /// The last day a row may have (nil: any) and how it is named in messages.
    var latestDay: (day: CalendarDay, text: String)? {
        if let observationEnd { return (observationEnd, "the observation end \(observationEnd)") }
        return allowFuture ? nil : (today, "today (\(today))")
    }

    /// Checks the options before any input is read.
    func validate() throws {
        if skipInvalid && rejectsFile == nil {
            throw InputError(kind: .rejectsPathRequired, columnName: "skip-invalid",
                             problem: "skipping invalid rows needs a rejects file, so no row is dropped without a record",
                             remedy: "give a rejects file path (--rejects FILE) or drop --skip-invalid")
        }
        if let cal = calibrationEnd, let obs = observationEnd, cal > obs {
            throw calibrationAfterObservation(cal, obs, obsFromFile: false)
        }
    }
}

func calibrationAfterObservation(_ cal: CalendarDay, _ obs: CalendarDay, obsFromFile: Bool) -> InputError {
    InputError(kind: .calibrationAfterObservation, columnName: "calibration end", value: cal.description,
               problem: "the calibration end is after the observation end \(obs)\(obsFromFile ? " (the last date in the file)" : "")",
               remedy: "choose a calibration end on or before \(obs), or a later observation end")
}
