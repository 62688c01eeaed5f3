import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where every input path becomes bytes: a file (memory-mapped when it can be parsed in place),
/// `-` for standard input, gzip (recognised by its magic bytes, whatever the name) decompressed while
/// reading, other encodings converted to UTF-8. URLs (`scheme://...`) go to a registered handler, so
/// a warehouse module can serve `postgresql://...` without the readers knowing.
public enum InputSource {
    /// Openers for URL schemes (e.g. "postgresql"), registered by the modules that serve them.
    /// Each returns the table as CSV bytes (header first).
    nonisolated(unsafe) public static var schemeHandlers: [String: @Sendable (String) throws -> any ByteStream] = [:]

    /// A stream of the raw (decompressed) bytes at `path`.
    public static func open(_ path: String) throws -> any ByteStream {
        if let range = path.range(of: "://") {
            let scheme = String(path[..<range.lowerBound]).lowercased()
            guard let handler = schemeHandlers[scheme] else {
                throw InputError(kind: .unreadableFile, file: path, problem: "cannot read \(scheme):// inputs here",
                                 remedy: "give a file path, - for standard input, or a URL of a supported database")
            }
            return try handler(path)
        }
        let raw: DescriptorStream
        if path == "-" {
            raw = DescriptorStream(descriptor: STDIN_FILENO, path: "<stdin>", ownsDescriptor: false, total: nil)
        } else {
            let fd = Glibc.open(path, O_RDONLY)
            guard fd >= 0 else {
                throw InputError(kind: .unreadableFile, file: path, problem: "cannot open the file (\(String(cString: strerror(errno))))",
                                 remedy: "check the path and its permissions")
            }
            var st = stat()
            fstat(fd, &st)
            if (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw InputError(kind: .unreadableFile, file: path, problem: "not a regular file (a directory)",
                                 remedy: "give the path of a file (or - for standard input)")
            }
            let regular = (st.st_mode & S_IFMT) == S_IFREG
            raw = DescriptorStream(descriptor: fd, path: path, ownsDescriptor: true, total: regular ? Int(st.st_size) : nil)
        }
        return try isGzip(raw.peek(2)) ? GzipStream(source: raw, path: path) : raw
    }

    /// The name `path` has in messages (`<stdin>` for `-`).
    public static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    static func isGzip(_ head: [UInt8]) -> Bool { head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B }

    /// A memory map of `path` when it is a plain UTF-8 regular file that can be parsed in place; nil when
    /// it must be streamed (standard input, pipes, gzip, another encoding, URLs).
    static func mapped(_ path: String, encoding: TextEncoding) throws -> MappedFile? {
        guard encoding == .utf8, OutputPaths.isFile(path) else { return nil }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let file = try MappedFile(path: path)
        if let bytes = file.bytes, isGzip([bytes[0], file.count > 1 ? bytes[1] : 0]) { return nil }
        return file
    }

    /// All bytes at `path` as UTF-8 (decompressed and converted): for tables read whole (summaries,
    /// customer tables). Plain files are read directly.
    public static func readAll(_ path: String, encoding: TextEncoding = .utf8) throws -> [UInt8] {
        let stream = try open(path)
        var out: [UInt8] = []
        if let total = stream.total { out.reserveCapacity(total + 1) }
        let size = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        while true {
            let n = try stream.read(into: buffer, count: size)
            if n == 0 { break }
            if encoding == .utf8 {
                out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: n))
            } else {
                encoding.appendUTF8(buffer, n, to: &out)
            }
        }
        return out
    }
}

/// Cuts a byte stream into chunks that end at record boundaries (after a line feed that is not inside a
/// quoted field), converted to UTF-8, for parsers that work on in-memory bytes.
final class ChunkReader {
    let stream: any ByteStream
    let encoding: TextEncoding
    /// Whether quoted fields may hold newlines (delimited files); whitespace files have no quoting.
    var quoting = true
    private let chunkSize: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var length = 0
    private var atEnd = false
    private var transcoded: [UInt8] = []
    /// Offset in the converted input of the next chunk's first byte.
    private(set) var offset = 0

    init(stream: any ByteStream, encoding: TextEncoding, chunkSize: Int = 16 << 20) {
        self.stream = stream
        self.encoding = encoding
        self.chunkSize = chunkSize
        capacity = chunkSize
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next chunk (owned by the returned file) and its offset in the input; nil at the end.
    func next() throws -> (file: MappedFile, offset: Int)? {
        var searchFrom = 0
        while true {
            try fill(upTo: max(chunkSize, length + (length >= chunkSize ? chunkSize : 0)))
            if length == 0 { return nil }
            let cut = atEnd ? length : lastBoundary(from: searchFrom)
            if cut > 0 { return take(cut) }
            // One record longer than the buffer: read on.
            searchFrom = 0
            if capacity < length + chunkSize { grow(to: length + chunkSize) }
        }
    }

    private func fill(upTo target: Int) throws {
        if target > capacity { grow(to: target) }
        while length < target && !atEnd {
            if encoding == .utf8 {
                let n = try stream.read(into: buffer + length, count: target - length)
                if n == 0 { atEnd = true }
                length += n
            } else {
                let want = max(1, (target - length) / 3)
                transcoded.removeAll(keepingCapacity: true)
                let raw = UnsafeMutablePointer<UInt8>.allocate(capacity: want)
                defer { raw.deallocate() }
                let n = try stream.read(into: raw, count: want)
                if n == 0 { atEnd = true; break }
                encoding.appendUTF8(raw, n, to: &transcoded)
                if length + transcoded.count > capacity { grow(to: length + transcoded.count) }
                transcoded.withUnsafeBufferPointer { (buffer + length).update(from: $0.baseAddress!, count: $0.count) }
                length += transcoded.count
            }
        }
    }

    private func grow(to size: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: buffer, count: length)
        buffer.deallocate()
        buffer = bigger
        capacity = size
    }

    /// Index after the last line feed outside quotes (0 if none).
    private func lastBoundary(from start: Int) -> Int {
        let hasQuote = quoting && memchr(buffer + start, 34, length - start) != nil
        if !hasQuote {
            var i = length - 1
            while i >= 0 && buffer[i] != 10 { i -= 1 }
            return i + 1
        }
        var inQuotes = false, last = 0
        for i in 0..<length {
            let c = buffer[i]
            if c == 34 { inQuotes.toggle() } else if c == 10 && !inQuotes { last = i + 1 }
        }
        return last
    }

    /// Hands out the first `cut` bytes as a chunk and keeps the rest for the next one.
    private func take(_ cut: Int) -> (file: MappedFile, offset: Int) {
        // The buffer becomes the chunk; the rest moves to a fresh buffer.
        let chunk = buffer
        let rest = length - cut
        capacity = max(chunkSize, rest * 2)
        buffer = .allocate(capacity: capacity)
        if rest > 0 { buffer.update(from: chunk + cut, count: rest) }
        length = rest
        let start = offset
        offset += cut
        return (MappedFile(owning: chunk, count: cut), start)
    }
}
