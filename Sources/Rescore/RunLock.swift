import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run at a time: an exclusive `flock` on a lock file holding the owner's pid. The kernel drops
/// the lock when its process dies (even by SIGKILL), so a stale file from a killed run is simply
/// taken over; a live holder makes the second run stop with exit code 3, naming the holder's pid.
public final class RunLock {
    public let path: String
    private var descriptor: Int32

    /// Takes the lock or throws `.locked` naming the process that holds it.
    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RescoreError(.failed, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = RunLock.readHolder(descriptor)
            close(descriptor)
            throw RescoreError(.locked, "another rescore run holds the lock \(path) (pid \(holder.map(String.init) ?? "unknown")); this run did nothing. Wait for it to finish or check that process")
        }
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        _ = fsync(descriptor)
    }

    /// The pid written by the run holding the lock, when readable.
    static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (also done by the kernel when the process exits).
    public func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
