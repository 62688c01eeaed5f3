import Linalg

/// Finds design columns that are linear combinations of earlier columns, from a Gram matrix
/// G = X^T W X (any positive weights; the first Newton pass provides one for free).
///
/// Method: a Cholesky factorisation of the correlation form D^{-1/2} G D^{-1/2} taken column by
/// column in design order (a "greedy" rank-revealing Cholesky, cf. Golub & Van Loan §5.4.2 with a
/// fixed pivot order). Column j is dependent when its squared residual after projecting on the
/// columns kept so far is below `tolerance` (1 − R² of column j on the kept columns; 1e-9 means
/// R² > 0.999999999, i.e. numerically exact). Keeping the design order means that the column
/// reported is the later one (a `*_No internet service` dummy, not `InternetService_No`), which
/// reads naturally. The combination is found by solving the kept block of G.
enum Collinearity {
    struct Result {
        var kept: [Int]
        var dependent: [(column: Int, combination: [(Int, Double)])]
    }

    static func check(gram g: Matrix, tolerance: Double = 1e-9) -> Result {
        let n = g.rows
        var scale = [Double](repeating: 0, count: n)
        for j in 0..<n { scale[j] = g[j, j] > 0 ? 1 / g[j, j].squareRoot() : 0 }
        // L is the Cholesky factor of the kept columns' correlation block, stored by kept index.
        var kept: [Int] = []
        var l: [[Double]] = []   // l[a] = row a of L (length a + 1), over kept columns
        var dependent: [(Int, [(Int, Double)])] = []
        for j in 0..<n {
            if scale[j] == 0 { dependent.append((j, [])); continue } // an all-zero column
            // Solve L v = c where c = correlations of column j with the kept columns.
            var v = [Double](repeating: 0, count: kept.count)
            for a in 0..<kept.count {
                var s = g[kept[a], j] * scale[kept[a]] * scale[j]
                for b in 0..<a { s -= l[a][b] * v[b] }
                v[a] = s / l[a][a]
            }
            let residual = 1 - v.reduce(0) { $0 + $1 * $1 }
            if residual < tolerance {
                // Combination weights on the original scale: solve L^T u = v, then undo the scaling.
                var u = [Double](repeating: 0, count: kept.count)
                for a in stride(from: kept.count - 1, through: 0, by: -1) {
                    var s = v[a]
                    for b in (a + 1)..<max(a + 1, kept.count) { s -= l[b][a] * u[b] }
                    u[a] = s / l[a][a]
                }
                var combination: [(Int, Double)] = []
                for a in 0..<kept.count {
                    let w = u[a] * scale[kept[a]] / scale[j]
                    if abs(w) > 1e-7 { combination.append((kept[a], (w * 1e6).rounded() / 1e6)) }
                }
                dependent.append((j, combination))
            } else {
                l.append(v + [residual.squareRoot()])
                kept.append(j)
            }
        }
        return Result(kept: kept, dependent: dependent.map { (column: $0.0, combination: $0.1) })
    }
}
