import CLapack

/// Thin, checked wrappers over the CBLAS routines Klant uses.
public enum BLAS {
    /// C = alpha * A^T A + beta * C for the upper triangle and mirrored to the lower one (dsyrk).
    /// `a` is rows x n; the result is n x n. The workhorse of X^T W X in IRLS.
    public static func gram(_ a: Matrix, alpha: Double = 1, accumulatingInto c: inout Matrix, beta: Double = 0) throws {
        guard c.rows == a.columns, c.columns == a.columns else {
            throw LinalgError.dimension("gram: result is \(c.rows) x \(c.columns), expected \(a.columns) x \(a.columns)")
        }
        try gram(rows: a.rows, columns: a.columns, values: a.values, leadingDimension: a.rows, alpha: alpha, into: &c.values, beta: beta)
        symmetrizeFromUpper(&c)
    }

    /// dsyrk on raw column-major storage (upper triangle only): lets callers pass a row block
    /// of a larger matrix (offset pointer + leading dimension) without copying it.
    public static func gram(rows: Int, columns: Int, values: UnsafePointer<Double>, leadingDimension: Int,
                            alpha: Double, into c: UnsafeMutablePointer<Double>, beta: Double) throws {
        let n = try lapackInt(columns), k = try lapackInt(rows), lda = try lapackInt(Swift.max(1, leadingDimension))
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, n, k, alpha, values, lda, beta, c, Swift.max(1, n))
    }

    /// dsyrk over arrays (upper triangle only).
    public static func gram(rows: Int, columns: Int, values: [Double], leadingDimension: Int,
                            alpha: Double, into c: inout [Double], beta: Double) throws {
        try values.withUnsafeBufferPointer { vp in
            try c.withUnsafeMutableBufferPointer { cp in
                try gram(rows: rows, columns: columns, values: vp.baseAddress!, leadingDimension: leadingDimension,
                         alpha: alpha, into: cp.baseAddress!, beta: beta)
            }
        }
    }

    /// y = alpha * op(A) x + beta * y (dgemv); `transposed` selects A^T.
    public static func multiply(_ a: Matrix, _ x: [Double], transposed: Bool = false, alpha: Double = 1,
                                accumulatingInto y: inout [Double], beta: Double = 0) throws {
        let (outCount, inCount) = transposed ? (a.columns, a.rows) : (a.rows, a.columns)
        guard x.count == inCount, y.count == outCount else {
            throw LinalgError.dimension("gemv: \(a.rows) x \(a.columns)\(transposed ? "^T" : "") times vector of \(x.count) into \(y.count)")
        }
        if a.rows == 0 || a.columns == 0 {
            for i in y.indices { y[i] *= beta }
            return
        }
        let m = try lapackInt(a.rows), n = try lapackInt(a.columns)
        cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, m, n, alpha, a.values, m, x, 1, beta, &y, 1)
    }

    /// A x as a new vector.
    public static func multiply(_ a: Matrix, _ x: [Double], transposed: Bool = false) throws -> [Double] {
        var y = [Double](repeating: 0, count: transposed ? a.columns : a.rows)
        try multiply(a, x, transposed: transposed, accumulatingInto: &y)
        return y
    }

    /// C = op(A) op(B) (dgemm).
    public static func multiply(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) throws -> Matrix {
        let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard ka == kb else { throw LinalgError.dimension("gemm: inner dimensions \(ka) and \(kb) differ") }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || ka == 0 { return c }
        cblas_dgemm(CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    try lapackInt(m), try lapackInt(n), try lapackInt(ka), 1, a.values, try lapackInt(Swift.max(1, a.rows)),
                    b.values, try lapackInt(Swift.max(1, b.rows)), 0, &c.values, try lapackInt(Swift.max(1, m)))
        return c
    }

    /// Copies the upper triangle onto the lower one.
    public static func symmetrizeFromUpper(_ c: inout Matrix) {
        for j in 0..<c.columns { for i in (j + 1)..<Swift.max(j + 1, c.rows) { c[i, j] = c[j, i] } }
    }
}
