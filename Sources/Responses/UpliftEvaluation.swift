import CustomerData
import Foundation

/// How well an uplift model ranks held-out customers of a randomised campaign, per treatment:
/// the Qini curve and its normalised area, and the observed uplift among the top 10/20/30/50% by
/// predicted uplift, each beside what a random ranking gives.
public struct UpliftEvaluation: Sendable {
    /// The fractions of customers at which uplift@k and the Qini curve are reported.
    public static let fractions: [Double] = [0.1, 0.2, 0.3, 0.5]
    public static let curveFractions: [Double] = (1...10).map { Double($0) / 10 }

    public struct Treatment: Sendable {
        public var name: String
        public var treatedCount: Int
        public var controlCount: Int
        public var treatedRate: Double
        public var controlRate: Double
        /// Normalised Qini area (scikit-uplift `qini_auc_score`): 0 for random, 1 for perfect.
        public var qiniAUC: Double
        /// Observed uplift among the top k by predicted uplift, at `fractions`.
        public var upliftAtK: [Double]
        /// A random ranking's expected uplift at any k: the overall observed uplift.
        public var randomUplift: Double
        /// Qini curve values Q(n) at `curveFractions` of the customers, and the random chord there.
        public var qiniAtFraction: [Double]
        public var randomQiniAtFraction: [Double]
        /// Spread of the predicted uplift (its standard deviation): near 0 means the model sees one uplift for everyone.
        public var predictedUpliftSD: Double

        public init(name: String, outcomes y: [Double], treated: [Bool], uplift: [Double]) throws {
            let nt = treated.filter { $0 }.count, nc = treated.count - nt
            guard nt > 0, nc > 0 else {
                throw ResponseError.invalidInput("treatment '\(name)': the evaluation data needs both treated (\(nt)) and control (\(nc)) customers")
            }
            self.name = name; treatedCount = nt; controlCount = nc
            treatedRate = zip(y, treated).filter { $1 }.reduce(0) { $0 + $1.0 } / Double(nt)
            controlRate = zip(y, treated).filter { !$1 }.reduce(0) { $0 + $1.0 } / Double(nc)
            qiniAUC = UpliftMetrics.qiniAUCScore(outcomes: y, treated: treated, score: uplift)
            upliftAtK = UpliftEvaluation.fractions.map { UpliftMetrics.upliftAtK(outcomes: y, treated: treated, score: uplift, fraction: $0) }
            randomUplift = treatedRate - controlRate
            let curve = UpliftMetrics.qiniCurve(outcomes: y, treated: treated, score: uplift)
            let n = Double(y.count), total = curve.qini.last!
            qiniAtFraction = UpliftEvaluation.curveFractions.map { f in Self.interpolate(curve, at: f * n) }
            randomQiniAtFraction = UpliftEvaluation.curveFractions.map { $0 * total }
            let mean = uplift.reduce(0, +) / Double(uplift.count)
            predictedUpliftSD = (uplift.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(uplift.count)).squareRoot()
        }

        /// The piecewise-linear Qini curve at n customers.
        static func interpolate(_ curve: (n: [Double], qini: [Double]), at n: Double) -> Double {
            guard let j = curve.n.firstIndex(where: { $0 >= n }) else { return curve.qini.last! }
            if j == 0 || curve.n[j] == n { return curve.qini[j] }
            let t = (n - curve.n[j - 1]) / (curve.n[j] - curve.n[j - 1])
            return curve.qini[j - 1] + t * (curve.qini[j] - curve.qini[j - 1])
        }
    }

    public var method: UpliftMethod
    public var outcome: String
    public var treatments: [Treatment]

    public var report: String {
        var lines: [String] = []
        for t in treatments {
            lines.append(String(format: "treatment %@ vs control (%@, %@): %d treated, %d control; observed rate %.4f vs %.4f, uplift %.4f",
                                t.name, outcome, method.rawValue, t.treatedCount, t.controlCount, t.treatedRate, t.controlRate, t.randomUplift))
            lines.append(String(format: "  Qini AUC (normalised, 0 = random, 1 = perfect): %.4f; predicted uplift sd %.4f", t.qiniAUC, t.predictedUpliftSD))
            lines.append("  top k%    uplift (model)   uplift (random)   model - random")
            for (f, u) in zip(UpliftEvaluation.fractions, t.upliftAtK) {
                lines.append(String(format: "  %5.0f%%    %14.4f   %15.4f   %14.4f", f * 100, u, t.randomUplift, u - t.randomUplift))
            }
            lines.append("  Qini curve (incremental responses among the top k%): " + zip(UpliftEvaluation.curveFractions, t.qiniAtFraction)
                .map { String(format: "%.0f%%: %.1f", $0 * 100, $1) }.joined(separator: ", "))
            let beats = t.qiniAUC > 0 && t.upliftAtK[0] > t.randomUplift
            lines.append(beats ? "  targeting by predicted uplift beats random targeting here"
                               : "  targeting by predicted uplift does NOT beat random targeting here (the effect may be close to uniform)")
        }
        return lines.joined(separator: "\n")
    }

    /// Streams the evaluation as a long table: treatment, ranking (model | random), measure
    /// (qini_auc | uplift_at_k | qini), fraction, value.
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: ["treatment", "ranking", "measure", "fraction", "value"], format: format)
        for t in treatments {
            try out.append([.text(t.name), .text("model"), .text("qini_auc"), .number(1), .number(t.qiniAUC)])
            try out.append([.text(t.name), .text("random"), .text("qini_auc"), .number(1), .number(0)])
            for (f, u) in zip(UpliftEvaluation.fractions, t.upliftAtK) {
                try out.append([.text(t.name), .text("model"), .text("uplift_at_k"), .number(f), .number(u)])
                try out.append([.text(t.name), .text("random"), .text("uplift_at_k"), .number(f), .number(t.randomUplift)])
            }
            for (i, f) in UpliftEvaluation.curveFractions.enumerated() {
                try out.append([.text(t.name), .text("model"), .text("qini"), .number(f), .number(t.qiniAtFraction[i])])
                try out.append([.text(t.name), .text("random"), .text("qini"), .number(f), .number(t.randomQiniAtFraction[i])])
            }
        }
        try out.commit()
    }
}
