import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Guards against an output that would replace an input (`--out` equal to the transaction file, a
/// rejects file equal to the summary, ...): checked before anything is read, so a typo never costs data.
public enum OutputPaths {
    /// A file named on the command line, with the option that named it (for the message).
    public struct Named: Sendable {
        public var option: String
        public var path: String
        public init(_ option: String, _ path: String) {
            self.option = option
            self.path = path
        }
    }

    /// Throws `InputError` (kind `.outputIsInput`) if an output is the same file as an input or as
    /// another output: equal after resolving symlinks and `..`, or the same inode (hard links).
    /// `-` (standard input/output) and URLs (`scheme://...`) are never files here.
    public static func checkDistinct(outputs: [Named], inputs: [Named]) throws {
        let outs = outputs.filter { isFile($0.path) }
        let ins = inputs.filter { isFile($0.path) }
        for (k, output) in outs.enumerated() {
            let target = identity(of: output.path)
            for input in ins where identity(of: input.path).matches(target) {
                throw InputError(kind: .outputIsInput, file: output.path, columnName: output.option,
                                 problem: "the output \(output.option) is the input \(input.option) (\(input.path)); writing it would destroy the input",
                                 remedy: "write the output to another path")
            }
            for other in outs[(k + 1)...] where identity(of: other.path).matches(target) {
                throw InputError(kind: .outputIsInput, file: output.path, columnName: output.option,
                                 problem: "\(output.option) and \(other.option) name the same file",
                                 remedy: "give each output its own path")
            }
        }
    }

    /// True for a path naming a file (not `-` and not a URL such as `postgresql://...`).
    public static func isFile(_ path: String) -> Bool {
        path != "-" && !path.isEmpty && !path.contains("://")
    }

    /// Where a path leads: the resolved absolute path, plus device and inode when the file exists.
    struct Identity {
        var resolved: String
        var device: UInt64?
        var inode: UInt64?

        func matches(_ other: Identity) -> Bool {
            if let d = device, let i = inode, let od = other.device, let oi = other.inode { return d == od && i == oi }
            return resolved == other.resolved
        }
    }

    static func identity(of path: String) -> Identity {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var st = stat()
        if stat(absolute, &st) == 0 {
            return Identity(resolved: resolve(absolute), device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        }
        // Not there yet: resolve the directory (symlinks included) and keep the name.
        let url = URL(fileURLWithPath: absolute)
        return Identity(resolved: resolve(url.deletingLastPathComponent().path) + "/" + url.lastPathComponent)
    }

    private static func resolve(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }
}
