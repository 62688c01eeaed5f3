/// A BLAS/LAPACK call that could not do its job. LAPACK's `info` is turned into a throw,
/// never an `assert` (asserts vanish in release builds).
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    /// LAPACK rejected argument number `argument` of `routine` (info < 0): a programming error.
    case illegalArgument(routine: String, argument: Int)
    /// The matrix is not positive definite: the leading minor of order `order` is not positive.
    case notPositiveDefinite(order: Int)
    /// The matrix is exactly singular: U(order, order) is zero.
    case singular(order: Int)
    /// A dimension does not fit LAPACK's 32-bit integers or the operands do not conform.
    case dimension(String)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, argument):
            return "\(routine): illegal value in argument \(argument)"
        case let .notPositiveDefinite(order):
            return "matrix is not positive definite (leading minor of order \(order) is not positive)"
        case let .singular(order):
            return "matrix is singular (zero pivot at position \(order))"
        case let .dimension(message):
            return message
        }
    }
}

/// Converts a size to BLAS/LAPACK's 32-bit integer, throwing instead of trapping or truncating.
@inlinable
func lapackInt(_ n: Int) throws -> Int32 {
    guard let v = Int32(exactly: n) else {
        throw LinalgError.dimension("size \(n) does not fit a 32-bit LAPACK integer")
    }
    return v
}
