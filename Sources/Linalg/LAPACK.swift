import CLapack

/// Checked wrappers over the LAPACKE routines Klant uses. Every `info` != 0 becomes a throw.
public enum LAPACK {
    private static let upper = CChar(UInt8(ascii: "U"))

    /// Cholesky factor of a symmetric positive-definite matrix (dpotrf, upper: A = U^T U).
    /// Only the upper triangle of the result is meaningful.
    public static func cholesky(_ a: Matrix) throws -> Matrix {
        guard a.rows == a.columns else { throw LinalgError.dimension("cholesky: matrix is \(a.rows) x \(a.columns), not square") }
        var u = a
        let n = try lapackInt(a.rows)
        if n == 0 { return u }
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, upper, n, &u.values, n)
        try check(info, routine: "dpotrf", positive: { .notPositiveDefinite(order: $0) })
        return u
    }

    /// Solves A x = b for symmetric positive-definite A via Cholesky (dpotrf + dpotrs).
    public static func solvePositiveDefinite(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        let u = try cholesky(a)
        return try solveCholesky(factor: u, b)
    }

    /// Solves A x = b given A's upper Cholesky factor from `cholesky` (dpotrs).
    public static func solveCholesky(factor u: Matrix, _ b: [Double]) throws -> [Double] {
        guard u.rows == b.count else { throw LinalgError.dimension("potrs: \(u.rows) x \(u.rows) system with \(b.count) right-hand values") }
        var x = b
        let n = try lapackInt(u.rows)
        if n == 0 { return x }
        var values = u.values
        let info = LAPACKE_dpotrs(LAPACK_COL_MAJOR, upper, n, 1, &values, n, &x, n)
        try check(info, routine: "dpotrs", positive: { .singular(order: $0) })
        return x
    }

    /// Inverse of a symmetric positive-definite matrix (dpotrf + dpotri), full and symmetric.
    /// Used for standard errors from an observed information (Hessian) matrix.
    public static func inversePositiveDefinite(_ a: Matrix) throws -> Matrix {
        var u = try cholesky(a)
        let n = try lapackInt(a.rows)
        if n == 0 { return u }
        let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, upper, n, &u.values, n)
        try check(info, routine: "dpotri", positive: { .singular(order: $0) })
        BLAS.symmetrizeFromUpper(&u)
        return u
    }

    /// Solves a general square system A x = b by LU with partial pivoting (dgesv).
    public static func solve(_ a: Matrix, _ b: [Double]) throws -> [Double] {
        guard a.rows == a.columns, a.rows == b.count else {
            throw LinalgError.dimension("gesv: \(a.rows) x \(a.columns) system with \(b.count) right-hand values")
        }
        var lu = a.values
        var x = b
        let n = try lapackInt(a.rows)
        if n == 0 { return x }
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, n, 1, &lu, n, &pivots, &x, n)
        try check(info, routine: "dgesv", positive: { .singular(order: $0) })
        return x
    }

    /// Eigenvalues of a symmetric matrix in ascending order (dsyev); used to report conditioning.
    public static func symmetricEigenvalues(_ a: Matrix) throws -> [Double] {
        guard a.rows == a.columns else { throw LinalgError.dimension("syev: matrix is not square") }
        var values = a.values
        let n = try lapackInt(a.rows)
        var w = [Double](repeating: 0, count: a.rows)
        if n == 0 { return w }
        let info = LAPACKE_dsyev(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), upper, n, &values, n, &w)
        try check(info, routine: "dsyev", positive: { _ in .dimension("dsyev: eigenvalue iteration did not converge") })
        return w
    }

    private static func check(_ info: Int32, routine: String, positive: (Int) -> LinalgError) throws {
        if info < 0 { throw LinalgError.illegalArgument(routine: routine, argument: Int(-info)) }
        if info > 0 { throw positive(Int(info)) }
    }
}
