import Foundation

/// Finds the password for a `PostgresLocation` as libpq does, and nowhere else: `PGPASSWORD`, then the
/// password file (`PGPASSFILE`, default `~/.pgpass`), whose lines are `host:port:database:user:password`
/// with `*` matching anything and `\:` / `\\` escaping. As libpq, a password file readable by group or
/// others is ignored (with a warning), and a Unix-socket host matches the name `localhost`.
public struct PasswordLookup: Sendable {
    public var environment: [String: String]
    /// Messages about an ignored password file (the caller logs them; they never contain the password).
    public private(set) var warnings: [String] = []

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The password for `location`, or nil when none is configured (the server may not need one).
    public mutating func password(for location: PostgresLocation) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        guard let path = passwordFilePath, FileManager.default.fileExists(atPath: path) else { return nil }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            warnings.append("password file \(path) is ignored: it is readable by group or others; run chmod 0600 \(path)")
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let host = location.isUnixSocket ? "localhost" : location.host
        let wanted = [host, String(location.port), location.database, location.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// `PGPASSFILE`, else `~/.pgpass` (HOME from the environment).
    var passwordFilePath: String? {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        guard let home = environment["HOME"] ?? Optional(NSHomeDirectory()) else { return nil }
        return (home as NSString).appendingPathComponent(".pgpass")
    }

    /// Splits a password-file line at unescaped colons, undoing `\:` and `\\`.
    static func fields(_ line: String) -> [String] {
        var fields: [String] = [], current = ""
        var escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else if c == ":" { fields.append(current); current = "" }
            else { current.append(c) }
        }
        fields.append(current)
        return fields
    }
}
