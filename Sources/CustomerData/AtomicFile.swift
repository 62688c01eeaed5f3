import Foundation

/// Writes whole files so readers never see half a file (see `AtomicFileStream`): a crash leaves
/// the old file intact.
public enum AtomicFile {
    /// Replaces the file at `url` with `data`. Throws `FileError` naming the path and the OS reason.
    public static func write(_ data: Data, to url: URL) throws {
        let stream = try AtomicFileStream(url: url)
        try stream.write(data)
        try stream.commit()
    }

    /// Convenience for text files (UTF-8).
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
