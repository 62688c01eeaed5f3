import Foundation

/// How far a long job has got, as a fraction, for a progress bar: the job raises it from its own
/// thread, the display reads it from another. Updates are cheap and rare (every few megabytes).
public final class WorkProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var total = 0

    public init() {}

    /// Sets how much work there is (e.g. bytes of the file) and how much is done.
    public func update(done: Int, of total: Int) {
        lock.lock(); defer { lock.unlock() }
        self.done = done
        self.total = total
    }

    /// Done / total in [0, 1]; nil before the job has said how much there is.
    public var fraction: Double? {
        lock.lock(); defer { lock.unlock() }
        return total > 0 ? min(1, Double(done) / Double(total)) : nil
    }
}
