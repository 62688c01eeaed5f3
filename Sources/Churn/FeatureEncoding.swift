import CustomerData
import Linalg

/// How a source column enters the design.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    /// Used as it is (or standardised when asked).
    case numeric
    /// Yes/No, True/False or 1/0, encoded as 1/0. Never standardised.
    case boolean
    /// One 0/1 dummy column per level except the reference level (drop-first coding).
    case categorical
}

/// What to do with blank values (empty or only spaces) in a feature or the target.
///
/// - `error` (default): fail, naming the column and the lines.
/// - `dropRows`: leave those rows out; they are listed in the fit report and written to a rejects
///   file when one is given. At scoring time such rows get no score and are reported.
/// - `imputeMean`: numeric and boolean blanks become the training mean; categorical blanks the
///   reference level. The means are stored in the model, so scoring imputes the same numbers.
/// - `imputeZero`: numeric and boolean blanks become 0; categorical blanks the reference level.
///
/// A blank target is never imputed: it is an error unless the policy is `dropRows`.
public enum BlankPolicy: String, Codable, Sendable, CaseIterable {
    case error
    case dropRows = "drop-rows"
    case imputeMean = "impute-mean"
    case imputeZero = "impute-zero"
}

/// What scoring does with a categorical level that training never saw.
/// `error` (default) fails naming the column, level and lines; `reference` encodes the row as the
/// reference level (all of that column's dummies 0) and counts such rows in the scoring report.
public enum UnseenLevelPolicy: String, Codable, Sendable {
    case error
    case reference
}

/// The transform from one source column to its design columns, with everything learnt from the
/// training data that scoring needs to repeat it exactly.
public struct EncodedColumn: Codable, Equatable, Sendable {
    public var name: String
    public var kind: ColumnKind
    /// Training mean of the non-blank values (numeric and boolean): imputation and centring.
    public var mean: Double?
    /// Population standard deviation used to standardise a numeric column (nil: not standardised).
    public var scale: Double?
    /// Every training level, sorted (categorical).
    public var levels: [String]?
    /// The level without a dummy (categorical).
    public var reference: String?

    /// The design columns this source column produces, before any collinear columns are dropped.
    /// Dummies are named `column_level`, as pandas' `get_dummies` does.
    public var designNames: [String] {
        switch kind {
        case .numeric, .boolean: return [name]
        case .categorical: return (levels ?? []).filter { $0 != reference }.map { "\(name)_\($0)" }
        }
    }
}

/// The binary target: which raw value means "churned" (1) and which means "stayed" (0).
public struct TargetEncoding: Codable, Equatable, Sendable {
    public var column: String
    public var positive: String
    public var negative: String
}

/// Options for learning an encoding from a training table. Columns are auto-typed: a column is
/// boolean when every non-blank value is yes/no/true/false/1/0, numeric when every non-blank value
/// parses as a number, categorical otherwise; `kinds` overrides the guess. A column where most
/// (≥ 90%) but not all values are numbers is reported as a numeric column with bad values rather
/// than silently turned into thousands of categories.
public struct EncodingOptions: Sendable {
    public var target: String
    /// The raw target value meaning churned. Nil: inferred when the values are Yes/No, True/False or 1/0.
    public var positive: String?
    /// The customer id column: never a feature, copied to scores.
    public var idColumn: String?
    /// Columns left out of the design.
    public var exclude: [String]
    /// Use only these feature columns (nil: every column that is not the target, id, weight or excluded).
    public var include: [String]?
    /// A column of sample weights (never a feature).
    public var weightColumn: String?
    public var kinds: [String: ColumnKind]
    /// Reference levels of categorical columns (default: the most frequent level; ties: the first in sorted order).
    public var references: [String: String]
    public var standardize: Bool
    public var blankPolicy: BlankPolicy
    /// A categorical column with more levels than this is refused (it is usually an identifier or
    /// free text, and would blow up the design): exclude it, name it as the id, or raise the limit.
    public var maxLevels: Int

    public init(target: String, positive: String? = nil, idColumn: String? = nil, exclude: [String] = [],
                include: [String]? = nil, weightColumn: String? = nil, kinds: [String: ColumnKind] = [:],
                references: [String: String] = [:], standardize: Bool = false, blankPolicy: BlankPolicy = .error,
                maxLevels: Int = 100) {
        self.target = target; self.positive = positive; self.idColumn = idColumn; self.exclude = exclude
        self.include = include; self.weightColumn = weightColumn; self.kinds = kinds; self.references = references
        self.standardize = standardize; self.blankPolicy = blankPolicy; self.maxLevels = maxLevels
    }
}

/// A customer-table row left out of the design, with the reason (for reports and the rejects file).
/// (Named apart from `CustomerData.RejectedRow`, the summariser's unparseable input lines, so code
/// importing both modules needs no qualification.)
public struct ExcludedRow: Equatable, Sendable {
    /// Index into the table's records.
    public var index: Int
    /// Line in the file.
    public var line: Int
    public var reason: String
}

/// A design matrix ready for fitting or scoring: an intercept column first, then the encoded
/// features, column-major; plus which table rows it holds.
public struct Design: Sendable {
    public var x: Matrix
    public var names: [String]
    /// For each design row, its index in the source table.
    public var rowIndices: [Int]
    /// Rows left out (drop-rows policy).
    public var rejected: [ExcludedRow]
    /// Rows whose unseen level was mapped to the reference level (scoring fallback).
    public var unseenFallbackRows: Int
}

/// The full feature transform stored in a model: source columns in order, their encodings, the
/// blank policy, and design columns removed as collinear.
public struct FeatureEncoding: Codable, Equatable, Sendable {
    public static let interceptName = "intercept"

    public var columns: [EncodedColumn]
    public var blankPolicy: BlankPolicy
    public var standardize: Bool
    /// Design columns dropped because they duplicated others (see `LogisticRegression`).
    public var droppedDesignColumns: [String]

    enum CodingKeys: String, CodingKey {
        case columns, standardize
        case blankPolicy = "blank_policy"
        case droppedDesignColumns = "dropped_design_columns"
    }

    public init(columns: [EncodedColumn], blankPolicy: BlankPolicy, standardize: Bool, droppedDesignColumns: [String] = []) {
        self.columns = columns; self.blankPolicy = blankPolicy; self.standardize = standardize
        self.droppedDesignColumns = droppedDesignColumns
    }

    /// Names of the design columns, intercept first, collinear drops removed.
    public var designNames: [String] {
        let dropped = Set(droppedDesignColumns)
        return [FeatureEncoding.interceptName] + columns.flatMap(\.designNames).filter { !dropped.contains($0) }
    }

    // MARK: - Learning the encoding

    /// Learns the target and feature encodings from a training table.
    /// Throws on a bad target, a numeric column with non-numbers, a constant column, or blanks
    /// under the `error` policy; under `dropRows` the rows with blanks are left out before the
    /// means and levels are learnt.
    public static func learn(from table: CustomerTable, options: EncodingOptions) throws -> (FeatureEncoding, TargetEncoding) {
        let reserved = Set([options.target, options.idColumn, options.weightColumn].compactMap { $0 })
        for name in options.exclude + (options.include ?? []) + Array(options.kinds.keys) + Array(options.references.keys)
        where !table.hasColumn(name) {
            throw ChurnError.invalidOption("no column '\(name)' in \(table.source) (named in the options); columns are: \(table.columnNames.joined(separator: ", "))")
        }
        for name in reserved where !table.hasColumn(name) { throw ChurnError.missingColumn(name) }
        let featureNames = (options.include ?? table.columnNames).filter { !reserved.contains($0) && !options.exclude.contains($0) }
        guard !featureNames.isEmpty else { throw ChurnError.invalidOption("no feature columns left after excluding \(options.exclude)") }

        // Rows kept for learning: all, or only complete ones under drop-rows.
        var keep = [Bool](repeating: true, count: table.rowCount)
        let targetRaw = try table.column(named: options.target)
        if options.blankPolicy == .dropRows {
            var blankCounts: [BlankCount] = []
            for name in featureNames + [options.target] {
                var blanks = 0
                for (i, v) in try table.column(named: name).enumerated() where ValueParsing.isBlank(v) { keep[i] = false; blanks += 1 }
                if blanks > 0 { blankCounts.append(BlankCount(column: name, count: blanks)) }
            }
            if table.rowCount > 0 && !keep.contains(true) {
                throw ChurnError.noRowsLeft(rows: table.rowCount, blanks: blankCounts.sorted { $0.count > $1.count })
            }
        }
        let target = try learnTarget(targetRaw, keep: keep, column: options.target, positive: options.positive,
                                     lines: table.lineNumbers, policy: options.blankPolicy)

        var encoded: [EncodedColumn] = []
        for name in featureNames {
            let raw = try table.column(named: name)
            let kind = try options.kinds[name] ?? guessKind(raw, keep: keep, column: name, lines: table.lineNumbers)
            var col = EncodedColumn(name: name, kind: kind)
            let blankLines = raw.indices.filter { keep[$0] && ValueParsing.isBlank(raw[$0]) }
            if !blankLines.isEmpty && blankLines.count == keep.lazy.filter({ $0 }).count {
                throw ChurnError.allBlank(column: name, rows: blankLines.count, policy: options.blankPolicy.rawValue)
            }
            if !blankLines.isEmpty && options.blankPolicy == .error {
                throw ChurnError.blanks(column: name, lines: blankLines.map { table.lineNumbers[$0] }, count: blankLines.count)
            }
            switch kind {
            case .numeric, .boolean:
                let parse = kind == .numeric ? ValueParsing.number : ValueParsing.boolean
                var values: [Double] = []
                var badLines: [Int] = [], badValues: [String] = []
                for i in raw.indices where keep[i] && !ValueParsing.isBlank(raw[i]) {
                    if let v = parse(raw[i]) { values.append(v) } else { badLines.append(table.lineNumbers[i]); badValues.append(raw[i]) }
                }
                if !badLines.isEmpty {
                    if kind == .numeric { throw ChurnError.nonNumeric(column: name, lines: badLines, values: badValues) }
                    throw ChurnError.invalidOption("column '\(name)' is boolean but has values that are not yes/no/true/false/1/0 (line \(badLines[0]): '\(badValues[0])')")
                }
                guard let first = values.first else { throw ChurnError.allBlank(column: name, rows: blankLines.count, policy: options.blankPolicy.rawValue) }
                if values.allSatisfy({ $0 == first }) { throw ChurnError.constantColumn(column: name, value: formatNumber(first)) }
                let mean = values.reduce(0, +) / Double(values.count)
                col.mean = mean
                if kind == .numeric && options.standardize {
                    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                    col.scale = variance.squareRoot()
                }
            case .categorical:
                var counts: [String: Int] = [:]
                for i in raw.indices where keep[i] && !ValueParsing.isBlank(raw[i]) { counts[ValueParsing.level(raw[i]), default: 0] += 1 }
                let levels = counts.keys.sorted()
                guard levels.count <= options.maxLevels else {
                    throw ChurnError.invalidOption("column '\(name)' has \(levels.count) distinct values (e.g. '\(levels[0])', '\(levels[1])'), more than the \(options.maxLevels) levels allowed for a categorical column; if it identifies customers name it as the id column, otherwise exclude it or raise the level limit")
                }
                guard levels.count >= 2 else {
                    if let only = levels.first { throw ChurnError.constantColumn(column: name, value: only) }
                    throw ChurnError.allBlank(column: name, rows: blankLines.count, policy: options.blankPolicy.rawValue)
                }
                if let ref = options.references[name] {
                    guard counts[ref] != nil else {
                        throw ChurnError.invalidOption("reference level '\(ref)' of column '\(name)' does not occur; levels are \(levels.joined(separator: ", "))")
                    }
                    col.reference = ref
                } else {
                    // Most frequent level; ties go to the first in sorted order.
                    col.reference = levels.max { a, b in counts[a]! < counts[b]! || (counts[a]! == counts[b]! && a > b) }
                }
                col.levels = levels
            }
            encoded.append(col)
        }
        return (FeatureEncoding(columns: encoded, blankPolicy: options.blankPolicy, standardize: options.standardize), target)
    }

    /// The auto-typing rule (see `EncodingOptions`).
    static func guessKind(_ raw: [String], keep: [Bool], column: String, lines: [Int]) throws -> ColumnKind {
        var nonBlank = 0, booleans = 0, numbers = 0
        var badLines: [Int] = [], badValues: [String] = []
        for i in raw.indices where keep[i] && !ValueParsing.isBlank(raw[i]) {
            nonBlank += 1
            if ValueParsing.boolean(raw[i]) != nil { booleans += 1 }
            if ValueParsing.number(raw[i]) != nil { numbers += 1 } else { badLines.append(lines[i]); badValues.append(raw[i]) }
        }
        if nonBlank == 0 { return .numeric }
        if booleans == nonBlank { return .boolean }
        if numbers == nonBlank { return .numeric }
        if Double(numbers) >= 0.9 * Double(nonBlank) { throw ChurnError.nonNumeric(column: column, lines: badLines, values: badValues) }
        return .categorical
    }

    static func learnTarget(_ raw: [String], keep: [Bool], column: String, positive: String?, lines: [Int],
                            policy: BlankPolicy) throws -> TargetEncoding {
        var counts: [String: Int] = [:]
        var blankLines: [Int] = []
        for i in raw.indices where keep[i] {
            if ValueParsing.isBlank(raw[i]) { blankLines.append(lines[i]) } else { counts[ValueParsing.level(raw[i]), default: 0] += 1 }
        }
        if !blankLines.isEmpty {
            throw ChurnError.badTarget(column: column, message: "\(blankLines.count) blank value(s) (lines \(blankLines.prefix(10).map(String.init).joined(separator: ", "))); a target is never imputed: use the drop-rows blank policy or fix the data")
        }
        let values = counts.keys.sorted()
        guard values.count == 2 else {
            let shown = values.prefix(6).map { "'\($0)' (\(counts[$0]!))" }.joined(separator: ", ")
            throw ChurnError.badTarget(column: column, message: "needs exactly two distinct values, found \(values.count): \(shown)\(values.count > 6 ? ", ..." : "")")
        }
        let pos: String
        if let positive {
            guard values.contains(positive) else {
                throw ChurnError.badTarget(column: column, message: "positive value '\(positive)' does not occur; values are '\(values[0])' and '\(values[1])'")
            }
            pos = positive
        } else if let inferred = values.first(where: { ValueParsing.boolean($0) == 1 }), values.contains(where: { ValueParsing.boolean($0) == 0 }) {
            pos = inferred
        } else {
            throw ChurnError.badTarget(column: column, message: "cannot tell which of '\(values[0])' and '\(values[1])' means churned; name it with --positive")
        }
        return TargetEncoding(column: column, positive: pos, negative: values.first { $0 != pos }!)
    }

    // MARK: - Applying the encoding

    /// Builds the design matrix for `table` with exactly the training transform.
    /// Missing columns, non-numeric values and (by default) unseen levels are errors naming the column.
    public func design(for table: CustomerTable, unseenLevels: UnseenLevelPolicy = .error) throws -> Design {
        let n = table.rowCount
        var raws: [[String]] = []
        for col in columns {
            guard table.hasColumn(col.name) else { throw ChurnError.missingColumn(col.name) }
            raws.append(try table.column(named: col.name))
        }
        // Rows to keep: under drop-rows a blank anywhere in a used column leaves the row out.
        var rejected: [ExcludedRow] = []
        var rowIndices: [Int] = []
        rowIndices.reserveCapacity(n)
        for i in 0..<n {
            if blankPolicy == .dropRows {
                let blankColumns = columns.indices.filter { ValueParsing.isBlank(raws[$0][i]) }.map { columns[$0].name }
                if !blankColumns.isEmpty {
                    rejected.append(ExcludedRow(index: i, line: table.lineNumbers[i], reason: "blank \(blankColumns.joined(separator: ", "))"))
                    continue
                }
            }
            rowIndices.append(i)
        }
        let dropped = Set(droppedDesignColumns)
        let names = designNames
        let rows = rowIndices.count
        var x = Matrix(rows: rows, columns: names.count)
        for r in 0..<rows { x.values[r] = 1 }
        var unseenRows = Set<Int>()
        var j = 1
        for (c, col) in columns.enumerated() {
            let raw = raws[c]
            switch col.kind {
            case .numeric, .boolean:
                if dropped.contains(col.name) { continue }
                let parse = col.kind == .numeric ? ValueParsing.number : ValueParsing.boolean
                let offset = j * rows
                var badLines: [Int] = [], badValues: [String] = [], blankLines: [Int] = []
                let center = col.scale != nil ? (col.mean ?? 0) : 0
                let scale = (col.scale ?? 1) > 0 ? (col.scale ?? 1) : 1
                for (r, i) in rowIndices.enumerated() {
                    var v: Double
                    if ValueParsing.isBlank(raw[i]) {
                        switch blankPolicy {
                        case .imputeMean: v = col.mean ?? 0
                        case .imputeZero: v = 0
                        case .error, .dropRows: blankLines.append(table.lineNumbers[i]); continue
                        }
                    } else if let parsed = parse(raw[i]) {
                        v = parsed
                    } else {
                        badLines.append(table.lineNumbers[i]); badValues.append(raw[i]); continue
                    }
                    v = (v - center) / scale
                    x.values[offset + r] = v
                }
                if !badLines.isEmpty {
                    if col.kind == .numeric { throw ChurnError.nonNumeric(column: col.name, lines: badLines, values: badValues) }
                    throw ChurnError.invalidOption("column '\(col.name)' is boolean but line \(badLines[0]) has '\(badValues[0])'")
                }
                if !blankLines.isEmpty { throw ChurnError.blanks(column: col.name, lines: blankLines, count: blankLines.count) }
                j += 1
            case .categorical:
                // Map each non-reference, kept level to its design column.
                var columnOf: [String: Int] = [:]
                for dummy in col.designNames.indices {
                    let level = col.levels!.filter { $0 != col.reference }[dummy]
                    if !dropped.contains("\(col.name)_\(level)") { columnOf[level] = j; j += 1 }
                }
                let known = Set(col.levels ?? [])
                var unseen: [String: [Int]] = [:]
                var blankLines: [Int] = []
                for (r, i) in rowIndices.enumerated() {
                    if ValueParsing.isBlank(raw[i]) {
                        if blankPolicy == .error || blankPolicy == .dropRows { blankLines.append(table.lineNumbers[i]) }
                        continue // imputed as the reference level: all dummies 0
                    }
                    let level = ValueParsing.level(raw[i])
                    if let k = columnOf[level] { x.values[k * rows + r] = 1 } else if !known.contains(level) {
                        unseen[level, default: []].append(table.lineNumbers[i])
                        unseenRows.insert(r)
                    }
                }
                if !blankLines.isEmpty { throw ChurnError.blanks(column: col.name, lines: blankLines, count: blankLines.count) }
                if let (level, lines) = unseen.min(by: { $0.value[0] < $1.value[0] }), unseenLevels == .error {
                    throw ChurnError.unseenLevel(column: col.name, level: level, lines: lines)
                }
            }
        }
        return Design(x: x, names: names, rowIndices: rowIndices, rejected: rejected, unseenFallbackRows: unseenRows.count)
    }

    /// The 0/1 target of the design rows. A value other than the two training values is an error.
    public static func targetValues(_ table: CustomerTable, target: TargetEncoding, rows: [Int]) throws -> [Double] {
        let raw = try table.column(named: target.column)
        var y = [Double](repeating: 0, count: rows.count)
        for (r, i) in rows.enumerated() {
            let v = ValueParsing.level(raw[i])
            if v == target.positive { y[r] = 1 } else if v != target.negative {
                throw ChurnError.badTarget(column: target.column, message: "line \(table.lineNumbers[i]) has '\(raw[i])', expected '\(target.positive)' or '\(target.negative)'")
            }
        }
        return y
    }
}

extension FeatureEncoding {
    /// Refuses, before any matrix is built, a design with more columns than training rows (no estimate
    /// exists, and the p x p normal equations of a huge one-hot design would only exhaust memory).
    func requireRowsForColumns(rows: Int) throws {
        let columnsCount = designNames.count
        guard columnsCount > rows else { return }
        let widest = columns.map { BlankCount(column: $0.name, count: $0.designNames.count) }.sorted { $0.count > $1.count }
        throw ChurnError.tooManyColumns(columns: columnsCount, rows: rows, widest: widest)
    }
}
