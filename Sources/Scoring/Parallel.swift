import Foundation

/// `body(i)` for i in 0..<n over all cores, in order.
func parallelMap<Value>(_ n: Int, _ body: (Int) -> Value) -> [Value] {
    guard n > 0 else { return [] }
    var out = [Value](repeating: body(0), count: n)
    out.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let b = buffer
        let chunks = max(1, min(n / 2048, ProcessInfo.processInfo.activeProcessorCount * 8))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (n * c / chunks)..<(n * (c + 1) / chunks) { b[i] = body(i) }
        }
    }
    return out
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
