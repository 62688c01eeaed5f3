import ArgumentParser
import CustomerData
import Foundation
import Models

/// `klant fit <model>`: maximum-likelihood fits; prints the parameter table and writes the model file.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a model and write it as a versioned JSON model file.",
        discussion: """
            Prints estimates, standard errors, 95% intervals, the log-likelihood and convergence. A fit that \
            did not converge is not written; the command exits with code 1 and says what to try. \
            Example: klant fit bgnbd --summary cdnow_summary.csv --out models/cdnow-bgnbd.json
            """,
        subcommands: [FitBGNBD.self, FitMBGNBD.self, FitParetoNBD.self, FitBGBB.self, FitGammaGamma.self, FitShiftedBetaGeometric.self, FitChurn.self, FitPropensity.self, FitUplift.self, FitCrossSell.self])
}

/// Options shared by the repeat-purchase model fits.
struct SummaryFitOptions: ParsableArguments {
    @OptionGroup var input: SummaryInput

    @Option(help: "Time unit the summary's recency and T are in (recorded in the model file): day, week, month or year. Default: the unit in the summary's sidecar (<summary>.meta.json, written by klant summarize), else week. Example: --unit week")
    var unit: String?

    @Option(help: "L2 penalty on the parameters, as lifetimes' penalizer_coef (0 = plain maximum likelihood). Example: --penalizer 0.001")
    var penalizer = 0.0

    @Option(help: "Where to write the model file (atomically). Example: --out models/cdnow-bgnbd.json")
    var out: String
}

/// Fits a repeat-purchase model on a summary file and writes it; shared by the BTYD subcommands.
func fitRepeatPurchase(_ kind: ModelKind, options: SummaryFitOptions) throws {
    try withInputErrors {
        try checkOutputs([("--out", options.out)], inputs: options.input.inputFiles)
        let summary = try fittableSummary(options.input.read(unitOption: options.unit), source: options.input.source)
        let patterns = PurchasePatterns(summary: summary)
        let file = try ProgressLine.run("fitting \(kind.rawValue) on \(summary.count) customers") {
            try ModelCatalog.fitRepeatPurchaseModel(kind, patterns: patterns, penalizer: options.penalizer,
                                                    timeUnit: .calendar(summary.timeUnit), source: options.input.source)
        }
        try writeIfConverged(file, to: options.out)
    }
}

/// The summary without its T = 0 customers (said in a message), after checking that someone repeated.
func fittableSummary(_ summary: CustomerSummary, source: String?) throws -> CustomerSummary {
    let (kept, dropped) = summary.droppingZeroT()
    if dropped > 0 {
        Log.shared.info("\(dropped) customers with T = 0 (first purchase on the calibration end day) carry no information and are left out of the fit",
                        fields: ["event": "zero_T", "customers": dropped])
    }
    try kept.requireRepeatBuyers(source: source)
    return kept
}

/// Prints the fit and writes the model file only when the fit converged (exit 1 otherwise).
func writeIfConverged(_ file: ModelFile, to path: String) throws {
    print(file.summaryTable)
    guard file.convergence.converged else {
        throw KlantFailure(message: """
            the \(file.kind.rawValue) fit did not converge (\(file.convergence.message)); no model was written. \
            Try a small --penalizer (e.g. 0.001), check the summary's time unit, or look for customers with extreme frequency.
            """, exitCode: 1)
    }
    try file.write(to: URL(fileURLWithPath: path))
    Log.shared.info("wrote \(path)", fields: ["event": "fit", "kind": file.kind.rawValue, "out": path,
                                               "log_likelihood": file.logLikelihood, "customers": file.training.customers])
}

struct FitBGNBD: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bgnbd",
        abstract: "BG/NBD (Fader, Hardie & Lee 2005): parameters r, alpha, a, b.",
        discussion: "Example: klant fit bgnbd --summary cdnow_summary.csv --out models/cdnow-bgnbd.json")
    @OptionGroup var options: SummaryFitOptions
    @OptionGroup var log: LogOptions
    func run() throws { log.apply(); try fitRepeatPurchase(.bgnbd, options: options) }
}

struct FitMBGNBD: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mbgnbd",
        abstract: "MBG/NBD (Batislam, Denizel & Filiztekin 2007): parameters r, alpha, a, b.",
        discussion: "Example: klant fit mbgnbd --summary cdnow_summary.csv --out models/cdnow-mbgnbd.json")
    @OptionGroup var options: SummaryFitOptions
    @OptionGroup var log: LogOptions
    func run() throws { log.apply(); try fitRepeatPurchase(.mbgnbd, options: options) }
}

struct FitParetoNBD: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pareto-nbd",
        abstract: "Pareto/NBD (Schmittlein, Morrison & Colombo 1987): parameters r, alpha, s, beta.",
        discussion: "Example: klant fit pareto-nbd --summary cdnow_summary.csv --out models/cdnow-pareto.json")
    @OptionGroup var options: SummaryFitOptions
    @OptionGroup var log: LogOptions
    func run() throws { log.apply(); try fitRepeatPurchase(.paretoNBD, options: options) }
}

struct FitBGBB: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bgbb",
        abstract: "BG/BB for discrete purchase opportunities (Fader, Hardie & Shang 2010): alpha, beta, gamma, delta.",
        discussion: """
            Takes weighted patterns: a CSV with frequency,recency,periods[,weights] (x, t_x, n, number of customers). \
            Example: klant fit bgbb --patterns datasets/donations.csv --out models/donations-bgbb.json
            """)
    @Option(help: "Pattern CSV with frequency,recency,periods[,weights]. Example: --patterns datasets/donations.csv")
    var patterns: String
    @Option(help: "L2 penalty on the parameters (0 = plain maximum likelihood).")
    var penalizer = 0.0
    @Option(help: "Where to write the model file. Example: --out models/donations-bgbb.json")
    var out: String
    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            try checkOutputs([("--out", out)], inputs: [("--patterns", patterns)])
            let data = try PatternTable.read(from: URL(fileURLWithPath: patterns))
            let file = try ModelCatalog.fitRepeatPurchaseModel(.bgbb, patterns: data, penalizer: penalizer,
                                                               timeUnit: .period, source: patterns)
            try writeIfConverged(file, to: out)
        }
    }
}

struct FitGammaGamma: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gamma-gamma",
        abstract: "Gamma-Gamma spend model (Fader, Hardie & Lee 2005, RFM and CLV): p, q, gamma, on repeat buyers.",
        discussion: """
            Uses frequency and monetary_value of the customers with frequency > 0. Warns when frequency and \
            spend are correlated (the model assumes independence) and refuses predictions when q <= 1. \
            Example: klant fit gamma-gamma --summary cdnow_summary.csv --out models/cdnow-gg.json
            """)
    @OptionGroup var options: SummaryFitOptions

    @Option(help: "Repeat buyers with zero or negative mean spend (zero-value orders, returns): exclude (left out, counted in a warning and the model notes) or reject (an error naming the row). Example: --nonpositive-spend reject")
    var nonpositiveSpend = "exclude"

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            guard let policy = GammaGamma.NonPositiveSpend(rawValue: nonpositiveSpend) else {
                throw ValidationError("--nonpositive-spend must be exclude or reject, not \(nonpositiveSpend)")
            }
            try checkOutputs([("--out", options.out)], inputs: options.input.inputFiles)
            let summary = try options.input.read(unitOption: options.unit)
            let fitted = try GammaGamma.fit(frequency: summary.frequency, monetaryValue: summary.monetaryValue,
                                            penalizer: options.penalizer, nonPositiveSpend: policy)
            for warning in fitted.warnings { Log.shared.warning(warning) }
            try writeIfConverged(fitted.modelFile(source: options.input.source), to: options.out)
        }
    }
}

struct FitShiftedBetaGeometric: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sbg",
        abstract: "Shifted-beta-geometric cohort retention (Fader & Hardie 2007): alpha, beta.",
        discussion: """
            Takes a CSV with one row per period (0, 1, 2, ...) and a column of customers still active at the start \
            of each period. Prints the fit and the projected survivors for the following periods. \
            Example: klant fit sbg --survivors datasets/sbg_retention.csv --column regular --periods 8 --out models/sbg-regular.json
            """)
    @Option(help: "CSV with a header and one row per period. Example: --survivors datasets/sbg_retention.csv")
    var survivors: String
    @Option(help: "The column with the active customers at the start of each period. Example: --column regular")
    var column: String
    @Option(help: "Use only the first N rows (periods 0..N-1) for fitting, e.g. 8 as in the paper; default all.")
    var periods: Int?
    @Option(help: "How many periods after the fitted ones to project. Example: --project 5")
    var project = 5
    @Option(help: "Where to write the model file. Example: --out models/sbg-regular.json")
    var out: String
    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withInputErrors {
            try checkOutputs([("--out", out)], inputs: [("--survivors", survivors)])
            let table = try PatternTable.numericColumn(column, from: URL(fileURLWithPath: survivors))
            let used = Array(table.prefix(periods ?? table.count))
            let fitted = try ShiftedBetaGeometric.fit(survivors: used)
            try writeIfConverged(fitted.modelFile(source: survivors), to: out)
            if let start = used.first, project > 0 {
                let projected = fitted.model.expectedSurvivors(cohort: start, periods: used.count + project - 1)
                print("period  projected survivors" + (table.count > used.count ? "  actual" : ""))
                for t in used.count..<(used.count + project) where t < projected.count {
                    let actual = t < table.count ? String(format: "  %.0f", table[t]) : ""
                    print(String(format: "%6d  %19.1f", t, projected[t]) + actual)
                }
            }
        }
    }
}
