import ArgumentParser
import Linalg
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `klant` command: a thin shell over the library. Every subcommand parses flags, calls one
/// library function and prints; the scheduler, tests and benchmarks call the same functions.
struct Klant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klant",
        abstract: "Customer-value engine: churn, customer lifetime value and next-best action.",
        discussion: """
            A typical run on the shipped CDNOW data (weekly time unit, 39-week calibration):
              klant summarize datasets/CDNOW_master.txt --customer-column customer_id --date-column date \\
                    --amount-column dollar_value --date-format yyyyMMdd --unit week \\
                    --calibration-end 1997-09-30 --observation-end 1998-06-30 --out cdnow_summary.csv
              klant fit bgnbd --summary cdnow_summary.csv --out models/cdnow-bgnbd.json
              klant fit gamma-gamma --summary cdnow_summary.csv --out models/cdnow-gg.json
              klant predict --model models/cdnow-bgnbd.json --summary cdnow_summary.csv --horizon 52 --out predictions.csv
              klant evaluate --model models/cdnow-bgnbd.json --summary cdnow_summary.csv

            Exit codes: 0 success, 1 failure (e.g. a fit that did not converge), 2 bad usage or bad input.
            """,
        version: "0.1.0",
        subcommands: [Summarize.self, Fit.self, Predict.self, Evaluate.self, EvaluateCampaign.self, Score.self, ReportCommand.self, RescoreCommand.self, RunsCommand.self, ActionsCommand.self]
    )
}

@main
enum Main {
    static func main() {
        keepLargeBlocksInTheHeap()
        BLAS.useCallingThreadsOnly()
        do {
            var command = try Klant.parseAsRoot()
            try command.run()
        } catch {
            exit(with: error)
        }
    }

    /// Prints the error and exits with Klant's exit codes: 0 help/version, 2 bad usage or input, 1 otherwise.
    static func exit(with error: Error) -> Never {
        let code = Klant.exitCode(for: error)
        if code == .success {
            Klant.exit(withError: error)   // --help, --version
        }
        if let failure = error as? KlantFailure {
            Log.shared.error(failure.message, fields: ["exit_code": failure.exitCode])
            Foundation.exit(failure.exitCode)
        }
        if error is ExitCode {
            Foundation.exit(code.rawValue)
        }
        // Anything ArgumentParser raised is a usage error.
        FileHandle.standardError.write(Data((Klant.fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
    }
}

/// Million-customer columns are 8 MB arrays made and dropped by the dozen. By default glibc maps
/// the first ones fresh from the kernel and unmaps them when freed, so each reuse pays its page
/// faults again; served from the heap (up to glibc's 32 MB limit) and kept there, freed blocks are
/// reused (a 1M-customer `klant score` takes 28% fewer page faults).
/// (`mallopt` is looked up at run time: Swift's Glibc module does not import malloc.h.)
private func keepLargeBlocksInTheHeap() {
    #if canImport(Glibc)
    typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3   // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in glibc's malloc.h
    _ = mallopt(mmapThreshold, 32 << 20)
    _ = mallopt(trimThreshold, Int32.max)
    #endif
}
