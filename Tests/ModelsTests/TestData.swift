import Foundation
import Models

/// Shared loaders for the published data sets in the package's `datasets/` folder.
enum TestData {
    /// The package root: three levels up from this file (Tests/ModelsTests/TestData.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func dataset(_ name: String) -> URL { packageRoot.appendingPathComponent("datasets").appendingPathComponent(name) }

    /// A CSV with a header line, as named columns of numbers (non-numeric cells become NaN).
    static func csvColumns(_ url: URL) throws -> [String: [Double]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var columns = [String: [Double]]()
        for name in header { columns[name] = [] }
        for line in lines where !line.isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            for (name, cell) in zip(header, cells) { columns[name]!.append(Double(cell.trimmingCharacters(in: .whitespaces)) ?? .nan) }
        }
        return columns
    }

    /// `cdnow_customers_summary.csv`: (ID, x, t_x, T) in weeks.
    static func cdnowSummary() throws -> (id: [Double], frequency: [Double], recency: [Double], T: [Double]) {
        let c = try csvColumns(dataset("cdnow_customers_summary.csv"))
        return (c["ID"]!, c["frequency"]!, c["recency"]!, c["T"]!)
    }

    static func cdnowPatterns() throws -> PurchasePatterns {
        let s = try cdnowSummary()
        return .compressing(frequency: s.frequency, recency: s.recency, T: s.T)
    }

    /// `cdnow_customers_summary_with_transactions.csv`: (x, zbar).
    static func cdnowSpend() throws -> (frequency: [Double], meanSpend: [Double]) {
        let c = try csvColumns(dataset("cdnow_customers_summary_with_transactions.csv"))
        return (c["x"]!, c["zbar"]!)
    }

    /// `donations.csv` as BG/BB patterns (x, t_x, n, weight).
    static func donations() throws -> PurchasePatterns {
        let c = try csvColumns(dataset("donations.csv"))
        return PurchasePatterns(frequency: c["frequency"]!, recency: c["recency"]!, T: c["periods"]!, weight: c["weights"]!)
    }

    /// Holdout purchases per sample customer from `CDNOW_sample.txt` (master id, sample id, date,
    /// cds, dollars): distinct purchase days in 1997-10-01...1998-06-30, keyed by sample id.
    static func cdnowSampleHoldout() throws -> [Int: Double] {
        let text = try String(contentsOf: dataset("CDNOW_sample.txt"), encoding: .utf8)
        var days = [Int: Set<Int>]()
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 3, let id = Int(f[1]), let date = Int(f[2]) else { continue }
            if date >= 19971001 && date <= 19980630 { days[id, default: []].insert(date) }
        }
        return days.mapValues { Double($0.count) }
    }
    /// |a − b| ≤ tol · max(|a|, |b|, tiny).
    static func relativelyClose(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
        abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)
    }

    /// Rounds to `digits` significant digits.
    static func significant(_ v: Double, _ digits: Int) -> Double {
        guard v != 0 else { return 0 }
        let scale = pow(10, Double(digits) - ceil(log10(abs(v))))
        return (v * scale).rounded() / scale
    }
}
