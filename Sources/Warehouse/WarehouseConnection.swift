import CustomerData
import Foundation
import PostgresNIO

/// One connection to a PostgreSQL database, with errors in Klant's terms (`WarehouseError`).
/// The password comes only from `PasswordLookup` (PGPASSWORD or ~/.pgpass) and is never logged.
public final class WarehouseConnection: @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Connects, authenticating with the password `passwords` finds (if the server asks for one).
    /// Dates are exchanged in ISO form (DateStyle ISO) whatever the server's default.
    public static func connect(to location: PostgresLocation, passwords: PasswordLookup = PasswordLookup(),
                               warn: (String) -> Void = { _ in }) async throws -> WarehouseConnection {
        var lookup = passwords
        let password = lookup.password(for: location)
        lookup.warnings.forEach(warn)
        var configuration: PostgresConnection.Configuration
        if location.isUnixSocket {
            configuration = .init(unixSocketPath: "\(location.host)/.s.PGSQL.\(location.port)", username: location.user,
                                  password: password, database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user, password: password,
                                  database: location.database, tls: try tls(location.tls))
        }
        configuration.options.connectTimeout = .seconds(15)
        var logger = Logger(label: "klant.warehouse")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw WarehouseError.wrap(error, location: location, action: "connecting")
        }
        let opened = WarehouseConnection(location: location, connection: connection, logger: logger)
        do {
            try await opened.execute("SET DateStyle TO ISO", action: "setting the date style")
        } catch {
            await opened.close()
            throw error
        }
        return opened
    }

    /// libpq's meaning of sslmode: prefer and require encrypt without checking the certificate.
    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        guard mode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let context = try NIOSSLContext(configuration: tls)
        return mode == .require ? .require(context) : .prefer(context)
    }

    /// Closes the connection (errors while closing are of no use to the caller).
    public func close() async {
        try? await connection.close()
    }

    /// Runs `sql` with bound `binds` and returns its rows as a stream (read them before the next query).
    func query(_ sql: String, binds: PostgresBindings = PostgresBindings(), action: String) async throws -> PostgresRowSequence {
        do {
            return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        } catch {
            throw WarehouseError.wrap(error, location: location, action: action)
        }
    }

    /// Runs a statement and reads its result to the end.
    func execute(_ sql: String, binds: PostgresBindings = PostgresBindings(), action: String) async throws {
        let rows = try await query(sql, binds: binds, action: action)
        do {
            for try await _ in rows {}
        } catch {
            throw WarehouseError.wrap(error, location: location, action: action)
        }
    }

    /// Runs `body` with the connection and closes it afterwards, also when `body` throws.
    public static func with<T>(_ location: PostgresLocation, passwords: PasswordLookup = PasswordLookup(),
                               warn: (String) -> Void = { _ in },
                               _ body: (WarehouseConnection) async throws -> T) async throws -> T {
        let connection = try await connect(to: location, passwords: passwords, warn: warn)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Runs async database work from synchronous code (the CLI's commands), waiting for the result.
/// Must not be called from an async context (it blocks the calling thread).
public func runBlocking<T>(_ body: @escaping () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// The result handed from the task to the waiting thread (written once, read after the semaphore).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
