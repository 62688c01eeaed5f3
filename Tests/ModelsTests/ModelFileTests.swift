import Foundation
import Linalg
import Models
import Testing

/// The model file's layout: what every fit writes and what older files still read as.
@Suite("Model file")
struct ModelFileTests {
    @Test("every maximum-likelihood fit writes its covariance: symmetric, positive definite, diagonal = squared standard errors, names in parameter order")
    func covarianceIsWrittenByEveryFit() throws {
        let spend = try TestData.cdnowSpend()
        let files = [
            try BetaGeometricNBD.fit(TestData.cdnowPatterns()).modelFile(timeUnit: .calendar(.week), source: nil, patterns: 0),
            try ParetoNBD.fit(TestData.cdnowPatterns()).modelFile(timeUnit: .calendar(.week), source: nil, patterns: 0),
            try GammaGamma.fit(frequency: spend.frequency, monetaryValue: spend.meanSpend).modelFile(source: nil),
            try ShiftedBetaGeometric.fit(survivors: [1000, 631, 468, 382, 326, 289, 262, 241]).modelFile(source: nil),
        ]
        for file in files {
            let covariance = try #require(file.covariance, "\(file.kind.rawValue) has no covariance")
            #expect(covariance.names == file.parameters.map(\.name))
            let n = covariance.names.count
            for i in 0..<n {
                let se = try #require(file.parameters[i].standardError)
                #expect(abs(covariance.rows[i][i].squareRoot() - se) <= 1e-12 * se, "\(file.kind.rawValue) \(covariance.names[i])")
                for j in 0..<n { #expect(covariance.rows[i][j] == covariance.rows[j][i]) }
            }
            // Positive definite: its Cholesky factor exists (what parameter draws need).
            _ = try LAPACK.cholesky(covariance.matrix)
            let decoded = try ModelFile.decode(file.encoded(), source: "memory")
            #expect(decoded.covariance == covariance)
            #expect(decoded.covariance?.value(covariance.names[0], covariance.names[n - 1]) == covariance.rows[0][n - 1])
        }
    }

    @Test("a file without covariance (written before it existed) reads with covariance nil")
    func fileWithoutCovarianceReads() throws {
        var file = try BetaGeometricNBD.fit(TestData.cdnowPatterns()).modelFile(timeUnit: .calendar(.week), source: nil, patterns: 0)
        file.covariance = nil
        let text = try #require(String(data: file.encoded(), encoding: .utf8))
        #expect(!text.contains("covariance"))
        #expect(try ModelFile.decode(file.encoded(), source: "memory").covariance == nil)
    }

    @Test("a covariance matrix of the wrong shape is a damaged file")
    func raggedCovarianceIsRefused() throws {
        let file = try BetaGeometricNBD.fit(TestData.cdnowPatterns()).modelFile(timeUnit: .calendar(.week), source: nil, patterns: 0)
        var json = try #require(JSONSerialization.jsonObject(with: file.encoded()) as? [String: Any])
        json["covariance"] = ["names": ["r", "alpha", "a", "b"], "matrix": [[1.0, 0], [0, 1.0]]]
        let damaged = try JSONSerialization.data(withJSONObject: json)
        #expect { try ModelFile.decode(damaged, source: "m.json") } throws: { "\($0)".contains("m.json is a damaged bg-nbd model file") }
    }
}
