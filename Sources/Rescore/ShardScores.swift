import CustomerData
import Foundation
import Scoring

/// The output of one scoring shard (`klant rescore --shard k/N`): the per-customer score columns of
/// the shard's customers (`scores.k-of-N.csv`) and a manifest (`scores.k-of-N.json`) saying as of
/// which date, with which models (by fingerprint) and on how many transactions they were scored,
/// and each column's kind, so the publish step (`--merge-shards N`) can check that all N shards
/// belong to its run and read the values back exactly (numbers are written in shortest round-trip form).
struct ShardScores {
    struct Manifest: Codable, Equatable {
        struct Column: Codable, Equatable { var name: String; var kind: String }
        var formatVersion = 1
        var asOf: String
        var shard: String
        var customers: Int
        var transactions: Int
        var purchaseModelFingerprint: String
        var spendModelFingerprint: String
        var columns: [Column]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", asOf = "as_of", shard, customers, transactions, columns
            case purchaseModelFingerprint = "purchase_model_fingerprint", spendModelFingerprint = "spend_model_fingerprint"
        }
    }

    /// `<output-dir>/shards/<as-of>/`: where the shards of one date meet.
    static func folder(outputDir: URL, asOf: CalendarDay) -> URL {
        outputDir.appendingPathComponent("shards").appendingPathComponent(asOf.description)
    }

    static func files(outputDir: URL, asOf: CalendarDay, shard: CustomerShard) -> (table: URL, manifest: URL) {
        let base = folder(outputDir: outputDir, asOf: asOf).appendingPathComponent("scores.\(shard.index)-of-\(shard.count)")
        return (base.appendingPathExtension("csv"), base.appendingPathExtension("json"))
    }

    static func fingerprint(_ url: URL) throws -> String {
        var h = FNV1a()
        h.add(bytes: try Data(contentsOf: url))
        return h.hex
    }

    /// Writes the table, then the manifest (both atomically): a manifest is only there beside a complete table.
    static func write(_ table: ScoreTable, shard: CustomerShard, asOf: CalendarDay, transactions: Int, models: RefitStep.Choice, outputDir: URL) throws {
        let (tableURL, manifestURL) = files(outputDir: outputDir, asOf: asOf, shard: shard)
        try FileManager.default.createDirectory(at: tableURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try table.write(to: tableURL.path, format: .csv)
        let columns = table.columns.map { column -> Manifest.Column in
            switch column {
            case .number(let n, _): return .init(name: n, kind: "number")
            case .integer(let n, _): return .init(name: n, kind: "integer")
            case .text(let n, _), .labels(let n, _, _): return .init(name: n, kind: "text")
            }
        }
        let manifest = Manifest(asOf: asOf.description, shard: shard.description, customers: table.count, transactions: transactions,
                                purchaseModelFingerprint: try fingerprint(models.purchase), spendModelFingerprint: try fingerprint(models.spend),
                                columns: columns)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(manifest), to: manifestURL)
    }

    /// Reads all `count` shards of the date and checks they belong to this run: same date, the
    /// same models, and together the run's transactions. Problems are input errors (exit 2).
    static func readAll(count: Int, outputDir: URL, asOf: CalendarDay, transactions: Int, models: RefitStep.Choice) throws -> [ScoreTable] {
        let purchase = try fingerprint(models.purchase), spend = try fingerprint(models.spend)
        var tables: [ScoreTable] = [], total = 0
        for k in 1...count {
            let shard = try CustomerShard(index: k, count: count)
            let (tableURL, manifestURL) = files(outputDir: outputDir, asOf: asOf, shard: shard)
            guard let data = try? Data(contentsOf: manifestURL) else {
                throw RescoreError(.badInput, "shard \(shard) of \(asOf) is missing (\(manifestURL.path)): run klant rescore --as-of \(asOf) --shard \(shard) first")
            }
            let manifest: Manifest
            do { manifest = try JSONDecoder().decode(Manifest.self, from: data) } catch {
                throw RescoreError(.badInput, "\(manifestURL.path) is not a shard manifest: \(error)")
            }
            guard manifest.asOf == asOf.description, manifest.shard == shard.description else {
                throw RescoreError(.badInput, "\(manifestURL.path) is shard \(manifest.shard) as of \(manifest.asOf), not \(shard) as of \(asOf)")
            }
            guard manifest.purchaseModelFingerprint == purchase, manifest.spendModelFingerprint == spend else {
                throw RescoreError(.badInput, "shard \(shard) was scored with other models than this run chose (\(models.purchase.lastPathComponent), \(models.spend.lastPathComponent)): run the shards again after --prepare")
            }
            tables.append(try readTable(tableURL, manifest: manifest))
            total += manifest.transactions
        }
        guard total == transactions else {
            throw RescoreError(.badInput, "the \(count) shards were scored on \(total) transactions, the store now has \(transactions) through \(asOf): run the shards again after --prepare")
        }
        return tables
    }

    /// The shard's table, numbers parsed by the standard library (correctly rounded, so the
    /// shortest round-trip text gives back the very same value).
    static func readTable(_ url: URL, manifest: Manifest) throws -> ScoreTable {
        let reader = try TableReader(path: url.path, format: .csv)
        guard reader.columnNames == ["customer_id"] + manifest.columns.map(\.name) else {
            throw RescoreError(.badInput, "\(url.path): the columns are not those its manifest lists")
        }
        var ids: [String] = []
        var numbers = manifest.columns.map { _ in [Double]() }, integers = manifest.columns.map { _ in [Int]() }, texts = manifest.columns.map { _ in [String]() }
        try reader.forEachRow { row in
            ids.append(row.text(0))
            for (k, column) in manifest.columns.enumerated() {
                let cell = row.text(k + 1)
                switch column.kind {
                case "number":
                    guard cell.isEmpty || Double(cell) != nil else { throw RescoreError(.badInput, "\(url.path) line \(row.line): \(column.name) '\(cell)' is not a number") }
                    numbers[k].append(cell.isEmpty ? .nan : Double(cell)!)
                case "integer":
                    guard let n = Int(cell) else { throw RescoreError(.badInput, "\(url.path) line \(row.line): \(column.name) '\(cell)' is not an integer") }
                    integers[k].append(n)
                default: texts[k].append(cell)
                }
            }
        }
        guard ids.count == manifest.customers else {
            throw RescoreError(.badInput, "\(url.path) has \(ids.count) customers, its manifest says \(manifest.customers)")
        }
        var table = ScoreTable(customerIDs: ids)
        for (k, column) in manifest.columns.enumerated() {
            switch column.kind {
            case "number": table.append(.number(column.name, numbers[k]))
            case "integer": table.append(.integer(column.name, integers[k]))
            default: table.append(.text(column.name, texts[k]))
            }
        }
        return table
    }
}
