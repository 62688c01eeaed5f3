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
    /// How amounts are written (decimal comma, thousands separator, currency symbols).
    public var numbers: NumberFormat
    /// The file's character encoding (converted to UTF-8 while reading).
    public var encoding: TextEncoding

    public init(delimiter: Delimiter = .auto, hasHeader: Bool = true, customer: Column = "customer_id",
                date: Column = "date", amount: Column? = nil, datePattern: DatePattern = .iso,
                numbers: NumberFormat = NumberFormat(), encoding: TextEncoding = .utf8) {
        self.numbers = numbers
        self.encoding = encoding
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.customer = customer
        self.date = date
        self.amount = amount
        self.datePattern = datePattern
    }
}
