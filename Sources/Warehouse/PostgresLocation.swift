import Foundation

/// Where a PostgreSQL database is: `postgresql://user@host:port/database[?sslmode=disable|prefer|require]`
/// (`postgres://` too). The host may be a Unix-socket directory, percent-encoded (`postgresql://me@%2Fvar%2Frun%2Fpostgresql/shop`).
///
/// A password in the URL is refused: it would end up in shell history, process lists and logs. The password
/// comes from `PGPASSWORD` or `~/.pgpass` (`PasswordLookup`), and `description` never shows one.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable { case disable, prefer, require }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(user: String, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// True for text that should be read as a database location rather than a file path.
    public static func isLocation(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Parses the URL. `environment` supplies PGUSER (default user when the URL has none).
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let scheme = text.hasPrefix("postgresql://") ? "postgresql://" : text.hasPrefix("postgres://") ? "postgres://" : nil
        guard let scheme else {
            throw WarehouseError.badLocation("'\(text)' is not a postgresql:// URL", remedy: Self.example)
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var database = ""
        if let slash = rest.firstIndex(of: "/") {
            database = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var user = ""
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if userInfo.contains(":") {
                throw WarehouseError.badLocation("the URL contains a password, which would be visible in shell history, process lists and logs",
                                                 remedy: "remove it from the URL and set PGPASSWORD or add a line to ~/.pgpass (host:port:database:user:password, mode 0600)")
            }
            user = String(userInfo)
            rest = rest[rest.index(after: at)...]
        }
        var hostPart = String(rest)
        var port = 5432
        if hostPart.hasPrefix("[") , let close = hostPart.firstIndex(of: "]") {   // [IPv6]:port
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(String(after.dropFirst()), text) }
            hostPart = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
        } else if let colon = hostPart.lastIndex(of: ":") {
            port = try Self.port(String(hostPart[hostPart.index(after: colon)...]), text)
            hostPart = String(hostPart[..<colon])
        }
        func decode(_ s: String, _ what: String) throws -> String {
            guard let d = s.removingPercentEncoding else {
                throw WarehouseError.badLocation("the \(what) in '\(text)' has a bad percent-encoding", remedy: Self.example)
            }
            return d
        }
        self.host = try decode(hostPart.isEmpty ? "localhost" : hostPart, "host")
        self.user = try decode(user, "user")
        self.database = try decode(database, "database")
        self.port = port
        self.tls = .prefer
        if self.user.isEmpty { self.user = environment["PGUSER"] ?? NSUserName() }
        if self.database.isEmpty { self.database = self.user }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, kv[0] == "sslmode" else {
                throw WarehouseError.badLocation("unknown URL parameter '\(pair)'", remedy: "the only parameter is sslmode=disable|prefer|require")
            }
            guard let mode = TLSMode(rawValue: kv[1]) else {
                throw WarehouseError.badLocation("sslmode must be disable, prefer or require, not '\(kv[1])'", remedy: Self.example)
            }
            self.tls = mode
        }
    }

    private static func port(_ text: String, _ url: String) throws -> Int {
        guard let p = Int(text), (1...65535).contains(p) else {
            throw WarehouseError.badLocation("the port '\(text)' in '\(url)' is not a number from 1 to 65535", remedy: example)
        }
        return p
    }

    static let example = "write it as postgresql://user@host:port/database, e.g. postgresql://analyst@localhost:5432/shop"

    /// A Unix-socket directory rather than a network host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The URL without any secret (there is none in it), for messages and logs.
    public var description: String {
        let shownHost = isUnixSocket ? (host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host) : host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }
}
