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
    /// Columns handed to dsyrk: the active ones plus zero columns up to `paddedWidth(active.count)`.
    let width: Int

    // Per-thread workspaces, allocated once and reused by every pass. Raw pointers (not arrays in
    // properties) so that threads writing their own workspace never touch shared Swift storage.
    private let chunkX: [UnsafeMutablePointer<Double>]        // chunk x width, column-major: sqrt(W)·X, then zero columns
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
        width = IRLSPass.paddedWidth(k)
        func buffers(_ count: Int) -> [UnsafeMutablePointer<Double>] {
            (0..<t).map { _ in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
                p.initialize(repeating: 0, count: max(1, count))
                return p
            }
        }
        chunkX = buffers(chunk * width)
        chunkEta = buffers(chunk)
        chunkResidual = buffers(chunk)
        partialHessian = buffers(width * width)
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
    /// With `withHessian: false` only the objective and the gradient are computed: two dgemv over
    /// the design and no dsyrk, about a third of the full pass.
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
        gradient = [Double](repeating: 0, count: columns)
        for g in partialGradient.prefix(t) { for j in 0..<columns { gradient[j] += g[j] * scale } }
        guard withHessian else { return }
        hessian = Matrix(rows: k, columns: k)
        for h in partialHessian.prefix(t) {
            for j in 0..<k { for i in 0...j { hessian[i, j] += h[i + j * width] * scale } }
        }
        BLAS.symmetrizeFromUpper(&hessian)
    }

    private func runBlock(_ t: Int, beta: [Double], withHessian: Bool, stride: Int) throws {
        let block = blocks[t]
        let k = active.count
        let bx = chunkX[t], eta = chunkEta[t], res = chunkResidual[t], h = partialHessian[t], g = partialGradient[t]
        if withHessian { h.update(repeating: 0, count: width * width) }
        g.update(repeating: 0, count: columns)
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
                let terms = hasWeights
                    ? IRLSPass.weightedRowTerms(eta: eta, y: yy.baseAddress! + start, weights: ww.baseAddress! + start, count: m, residual: res)
                    : IRLSPass.rowTerms(eta: eta, y: yy.baseAddress! + start, count: m, residual: res, hessianWeights: withHessian)
                objective += terms.objective
                perfect += terms.perfect
                wrong += terms.misclassified
                // Gradient: g += X_chunk^T r (on the design itself: offset pointer, full leading dimension;
                // the chunk is still in cache from the η product).
                try BLAS.multiply(rows: m, columns: columns, values: xBlock, leadingDimension: rows, transposed: true,
                                  x: UnsafePointer(res), alpha: 1, into: g, beta: 1)
                if withHessian {
                    // sqrt(W) X of the active columns into the chunk buffer (then the zero padding columns),
                    // and H += (sqrt(W) X)^T (sqrt(W) X) by dsyrk.
                    for (a, j) in active.enumerated() {
                        let src = xBlock + j * rows
                        let dst = bx + a * m
                        for r in 0..<m { dst[r] = eta[r] * src[r] }
                    }
                    (bx + k * m).update(repeating: 0, count: (width - k) * m)
                    try BLAS.gram(rows: m, columns: width, values: UnsafePointer(bx), leadingDimension: m,
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

    /// The number of columns to hand dsyrk for `k` active columns. OpenBLAS's Zen/Haswell dgemm
    /// kernel works on 4 x 8 tiles, and a width 5-7 above a multiple of 8 runs its slow edge code:
    /// measured on 512-row chunks (one thread, per 1,000,000 rows) k = 31 takes 59 ms but k = 32
    /// 42 ms, 38 takes 70 ms but 40 59 ms, 47 takes 104 ms but 48 80 ms, while 33-36 are no slower
    /// than 40. So such widths are padded with zero columns to the next multiple of 8.
    static func paddedWidth(_ k: Int) -> Int {
        k % 8 >= 5 ? (k / 8 + 1) * 8 : k
    }

    /// The per-row part of a pass for unit weights. On entry `eta` holds η = x_i β; on return
    /// `residual` holds y − p and, with `hessianWeights`, `eta` holds sqrt(p (1 − p)), with
    /// p = 1 / (1 + exp(−η)).
    /// Returns the rows' −log-likelihood Σ log(1 + exp(η)) − y η and the separation counts.
    ///
    /// log(1 + exp(η)) = max(η, 0) + log(1 + e^{−|η|}); the logs are summed as the log of a product
    /// over blocks of 512 rows (each factor is in (1, 2], so the product stays below 2^512): one log
    /// per block instead of one per row, with the same rounding (≈ 512 products of relative error
    /// 1.1e-16 each, like 512 separately rounded logs).
    static func rowTerms(eta: UnsafeMutablePointer<Double>, y: UnsafePointer<Double>, count: Int,
                         residual: UnsafeMutablePointer<Double>, hessianWeights: Bool = true) -> (objective: Double, perfect: Int, misclassified: Int) {
        var objective = 0.0
        var perfect = 0
        var wrong = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + 512)
            var product = 1.0
            for r in blockStart..<blockEnd {
                let e = eta[r]
                let yi = y[r]
                let ex = exp(-abs(e))
                let onePlus = 1 + ex
                let inverse = 1 / onePlus
                let p = e >= 0 ? inverse : ex * inverse
                product *= onePlus
                objective += max(e, 0) - yi * e
                perfect &+= abs(yi - p) < 1e-6 ? 1 : 0
                wrong &+= (e > 0) != (yi == 1) ? 1 : 0
                residual[r] = yi - p
                if hessianWeights { eta[r] = ex.squareRoot() * inverse }  // sqrt(p (1 − p)) = sqrt(e^{−|η|}) / (1 + e^{−|η|})
            }
            objective += log(product)
            blockStart = blockEnd
        }
        return (objective, perfect, wrong)
    }

    /// `rowTerms` with sample weights: residual w (y − p), `eta` sqrt(w p (1 − p)), objective
    /// Σ w (log(1 + exp(η)) − y η); rows of weight 0 are not counted for separation.
    static func weightedRowTerms(eta: UnsafeMutablePointer<Double>, y: UnsafePointer<Double>, weights: UnsafePointer<Double>,
                                 count: Int, residual: UnsafeMutablePointer<Double>) -> (objective: Double, perfect: Int, misclassified: Int) {
        var objective = 0.0
        var perfect = 0
        var wrong = 0
        for r in 0..<count {
            let e = eta[r]
            let yi = y[r]
            let w = weights[r]
            let ex = exp(-abs(e))
            // log(1 + ex) rather than log1p(ex): twice as fast, and for ex < 1e-16 the
            // absolute error (≤ 1.1e-16 per row) is far below what the step test resolves.
            objective += w * (max(e, 0) + log(1 + ex) - yi * e)
            let p = e >= 0 ? 1 / (1 + ex) : ex / (1 + ex)
            if w > 0 {
                if abs(yi - p) < 1e-6 { perfect += 1 }
                if (e > 0) != (yi == 1) { wrong += 1 }
            }
            residual[r] = w * (yi - p)
            eta[r] = (w * ex).squareRoot() / (1 + ex)
        }
        return (objective, perfect, wrong)
    }
}
