import Dispatch
import Foundation
import Linalg

/// One pass over the design that computes, at coefficients β, everything a Newton step needs:
/// the weighted negative log-likelihood, its gradient X^T w(y − p) and the information matrix
/// X^T W X with W = diag(w p (1 − p)).
///
/// Memory and speed: the design is read once per pass and never copied. The rows are split into
/// one block per thread (2 on this machine); each thread walks its block in chunks of a few
/// hundred rows, forms sqrt(W)·X for the chunk in a small preallocated buffer (it stays in the
/// core's cache), and accumulates the chunk's X^T W X with dsyrk (beta = 1) and the gradient with
/// dgemv on the design itself (offset pointer + the full leading dimension). The per-thread
/// results are summed at the end. Only `active` design columns enter the information matrix, so
/// dropping collinear columns needs no copy either (their coefficients are held at 0).
final class IRLSPass {
    let x: UnsafePointer<Double>
    let rows: Int
    let columns: Int
    let active: [Int]
    let y: [Double]
    let weights: [Double]?
    let blocks: [Range<Int>]
    let chunk: Int

    // Per-thread workspaces, allocated once and reused by every pass. Raw pointers (not arrays in
    // properties) so that threads writing their own workspace never touch shared Swift storage.
    private let chunkX: [UnsafeMutablePointer<Double>]        // chunk x active, column-major: sqrt(W)·X
    private let chunkEta: [UnsafeMutablePointer<Double>]      // η, then sqrt(W), of the chunk rows
    private let chunkResidual: [UnsafeMutablePointer<Double>] // w (y − p) of the chunk rows
    private let partialHessian: [UnsafeMutablePointer<Double>]
    private let partialGradient: [UnsafeMutablePointer<Double>]
    private let partialObjective: UnsafeMutablePointer<Double>
    private let partialPerfect: UnsafeMutablePointer<Int>
    private let partialMisclassified: UnsafeMutablePointer<Int>
    private let partialSampledRows: UnsafeMutablePointer<Int>

    /// Results of the last pass.
    private(set) var objective = 0.0          // −Σ w log-likelihood (no penalty)
    private(set) var gradient: [Double] = []  // ∂ log-likelihood / ∂β over all columns
    private(set) var hessian = Matrix(rows: 0, columns: 0) // X^T W X over the active columns
    /// Rows whose fitted probability equals their label to 1e-6 (a sign of separation).
    private(set) var perfectlyPredicted = 0
    /// Rows (of positive weight) on the wrong side of η = 0; zero means the classes are separated.
    private(set) var misclassified = 0

    /// `x` must stay valid for the life of the pass object; `weights` (if any) has one entry per row.
    init(x: UnsafePointer<Double>, rows: Int, columns: Int, active: [Int], y: [Double], weights: [Double]?,
         threads: Int, chunk: Int = 512) {
        self.x = x; self.rows = rows; self.columns = columns; self.active = active
        self.y = y; self.weights = weights; self.chunk = chunk
        blocks = BLAS.rowBlocks(rows: rows, parts: max(1, threads))
        let t = max(1, blocks.count)
        let k = active.count
        func buffers(_ count: Int) -> [UnsafeMutablePointer<Double>] {
            (0..<t).map { _ in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
                p.initialize(repeating: 0, count: max(1, count))
                return p
            }
        }
        chunkX = buffers(chunk * k)
        chunkEta = buffers(chunk)
        chunkResidual = buffers(chunk)
        partialHessian = buffers(k * k)
        partialGradient = buffers(columns)
        partialObjective = .allocate(capacity: t)
        partialObjective.initialize(repeating: 0, count: t)
        partialPerfect = .allocate(capacity: t)
        partialPerfect.initialize(repeating: 0, count: t)
        partialMisclassified = .allocate(capacity: t)
        partialMisclassified.initialize(repeating: 0, count: t)
        partialSampledRows = .allocate(capacity: t)
        partialSampledRows.initialize(repeating: 0, count: t)
    }

    deinit {
        for p in chunkX + chunkEta + chunkResidual + partialHessian + partialGradient { p.deallocate() }
        partialObjective.deallocate()
        partialPerfect.deallocate()
        partialSampledRows.deallocate()
        partialMisclassified.deallocate()
    }

    /// Runs the pass at `beta` (one value per design column; inactive columns must be 0).
    /// With `withHessian: false` only the objective is computed (about half the work).
    /// With `sampleStride` s > 1 only every s-th chunk of rows is read and the objective, gradient
    /// and information matrix are scaled up by rows / sampled rows (the warm start of
    /// `LogisticOptions.subsampleHessian`).
    func run(beta: [Double], withHessian: Bool = true, sampleStride: Int = 1) throws {
        let errors = ErrorBox()
        let k = active.count
        let t = blocks.count
        nonisolated(unsafe) let me = self
        // Our threads each call BLAS on small chunks; OpenBLAS's own pool would only compete with them.
        BLAS.withSingleThreadedBLAS {
            DispatchQueue.concurrentPerform(iterations: t) { i in
                do { try me.runBlock(i, beta: beta, withHessian: withHessian, stride: max(1, sampleStride)) } catch { errors.record(error) }
            }
        }
        if let error = errors.first { throw error }
        let sampled = (0..<t).reduce(0) { $0 + partialSampledRows[$1] }
        let scale = Double(rows) / Double(max(1, sampled))
        objective = (0..<t).reduce(0) { $0 + partialObjective[$1] } * scale
        perfectlyPredicted = (0..<t).reduce(0) { $0 + partialPerfect[$1] }
        misclassified = (0..<t).reduce(0) { $0 + partialMisclassified[$1] }
        guard withHessian else { return }
        gradient = [Double](repeating: 0, count: columns)
        for g in partialGradient.prefix(t) { for j in 0..<columns { gradient[j] += g[j] * scale } }
        hessian = Matrix(rows: k, columns: k)
        for h in partialHessian.prefix(t) { for i in 0..<(k * k) { hessian.values[i] += h[i] * scale } }
        BLAS.symmetrizeFromUpper(&hessian)
    }

    private func runBlock(_ t: Int, beta: [Double], withHessian: Bool, stride: Int) throws {
        let block = blocks[t]
        let k = active.count
        let bx = chunkX[t], eta = chunkEta[t], res = chunkResidual[t], h = partialHessian[t], g = partialGradient[t]
        if withHessian {
            h.update(repeating: 0, count: k * k)
            g.update(repeating: 0, count: columns)
        }
        var objective = 0.0
        var perfect = 0
        var wrong = 0
        var sampled = 0
        var chunkNumber = 0
        try beta.withUnsafeBufferPointer { b in
        try y.withUnsafeBufferPointer { yy in
        try (weights ?? []).withUnsafeBufferPointer { ww in
            let hasWeights = weights != nil
            var start = block.lowerBound
            while start < block.upperBound {
                let m = min(chunk, block.upperBound - start)
                chunkNumber += 1
                if (chunkNumber - 1) % stride != 0 { start += m; continue }
                sampled += m
                let xBlock = x + start
                // η = X β for the chunk.
                try BLAS.multiply(rows: m, columns: columns, values: xBlock, leadingDimension: rows, transposed: false,
                                  x: b.baseAddress!, into: eta)
                for r in 0..<m {
                    let e = eta[r]
                    let yi = yy[start + r]
                    let w = hasWeights ? ww[start + r] : 1
                    // −log-likelihood of one row: log(1 + exp(η)) − y η, computed without overflow.
                    let ex = exp(-abs(e))
                    // log(1 + ex) rather than log1p(ex): twice as fast, and for ex < 1e-16 the
                    // absolute error (≤ 1.1e-16 per row) is far below what the step test resolves.
                    objective += w * (max(e, 0) + log(1 + ex) - yi * e)
                    let p = e >= 0 ? 1 / (1 + ex) : ex / (1 + ex)
                    if w > 0 {
                        if abs(yi - p) < 1e-6 { perfect += 1 }
                        if (e > 0) != (yi == 1) { wrong += 1 }
                    }
                    res[r] = w * (yi - p)
                    // sqrt(w p (1 − p)), with p (1 − p) = ex / (1 + ex)^2.
                    eta[r] = (w * ex).squareRoot() / (1 + ex)
                }
                if withHessian {
                    // Gradient: g += X_chunk^T r (on the design itself: offset pointer, full leading dimension).
                    try BLAS.multiply(rows: m, columns: columns, values: xBlock, leadingDimension: rows, transposed: true,
                                      x: UnsafePointer(res), alpha: 1, into: g, beta: 1)
                    // sqrt(W) X of the active columns into the chunk buffer, then H += (sqrt(W) X)^T (sqrt(W) X) by dsyrk.
                    for (a, j) in active.enumerated() {
                        let src = xBlock + j * rows
                        let dst = bx + a * m
                        for r in 0..<m { dst[r] = eta[r] * src[r] }
                    }
                    try BLAS.gram(rows: m, columns: k, values: UnsafePointer(bx), leadingDimension: m,
                                  alpha: 1, into: h, beta: 1)
                }
                start += m
            }
        }
        }
        }
        partialObjective[t] = objective
        partialPerfect[t] = perfect
        partialMisclassified[t] = wrong
        partialSampledRows[t] = sampled
    }
}
