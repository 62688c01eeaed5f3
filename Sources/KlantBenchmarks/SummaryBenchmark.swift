// `KlantBenchmarks summarize` — times TransactionSummarizer on a large CSV (scripts/bench-summary.sh).
//
//   KlantBenchmarks summarize generate FILE [--rows N] [--customers N] [--seed N]
//       writes FILE (customer_id,date,amount; ISO dates over 2022-2023; rows in random order).
//   KlantBenchmarks summarize FILE [--runs N] [--threads N] [--unit week] [--calibration-end D] [--observation-end D] [--sql-out F]
//       summarises FILE N times, prints one JSON line: median seconds, peak RSS, and check sums for comparing with DuckDB.
import CustomerData
import Foundation

func runSummaryBenchmark(_ args: [String]) throws {
    if args.first == "generate" {
        try generateTransactions(Array(args.dropFirst()))
        return
    }
    guard let path = args.first else { throw BenchmarkUsage("summarize FILE [options] | summarize generate FILE [options]") }
    let options = optionValues(Array(args.dropFirst()))
    let runs = Int(options["--runs"] ?? "3") ?? 3
    let unit = try TimeUnit(parsing: options["--unit"] ?? "week")
    let calibrationEnd = try CalendarDay(parsing: options["--calibration-end"] ?? "2023-06-30")
    let observationEnd = try CalendarDay(parsing: options["--observation-end"] ?? "2023-12-31")
    let summaryOptions = SummaryOptions(timeUnit: unit, calibrationEnd: calibrationEnd, observationEnd: observationEnd,
                                        threads: Int(options["--threads"] ?? "0") ?? 0)
    let format = TransactionFileFormat(delimiter: .comma, customer: "customer_id", date: "date", amount: "amount")
    let url = URL(fileURLWithPath: path)
    if let sqlOut = options["--sql-out"] {
        let sql = WarehouseSQL.summary(from: .duckDBCSV(path: url.path), customer: "customer_id", date: "date", amount: "amount",
                                       timeUnit: unit, calibrationEnd: calibrationEnd, observationEnd: observationEnd)
        try AtomicFile.write(sql, to: URL(fileURLWithPath: sqlOut))
    }
    var last: SummaryRun?
    var cpuTimes: [Double] = []
    let times = try timeRuns(repeats: runs) {
        last = nil
        let cpuStart = processCPUSeconds()
        last = try TransactionSummarizer.summarize(file: url, format: format, options: summaryOptions)
        cpuTimes.append(processCPUSeconds() - cpuStart)
    }
    let run = last!
    let s = run.summary
    func total(_ xs: [Double]?) -> Double { (xs ?? []).reduce(0, +) }
    var sample: [[Any]] = []
    for i in 0..<min(5, s.count) {
        let holdout: [Double] = [s.frequencyHoldout?[i] ?? 0, s.monetaryValueHoldout?[i] ?? 0, s.durationHoldout?[i] ?? 0]
        let values: [Double] = [s.frequency[i], s.recency[i], s.T[i], s.monetaryValue[i]] + holdout
        sample.append([s.customerIDs[i] as Any] + values.map { $0 as Any })
    }
    report("summarize", times: times, extra: [
        "file": path,
        "threads": summaryOptions.threads == 0 ? min(8, ProcessInfo.processInfo.activeProcessorCount) : summaryOptions.threads,
        "peak_rss_mb": Double(peakResidentBytes()) / 1_048_576,
        "median_cpu_seconds": median(cpuTimes),
        "load_average_1min": loadAverage(),
        "lines": run.report.linesRead,
        "customers": s.count,
        "customers_first_seen_after_calibration": run.report.customersFirstSeenAfterCalibration,
        "sums": ["frequency": total(s.frequency), "recency": total(s.recency), "T": total(s.T),
                 "monetary_value": total(s.monetaryValue), "frequency_holdout": total(s.frequencyHoldout),
                 "monetary_value_holdout": total(s.monetaryValueHoldout)],
        "sample": sample,
    ])
}

/// Peak resident set size of this process in bytes (getrusage; Linux reports KiB).
func peakResidentBytes() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Int(usage.ru_maxrss) * 1024
}

/// User + system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The 1-minute load average (other work on the machine slows wall-clock times).
func loadAverage() -> Double {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) > 0 ? loads[0] : -1
}

struct BenchmarkUsage: Error, CustomStringConvertible {
    let description: String
    init(_ usage: String) { description = "usage: KlantBenchmarks \(usage)" }
}

/// `--name value` pairs.
func optionValues(_ args: [String]) -> [String: String] {
    var values: [String: String] = [:]
    var i = 0
    while i + 1 < args.count {
        values[args[i]] = args[i + 1]
        i += 2
    }
    return values
}

/// Writes a synthetic transaction file: uniformly random customers, days in 2022-2023 and amounts 1.00-500.00.
func generateTransactions(_ args: [String]) throws {
    guard let path = args.first else { throw BenchmarkUsage("summarize generate FILE [--rows N] [--customers N] [--seed N]") }
    let options = optionValues(Array(args.dropFirst()))
    let rows = Int(options["--rows"] ?? "10000000") ?? 10_000_000
    let customers = Int(options["--customers"] ?? "1000000") ?? 1_000_000
    // --string-ids: 9-character alphanumeric ids (as web shops and CRMs issue them) instead of C + 7 digits.
    let stringIDs = options["--string-ids"] != nil
    let alphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    var state = UInt64(options["--seed"] ?? "42") ?? 42
    func next() -> UInt64 {  // splitmix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let dates: [[UInt8]] = (0..<730).map { k in Array(CalendarDay(dayNumber: CalendarDay(year: 2022, month: 1, day: 1)!.dayNumber + k).description.utf8) }
    var out: [UInt8] = []
    out.reserveCapacity(rows * 28 + 64)
    out += Array("customer_id,date,amount\n".utf8)
    func appendDigits(_ value: Int, width: Int) {
        var digits = [UInt8](repeating: 48, count: width)
        var v = value
        for k in stride(from: width - 1, through: 0, by: -1) {
            digits[k] = UInt8(48 + v % 10)
            v /= 10
        }
        out += digits
    }
    for _ in 0..<rows {
        let customer = Int(next() % UInt64(customers))
        if stringIDs {
            // A fixed scramble of the customer number, written in base 34 over 9 characters.
            var v = (UInt64(customer) &* 0x9E37_79B9_7F4A_7C15) >> 16
            for _ in 0..<9 { out.append(alphabet[Int(v % 34)]); v /= 34 }
        } else {
            out.append(UInt8(ascii: "C"))
            appendDigits(customer, width: 7)
        }
        out.append(44)
        out += dates[Int(next() % 730)]
        out.append(44)
        let cents = 100 + Int(next() % 49_901)
        out += Array(String(cents / 100).utf8)
        out.append(46)
        appendDigits(cents % 100, width: 2)
        out.append(10)
    }
    try AtomicFile.write(Data(out), to: URL(fileURLWithPath: path))
    FileHandle.standardError.write("wrote \(rows) rows (\(out.count) bytes) to \(path)\n".data(using: .utf8)!)
}
