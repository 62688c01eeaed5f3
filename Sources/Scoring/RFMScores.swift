import CustomerData
import Foundation

/// RFM quintile scores and named segments for a customer base (Hughes 1994, "Strategic Database
/// Marketing"): recency, frequency and monetary value each scored 1...5 (5 = best), written as a
/// three-digit `rfm_score` such as `545`, and a named `rfm_segment` from R and F (`RFMSegmentMap`).
///
/// - Recency for scoring is the time since the last purchase, `T - recency` in the lifetimes
///   convention (recency = age at the last repeat purchase, T = age at the end of the period):
///   the shorter, the higher the score.
/// - Frequency and monetary value: the higher, the higher the score. Monetary value is used as
///   given (in a Klant summary: the mean value of the repeat purchases, 0 without repeats).
///
/// Quintiles honour ties (`RankBins`): sort the customers from worst to best; the customer at
/// 0-based position p would get score ⌊5p/n⌋ + 1, and every customer gets the score of the first
/// position holding their value (pandas: `floor(5 * (x.rank(method="min") - 1) / n) + 1`). Equal
/// values therefore get equal scores and the scores do not depend on row order; a large tied group
/// (many customers without repeat purchases) takes the lowest score of the positions it spans, and
/// some scores can then be empty. The cuts learnt on a base (`boundaries`, for the sidecar) score
/// shards of it or new customers the same way.
public struct RFMScores: Sendable {
    /// Scores 1...5 per customer, in input order.
    public let recency: [UInt8]
    public let frequency: [UInt8]
    public let monetary: [UInt8]
    /// Named segment per customer, from R and F.
    public let segments: [RFMSegment]
    /// The same as positions in `RFMSegment.allCases` (the `rfm_segment` column's codes).
    public let segmentCodes: [UInt8]

    /// The quintile cuts the scores came from.
    public let boundaries: Boundaries

    public var count: Int { segments.count }

    /// Quintile cuts per dimension: recency on the time since the last purchase (descending: the
    /// shorter, the higher the score), frequency and monetary value (ascending).
    public struct Boundaries: Codable, Equatable, Sendable {
        public var recency: RankBins
        public var frequency: RankBins
        public var monetary: RankBins

        public init(recency: RankBins, frequency: RankBins, monetary: RankBins) {
            self.recency = recency
            self.frequency = frequency
            self.monetary = monetary
        }

        /// Learns the quintile cuts on a base (inputs checked by the caller).
        static func learning(sinceLast: [Double], frequency: [Double], monetaryValue: [Double]) -> Boundaries {
            Boundaries(recency: RankBins(learning: sinceLast, bins: 5, direction: .descending),
                       frequency: RankBins(learning: frequency, bins: 5, direction: .ascending),
                       monetary: RankBins(learning: monetaryValue, bins: 5, direction: .ascending))
        }
    }

    /// Scores customers from summary columns (one value per customer, same order): `frequency`
    /// (repeat purchases), `recency` and `T` (lifetimes convention) and `monetaryValue`.
    /// Quintile cuts are learnt on these customers, or taken from `boundaries` (learnt on the full
    /// base, when these are a shard of it). Throws on empty input, unequal lengths, non-finite
    /// values and recency outside 0...T.
    public init(frequency: [Double], recency: [Double], T: [Double], monetaryValue: [Double],
                map: RFMSegmentMap = .standard, boundaries: Boundaries? = nil) throws {
        let n = frequency.count
        try ValueChecks.requireCustomers(n, "RFM scores")
        for (values, name) in [(recency, "recency"), (T, "T"), (monetaryValue, "monetary_value")] {
            try ValueChecks.requireLength(values, n, name)
        }
        for (values, name) in [(frequency, "frequency"), (recency, "recency"), (T, "T"), (monetaryValue, "monetary_value")] {
            try ValueChecks.requireFinite(values, name)
        }
        if let i = recency.indices.first(where: { recency[$0] > T[$0] || recency[$0] < 0 }) {
            throw InputError(kind: .badSummaryValue, columnName: "recency", value: "\(recency[i])",
                             problem: "customer number \(i + 1) has recency \(recency[i]) outside 0...T (T = \(T[i]))",
                             remedy: "Recency is the age at the last purchase and cannot exceed T; check the summary's columns")
        }
        let sinceLast = zip(T, recency).map { $0 - $1 }
        let cuts = boundaries ?? .learning(sinceLast: sinceLast, frequency: frequency, monetaryValue: monetaryValue)
        self.boundaries = cuts
        self.recency = cuts.recency.bins(sinceLast)
        self.frequency = cuts.frequency.bins(frequency)
        self.monetary = cuts.monetary.bins(monetaryValue)
        let position = Dictionary(uniqueKeysWithValues: RFMSegment.allCases.enumerated().map { ($1, UInt8($0)) })
        let codeByRF = (0..<25).map { position[map.segment(recency: $0 / 5 + 1, frequency: $0 % 5 + 1)]! }
        self.segmentCodes = zip(self.recency, self.frequency).map { codeByRF[Int($0 - 1) * 5 + Int($1 - 1)] }
        let all = RFMSegment.allCases
        self.segments = segmentCodes.map { all[Int($0)] }
    }

    /// The three digits R, F, M as a number, e.g. 545.
    public func code(at i: Int) -> Int { Int(recency[i]) * 100 + Int(frequency[i]) * 10 + Int(monetary[i]) }

    /// The `rfm_score` cell, e.g. "545".
    public func scoreText(at i: Int) -> String { String(code(at: i)) }

    /// Every customer's R, F, M as one code 0..<125, (R-1)·25 + (F-1)·5 + (M-1), the position of
    /// its text in `scoreLabels`.
    public var scoreCodes: [UInt8] {
        (0..<count).map { i in (recency[i] - 1) * 25 + (frequency[i] - 1) * 5 + (monetary[i] - 1) }
    }

    /// The `rfm_score` texts of the codes: "111", "112", ... "555".
    public static let scoreLabels: [String] = (0..<125).map { c in "\(c / 25 + 1)\(c / 5 % 5 + 1)\(c % 5 + 1)" }

    /// Every customer's R, F, M digits as a number (an integer column without building strings).
    public var codes: [Int] { (0..<count).map(code(at:)) }

    /// Customers per named segment (sidecar `rfm_segments`), in `RFMSegment.allCases` order,
    /// empty segments included so the table always has the same rows.
    public func segmentCounts() -> [SegmentCount] {
        var counts = [Int](repeating: 0, count: RFMSegment.allCases.count)
        for code in segmentCodes { counts[Int(code)] += 1 }
        return RFMSegment.allCases.enumerated().map { SegmentCount(segment: $1, customers: counts[$0]) }
    }

    /// One row of the sidecar's `rfm_segments` table.
    public struct SegmentCount: Codable, Equatable, Sendable {
        public var segment: RFMSegment
        public var customers: Int
    }
}
