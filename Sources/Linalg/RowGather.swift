import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Matrix {
    /// The rows at `indices` (in that order) as a new column-major matrix: the design of one arm or
    /// fold. The copy is written straight into fresh memory (no zero fill first), backed by 2 MB pages
    /// where the system allows it (for a 100 MB design most of the cost is otherwise page faults),
    /// one block of columns per core.
    public func gatheringRows(_ indices: [Int]) -> Matrix {
        var storage: [Double] = []
        return gatheringRows(indices, reusing: &storage)
    }

    /// As `gatheringRows(_:)`, writing into `storage` when it already holds at least as many values
    /// (its memory is reused: no fresh pages to fault in and zero), else into a new allocation that
    /// `storage` then keeps. Gather the largest subset first to allocate once. The returned matrix
    /// shares `storage` until either is changed; release the matrix before the next call.
    public func gatheringRows(_ indices: [Int], reusing storage: inout [Double]) -> Matrix {
        let m = indices.count, n = columns
        precondition(indices.allSatisfy { $0 >= 0 && $0 < rows }, "gatheringRows: a row index outside 0..<\(rows)")
        let count = m * n
        if storage.count >= count {
            storage.removeLast(storage.count - count)
            storage.withUnsafeMutableBufferPointer { out in gather(indices, into: out.baseAddress) }
        } else {
            storage = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let out = buffer.baseAddress, count > 0 { Self.adviseHugePages(out, count: count) }
                gather(indices, into: buffer.baseAddress)
                initialized = count
            }
        }
        return Matrix(rows: m, columns: n, columnMajor: storage)
    }

    /// Writes the rows at `indices`, column by column, to `out` (one block of columns per core).
    private func gather(_ indices: [Int], into out: UnsafeMutablePointer<Double>?) {
        guard let out, !indices.isEmpty, columns > 0 else { return }
        let m = indices.count, n = columns, source = rows
        values.withUnsafeBufferPointer { x in
            indices.withUnsafeBufferPointer { rowsAt in
                let src = x.baseAddress!, at = rowsAt.baseAddress!
                let workers = m * n >= 1 << 20 ? min(n, 2) : 1
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    for j in stride(from: w, to: n, by: workers) {
                        let column = src + j * source, target = out + j * m
                        for r in 0..<m { target[r] = column[at[r]] }
                    }
                }
            }
        }
    }

    /// Asks for transparent huge pages on the 2 MB-aligned part of a large fresh allocation (Linux;
    /// a no-op elsewhere or when the system does not grant them).
    static func adviseHugePages(_ pointer: UnsafeMutablePointer<Double>, count: Int) {
        #if os(Linux)
        let page = 1 << 21
        let start = (Int(bitPattern: pointer) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: pointer) + count * MemoryLayout<Double>.stride) & ~(page - 1)
        if end - start >= page, let raw = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(raw, end - start, Int32(MADV_HUGEPAGE))
        }
        #endif
    }
}
