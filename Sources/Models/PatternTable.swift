import CustomerData
import Foundation

/// Reads weighted purchase patterns from a CSV such as the BG/BB donations panel
/// (`frequency,recency,periods,weights`): one row per distinct (x, t_x, n) with the number of
/// customers who share it. The weight column is optional (default 1 per row).
public enum PatternTable {
    public static func read(from url: URL) throws -> PurchasePatterns {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(kind: .unreadableFile, file: url.path, problem: "cannot read the file (\(error.localizedDescription))",
                             remedy: "check the path and its permissions")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw InputError(kind: .emptyFile, file: url.path, line: 1, problem: "the file is empty",
                             remedy: "give a CSV with the header frequency,recency,periods[,weights]")
        }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ names: [String], required: Bool) throws -> Int? {
            if let i = header.firstIndex(where: { names.contains($0) }) { return i }
            guard !required else {
                throw InputError(kind: .missingColumn, file: url.path, line: 1, columnName: names[0],
                                 problem: "no column named \(names.joined(separator: " or ")); the columns are \(header.joined(separator: ", "))",
                                 remedy: "rename the column or give a file with frequency,recency,periods[,weights]")
            }
            return nil
        }
        let xCol = try column(["frequency", "x"], required: true)!
        let txCol = try column(["recency", "t_x"], required: true)!
        let nCol = try column(["periods", "n", "T"], required: true)!
        let wCol = try column(["weights", "weight", "count"], required: false)
        guard lines.count > 1 else {
            throw InputError(kind: .headerOnly, file: url.path, line: 1, problem: "the file has a header but no rows",
                             remedy: "add at least one pattern row")
        }
        var x: [Double] = [], tx: [Double] = [], n: [Double] = [], w: [Double] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == header.count else {
                throw InputError(kind: .raggedRow, file: url.path, line: offset + 1,
                                 problem: "the row has \(cells.count) fields but the header has \(header.count)",
                                 remedy: "fix the row so it has one value per column")
            }
            func number(_ c: Int) throws -> Double {
                guard let v = Double(cells[c]), v.isFinite, v >= 0 else {
                    throw InputError(kind: .badSummaryValue, file: url.path, line: offset + 1, columnName: header[c],
                                     columnNumber: c + 1, value: cells[c], problem: "not a finite number >= 0",
                                     remedy: "write a plain non-negative number")
                }
                return v
            }
            x.append(try number(xCol)); tx.append(try number(txCol)); n.append(try number(nCol))
            w.append(try wCol.map(number) ?? 1)
        }
        return PurchasePatterns(frequency: x, recency: tx, T: n, weight: w)
    }

    /// One numeric column of a small CSV with a header (e.g. survivors per period for the sBG model).
    public static func numericColumn(_ name: String, from url: URL) throws -> [Double] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(kind: .unreadableFile, file: url.path, problem: "cannot read the file (\(error.localizedDescription))",
                             remedy: "check the path and its permissions")
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first else {
            throw InputError(kind: .emptyFile, file: url.path, line: 1, problem: "the file is empty", remedy: "give a CSV with a header line")
        }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let c = header.firstIndex(of: name) else {
            throw InputError(kind: .missingColumn, file: url.path, line: 1, columnName: name,
                             problem: "no column named \(name); the columns are \(header.joined(separator: ", "))",
                             remedy: "choose one of the existing columns")
        }
        return try lines.enumerated().dropFirst().map { offset, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard c < cells.count, let v = Double(cells[c]), v.isFinite else {
                throw InputError(kind: .badSummaryValue, file: url.path, line: offset + 1, columnName: name, columnNumber: c + 1,
                                 value: c < cells.count ? cells[c] : "", problem: "not a number", remedy: "write a plain number")
            }
            return v
        }
    }
}
