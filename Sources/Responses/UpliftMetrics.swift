import Foundation

/// Ranking measures of uplift models over plain arrays: outcomes y ∈ {0, 1}, treated flags, and a
/// predicted uplift per customer. Definitions as scikit-uplift 0.5.1 (`qini_curve`,
/// `perfect_qini_curve`, `qini_auc_score`, `uplift_at_k`), after Radcliffe (2007), "Using control
/// groups to target on predicted lift".
public enum UpliftMetrics {
    /// Indices by descending score; ties keep scikit-uplift's order (a reversed stable ascending
    /// sort: among equal scores the later row comes first).
    public static func descendingOrder(_ score: [Double]) -> [Int] {
        score.indices.sorted { score[$0] != score[$1] ? score[$0] > score[$1] : $0 > $1 }
    }

    /// The Qini curve: at each distinct score threshold (top n customers), Q(n) = Y_t(n) − Y_c(n)·N_t(n)/N_c(n),
    /// the treated responses in the top n less the control responses scaled to the treated count.
    /// Starts at (0, 0).
    public static func qiniCurve(outcomes y: [Double], treated: [Bool], score: [Double]) -> (n: [Double], qini: [Double]) {
        let order = descendingOrder(score)
        var n: [Double] = [0], q: [Double] = [0]
        var nt = 0.0, nc = 0.0, yt = 0.0, yc = 0.0
        for (position, i) in order.enumerated() {
            if treated[i] { nt += 1; yt += y[i] } else { nc += 1; yc += y[i] }
            let last = position == order.count - 1
            if last || score[order[position + 1]] != score[i] {
                n.append(Double(position + 1))
                q.append(yt - (nc > 0 ? yc * nt / nc : 0))
            }
        }
        return (n, q)
    }

    /// Area under a piecewise-linear curve (trapezoid rule).
    public static func area(x: [Double], y: [Double]) -> Double {
        var a = 0.0
        for i in 1..<max(x.count, 1) { a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return a
    }

    /// Normalised area under the Qini curve: (model − random) / (perfect − random), where the
    /// perfect ranking scores y·t − y·(1 − t) (negative effects allowed) and random is the chord
    /// from (0, 0) to the curve's end. 0 = random, 1 = perfect.
    public static func qiniAUCScore(outcomes y: [Double], treated: [Bool], score: [Double]) -> Double {
        let model = qiniCurve(outcomes: y, treated: treated, score: score)
        let perfectScore = zip(y, treated).map { $1 ? $0 : -$0 }
        let perfect = qiniCurve(outcomes: y, treated: treated, score: perfectScore)
        let baseline = area(x: [0, perfect.n.last!], y: [0, perfect.qini.last!])
        return (area(x: model.n, y: model.qini) - baseline) / (area(x: perfect.n, y: perfect.qini) - baseline)
    }

    /// Observed uplift among the top ⌊k·n⌋ customers by score (scikit-uplift's strategy "overall"):
    /// response rate of the treated among them minus that of the controls among them. NaN when one
    /// of the two groups is absent from the top.
    public static func upliftAtK(outcomes y: [Double], treated: [Bool], score: [Double], fraction k: Double) -> Double {
        let top = descendingOrder(score).prefix(Int(Double(y.count) * k))
        var nt = 0.0, nc = 0.0, yt = 0.0, yc = 0.0
        for i in top { if treated[i] { nt += 1; yt += y[i] } else { nc += 1; yc += y[i] } }
        return nt > 0 && nc > 0 ? yt / nt - yc / nc : .nan
    }

    /// The observed uplift of all customers: what a random ranking's top k% shows on average.
    public static func overallUplift(outcomes y: [Double], treated: [Bool]) -> Double {
        upliftAtK(outcomes: y, treated: treated, score: [Double](repeating: 0, count: y.count), fraction: 1)
    }
}
