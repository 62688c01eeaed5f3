import Foundation
import Linalg
import Testing
@testable import Churn

/// One IRLS pass against the same sums written out row by row (log1p, no BLAS, no padding).
@Suite struct IRLSPassTests {
    /// −Σ w (y log p + (1 − y) log(1 − p)), X^T w (y − p) and X^T W X computed naively.
    func naive(x: Matrix, y: [Double], weights: [Double]?, beta: [Double]) -> (objective: Double, gradient: [Double], hessian: Matrix) {
        let k = x.columns
        var objective = 0.0
        var gradient = [Double](repeating: 0, count: k)
        var hessian = Matrix(rows: k, columns: k)
        for i in 0..<x.rows {
            let w = weights?[i] ?? 1
            let eta = (0..<k).reduce(0.0) { $0 + x[i, $1] * beta[$1] }
            let p = 1 / (1 + exp(-eta))
            objective += w * (max(eta, 0) + log1p(exp(-abs(eta))) - y[i] * eta)
            for a in 0..<k {
                gradient[a] += w * (y[i] - p) * x[i, a]
                for b in 0..<k { hessian[a, b] += w * p * (1 - p) * x[i, a] * x[i, b] }
            }
        }
        return (objective, gradient, hessian)
    }

    @Test(arguments: [4, 7, 8, 13, 14])
    func passEqualsRowByRowSums(columns: Int) throws {
        // 1,500 rows: two full 512-row chunks per thread block and a partial one; widths 7, 13 and 14
        // are padded for dsyrk (to 8 and 16), 4 and 8 are not.
        let beta = (0..<columns).map { 0.3 * sin(Double($0) + 1) }
        let (x, _, y) = syntheticDesign(rows: 1500, seed: UInt64(columns), beta: beta)
        let weights = (0..<x.rows).map { Double($0 % 5) / 2 }  // includes weight 0
        let at = beta.map { $0 * 0.8 + 0.05 }
        for w in [nil, weights] {
            let expected = naive(x: x, y: y, weights: w, beta: at)
            try x.values.withUnsafeBufferPointer { xp in
                let pass = IRLSPass(x: xp.baseAddress!, rows: x.rows, columns: columns, active: Array(0..<columns),
                                    y: y, weights: w, threads: 2, chunk: 512)
                try pass.run(beta: at)
                #expect(close(pass.objective, expected.objective, relative: 1e-12))
                for a in 0..<columns {
                    #expect(close(pass.gradient[a], expected.gradient[a], relative: 1e-11, floor: 1))
                    for b in 0..<columns { #expect(close(pass.hessian[a, b], expected.hessian[a, b], relative: 1e-12, floor: 1)) }
                }
                // The gradient-only pass gives the same objective and gradient.
                try pass.run(beta: at, withHessian: false)
                #expect(close(pass.objective, expected.objective, relative: 1e-12))
                for a in 0..<columns { #expect(close(pass.gradient[a], expected.gradient[a], relative: 1e-11, floor: 1)) }
            }
        }
    }

    @Test func paddedWidthRoundsUpOnlyTheSlowWidths() {
        #expect([1, 4, 5, 7, 8, 12, 13, 31, 32, 33, 36, 37, 47].map(IRLSPass.paddedWidth) == [1, 4, 8, 8, 8, 12, 16, 32, 32, 33, 36, 40, 48])
    }

    @Test func warmStartUsesACoarseLevelOnlyWhenItKeepsEnoughRows() {
        #expect(LogisticRegression.warmStartStrides(rows: 199_999, chunk: 512) == [])
        #expect(LogisticRegression.warmStartStrides(rows: 200_000, chunk: 512) == [16, 8])
        #expect(LogisticRegression.warmStartStrides(rows: 240_000, chunk: 512) == [16, 8])
        #expect(LogisticRegression.warmStartStrides(rows: 1_000_000, chunk: 512) == [64, 8])
        #expect(LogisticRegression.warmStartStrides(rows: 1_000_000, chunk: 100_000) == [8])  // 10 chunks: no coarse level
    }

    @Test func logOfProductEqualsSumOfLogs() {
        // η from −800 to 800 (exp underflows to 0 at both ends), 1,300 rows: three product blocks.
        let count = 1300
        var eta = [Double](repeating: 0, count: count)
        var y = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let extreme: Double = i % 2 == 0 ? 800 : -800
            eta[i] = i % 13 == 0 ? extreme : 30 * sin(Double(i))
            y[i] = (i * 7) % 3 == 0 ? 1 : 0
        }
        let ones = [Double](repeating: 1, count: count)
        var a = eta, b = eta
        var ra = [Double](repeating: 0, count: count), rb = ra
        let fast = IRLSPass.rowTerms(eta: &a, y: y, count: count, residual: &ra)
        let reference = IRLSPass.weightedRowTerms(eta: &b, y: y, weights: ones, count: count, residual: &rb)
        #expect(close(fast.objective, reference.objective, relative: 1e-13))
        #expect(fast.perfect == reference.perfect && fast.misclassified == reference.misclassified)
        for i in 0..<count {
            #expect(abs(a[i] - b[i]) <= 1e-15)
            #expect(abs(ra[i] - rb[i]) <= 1e-15)
        }
    }

    @Test func secantUpdateMeetsTheSecantCondition() {
        var b = Matrix(rows: 3, columns: 3)
        for i in 0..<3 { b[i, i] = Double(i + 2) }
        b[0, 1] = 0.5; b[1, 0] = 0.5
        let s = [0.1, -0.2, 0.05], y = [0.4, -0.3, 0.2]
        LogisticRegression.secantUpdate(&b, step: s, gradientChange: y)
        for i in 0..<3 {
            #expect(abs((0..<3).reduce(0.0) { $0 + b[i, $1] * s[$1] } - y[i]) < 1e-14)
            for j in 0..<3 { #expect(b[i, j] == b[j, i]) }
        }
        // A change of gradient against the step (yᵀs ≤ 0) leaves the matrix alone.
        let before = b
        LogisticRegression.secantUpdate(&b, step: s, gradientChange: y.map { -$0 })
        #expect(b.values == before.values)
    }
}
