// KlantBenchmarks: times Klant's library functions in-process (release build) and prints one JSON
// line per benchmark with the median of several runs. scripts/bench.sh runs it beside the peer
// libraries on the same data and prints the ratios.
import Foundation
import Linalg

/// Each benchmark takes its command-line arguments and prints JSON lines.
let benchmarks: [String: ([String]) throws -> Void] = [
    "simulate-bgnbd": BetaGeometricNBDBenchmarks.simulate,
    "fit-bgnbd": BetaGeometricNBDBenchmarks.fit,
    "score-bgnbd": BetaGeometricNBDBenchmarks.score,
    "summarize": runSummaryBenchmark,
    "fit-pareto": runParetoFitBenchmark,
    "churn": runChurnBenchmark,
    "uplift": runUpliftBenchmark,
    "cross-sell": runCrossSellBenchmark,
    "cross-sell-simulated": runSimulatedCrossSellBenchmark,
    "segments": runSegmentsBenchmark,
    "actions-data": runActionsDataBenchmark,
    "actions": runActionsBenchmark,
]

let args = Array(CommandLine.arguments.dropFirst())
guard let name = args.first, let run = benchmarks[name] else {
    FileHandle.standardError.write("usage: KlantBenchmarks <\(benchmarks.keys.sorted().joined(separator: "|"))> [options]\n".data(using: .utf8)!)
    exit(2)
}
BLAS.useCallingThreadsOnly()   // as the klant command does
do { try run(Array(args.dropFirst())) } catch {
    FileHandle.standardError.write("benchmark \(name) failed: \(error)\n".data(using: .utf8)!)
    exit(1)
}
