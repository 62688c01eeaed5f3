import Foundation
import Models

/// `fit-pareto <csv> [--repeats N]`: times a Pareto/NBD fit (reading excluded; compression of the
/// rows into patterns included) on a summary CSV with columns frequency, recency, T, and prints
/// the median of N runs (default 5) as a JSON line.
///
/// `fit-pareto --degenerate [--repeats N]`: times the fit on data without repeat purchases, which
/// push the estimates to the z ≈ 1 extremes where the likelihood's series is slowest.
///
/// `fit-pareto --simulate N --out <csv> [--seed S]`: writes N customers simulated from the
/// Pareto/NBD story (r 0.55, α 10.5, s 0.6, β 11.7, the CDNOW scale; T uniform in 26–52 weeks),
/// with every time cut to whole days and expressed in days / 7, for scripts/bench-pareto.sh.
func runParetoFitBenchmark(_ args: [String]) throws {
    func option(_ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return args[i + 1]
    }
    if let count = option("--simulate").flatMap(Int.init) {
        guard let out = option("--out") else { throw BenchmarkError("fit-pareto --simulate N needs --out <csv>") }
        let seed = option("--seed").flatMap(UInt64.init) ?? 20_260_101
        let model = try ParetoNBD(r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7)
        let sample = ParetoNBDSimulator(model: model, observation: 26...52, daysPerUnit: 7).simulate(count: count, seed: seed)
        var text = "customer_id,frequency,recency,T\n"
        text.reserveCapacity(count * 40)
        for i in 0..<count {
            text += "\(i + 1),\(Int(sample.frequency[i])),\(sample.recency[i]),\(sample.T[i])\n"
        }
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    if args.contains("--degenerate") {
        let repeats = max(1, option("--repeats").flatMap(Int.init) ?? 5)
        let degenerate = PurchasePatterns(frequency: [0, 0, 0], recency: [0, 0, 0], T: [10, 20, 30], weight: [100, 100, 100])
        var last: FittedModel<ParetoNBD>?
        let times = try timeRuns(repeats: repeats) { last = try ParetoNBD.fit(degenerate) }
        report("fit-pareto-degenerate", times: times, extra: ["log_likelihood": last?.fit.logLikelihood ?? .nan,
                                                             "converged": last?.fit.convergence.converged ?? false])
        return
    }
    guard let path = args.first(where: { !$0.hasPrefix("--") && $0 != option("--repeats") }) else {
        throw BenchmarkError("usage: fit-pareto <csv> [--repeats N] | fit-pareto --simulate N --out <csv>")
    }
    let repeats = max(1, option("--repeats").flatMap(Int.init) ?? 5)
    let (x, tx, T) = try readSummaryColumns(path)
    var last: FittedModel<ParetoNBD>?
    var patterns = 0
    let times = try timeRuns(repeats: repeats) {
        let data = PurchasePatterns.compressing(frequency: x, recency: tx, T: T)
        patterns = data.count
        last = try ParetoNBD.fit(data)
    }
    guard let fitted = last else { return }
    report("fit-pareto", times: times, extra: [
        "customers": x.count, "patterns": patterns,
        "params": fitted.model.parameters, "log_likelihood": fitted.fit.logLikelihood,
        "converged": fitted.fit.convergence.converged, "evaluations": fitted.fit.convergence.evaluations,
        "message": fitted.fit.convergence.message, "iterations": fitted.fit.convergence.iterations,
        "cores": ProcessInfo.processInfo.activeProcessorCount,
    ])
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads frequency, recency and T from a CSV with a header naming them (any column order).
private func readSummaryColumns(_ path: String) throws -> (x: [Double], tx: [Double], T: [Double]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline)
    guard !lines.isEmpty else { throw BenchmarkError("\(path) is empty") }
    let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard let ix = header.firstIndex(of: "frequency"), let itx = header.firstIndex(of: "recency"), let iT = header.firstIndex(of: "T") else {
        throw BenchmarkError("\(path) needs columns frequency, recency, T")
    }
    var x = [Double](), tx = [Double](), T = [Double]()
    x.reserveCapacity(lines.count); tx.reserveCapacity(lines.count); T.reserveCapacity(lines.count)
    for (n, line) in lines.enumerated() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count > max(ix, itx, iT), let a = Double(f[ix]), let b = Double(f[itx]), let c = Double(f[iT]) else {
            throw BenchmarkError("\(path) line \(n + 2): expected numbers in frequency, recency, T")
        }
        x.append(a); tx.append(b); T.append(c)
    }
    return (x, tx, T)
}
