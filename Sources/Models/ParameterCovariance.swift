import Foundation
import Linalg

/// The covariance matrix of a model's parameter estimates as stored in its model file: the names
/// in parameter order and the matrix row by row, so CLV intervals (parameter draws or the delta
/// method) can be computed from the file alone. For a penalised fit it is the inverse of the
/// penalised observed information.
public struct ParameterCovariance: Codable, Equatable, Sendable {
    /// Parameter names, in the order of the rows and columns.
    public var names: [String]
    /// Row-major: `rows[i][j]` is Cov(θ_i, θ_j).
    public var rows: [[Double]]

    /// Wraps a square matrix whose rows and columns follow `names`; nil unless it is square, of
    /// matching size and finite (JSON has no NaN).
    public init?(names: [String], matrix: Matrix) {
        guard matrix.rows == names.count, matrix.columns == names.count,
              matrix.values.allSatisfy(\.isFinite) else { return nil }
        self.names = names
        rows = (0..<matrix.rows).map { i in (0..<matrix.columns).map { j in matrix[i, j] } }
    }

    /// The covariance as a `Linalg.Matrix` (for Cholesky factors and draws).
    public var matrix: Matrix { Matrix(rows) }

    /// Cov(θ_a, θ_b) by parameter names, nil for an unknown name.
    public func value(_ a: String, _ b: String) -> Double? {
        guard let i = names.firstIndex(of: a), let j = names.firstIndex(of: b) else { return nil }
        return rows[i][j]
    }

    enum CodingKeys: String, CodingKey { case names, rows = "matrix" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        names = try c.decode([String].self, forKey: .names)
        rows = try c.decode([[Double]].self, forKey: .rows)
        guard rows.count == names.count, rows.allSatisfy({ $0.count == names.count }) else {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: c,
                debugDescription: "the covariance matrix must be \(names.count) x \(names.count), one row and column per parameter")
        }
    }
}

extension MaximumLikelihoodFit {
    /// The fit's covariance with parameter names, as written to model files (nil when unavailable).
    public var parameterCovariance: ParameterCovariance? {
        covariance.flatMap { ParameterCovariance(names: parameters.map(\.name), matrix: $0) }
    }
}
