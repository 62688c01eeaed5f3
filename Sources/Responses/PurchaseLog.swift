import CustomerData
import Foundation

/// Which columns of a line-item log (one row per invoice line) cross-sell reads.
public struct PurchaseLogColumns: Sendable, Equatable {
    public var customer: String
    /// The item (e.g. StockCode), or an item group (e.g. a category) to recommend groups.
    public var item: String
    public var date: String
    /// Optional: rows with quantity ≤ 0 are returns, not purchases.
    public var quantity: String?
    /// Optional: invoices starting with `cancelledInvoicePrefix` are cancellations, not purchases.
    public var invoice: String?
    public var datePattern: DatePattern
    public var cancelledInvoicePrefix: String

    public init(customer: String = "customer_id", item: String = "item", date: String = "date", quantity: String? = nil,
                invoice: String? = nil, datePattern: DatePattern = .iso, cancelledInvoicePrefix: String = "C") {
        self.customer = customer; self.item = item; self.date = date; self.quantity = quantity; self.invoice = invoice
        self.datePattern = datePattern; self.cancelledInvoicePrefix = cancelledInvoicePrefix
    }
}

/// Purchases from a line-item log, interned: one entry per purchase line kept, customer and item as
/// indices into `customers` / `items`, the day as a `CalendarDay` number. Returns (quantity ≤ 0)
/// and cancelled invoices are not purchases; lines without a customer id are counted and left out.
public struct PurchaseLog: Sendable {
    public var customers: [String]
    public var items: [String]
    public var customerOfLine: [Int32]
    public var itemOfLine: [Int32]
    public var dayOfLine: [Int32]

    public struct Counts: Sendable, Equatable {
        public var lines = 0
        public var blankCustomer = 0
        public var returns = 0
        public var cancelled = 0
        public var used = 0
        public init() {}
    }
    public var counts: Counts

    public init(customers: [String], items: [String], customerOfLine: [Int32], itemOfLine: [Int32], dayOfLine: [Int32], counts: Counts = Counts()) {
        self.customers = customers; self.items = items; self.customerOfLine = customerOfLine
        self.itemOfLine = itemOfLine; self.dayOfLine = dayOfLine; self.counts = counts
    }

    /// Reads a log file (CSV; gzip, standard input `-` and locales as `CustomerTable` reads them).
    public init(contentsOf url: URL, columns: PurchaseLogColumns) throws {
        try self.init(table: try CustomerTable(contentsOf: url), columns: columns)
    }

    public init(path: String, format: TableTextFormat, columns: PurchaseLogColumns) throws {
        try self.init(table: try CustomerTable(path: path, format: format), columns: columns)
    }

    /// Reads the purchases of a table. A blank item, an unreadable date or quantity is an error
    /// naming the line and column.
    public init(table: CustomerTable, columns: PurchaseLogColumns) throws {
        func column(_ name: String, _ option: String) throws -> [String] {
            guard table.hasColumn(name) else {
                throw ResponseError.invalidInput("\(table.source): no column '\(name)' (\(option)); columns are \(table.columnNames.joined(separator: ", "))")
            }
            return try table.column(named: name)
        }
        let customer = try column(columns.customer, "--customer-column"), item = try column(columns.item, "--item-column")
        let date = try column(columns.date, "--date-column")
        let quantity = try columns.quantity.map { try column($0, "--quantity-column") }
        let invoice = try columns.invoice.map { try column($0, "--invoice-column") }
        var counts = Counts()
        counts.lines = table.rowCount
        var customerIndex: [String: Int32] = [:], itemIndex: [String: Int32] = [:]
        var customers: [String] = [], items: [String] = []
        var cl: [Int32] = [], il: [Int32] = [], dl: [Int32] = []
        for r in 0..<table.rowCount {
            let id = customer[r].trimmingCharacters(in: .whitespaces)
            if id.isEmpty { counts.blankCustomer += 1; continue }
            if let invoice, invoice[r].hasPrefix(columns.cancelledInvoicePrefix) { counts.cancelled += 1; continue }
            if let quantity {
                guard let q = Double(quantity[r].trimmingCharacters(in: .whitespaces)), q.isFinite else {
                    throw ResponseError.invalidInput("\(table.source) line \(table.lineNumbers[r]), column '\(columns.quantity!)': '\(quantity[r])' is not a number")
                }
                if q <= 0 { counts.returns += 1; continue }
            }
            let it = item[r].trimmingCharacters(in: .whitespaces)
            guard !it.isEmpty else {
                throw ResponseError.invalidInput("\(table.source) line \(table.lineNumbers[r]), column '\(columns.item)': blank item")
            }
            let day = try Self.day(date[r], pattern: columns.datePattern, source: table.source, line: table.lineNumbers[r], column: columns.date)
            let c = customerIndex[id] ?? { let k = Int32(customers.count); customers.append(id); customerIndex[id] = k; return k }()
            let i = itemIndex[it] ?? { let k = Int32(items.count); items.append(it); itemIndex[it] = k; return k }()
            cl.append(c); il.append(i); dl.append(Int32(day))
        }
        counts.used = cl.count
        self.init(customers: customers, items: items, customerOfLine: cl, itemOfLine: il, dayOfLine: dl, counts: counts)
    }

    /// The day of a date or date-time cell (ISO date-times such as `2011-09-01 08:26` give their date).
    static func day(_ text: String, pattern: DatePattern, source: String, line: Int, column: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let datePart = pattern == .iso ? String(trimmed.prefix(10)) : trimmed
        do { return try CalendarDay(parsing: datePart, pattern: pattern, option: column).dayNumber } catch {
            throw ResponseError.invalidInput("\(source) line \(line), column '\(column)': '\(text)' is not a date (\(pattern.pattern)); give --date-format")
        }
    }

    /// The last day in the log.
    public var lastDay: CalendarDay? { dayOfLine.max().map { CalendarDay(dayNumber: Int($0)) } }

    /// Each customer's distinct items bought on days ≤ `through` (all days for nil), sorted: the
    /// customer-item incidence in compressed rows.
    public func baskets(through: CalendarDay? = nil, after: CalendarDay? = nil) -> [[Int32]] {
        let hi = through.map { Int32($0.dayNumber) } ?? .max, lo = after.map { Int32($0.dayNumber) } ?? .min
        // Counting sort of the kept lines by customer, then each customer's items sorted and deduplicated.
        var start = [Int](repeating: 0, count: customers.count + 1)
        for l in customerOfLine.indices where dayOfLine[l] <= hi && dayOfLine[l] > lo { start[Int(customerOfLine[l]) + 1] += 1 }
        for c in 0..<customers.count { start[c + 1] += start[c] }
        var fill = start
        var items = [Int32](repeating: 0, count: start[customers.count])
        for l in customerOfLine.indices where dayOfLine[l] <= hi && dayOfLine[l] > lo {
            let c = Int(customerOfLine[l])
            items[fill[c]] = itemOfLine[l]; fill[c] += 1
        }
        return (0..<customers.count).map { c in
            var basket = Array(items[start[c]..<start[c + 1]])
            basket.sort()
            var kept = 0
            for i in basket.indices where i == 0 || basket[i] != basket[i - 1] { basket[kept] = basket[i]; kept += 1 }
            basket.removeLast(basket.count - kept)
            return basket
        }
    }

    public var countsReport: String {
        var parts = ["\(counts.used) purchase lines of \(counts.lines)", "\(customers.count) customers", "\(items.count) items"]
        if counts.blankCustomer > 0 { parts.append("\(counts.blankCustomer) lines without a customer id left out") }
        if counts.cancelled > 0 { parts.append("\(counts.cancelled) cancellation lines left out") }
        if counts.returns > 0 { parts.append("\(counts.returns) returns (quantity ≤ 0) left out") }
        return parts.joined(separator: "; ")
    }
}
