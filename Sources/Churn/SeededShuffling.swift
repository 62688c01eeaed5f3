import Models

/// Integer draws and permutations on top of `Models.SeededGenerator` (SplitMix64, Steele, Lea &
/// Flood 2014), so holdout splits and cross-validation folds are reproducible across runs and
/// platforms (Swift's `SystemRandomNumberGenerator` cannot be seeded, and `Int.random(in:using:)`
/// does not promise a fixed algorithm).
///
/// The draws are exactly those of the private SplitMix64 this module used before: the same seed
/// gives the same split as before, so documented holdout results still hold.
extension SeededGenerator {
    /// A uniform integer in 0..<bound without modulo bias (rejection of the top partial block).
    /// `bound` must be positive; a non-positive bound returns 0 without drawing (callers never pass one).
    mutating func nextInt(below bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// A Fisher-Yates permutation of 0..<n.
    mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<max(0, n))
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            p.swapAt(i, j)
        }
        return p
    }
}
