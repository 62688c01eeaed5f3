import CLapack
import Dispatch
import Foundation

/// Row-block helpers over raw column-major storage: they let a caller work on a block of rows of a
/// tall matrix (an offset pointer plus the full matrix's leading dimension) without copying it, and
/// split a tall-skinny X^T X over threads (OpenBLAS does not split a tall-skinny dsyrk itself).
extension BLAS {
    /// y = alpha * op(A) x + beta * y on raw storage (dgemv). `a` points at element (0, 0) of an
    /// rows x columns block whose columns are `leadingDimension` apart.
    public static func multiply(rows: Int, columns: Int, values a: UnsafePointer<Double>, leadingDimension: Int,
                                transposed: Bool, x: UnsafePointer<Double>, alpha: Double = 1,
                                into y: UnsafeMutablePointer<Double>, beta: Double = 0) throws {
        let m = try lapackInt(rows), n = try lapackInt(columns), lda = try lapackInt(Swift.max(1, leadingDimension))
        if rows == 0 || columns == 0 {
            let count = transposed ? columns : rows
            for i in 0..<count { y[i] *= beta }
            return
        }
        cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, 1, beta, y, 1)
    }

    /// Splits `0..<rows` into `parts` contiguous blocks of nearly equal size (the first blocks get
    /// the extra rows). Empty blocks are omitted.
    public static func rowBlocks(rows: Int, parts: Int) -> [Range<Int>] {
        let p = Swift.max(1, parts)
        var blocks: [Range<Int>] = []
        var start = 0
        for k in 0..<p {
            let size = rows / p + (k < rows % p ? 1 : 0)
            if size > 0 { blocks.append(start..<(start + size)) }
            start += size
        }
        return blocks
    }

    /// X^T X of a column-major matrix with its rows split over `threads` threads: each thread runs
    /// dsyrk on its row block (offset pointer, the full leading dimension, no copy) into its own
    /// result, and the partial results are summed. Returns the full symmetric matrix.
    public static func parallelGram(_ x: Matrix, threads: Int = 2) throws -> Matrix {
        let n = x.columns
        let blocks = rowBlocks(rows: x.rows, parts: threads)
        var c = Matrix(rows: n, columns: n)
        if n == 0 || blocks.isEmpty { return c }
        // One n x n partial result per block, side by side in one buffer.
        var partials = [Double](repeating: 0, count: blocks.count * n * n)
        let failures = ErrorBox()
        x.values.withUnsafeBufferPointer { xp in
            partials.withUnsafeMutableBufferPointer { pp in
                nonisolated(unsafe) let xBase = xp.baseAddress!
                nonisolated(unsafe) let pBase = pp.baseAddress!
                withSingleThreadedBLAS {
                    DispatchQueue.concurrentPerform(iterations: blocks.count) { k in
                        let block = blocks[k]
                        do {
                            try gram(rows: block.count, columns: n, values: xBase + block.lowerBound, leadingDimension: x.rows,
                                     alpha: 1, into: pBase + k * n * n, beta: 0)
                        } catch { failures.record(error) }
                    }
                }
            }
        }
        if let error = failures.first { throw error }
        for k in 0..<blocks.count { for i in 0..<(n * n) { c.values[i] += partials[k * n * n + i] } }
        symmetrizeFromUpper(&c)
        return c
    }
}

/// Collects the first error thrown by concurrent blocks.
public final class ErrorBox: @unchecked Sendable {
    private let queue = DispatchQueue(label: "klant.linalg.errorbox")
    private var stored: Error?
    public init() {}
    public func record(_ error: Error) { queue.sync { if stored == nil { stored = error } } }
    public var first: Error? { queue.sync { stored } }
}

extension BLAS {
    /// Runs `body` with OpenBLAS limited to one thread, restoring the previous setting after.
    /// Use it around code that calls BLAS from several threads of its own: OpenBLAS would otherwise
    /// split even small calls over its own thread pool, and the two pools fight for the cores.
    /// (Calls from other threads of the process during `body` are single-threaded as well.)
    ///
    /// OpenBLAS's thread count is one setting for the whole process, so overlapping sections (a
    /// scheduler scoring in parallel, tests) share it: the first to enter saves and lowers it, the
    /// last to leave restores it, instead of one section restoring it while another still runs.
    public static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
        SingleThreadedSections.shared.enter()
        defer { SingleThreadedSections.shared.leave() }
        return try body()
    }
}

extension BLAS {
    /// OpenBLAS's current thread count (process-wide).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Runs every later BLAS/LAPACK call on the thread that makes it, and stops OpenBLAS's pool.
    /// OpenBLAS starts the pool while it is loaded, and its threads spin (sched_yield) for about
    /// 2^28 cycles before they sleep; Klant parallelises its own passes and its BLAS calls are small,
    /// so on two cores the spinning only took a core from them (a BG/NBD fit on 1M customers:
    /// 0.185 s wall and 0.31 s CPU with the pool, 0.14 s and 0.21 s without). The `klant` command
    /// and the benchmarks call this first; `OPENBLAS_NUM_THREADS` set by the user is kept.
    public static func useCallingThreadsOnly() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
}

/// The count of running `withSingleThreadedBLAS` sections and the thread setting they replaced.
final class SingleThreadedSections: @unchecked Sendable {
    static let shared = SingleThreadedSections()
    private let lock = NSLock()
    private var running = 0
    private var saved: Int32 = 1

    func enter() {
        lock.lock(); defer { lock.unlock() }
        if running == 0 {
            saved = openblas_get_num_threads()
            if saved != 1 { openblas_set_num_threads(1) }
        }
        running += 1
    }

    func leave() {
        lock.lock(); defer { lock.unlock() }
        running -= 1
        if running == 0 && saved != 1 { openblas_set_num_threads(saved) }
    }

    /// The thread count outside every section: the saved one while sections run, else the current one.
    var settingOutsideSections: Int {
        lock.lock(); defer { lock.unlock() }
        return Int(running > 0 ? saved : openblas_get_num_threads())
    }
}
