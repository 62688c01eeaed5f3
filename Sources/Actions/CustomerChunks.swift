import Foundation

/// Work over customers in fixed-size chunks on every core. Results come back in chunk order and
/// the chunks do not depend on the number of cores, so sums and lists are the same on every
/// machine and in every run.
enum CustomerChunks {
    static let defaultSize = 16_384

    /// `body` over `0..<count` in chunks of `size`, possibly at the same time; the results in chunk order.
    static func map<T>(_ count: Int, size: Int = CustomerChunks.defaultSize, _ body: (Range<Int>) -> T) -> [T] {
        let chunks = (count + size - 1) / size
        guard chunks > 1 else { return count == 0 ? [] : [body(0..<count)] }
        var results = [T?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                out[c] = body(c * size..<min(count, (c + 1) * size))
            }
        }
        return results.map { $0! }
    }

    /// The sum of `body` over the chunks, added in chunk order.
    static func sum(_ count: Int, _ body: (Range<Int>) -> Double) -> Double {
        map(count, body).reduce(0, +)
    }
}
