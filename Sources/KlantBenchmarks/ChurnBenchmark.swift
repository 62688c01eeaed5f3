import Churn
import Foundation
import Linalg

/// `KlantBenchmarks churn --data DIR [--l2 1.0] [--repeats 3] [--threads 2] [--chunk 512]`
///
/// Loads the data written by scripts/peers/churn_bench_data.py (column-major float64 features and
/// 0/1 labels), prepends an intercept column, and times `LogisticRegression.fit` in-process with
/// the L2 penalty and without it (median of `repeats` runs each; loading is not timed). Also times
/// one row-split X^T X (the floor of a Newton step). Prints JSON lines with the coefficients so
/// scripts/bench-churn.sh can check agreement with the peers.
func runChurnBenchmark(_ args: [String]) throws {
    var options: [String: String] = [:]
    var i = 0
    while i + 1 < args.count { options[args[i]] = args[i + 1]; i += 2 }
    guard let dir = options["--data"] else { throw ChurnError.invalidOption("churn benchmark: --data DIR is required") }
    let l2 = Double(options["--l2"] ?? "1") ?? 1
    let repeats = Int(options["--repeats"] ?? "3") ?? 3
    let threads = Int(options["--threads"] ?? "2") ?? 2
    let chunk = Int(options["--chunk"] ?? "512") ?? 512

    let metaData = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent("meta.json"))
    let meta = try JSONSerialization.jsonObject(with: metaData) as! [String: Any]
    let n = meta["rows"] as! Int, p = meta["features"] as! Int
    func readDoubles(_ name: String, count: Int) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name))
        guard data.count == count * 8 else { throw ChurnError.invalidOption("\(name): \(data.count) bytes, expected \(count * 8)") }
        return data.withUnsafeBytes { raw in (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) } }
    }
    var values = [Double](repeating: 1, count: n)          // intercept column
    values.append(contentsOf: try readDoubles("X.f64", count: n * p))
    let x = Matrix(rows: n, columns: p + 1, columnMajor: values)
    let y = try readDoubles("y.f64", count: n)
    let names = ["intercept"] + (1...p).map { "x\($0)" }

    var fit: LogisticFit?
    // CPU seconds of the process (all threads): on a shared machine wall-clock time also measures
    // the other jobs, CPU time only ours.
    func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    var cpu = cpuSeconds()
    func cpuPerRun() -> Double { let now = cpuSeconds(); defer { cpu = now }; return (now - cpu) / Double(repeats) }
    cpu = cpuSeconds()
    let gramTimes = try timeRuns(repeats: repeats) { _ = try BLAS.parallelGram(x, threads: threads) }
    report("churn-klant-gram-rowsplit", times: gramTimes, extra: ["rows": n, "columns": p + 1, "threads": threads, "cpu_seconds_per_run": cpuPerRun()])

    let l2Times = try timeRuns(repeats: repeats) {
        fit = try LogisticRegression.fit(x: x, names: names, y: y,
                                         options: LogisticOptions(l2: l2, threads: threads, chunkRows: chunk))
    }
    report("churn-klant-l2", times: l2Times, extra: ["coefficients": fit!.coefficients, "iterations": fit!.iterations,
                                                     "converged": fit!.converged, "l2": l2, "threads": threads, "chunk": chunk,
                                                     "cpu_seconds_per_run": cpuPerRun()])
    let mleTimes = try timeRuns(repeats: repeats) {
        fit = try LogisticRegression.fit(x: x, names: names, y: y,
                                         options: LogisticOptions(l2: 0, threads: threads, chunkRows: chunk))
    }
    report("churn-klant-mle", times: mleTimes, extra: ["coefficients": fit!.coefficients, "standard_errors": fit!.standardErrors ?? [],
                                                       "iterations": fit!.iterations, "converged": fit!.converged, "l2": 0.0,
                                                       "cpu_seconds_per_run": cpuPerRun()])
}
