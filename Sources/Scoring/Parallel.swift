import CustomerData
import Foundation

/// `body(i)` for i in 0..<n over all cores, in order.
func parallelMap<Value>(_ n: Int, _ body: (Int) -> Value) -> [Value] {
    guard n > 0 else { return [] }
    return [Value](unsafeUninitializedCapacity: n) { buffer, initialized in
        nonisolated(unsafe) let b = buffer
        // Written in place by the cores that compute it: the result's pages are first touched in
        // parallel (page faults are a good part of the cost of a 1M-row column), not zeroed first.
        DispatchQueue.concurrentPerform(iterations: chunkCount(n)) { c in
            for i in chunk(c, of: n) { (b.baseAddress! + i).initialize(to: body(i)) }
        }
        initialized = n
    }
}

/// `columns` columns of n values made in one pass over all cores: `body(i, out)` stores row i's
/// value of column k at `out[k][i]` (one read of the inputs for several outputs; each column's
/// pages first touched by the cores that fill it, as in `parallelMap`).
func parallelColumns(_ n: Int, columns: Int, _ body: (Int, [UnsafeMutablePointer<Double>]) -> Void) -> [[Double]] {
    guard n > 0 else { return [[Double]](repeating: [], count: columns) }
    return uninitializedColumns(columns, count: n) { out in
        DispatchQueue.concurrentPerform(iterations: chunkCount(n)) { c in
            for i in chunk(c, of: n) { body(i, out) }
        }
    }
}

/// `try (0..<n).map(body)` for plain values, in chunks on all cores; of the rows that throw, the
/// error of the first is the one rethrown, as the serial map would.
func parallelTryMap<Value: BitwiseCopyable>(_ n: Int, _ body: (Int) throws -> Value) throws -> [Value] {
    guard n > 0 else { return [] }
    let chunks = chunkCount(n)
    var errors = [(row: Int, error: Error)?](repeating: nil, count: chunks)
    let values = [Value](unsafeUninitializedCapacity: n) { buffer, initialized in
        nonisolated(unsafe) let b = buffer
        errors.withUnsafeMutableBufferPointer { errorSlots in
            nonisolated(unsafe) let e = errorSlots
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in chunk(c, of: n) {
                    do { b[i] = try body(i) } catch { e[c] = (i, error); return }   // the chunk stops at its first error
                }
            }
        }
        initialized = n
    }
    if let first = errors.compactMap({ $0 }).min(by: { $0.row < $1.row }) { throw first.error }
    return values
}

/// Chunks of a parallel map: several per core, each at least 2,048 rows.
private func chunkCount(_ n: Int) -> Int { max(1, min(n / 2048, processorCount * 8)) }

/// The cores this process may use, asked once: Foundation reads two cgroup files on every call,
/// and `chunk` needs the count for every chunk.
private let processorCount = ProcessInfo.processInfo.activeProcessorCount

/// The rows of chunk `c` of `n` rows.
private func chunk(_ c: Int, of n: Int) -> Range<Int> {
    let chunks = chunkCount(n)
    return (n * c / chunks)..<(n * (c + 1) / chunks)
}

/// Runs `first` and `second` at the same time (one per core) and returns both results, or the
/// first one's error.
func concurrently<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    var a: Result<A, Error>?, b: Result<B, Error>?
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        if k == 0 { a = Result(catching: first) } else { b = Result(catching: second) }
    }
    return (try a!.get(), try b!.get())
}
