import ArgumentParser
import CustomerData
import Foundation

/// How an input table is written: delimiter, numbers, encoding. Shared by every command that reads a
/// table (transactions, summaries, customer tables), so a Dutch export is described once.
struct TextFormatOptions: ParsableArguments {
    @Option(help: "Field delimiter of input tables: auto (the most frequent of , ; tab | on the first line, else whitespace), comma, semicolon, tab, pipe or whitespace. Example: --delimiter semicolon")
    var delimiter = "auto"

    @Flag(help: "Numbers use a decimal comma (12,50); with --thousands-separator . also 1.234,50. Without it, 12,50 is an error that suggests this flag, never a silent misread.")
    var decimalComma = false

    @Flag(help: "Numbers use a decimal point, stated explicitly: 1.234 in a ;-separated file is then 1.234 (without it such values are refused as ambiguous).")
    var decimalPoint = false

    @Option(help: "Thousands separator in numbers: . (1.234,50 with --decimal-comma), comma (1,234.50), ' (1'234.50), space, or none (default). Groups must have 3 digits. Example: --thousands-separator .")
    var thousandsSeparator = "none"

    @Option(help: "Currency symbols or codes stripped from amounts, before or after the number, comma separated. Example: --currency '€,EUR'")
    var currency: String?

    @Option(help: "Character encoding of input tables: utf-8 (default, with or without byte-order mark), windows-1252 (Excel exports on Western Windows) or latin-1. Example: --encoding windows-1252")
    var encoding = "utf-8"

    /// The number format these flags describe.
    func numberFormat() throws -> NumberFormat {
        if decimalComma && decimalPoint { throw ValidationError("give either --decimal-comma or --decimal-point, not both") }
        let format = NumberFormat(decimalMark: decimalComma ? .comma : decimalPoint ? .point : .auto,
                                  thousandsSeparator: try NumberFormat.thousandsSeparator(parsing: thousandsSeparator),
                                  currencySymbols: (currency ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        try format.validate()
        return format
    }

    /// The table format for readers of summaries and customer tables.
    func tableFormat() throws -> TableTextFormat {
        TableTextFormat(delimiter: try Delimiter(parsing: delimiter), numbers: try numberFormat(),
                        encoding: try TextEncoding(parsing: encoding))
    }
}
