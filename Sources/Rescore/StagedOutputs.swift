import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Step 5: the day's outputs are written into a staging folder beside their final place, flushed
/// to disk (files and folder), and then renamed into `<output-dir>/<as-of>/` in one step, so a
/// reader sees all of the new files or all of the old ones. `latest` then points at the newest date.
struct StagedOutputs {
    let outputDir: URL
    let asOf: String

    var staging: URL { outputDir.appendingPathComponent(".staging-\(asOf)") }
    var final: URL { outputDir.appendingPathComponent(asOf) }
    var replaced: URL { outputDir.appendingPathComponent(".replaced-\(asOf)") }

    /// Removes what a killed run left behind: staging folders, and a replaced folder whose
    /// successor never arrived (it is put back, so the previous outputs stay in place).
    static func recover(outputDir: URL) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: outputDir.path) else { return }
        for name in names where name.hasPrefix(".staging-") || name == ".latest-new" {
            try fm.removeItem(at: outputDir.appendingPathComponent(name))
        }
        for name in names where name.hasPrefix(".replaced-") {
            let old = outputDir.appendingPathComponent(name)
            let final = outputDir.appendingPathComponent(String(name.dropFirst(".replaced-".count)))
            if fm.fileExists(atPath: final.path) { try fm.removeItem(at: old) } else { try fm.moveItem(at: old, to: final) }
        }
    }

    func begin() throws -> URL {
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Flushes every staged file and the folder, then swaps the folder into place.
    func publish() throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: staging.path) { try Self.sync(staging.appendingPathComponent(name)) }
        try Self.sync(staging)
        if fm.fileExists(atPath: final.path) {
            try Self.rename(final, replaced)
            try Self.rename(staging, final)
            try Self.sync(outputDir)
            try fm.removeItem(at: replaced)
        } else {
            try Self.rename(staging, final)
        }
        try pointLatest()
        try Self.sync(outputDir)
    }

    /// `latest` follows the newest as-of date published (a backfill does not move it back).
    func pointLatest() throws {
        let link = outputDir.appendingPathComponent("latest")
        if let current = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path), current > asOf { return }
        let temporary = outputDir.appendingPathComponent(".latest-new")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: asOf)
        try Self.rename(temporary, link)
    }

    static func rename(_ from: URL, _ to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else {
            throw RescoreError(.failed, "cannot rename \(from.path) to \(to.path): \(String(cString: strerror(errno)))")
        }
    }

    /// fsync of a file or folder, so a rename never publishes data still only in memory.
    static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RescoreError(.failed, "cannot open \(url.path) to flush it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw RescoreError(.failed, "cannot flush \(url.path): \(String(cString: strerror(errno)))") }
    }
}
