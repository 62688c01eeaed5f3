/// The receiver operating characteristic of churn probabilities: one point per distinct
/// threshold, from (0, 0) (nobody flagged) to (1, 1) (everybody flagged). Its trapezoid area is
/// the Mann-Whitney AUC of `ChurnMetrics.aucDeLong` (ties count one half), so the curve and the
/// reported AUC agree exactly.
public struct ROCCurve: Sendable, Equatable {
    /// False-positive rates (share of non-churners flagged), ascending.
    public var falsePositiveRate: [Double]
    /// True-positive rates (share of churners flagged).
    public var truePositiveRate: [Double]
    /// The threshold of each point (flag when p ≥ threshold); +∞ for the first point.
    public var thresholds: [Double]

    /// Sorts by descending score and steps through the distinct values (Fawcett 2006, "An
    /// introduction to ROC analysis", Algorithm 2).
    public init(labels: [Double], scores: [Double]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = labels.reduce(0) { $0 + ($1 == 1 ? 1.0 : 0) }
        let negatives = Double(labels.count) - positives
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        var tp = 0.0, fp = 0.0
        var k = 0
        while k < order.count {
            let s = scores[order[k]]
            while k < order.count && scores[order[k]] == s {
                if labels[order[k]] == 1 { tp += 1 } else { fp += 1 }
                k += 1
            }
            fpr.append(negatives > 0 ? fp / negatives : 0)
            tpr.append(positives > 0 ? tp / positives : 0)
            thresholds.append(s)
        }
        falsePositiveRate = fpr
        truePositiveRate = tpr
        self.thresholds = thresholds
    }

    /// Area under the curve by the trapezoid rule.
    public var area: Double {
        var a = 0.0
        for i in 1..<falsePositiveRate.count {
            a += (falsePositiveRate[i] - falsePositiveRate[i - 1]) * (truePositiveRate[i] + truePositiveRate[i - 1]) / 2
        }
        return a
    }

    /// At most `points` points for drawing: the first, the last and every step-th between them
    /// (the area of the thinned curve is within one step of the exact one; the AUC is always the exact value).
    public func thinned(to points: Int) -> ROCCurve {
        let n = falsePositiveRate.count
        guard n > points, points >= 2 else { return self }
        let keep = (0..<points).map { Int((Double($0) * Double(n - 1) / Double(points - 1)).rounded()) }
        var copy = self
        copy.falsePositiveRate = keep.map { falsePositiveRate[$0] }
        copy.truePositiveRate = keep.map { truePositiveRate[$0] }
        copy.thresholds = keep.map { thresholds[$0] }
        return copy
    }
}
