/// How the text of any input table is written: delimiter, number format and encoding. Every reader
/// (transactions, summaries, customer tables) takes it, so one set of options describes an export.
public struct TableTextFormat: Sendable, Equatable {
    public var delimiter: Delimiter
    public var numbers: NumberFormat
    public var encoding: TextEncoding

    public init(delimiter: Delimiter = .auto, numbers: NumberFormat = NumberFormat(), encoding: TextEncoding = .utf8) {
        self.delimiter = delimiter
        self.numbers = numbers
        self.encoding = encoding
    }
}
