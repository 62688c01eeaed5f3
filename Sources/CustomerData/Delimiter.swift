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
