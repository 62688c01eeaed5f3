import Churn
import CustomerData
import Foundation

/// What a campaign added, per treatment and outcome: treated vs control rates (0/1 outcomes) or
/// means (amounts), the uplift with a 95% interval and p-value, incremental responses or revenue,
/// and cost and ROI when the action list carries costs.
public struct CampaignEvaluation: Sendable {
    public struct Row: Sendable, Equatable {
        public var treatment: String
        public var outcome: String
        /// True for 0/1 outcomes (rates, normal approximation), false for amounts (means, Welch).
        public var binary: Bool
        public var treatedCount: Int
        public var controlCount: Int
        public var treatedRate: Double
        public var controlRate: Double
        public var uplift: Double
        public var standardError: Double
        public var upliftLower: Double
        public var upliftUpper: Double
        public var pValue: Double
        /// Welch–Satterthwaite degrees of freedom (amounts only).
        public var degreesOfFreedom: Double?
        /// uplift x treated customers: extra responses (0/1) or extra revenue (amounts).
        public var incremental: Double
        public var cost: Double?
        /// (incremental revenue − cost) / cost, for amount outcomes with costs.
        public var roi: Double?
    }

    public var rows: [Row]
    public var notes: [String]

    public init(_ data: CampaignData, outcomes names: [String], confidence: Double = 0.95) throws {
        rows = try data.treatments.indices.flatMap { k in
            try names.map { name in
                let values = data.outcomes[name]!
                let cost = data.costs.map { c in data.treatedRows[k].reduce(0) { $0 + c[$1] } }
                return try Self.compare(treatment: data.treatments[k], outcome: name,
                                        treated: data.treatedRows[k].map { values[$0] },
                                        control: data.controlRows[k].map { values[$0] }, cost: cost, confidence: confidence)
            }
        }
        notes = data.notes
    }

    /// Treated minus control for one outcome. 0/1 values: difference of proportions with unpooled
    /// variances p(1 − p)/n and a normal interval; other values: Welch's t (unequal variances,
    /// Welch–Satterthwaite df) for the difference of means.
    static func compare(treatment: String, outcome: String, treated: [Double], control: [Double], cost: Double?,
                        confidence: Double) throws -> Row {
        guard treated.count >= 2, control.count >= 2 else {
            throw ResponseError.invalidInput("treatment '\(treatment)': \(treated.count) treated and \(control.count) control customers; at least 2 of each are needed for an interval")
        }
        let binary = (treated + control).allSatisfy { $0 == 0 || $0 == 1 }
        let nt = Double(treated.count), nc = Double(control.count)
        let mt = treated.reduce(0, +) / nt, mc = control.reduce(0, +) / nc
        let uplift = mt - mc
        let se: Double, df: Double?, critical: Double, p: Double
        if binary {
            se = (mt * (1 - mt) / nt + mc * (1 - mc) / nc).squareRoot()
            df = nil
            critical = normalQuantile((1 + confidence) / 2)
            p = se > 0 ? CoefficientTable.twoSidedNormalP(uplift / se) : (uplift == 0 ? 1 : 0)
        } else {
            let vt = variance(treated, mean: mt) / nt, vc = variance(control, mean: mc) / nc
            se = (vt + vc).squareRoot()
            let welch = (vt + vc) * (vt + vc) / (vt * vt / (nt - 1) + vc * vc / (nc - 1))
            df = welch
            critical = StudentT.quantile((1 + confidence) / 2, df: welch)
            p = se > 0 ? 2 * (1 - StudentT.cdf(abs(uplift / se), df: welch)) : (uplift == 0 ? 1 : 0)
        }
        let incremental = uplift * nt
        let roi = (!binary && cost.map { $0 > 0 } == true) ? (incremental - cost!) / cost! : nil
        return Row(treatment: treatment, outcome: outcome, binary: binary, treatedCount: treated.count, controlCount: control.count,
                   treatedRate: mt, controlRate: mc, uplift: uplift, standardError: se,
                   upliftLower: uplift - critical * se, upliftUpper: uplift + critical * se, pValue: p,
                   degreesOfFreedom: df, incremental: incremental, cost: cost, roi: roi)
    }

    /// Sample variance (n − 1 denominator).
    static func variance(_ x: [Double], mean: Double) -> Double {
        x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
    }

    /// Standard normal quantile by bisection on erfc (to 1e-14), enough for interval half-widths.
    static func normalQuantile(_ p: Double) -> Double {
        var lo = -40.0, hi = 40.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    public static let header = ["treatment", "outcome", "measure", "n_treated", "n_control", "rate_treated", "rate_control",
                                "uplift", "uplift_lower", "uplift_upper", "p_value", "incremental", "cost", "roi"]

    /// Streams the rows (CSV or JSON lines, `-` = stdout), atomically. `measure` is rate or mean;
    /// `incremental` is extra responses (rates) or extra revenue (means).
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: Self.header, format: format)
        for r in rows {
            try out.append([.text(r.treatment), .text(r.outcome), .text(r.binary ? "rate" : "mean"),
                            .integer(r.treatedCount), .integer(r.controlCount), .number(r.treatedRate), .number(r.controlRate),
                            .number(r.uplift), .number(r.upliftLower), .number(r.upliftUpper), .number(r.pValue),
                            .number(r.incremental), r.cost.map { .number($0) } ?? .empty, r.roi.map { .number($0) } ?? .empty])
        }
        try out.commit()
    }

    public var report: String {
        var lines = notes.map { "note: " + $0 }
        lines.append("treatment        outcome     n treated  n control    treated    control     uplift   95% interval            p-value   incremental")
        for r in rows {
            lines.append(r.treatment.padding(toLength: max(16, r.treatment.count), withPad: " ", startingAt: 0) + " "
                         + r.outcome.padding(toLength: max(10, r.outcome.count), withPad: " ", startingAt: 0)
                         + String(format: " %10d %10d %10.4f %10.4f %10.4f   [%8.4f, %8.4f]   %.2e   %11.1f", r.treatedCount, r.controlCount, r.treatedRate, r.controlRate,
                                r.uplift, r.upliftLower, r.upliftUpper, r.pValue, r.incremental)
                         + (r.cost.map { String(format: "   cost %.2f", $0) } ?? "") + (r.roi.map { String(format: " ROI %.3f", $0) } ?? ""))
        }
        lines.append("rates for 0/1 outcomes (normal interval, unpooled variances), means for amounts (Welch's t); incremental = uplift x treated customers")
        return lines.joined(separator: "\n")
    }
}
