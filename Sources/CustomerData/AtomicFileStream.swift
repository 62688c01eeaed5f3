import CSystemCalls
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in pieces and published at once: bytes go to a temporary file beside the target,
/// and `commit()` fsyncs it, renames it over the target and fsyncs the directory. Until then (or if
/// the writer is dropped without committing, or the process dies) the target keeps its old content.
/// With no URL the bytes stream to standard output instead (`--out -`), with no atomicity to offer.
public final class AtomicFileStream {
    /// The target path, or "-" for standard output.
    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Writes the temporary file around the page cache (nil for standard output).
    private var file: UncachedFileWriter?
    private var finished = false
    /// Bytes of the temporary file the kernel has been asked to write back (when it takes them into
    /// the page cache: where uncached writes are refused).
    private var writebackStarted = 0
    private static let flushSize = 1 << 20
    /// Writeback of the temporary file starts every this many bytes, so that `commit()`'s fsync
    /// waits for the last few megabytes only, not for the whole export.
    private static let writebackSize = 8 << 20

    /// Opens a temporary file beside `url` (nil: standard output). Throws `FileError` if the
    /// directory is not writable.
    public init(url: URL?) throws {
        guard let url else {
            path = "-"
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            buffer.reserveCapacity(Self.flushSize)
            return
        }
        path = url.path
        let directory = url.deletingLastPathComponent().path
        let temp = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw FileError.fromErrno(path: path, operation: "create a temporary file in \(directory)") }
        temporaryPath = temp
        file = UncachedFileWriter(descriptor: descriptor, path: path)
        buffer.reserveCapacity(Self.flushSize)
    }

    deinit {
        if !finished, let temporaryPath {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes (buffered; written in 1 MB pieces).
    public func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Appends a block of bytes. A file gathers them in its own aligned block, so they go there
    /// without a copy into the buffer; so does a big block for standard output.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard file != nil || bytes.count >= Self.flushSize / 4 else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.flushSize { try flush() }
            return
        }
        try flush()
        try writeAll(bytes)
    }

    /// As above, for an array.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends text as UTF-8.
    public func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Publishes the file: flush, fsync, rename into place, fsync the directory.
    public func commit() throws {
        precondition(!finished, "AtomicFileStream committed twice")
        try flush()
        finished = true
        guard let temporaryPath else { return }
        var ok = false
        defer { if !ok { unlink(temporaryPath) } }
        do { try file?.finish() } catch { close(descriptor); throw error }
        guard fsync(descriptor) == 0 else {
            close(descriptor)
            throw FileError.fromErrno(path: path, operation: "flush to disk")
        }
        guard close(descriptor) == 0 else { throw FileError.fromErrno(path: path, operation: "close") }
        guard rename(temporaryPath, path) == 0 else {
            throw FileError.fromErrno(path: path, operation: "rename the temporary file into place")
        }
        ok = true
        let directory = (path as NSString).deletingLastPathComponent
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte: to the temporary file (starting writeback of what has piled up when the
    /// writes go through the page cache), or to standard output (retrying short writes).
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if let file {
            try file.write(bytes)
            if !file.uncached, file.fileSize - writebackStarted >= Self.writebackSize {
                // A failure here is not an error: commit()'s fsync writes and reports everything.
                _ = klant_start_writeback(descriptor, Int64(writebackStarted), Int64(file.fileSize - writebackStarted))
                writebackStarted = file.fileSize
            }
            return
        }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(path: path, operation: "write")
            }
            offset += n
        }
    }
}
