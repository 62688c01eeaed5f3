import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so readers never see half a file: write to a temporary file in the same directory,
/// fsync it, rename it over the target, then fsync the directory. A crash leaves the old file intact.
public enum AtomicFile {
    /// Replaces the file at `url` with `data`. Throws `FileError` naming the path and the OS reason.
    public static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temp = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw FileError.fromErrno(path: path, operation: "create a temporary file in \(directory)") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileError.fromErrno(path: path, operation: "write")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw FileError.fromErrno(path: path, operation: "flush to disk") }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw FileError.fromErrno(path: path, operation: "close") }
        guard rename(temp, path) == 0 else { throw FileError.fromErrno(path: path, operation: "rename the temporary file into place") }
        ok = true
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    /// Convenience for text files (UTF-8).
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
