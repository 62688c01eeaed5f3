import CustomerData
import Foundation

/// A daily drop: a file in the drops folder named by its date, `YYYY-MM-DD.csv` or `YYYY-MM-DD.csv.gz`.
public struct DropFile: Sendable, Equatable {
    public var day: CalendarDay
    public var url: URL
    public var name: String { url.lastPathComponent }

    /// The drops dated on or before `asOf`, oldest first. Other files are ignored; two files for one
    /// day (plain and gzip) are an error, as the run could not tell which one is meant.
    public static func list(folder: URL, through asOf: CalendarDay) throws -> [DropFile] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw RescoreError(.badInput, "cannot list the drops folder \(folder.path): \(error.localizedDescription); create it or fix drops.folder in the config")
        }
        var byDay: [CalendarDay: DropFile] = [:]
        for name in names.sorted() {
            guard let day = dropDay(name), day <= asOf else { continue }
            if let other = byDay[day] {
                throw RescoreError(.badInput, "two drops for \(day) in \(folder.path): \(other.name) and \(name); keep one")
            }
            byDay[day] = DropFile(day: day, url: folder.appendingPathComponent(name))
        }
        return byDay.values.sorted { $0.day < $1.day }
    }

    /// The date a drop file is named by, nil for other files.
    static func dropDay(_ name: String) -> CalendarDay? {
        let stem: Substring
        if name.hasSuffix(".csv.gz") { stem = name.dropLast(7) } else if name.hasSuffix(".csv") { stem = name.dropLast(4) } else { return nil }
        guard stem.count == 10 else { return nil }
        return try? CalendarDay(parsing: String(stem))
    }
}
