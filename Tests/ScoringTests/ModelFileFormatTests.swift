import Churn
import CustomerData
import Foundation
import Models
import Testing
@testable import Scoring

/// One model-file format for every kind: the same header fields, one fingerprint format, and
/// files of format version 1 (committed before the churn model shared the header) still load.
@Suite struct ModelFileFormatTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func model(_ name: String) -> URL { root.appendingPathComponent("models").appendingPathComponent(name) }
    static func version1(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures/format-v1").appendingPathComponent(name)
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func everyCommittedModelFileHasTheSameHeader() throws {
        for name in ["cdnow-bgnbd.json", "cdnow-pareto-nbd.json", "cdnow-gamma-gamma.json", "donations-bgbb.json",
                     "sbg-regular.json", "telco-churn.json", "cdnow-churn.json"] {
            let json = try Self.json(Self.model(name))
            #expect(json["format_version"] as? Int == 2, "\(name)")
            #expect((json["producer"] as? String)?.hasPrefix("klant ") == true, "\(name)")
            #expect(json["notes"] is [Any], "\(name)")
            let training = try #require(json["training"] as? [String: Any], "\(name)")
            #expect(training["customers"] is Double, "\(name)")
            let fingerprint = try #require(training["fingerprint"] as? String)
            let parts = fingerprint.split(separator: ":")
            #expect(parts.count == 2 && ["fnv1a64", "mix64"].contains(parts[0]) && parts[1].count == 16 && parts[1].allSatisfy(\.isHexDigit),
                    "\(name): \(fingerprint)")
            let convergence = try #require(json["convergence"] as? [String: Any], "\(name)")
            for key in ["converged", "iterations", "evaluations", "gradient_norm", "newton_decrement", "message"] {
                #expect(convergence[key] != nil, "\(name): convergence.\(key)")
            }
            #expect(json["training_data"] == nil, "\(name)")
        }
        // The time unit is there where the model has one, and typed when loaded.
        #expect(try ModelLoader.load(Self.model("cdnow-churn.json")).timeUnit == .week)
        #expect(try ModelLoader.load(Self.model("telco-churn.json")).timeUnit == nil)
        #expect(try ModelLoader.load(Self.model("cdnow-gamma-gamma.json")).timeUnit == nil)
        #expect(try ModelFile.read(from: Self.model("cdnow-gamma-gamma.json")).timeUnit == .currency)
        #expect(try ModelFile.read(from: Self.model("donations-bgbb.json")).timeUnit == .period)
    }

    @Test func version1ChurnFilesLoadAndScoreLikeTheirVersion2Refits() throws {
        let old = try ChurnModel.load(from: Self.version1("telco-churn.json"))
        let new = try ChurnModel.load(from: Self.model("telco-churn.json"))
        #expect(old.formatVersion == 1 && new.formatVersion == 2)
        #expect(old.coefficients == new.coefficients && old.encoding == new.encoding && old.penalty == new.penalty)
        #expect(old.training.fingerprint == new.training.fingerprint)
        #expect(old.training.customers == new.training.customers && old.training.rows == new.training.rows)
        #expect(old.convergence.converged && old.convergence.gradientNorm == new.convergence.gradientNorm)
        #expect(old.timeUnit == nil)

        let summaryModel = try ChurnModel.load(from: Self.version1("cdnow-churn.json"))
        #expect(summaryModel.timeUnit == .calendar(.week))
        #expect(summaryModel.coefficients == (try ChurnModel.load(from: Self.model("cdnow-churn.json"))).coefficients)

        // Written again, a version 1 model is a version 2 file that reads back to the same model.
        var reread = try ChurnModel.decode(try ModelFileFormat.encoder().encode(old))
        #expect(reread.formatVersion == 2)
        reread.formatVersion = 1
        #expect(reread == old)
    }

    @Test func version1MaximumLikelihoodFilesLoadWithoutCovariance() throws {
        for (name, kind) in [("cdnow-bgnbd.json", ModelKind.bgnbd), ("cdnow-gamma-gamma.json", .gammaGamma), ("donations-bgbb.json", .bgbb)] {
            let loaded = try ModelLoader.load(Self.version1(name))
            #expect(loaded.kind == kind)
            let old = try ModelFile.read(from: Self.version1(name))
            let new = try ModelFile.read(from: Self.model(name))
            #expect(old.formatVersion == 1 && old.covariance == nil && new.covariance != nil)
            #expect(old.parameters == new.parameters && old.timeUnit == new.timeUnit, "\(name)")
        }
    }

    @Test func aFutureVersionOrUnknownTimeUnitIsAClearError() throws {
        var json = try Self.json(Self.model("telco-churn.json"))
        json["format_version"] = 3
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let future = dir.appendingPathComponent("future.json")
        try JSONSerialization.data(withJSONObject: json).write(to: future)
        #expect { try ModelLoader.load(future) } throws: { "\($0)".contains("format_version 3, newer than this klant reads (2)") }

        var bgnbd = try Self.json(Self.model("cdnow-bgnbd.json"))
        bgnbd["time_unit"] = "fortnight"
        let odd = dir.appendingPathComponent("odd.json")
        try JSONSerialization.data(withJSONObject: bgnbd).write(to: odd)
        #expect { try ModelLoader.load(odd) } throws: { "\($0)".contains("unknown time unit 'fortnight'") && "\($0)".contains("odd.json") }
    }
}
