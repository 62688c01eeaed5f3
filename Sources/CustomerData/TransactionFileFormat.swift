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
    /// Line-item logs (one line per item): the amount is quantity x unit price (instead of `amount`).
    public var quantity: Column?
    public var price: Column?
    /// Lines with the same invoice number are one transaction, dated by the invoice's first line.
    public var invoice: Column?
    /// Invoices whose number starts with this (Online Retail's "C") are cancellations: their amount
    /// counts as negative (a return) under the negative-amount policy, whatever the sign of the quantity.
    public var cancelledPrefix: String?

    public init(delimiter: Delimiter = .auto, hasHeader: Bool = true, customer: Column = "customer_id",
                date: Column = "date", amount: Column? = nil, datePattern: DatePattern = .iso,
                numbers: NumberFormat = NumberFormat(), encoding: TextEncoding = .utf8,
                quantity: Column? = nil, price: Column? = nil, invoice: Column? = nil, cancelledPrefix: String? = nil) {
        self.quantity = quantity
        self.price = price
        self.invoice = invoice
        self.cancelledPrefix = cancelledPrefix
        self.numbers = numbers
        self.encoding = encoding
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.customer = customer
        self.date = date
        self.amount = amount
        self.datePattern = datePattern
    }

    /// Checks that the column options fit together.
    func validate() throws {
        if (quantity == nil) != (price == nil) {
            throw InputError(kind: .badOption, columnName: quantity == nil ? "price column" : "quantity column",
                             problem: "a line-item amount needs both a quantity and a unit price column",
                             remedy: "give both --quantity-column and --price-column, or an --amount-column")
        }
        if quantity != nil && amount != nil {
            throw InputError(kind: .badOption, columnName: "amount column",
                             problem: "give either an amount column or quantity and price columns, not both",
                             remedy: "drop --amount-column (the amount is quantity x price) or drop --quantity-column and --price-column")
        }
        if cancelledPrefix != nil && invoice == nil {
            throw InputError(kind: .badOption, columnName: "cancelled prefix", value: cancelledPrefix,
                             problem: "cancellations are recognised by their invoice number, and no invoice column is given",
                             remedy: "add --invoice-column (e.g. InvoiceNo)")
        }
        if let prefix = cancelledPrefix, prefix.isEmpty {
            throw InputError(kind: .badOption, columnName: "cancelled prefix", value: prefix, problem: "the prefix is empty",
                             remedy: "give the letters that start a cancelled invoice's number, e.g. C")
        }
    }
}
