import Foundation
import Testing
@testable import Linalg

@Suite struct LAPACKTests {
    @Test func choleskySolveMatchesKnownSolution() throws {
        let a = Matrix([[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])
        let xTrue = [1.0, -2.0, 0.5]
        let b = try BLAS.multiply(a, xTrue)
        let x = try LAPACK.solvePositiveDefinite(a, b)
        for i in 0..<3 { #expect(abs(x[i] - xTrue[i]) < 1e-12) }
    }

    @Test func inverseTimesMatrixIsIdentity() throws {
        let a = Matrix([[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])
        let inv = try LAPACK.inversePositiveDefinite(a)
        let prod = try BLAS.multiply(a, inv)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(prod[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
    }

    @Test func notPositiveDefiniteThrowsInsteadOfAsserting() {
        let a = Matrix([[1, 2], [2, 1]])
        #expect(throws: LinalgError.notPositiveDefinite(order: 2)) { try LAPACK.cholesky(a) }
    }

    @Test func singularGeneralSystemThrows() {
        let a = Matrix([[1, 2], [2, 4]])
        #expect(throws: LinalgError.singular(order: 2)) { try LAPACK.solve(a, [1, 2]) }
    }

    @Test func gramEqualsTransposeTimesMatrix() throws {
        let x = Matrix([[1, 2], [3, 4], [5, 6.5]])
        var g = Matrix(rows: 2, columns: 2)
        try BLAS.gram(x, accumulatingInto: &g)
        let ref = try BLAS.multiply(x, x, transposeA: true)
        #expect(g == ref)
    }

    @Test func mismatchedDimensionsThrow() {
        let a = Matrix([[1, 2], [3, 4]])
        #expect(throws: LinalgError.self) { try BLAS.multiply(a, [1, 2, 3]) }
    }
}

/// OpenBLAS's thread count is process-wide: overlapping single-threaded sections must not restore
/// it while another still runs, and the last one out must restore it.
@Suite struct SingleThreadedSectionTests {
    @Test func overlappingSectionsStaySingleThreadedAndRestoreTheSetting() {
        // Other suites (churn fits) open sections of their own at the same time, so the setting to
        // come back to is the one outside all sections, not the count seen at the start.
        let before = SingleThreadedSections.shared.settingOutsideSections
        let violations = ErrorBox()
        // Two threads: one long section, and short sections with pauses outside them in between.
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            if thread == 0 { usleep(200) }  // the short sections start first
            for round in 0..<(thread == 0 ? 1 : 10) {
                BLAS.withSingleThreadedBLAS {
                    for _ in 0..<(thread == 0 ? 300 : 5) {
                        if BLAS.threadCount != 1 { violations.record(LinalgError.dimension("thread \(thread) round \(round) saw \(BLAS.threadCount) threads")) }
                        usleep(100)
                    }
                }
                usleep(1000)
            }
        }
        #expect(violations.first == nil, "\(violations.first.map { "\($0)" } ?? "")")
        #expect(SingleThreadedSections.shared.settingOutsideSections == before)
    }
}
