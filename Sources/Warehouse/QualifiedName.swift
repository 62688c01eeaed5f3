import CustomerData

/// A table name, optionally schema-qualified. Each part is one identifier, always written double-quoted
/// (embedded quotes doubled), so names with capitals, spaces, dots or quotes are safe and exact.
public struct QualifiedName: Sendable, Equatable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, name: String) throws {
        try QualifiedName.check(name, "table")
        if let schema { try QualifiedName.check(schema, "schema") }
        self.schema = schema
        self.name = name
    }

    /// Parses command-line text: `orders`, `sales.orders`, or double-quoted parts with `""` for a quote
    /// (`"Sales Data"."my.table"`). An unquoted dot separates schema and table.
    public init(parsing text: String) throws {
        var parts: [String] = [], current = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if c == "." {
                parts.append(current)
                current = ""
                wasQuoted = false
            } else if wasQuoted {
                throw WarehouseError.badName("text after the closing quote in the table name \(text)",
                                             remedy: "quote each whole part, e.g. \"Sales\".\"Orders 2024\"")
            } else {
                current.append(c)
            }
        }
        if quoted { throw WarehouseError.badName("the table name \(text) has an unclosed quote", remedy: "close the quote, doubling quotes inside (\"\")") }
        parts.append(current)
        guard parts.count <= 2 else {
            throw WarehouseError.badName("the table name \(text) has more than two dot-separated parts",
                                         remedy: "give table or schema.table; quote a part that contains a dot, e.g. \"my.table\"")
        }
        try self.init(schema: parts.count == 2 ? parts[0] : nil, name: parts[parts.count - 1])
    }

    /// `"schema"."name"` or `"name"`.
    public var sql: String { (schema.map { WarehouseSQL.quoteIdentifier($0) + "." } ?? "") + WarehouseSQL.quoteIdentifier(name) }

    /// The parts, for `CustomerData.SQLSource.table`.
    public var parts: [String] { (schema.map { [$0] } ?? []) + [name] }

    public var description: String { sql }

    /// PostgreSQL truncates identifiers beyond 63 bytes without an error, which could silently address
    /// another table: such names are refused, as are empty names and NUL characters.
    static func check(_ identifier: String, _ what: String) throws {
        if identifier.isEmpty {
            throw WarehouseError.badName("the \(what) name is empty", remedy: "give a name, e.g. sales.orders")
        }
        if identifier.utf8.count > 63 {
            throw WarehouseError.badName("the \(what) name \(WarehouseSQL.quoteIdentifier(identifier)) is \(identifier.utf8.count) bytes; PostgreSQL keeps only 63",
                                         remedy: "choose a name of at most 63 bytes")
        }
        if identifier.utf8.contains(0) {
            throw WarehouseError.badName("the \(what) name contains a NUL character", remedy: "remove it")
        }
    }
}
