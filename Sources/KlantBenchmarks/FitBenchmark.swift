import CustomerData
import Foundation
import Models

/// BG/NBD benchmarks: simulate a summary, time the fit (pattern compression included, CSV
/// reading excluded) and time scoring (conditional expected purchases + P(alive)).
enum BetaGeometricNBDBenchmarks {
    /// Reads `frequency,recency,T` columns (by header name) of a summary CSV.
    static func readSummary(_ path: String) throws -> (frequency: [Double], recency: [Double], T: [Double]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        guard let fi = header.firstIndex(of: "frequency"), let ri = header.firstIndex(of: "recency"), let ti = header.firstIndex(of: "T") else {
            throw ModelError.invalidData("\(path): expected columns frequency, recency, T")
        }
        var f: [Double] = [], r: [Double] = [], t: [Double] = []
        f.reserveCapacity(lines.count); r.reserveCapacity(lines.count); t.reserveCapacity(lines.count)
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            f.append(Double(cells[fi])!); r.append(Double(cells[ri])!); t.append(Double(cells[ti])!)
        }
        return (f, r, t)
    }

    /// `simulate-bgnbd <customers> <out.csv> [seed]`: BG/NBD customers (r 0.25, α 4, a 0.8, b 2.5)
    /// from the model's story, observed for a whole number of days in 210...280, summarised as a
    /// summary built from dates would be: purchase times rounded down to whole days, purchases
    /// on the same day merged, times in days / 7.
    static func simulate(_ args: [String]) throws {
        guard args.count >= 2, let n = Int(args[0]) else { throw ModelError.invalidData("usage: simulate-bgnbd <customers> <out.csv> [seed]") }
        var g = SeededGenerator(seed: args.count > 2 ? UInt64(args[2]) ?? 1 : 1)
        let (r, alpha, a, b) = (0.25, 4.0, 0.8, 2.5)
        var out = "customer_id,frequency,recency,T\n"
        out.reserveCapacity(n * 32)
        for i in 0..<n {
            let days = 210 + Int(RandomVariates.uniform(&g) * 71)
            let T = Double(days) / 7
            let lambda = RandomVariates.gamma(shape: r, rate: alpha, &g)
            let p = RandomVariates.beta(a, b, &g)
            var t = 0.0, x = 0, lastDay = 0
            while true {
                t += RandomVariates.exponential(rate: lambda, &g)
                guard t <= T else { break }
                let day = Int((t * 7).rounded(.down))
                if day > lastDay { x += 1; lastDay = day }   // same-day purchases are one purchase
                if RandomVariates.uniform(&g) < p { break }
            }
            out += "\(i),\(x),\(Double(lastDay) / 7),\(T)\n"
        }
        try out.write(toFile: args[1], atomically: true, encoding: .utf8)
    }

    /// `fit-bgnbd <summary.csv> [runs]`: median wall time of compress + fit.
    static func fit(_ args: [String]) throws {
        guard let path = args.first else { throw ModelError.invalidData("usage: fit-bgnbd <summary.csv> [runs]") }
        let runs = args.count > 1 ? Int(args[1]) ?? 5 : 5
        let s = try readSummary(path)
        var last: FittedModel<BetaGeometricNBD>?
        var patterns = 0
        var compressTimes: [Double] = []
        let times = try timeRuns(repeats: runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            let data = PurchasePatterns.compressing(frequency: s.frequency, recency: s.recency, T: s.T)
            compressTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            patterns = data.count
            last = try BetaGeometricNBD.fit(data)
        }
        let fitted = last!
        // Where the time goes: one likelihood evaluation on all patterns, and the starting values.
        let data = PurchasePatterns.compressing(frequency: s.frequency, recency: s.recency, T: s.T)
        var tables: LogLikelihood?
        let tableTimes = timeRuns(repeats: 3) { tables = BetaGeometricNBD.makeLogLikelihood(for: data) }
        var gradient = [0.0, 0, 0, 0]
        let evaluationTimes = timeRuns(repeats: 10) { _ = tables!(fitted.model.parameters, &gradient) }
        let startTimes = timeRuns(repeats: 3) { _ = BetaGeometricNBD.startingValues(for: data) }
        report("fit-bgnbd", times: times, extra: [
            "customers": s.frequency.count, "patterns": patterns, "compress_median_seconds": median(compressTimes),
            "tables_median_seconds": median(tableTimes), "evaluation_median_seconds": median(evaluationTimes),
            "starting_values_median_seconds": median(startTimes),
            "params": fitted.model.parameters, "log_likelihood": fitted.fit.logLikelihood,
            "converged": fitted.fit.convergence.converged, "evaluations": fitted.fit.convergence.evaluations,
            "iterations": fitted.fit.convergence.iterations, "standard_errors": fitted.fit.parameters.map { $0.standardError ?? .nan },
        ])
    }

    /// `score-bgnbd <summary.csv> [copies] [runs]`: conditional expected purchases over 39 units
    /// and P(alive) for the summary repeated `copies` times (default 10: 10,000,000 customers
    /// from a 1,000,000-row summary), using all cores.
    static func score(_ args: [String]) throws {
        guard let path = args.first else { throw ModelError.invalidData("usage: score-bgnbd <summary.csv> [copies] [runs]") }
        let copies = args.count > 1 ? Int(args[1]) ?? 10 : 10
        let runs = args.count > 2 ? Int(args[2]) ?? 3 : 3
        let s = try readSummary(path)
        let model = try BetaGeometricNBD.fit(.compressing(frequency: s.frequency, recency: s.recency, T: s.T)).model
        var f: [Double] = [], r: [Double] = [], t: [Double] = []
        for _ in 0..<copies { f += s.frequency; r += s.recency; t += s.T }
        var checksum = 0.0
        let times = timeRuns(repeats: runs) {
            let scored = model.score(horizon: 39, frequency: f, recency: r, T: t)
            checksum = scored.expectedPurchases.reduce(0, +) + scored.probabilityAlive.reduce(0, +)
        }
        report("score-bgnbd", times: times, extra: [
            "customers": f.count, "seconds_per_customer": median(times) / Double(f.count), "checksum": checksum,
            "params": model.parameters,
        ])
    }
}
