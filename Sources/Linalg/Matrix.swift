/// A dense, column-major matrix of `Double`: the storage layout BLAS and LAPACK expect,
/// so every routine in this module passes `values` to them without copying.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Column-major storage: element (i, j) is `values[i + j * rows]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: value, count: rows * columns)
    }

    /// Wraps existing column-major values; the count must be `rows * columns`.
    public init(rows: Int, columns: Int, columnMajor values: [Double]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for a \(rows) x \(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Builds a matrix from rows given as arrays (convenient in tests and small problems).
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        var m = Matrix(rows: r, columns: c)
        for i in 0..<r {
            precondition(rowArrays[i].count == c, "Matrix: ragged rows")
            for j in 0..<c { m[i, j] = rowArrays[i][j] }
        }
        self = m
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { values[row + column * rows] }
        set { values[row + column * rows] = newValue }
    }

    /// The main diagonal.
    public var diagonal: [Double] {
        (0..<Swift.min(rows, columns)).map { self[$0, $0] }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }
}
