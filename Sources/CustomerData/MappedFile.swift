import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file (or a private copy of in-memory bytes). Parsers read bytes in
/// place (no copies, no Strings); `release` hands back pages already parsed so resident memory does not
/// grow with the file size.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafePointer<UInt8>?
    let count: Int
    /// -1 for in-memory bytes.
    private let fd: Int32
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init(path: String) throws {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(kind: .unreadableFile, file: path, problem: "cannot open the file (\(String(cString: strerror(errno))))",
                             remedy: "check the path and its permissions")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw FileError.fromErrno(path: path, operation: "stat")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw InputError(kind: .unreadableFile, file: path, problem: "not a regular file",
                             remedy: "give the path of a transaction file (pipes and directories cannot be read)")
        }
        count = Int(st.st_size)
        if count == 0 {
            bytes = nil
            return
        }
        // MAP_POPULATE maps every page up front (one call instead of a page fault per 64 KB as the parsers go).
        guard let raw = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), raw != MAP_FAILED else {
            let err = FileError.fromErrno(path: path, operation: "map into memory")
            close(fd)
            throw err
        }
        _ = madvise(raw, count, Int32(MADV_SEQUENTIAL))
        bytes = UnsafePointer(raw.assumingMemoryBound(to: UInt8.self))
    }

    /// Takes ownership of `count` bytes allocated by the caller (a chunk of a stream).
    init(owning bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        fd = -1
        self.count = count
        self.bytes = UnsafePointer(bytes)
    }

    /// A copy of `data` (e.g. standard input) to parse like a file.
    init(data: Data) {
        fd = -1
        count = data.count
        guard count > 0 else { bytes = nil; return }
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        data.copyBytes(to: copy, count: count)
        bytes = UnsafePointer(copy)
    }

    /// Drops the pages wholly inside [start, end) from memory (they are re-read from disk if touched again).
    func release(from start: Int, to end: Int) {
        guard let bytes, fd >= 0 else { return }
        let first = (start + pageSize - 1) / pageSize * pageSize
        let last = end / pageSize * pageSize
        guard last > first else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes + first), last - first, Int32(MADV_DONTNEED))
    }

    deinit {
        if fd < 0 {
            bytes?.deallocate()
            return
        }
        if let bytes { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
        close(fd)
    }
}
