import Foundation

/// Why a nightly run stopped, with the exit code a scheduler acts on (documented in `klant rescore --help`).
public struct RescoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Int32, Sendable {
        /// Something failed while running (exit 1).
        case failed = 1
        /// Bad config or input, found before anything was written (exit 2).
        case badInput = 2
        /// Another run holds the lock (exit 3).
        case locked = 3
        /// A quality gate stopped the run before publishing (exit 4).
        case gate = 4
    }

    public var kind: Kind
    public var message: String
    /// The gate that stopped the run, when `kind == .gate`.
    public var gate: String?

    public init(_ kind: Kind, _ message: String, gate: String? = nil) {
        self.kind = kind
        self.message = message
        self.gate = gate
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }
}
