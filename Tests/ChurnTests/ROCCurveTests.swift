import Testing
@testable import Churn

@Suite struct ROCCurveTests {
    @Test func trapezoidAreaEqualsTheMannWhitneyAUCWithTies() throws {
        let labels: [Double] = [1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1]
        let scores: [Double] = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.5, 0.3, 0.2, 0.2, 0.1, 0.05]
        let roc = ROCCurve(labels: labels, scores: scores)
        let evaluation = try ChurnEvaluation(labels: labels, probabilities: scores)
        #expect(abs(roc.area - evaluation.auc) < 1e-15)
        #expect(roc.falsePositiveRate.first == 0 && roc.truePositiveRate.first == 0)
        #expect(roc.falsePositiveRate.last == 1 && roc.truePositiveRate.last == 1)
        #expect(roc.thresholds.count == Set(scores).count + 1)
        #expect(zip(roc.falsePositiveRate, roc.falsePositiveRate.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func thinnedCurveKeepsBothEndsAndAtMostThePointsAsked() {
        let n = 5000
        let scores = (0..<n).map { Double(($0 * 7919) % n) / Double(n) }
        let labels = (0..<n).map { Double(($0 * 31) % 3 == 0 ? 1 : 0) }
        let roc = ROCCurve(labels: labels, scores: scores)
        let thin = roc.thinned(to: 400)
        #expect(thin.falsePositiveRate.count == 400)
        #expect(thin.falsePositiveRate.first == 0 && thin.truePositiveRate.last == 1)
        #expect(abs(thin.area - roc.area) < 0.01)
    }
}
