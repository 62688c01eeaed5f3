import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only source of raw input bytes: a file, standard input, or a gzip stream over either.
public protocol ByteStream: AnyObject {
    /// Reads up to `count` bytes into `buffer`; 0 at the end of the input.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int
    /// Bytes of the underlying file or pipe consumed so far (compressed bytes for gzip), for progress.
    var consumed: Int { get }
    /// Size of the underlying file, nil for pipes.
    var total: Int? { get }
}

/// Bytes read with `read(2)` from a descriptor (a file or standard input), with the first bytes kept
/// for peeking (gzip detection) before they are handed out.
final class DescriptorStream: ByteStream {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var peeked: [UInt8] = []
    private(set) var consumed = 0
    let total: Int?

    init(descriptor: Int32, path: String, ownsDescriptor: Bool, total: Int?) {
        self.descriptor = descriptor
        self.path = path
        self.ownsDescriptor = ownsDescriptor
        self.total = total
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// The first `count` bytes (fewer at the end of input), without consuming them.
    func peek(_ count: Int) throws -> [UInt8] {
        while peeked.count < count {
            var chunk = [UInt8](repeating: 0, count: count - peeked.count)
            let n = try chunk.withUnsafeMutableBufferPointer { try rawRead($0.baseAddress!, $0.count) }
            if n == 0 { break }
            peeked += chunk[0..<n]
        }
        return Array(peeked.prefix(count))
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if !peeked.isEmpty {
            let n = min(count, peeked.count)
            peeked.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: n) }
            peeked.removeFirst(n)
            return n
        }
        return try rawRead(buffer, count)
    }

    private func rawRead(_ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) throws -> Int {
        while true {
            let n = Foundation.read(descriptor, buffer, count)
            if n >= 0 {
                consumed += n
                return n
            }
            if errno == EINTR { continue }
            throw InputError(kind: .unreadableFile, file: path, problem: "cannot read (\(String(cString: strerror(errno))))",
                             remedy: "check the file or the command feeding the pipe")
        }
    }
}

/// Decompresses a gzip (or zlib) stream with zlib as it is read; concatenated gzip members
/// (as `cat a.gz b.gz` or pigz produce) are read one after the other.
final class GzipStream: ByteStream {
    private let source: ByteStream
    private let path: String
    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private static let inputSize = 1 << 18
    private var finished = false
    private var memberEnded = false

    init(source: ByteStream, path: String) throws {
        self.source = source
        self.path = path
        input = .allocate(capacity: GzipStream.inputSize)
        // 15 + 32: maximum window, detect gzip or zlib headers.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw FileError(path: path, operation: "start gzip decompression", reason: "zlib could not be initialised")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    var consumed: Int { source.consumed - Int(stream.avail_in) }
    var total: Int? { source.total }

    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        guard !finished else { return 0 }
        stream.next_out = buffer
        stream.avail_out = UInt32(min(count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let n = try source.read(into: input, count: GzipStream.inputSize)
                if n == 0 {
                    if memberEnded { finished = true; break }
                    throw InputError(kind: .unreadableFile, file: path,
                                     problem: "the gzip file ends early (truncated after \(source.consumed) compressed bytes)",
                                     remedy: "copy or download the file again; `gzip -t FILE` checks it")
                }
                stream.next_in = input
                stream.avail_in = UInt32(n)
            }
            if memberEnded {
                // Another member follows the end of the previous one.
                inflateReset(&stream)
                memberEnded = false
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                memberEnded = true
                continue
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw InputError(kind: .unreadableFile, file: path,
                                 problem: "the gzip data is corrupt near compressed byte \(consumed) (\(message))",
                                 remedy: "copy or download the file again; `gzip -t FILE` checks it")
            }
        }
        return count - Int(stream.avail_out)
    }
}
