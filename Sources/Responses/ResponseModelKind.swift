import CustomerData
import Foundation
import Models

/// The model kinds of this module, as written in a model file's `kind`. Commands read a file's
/// header once and send response models here, everything else to the kinds of `Models` / `Churn`.
public enum ResponseModelKind: String, CaseIterable, Sendable {
    /// A logistic model for any binary target: the churn module's training path under another name.
    case propensity
    /// Response probabilities per arm of a randomised campaign and the uplift of each treatment.
    case uplift
    /// Item-item recommender from purchase histories.
    case crossSell = "cross-sell"

    /// The response kind of a model file, or nil when the file holds another kind of model.
    public static func of(_ url: URL) throws -> ResponseModelKind? {
        struct Header: Decodable { var kind: String? }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ResponseError.wrongModelFile(path: url.path, message: "cannot be read: \(error.localizedDescription)")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else { return nil }
        return header.kind.flatMap(ResponseModelKind.init(rawValue:))
    }
}

/// Versioned JSON model files of this module: `format_version`, `kind`, snake_case keys, written
/// atomically; reading checks kind and version before decoding the rest.
enum ResponseModelFile {
    private struct Header: Decodable { var format_version: Int?; var kind: String? }

    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        try AtomicFile.write(try ModelFileFormat.encoder().encode(value), to: url)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL, kind: ResponseModelKind, currentVersion: Int) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ResponseError.wrongModelFile(path: url.path, message: "cannot be read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw ResponseError.wrongModelFile(path: url.path, message: "is not a JSON model file")
        }
        guard header.kind == kind.rawValue else {
            throw ResponseError.wrongModelFile(path: url.path, message: "is a '\(header.kind ?? "unknown")' model, not a '\(kind.rawValue)' model")
        }
        guard let version = header.format_version else { throw ResponseError.wrongModelFile(path: url.path, message: "has no format_version") }
        guard version <= currentVersion else {
            throw ResponseError.wrongModelFile(path: url.path, message: "has format_version \(version), newer than this Klant reads (\(currentVersion)); upgrade Klant")
        }
        do { return try decoder.decode(T.self, from: data) } catch {
            throw ResponseError.wrongModelFile(path: url.path, message: "is damaged or incomplete: \(error)")
        }
    }
}
