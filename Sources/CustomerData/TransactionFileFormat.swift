/// How fields are separated in a transaction file.
public enum Delimiter: Sendable, Equatable {
    /// Detect from the first line: the most frequent of `,` `;` tab `|` (outside quotes), else whitespace.
    case auto
    case comma, semicolon, tab, pipe
    /// Fields separated by runs of spaces or tabs, leading spaces ignored (e.g. CDNOW_master.txt). No quoting.
    case whitespace

    /// Parses a command-line value: `auto`, `,`/`comma`, `;`/`semicolon`, `tab`/`\t`, `|`/`pipe`, `whitespace`/`space`.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "auto": self = .auto
        case ",", "comma", "csv": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "\\t", "tab", "tsv": self = .tab
        case "|", "pipe": self = .pipe
        case "whitespace", "space", "spaces", " ": self = .whitespace
        default:
            throw InputError(kind: .badOption, columnName: "delimiter", value: text, problem: "unknown delimiter",
                             remedy: "use auto, comma, semicolon, tab, pipe or whitespace")
        }
    }

    /// The separator byte, nil for whitespace and auto.
    var byte: UInt8? {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .semicolon: return UInt8(ascii: ";")
        case .tab: return UInt8(ascii: "\t")
        case .pipe: return UInt8(ascii: "|")
        case .auto, .whitespace: return nil
        }
    }
}

/// A column chosen by header name or by 1-based position (for headerless files).
public enum Column: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case name(String)
    case number(Int)

    public init(stringLiteral value: String) { self = .name(value) }
    public init(integerLiteral value: Int) { self = .number(value) }

    /// Parses a command-line value: digits mean a 1-based column number, anything else a header name.
    public init(parsing text: String) {
        if let n = Int(text), n >= 1 { self = .number(n) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .name(let n): return "\"\(n)\""
        case .number(let k): return "column \(k)"
        }
    }
}

/// The layout of a transaction file: delimiter, header, which columns hold customer, date and amount,
/// and the date pattern.
public struct TransactionFileFormat: Sendable, Equatable {
    public var delimiter: Delimiter
    /// False for files like CDNOW_sample.txt; columns must then be chosen by number.
    public var hasHeader: Bool
    public var customer: Column
    public var date: Column
    /// Nil when there are no amounts (monetary values are then 0).
    public var amount: Column?
    public var datePattern: DatePattern

    public init(delimiter: Delimiter = .auto, hasHeader: Bool = true, customer: Column = "customer_id",
                date: Column = "date", amount: Column? = nil, datePattern: DatePattern = .iso) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.customer = customer
        self.date = date
        self.amount = amount
        self.datePattern = datePattern
    }
}
