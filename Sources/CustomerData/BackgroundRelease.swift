import CSystemCalls
import Foundation

/// Frees big values on another core while this one goes on, e.g. with the fsync and rename that
/// publish an export: the memory of a scored million-customer base (about 200 MB) is handed back to
/// the kernel there, instead of being torn down page by page on one core when the process exits.
/// Give it the last reference to a value (the caller keeps none), then `wait()` before the end of
/// the command.
public final class BackgroundRelease: @unchecked Sendable {
    private let done = DispatchGroup()

    public init() {}

    /// Drops `value` on a background thread and returns the freed memory to the kernel there.
    public func release<Value>(_ value: consuming Value) {
        let box = Box(value)
        DispatchQueue.global().async(group: done) {
            box.value = nil
            _ = klant_return_free_memory()
        }
    }

    /// Blocks until every value given to `release` has been freed.
    public func wait() {
        done.wait()
    }

    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
        init(_ value: consuming Value) { self.value = value }
    }
}
