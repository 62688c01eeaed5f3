import CSystemCalls
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a new file around the page cache (Linux O_DIRECT): bytes are gathered in an aligned
/// block and each full block goes from this memory to the device, so a big export costs no kernel
/// copy into cached pages (most of the system time of a buffered write) and later no dropping of
/// those pages. The end of the file, shorter than an aligned block, is written the ordinary way.
/// Where the file system refuses uncached writes, everything is written the ordinary way: the bytes
/// in the file are the same either way. The caller still fsyncs to make the file durable.
final class UncachedFileWriter {
    /// Alignment of the block's address, of file offsets and of lengths: 4096 covers the logical
    /// block size of common devices (512 or 4096 bytes).
    static let alignment = 4096
    /// Bytes per uncached write.
    static let blockSize = 4 << 20

    private let descriptor: Int32
    private let path: String
    private let block: UnsafeMutableRawPointer
    private var staged = 0
    /// Bytes in the file so far.
    private(set) var fileSize = 0
    /// False once the file system has refused an uncached write (or never allowed one).
    private(set) var uncached: Bool

    /// Turns uncached writes on for `descriptor`, a new empty file opened for writing (`path` names
    /// it in errors), unless `tryUncached` is false. Without them (not Linux, or a file system such
    /// as tmpfs that refuses them) the writer still works, with ordinary writes.
    init(descriptor: Int32, path: String, tryUncached: Bool = true) {
        self.descriptor = descriptor
        self.path = path
        block = .allocate(byteCount: Self.blockSize, alignment: Self.alignment)
        uncached = tryUncached && klant_set_uncached_writes(descriptor, 1) == 0
    }

    deinit { block.deallocate() }

    /// Appends bytes; every full block goes to the file.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var from = 0
        while from < bytes.count {
            let n = min(Self.blockSize - staged, bytes.count - from)
            (block + staged).copyMemory(from: bytes.baseAddress! + from, byteCount: n)
            staged += n
            from += n
            if staged == Self.blockSize { try writeStaged(Self.blockSize) }
        }
    }

    /// Writes what is left: the aligned part uncached, the rest (under 4096 bytes) the ordinary way.
    func finish() throws {
        let aligned = staged - staged % Self.alignment
        if aligned > 0 { try writeStaged(aligned) }
        if staged > 0 {
            if uncached { _ = klant_set_uncached_writes(descriptor, 0); uncached = false }
            try writeStaged(staged)
        }
    }

    /// Writes the first `count` staged bytes at the end of the file and moves the rest to the front.
    private func writeStaged(_ count: Int) throws {
        var done = 0
        while done < count {
            let n = pwrite(descriptor, block + done, count - done, off_t(fileSize + done))
            if n < 0 {
                if errno == EINTR { continue }
                // A file system that took O_DIRECT at open but refuses the write: go on the ordinary way.
                if errno == EINVAL, uncached { _ = klant_set_uncached_writes(descriptor, 0); uncached = false; continue }
                throw FileError.fromErrno(path: path, operation: "write")
            }
            done += n
        }
        fileSize += count
        staged -= count
        if staged > 0 { memmove(block, block + count, staged) }
    }
}
