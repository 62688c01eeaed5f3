import Foundation

/// A value computed on another core while the caller goes on (e.g. a sidecar encoded while its table
/// is written); `value()` waits for it and rethrows its error.
public final class BackgroundResult<Value>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: Result<Value, Error>?

    public init(_ make: @escaping () throws -> Value) {
        DispatchQueue.global().async(group: done) { self.result = Result { try make() } }
    }

    public func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
