import CustomerData
import Foundation

/// Everything `klant score` adds to the CLV in one call: the value matrix, RFM scores and
/// segments (when a purchase history is given; a contractual base has none), profit deciles and
/// the profitability picture, with the score-table columns (`value_segment`, `rfm_score`,
/// `rfm_segment`, `profit_decile`) and the sidecar's summary tables.
public struct ValueAnalytics: Sendable {
    /// Every threshold, with the documented defaults (see docs/scoring.md).
    public struct Options: Equatable, Sendable {
        public var splits: ValueMatrix.Splits
        public var rfmMap: RFMSegmentMap
        public var profitability: ProfitabilityPicture.Options
        /// Cuts learnt on the full base, to score a shard of it (nil: learnt on these customers).
        public var rfmBoundaries: RFMScores.Boundaries?
        public var decileBoundaries: RankBins?

        public init(splits: ValueMatrix.Splits = .init(), rfmMap: RFMSegmentMap = .standard,
                    profitability: ProfitabilityPicture.Options = .init(),
                    rfmBoundaries: RFMScores.Boundaries? = nil, decileBoundaries: RankBins? = nil) {
            self.splits = splits
            self.rfmMap = rfmMap
            self.profitability = profitability
            self.rfmBoundaries = rfmBoundaries
            self.decileBoundaries = decileBoundaries
        }
    }

    /// The thresholds the value matrix used (sidecar `value_matrix_thresholds`).
    public struct Thresholds: Codable, Equatable, Sendable {
        public var currentSplit: String
        public var current: Double
        public var potentialSplit: String
        public var potential: Double

        enum CodingKeys: String, CodingKey {
            case currentSplit = "current_split", current, potentialSplit = "potential_split", potential
        }
    }

    /// The sidecar's summary tables, snake_case keys as in the score-table contract.
    public struct Summary: Codable, Equatable, Sendable {
        public var valueMatrix: [ValueMatrix.Quadrant]
        public var valueMatrixThresholds: Thresholds
        public var rfmSegments: [RFMScores.SegmentCount]?
        public var rfmBoundaries: RFMScores.Boundaries?
        public var profitDecileBoundaries: RankBins
        public var profitability: ProfitabilityPicture

        enum CodingKeys: String, CodingKey {
            case valueMatrix = "value_matrix", valueMatrixThresholds = "value_matrix_thresholds"
            case rfmSegments = "rfm_segments", rfmBoundaries = "rfm_boundaries"
            case profitDecileBoundaries = "profit_decile_boundaries", profitability
        }
    }

    public let matrix: ValueMatrix
    public let rfm: RFMScores?
    public let profitDeciles: [UInt8]
    public let profitDecileBoundaries: RankBins
    public let profitability: ProfitabilityPicture

    /// Computes the segments and the picture from per-customer values in the scored order.
    public init(historicRevenue: [Double], historicNetValue: [Double], clv: [Double],
                history: PurchaseHistory? = nil, options: Options = .init()) throws {
        // Two independent halves, one per core: the segments, and the picture behind two sorts of a
        // million values (run side by side when the other half is done first).
        let (segments, profit) = try concurrently({
            (try ValueMatrix(historicNetValue: historicNetValue, clv: clv, splits: options.splits),
             try history.map {
                 try RFMScores(frequency: $0.frequency, recency: $0.recency, T: $0.T, monetaryValue: $0.monetaryValue,
                               map: options.rfmMap, boundaries: options.rfmBoundaries)
             })
        }, {
            try ValueChecks.requireCustomers(historicNetValue.count, "profit deciles")
            try ValueChecks.requireFinite(historicNetValue, "historic_net_value")
            try ProfitabilityPicture.checkInputs(revenue: historicRevenue, netValue: historicNetValue, options: options.profitability)
            let (netAscending, revenueAscending) = try concurrently({ RadixSort.ascending(historicNetValue) },
                                                                    { RadixSort.ascending(historicRevenue) })
            // One sort of the net values serves the decile cuts and the picture.
            let ownCuts = ProfitDecile.boundaries(netAscending: netAscending)
            let boundaries = options.decileBoundaries ?? ownCuts
            let deciles = boundaries.bins(historicNetValue)
            return (boundaries, deciles,
                    try ProfitabilityPicture(checkedRevenue: historicRevenue, netValue: historicNetValue, revenueAscending: revenueAscending,
                                             netAscending: netAscending, deciles: options.decileBoundaries == nil ? deciles : nil,
                                             options: options.profitability))
        })
        (matrix, rfm) = segments
        (profitDecileBoundaries, profitDeciles, profitability) = profit
    }

    /// Computes them from a score table's `historic_revenue`, `historic_net_value` and `clv`
    /// columns (rows in the table's order).
    public init(scoreTable table: ScoreTable, history: PurchaseHistory? = nil, options: Options = .init()) throws {
        func column(_ name: String) throws -> [Double] {
            guard let values = table.numbers(name) else {
                throw InputError(kind: .missingColumn, columnName: name, problem: "the score table has no numeric column \(name)",
                                 remedy: "Compute historic_revenue, historic_net_value and clv before the segments")
            }
            return values
        }
        try self.init(historicRevenue: try column("historic_revenue"), historicNetValue: try column("historic_net_value"),
                      clv: try column("clv"), history: history, options: options)
    }

    /// The summary tables for the sidecar.
    public var summary: Summary {
        Summary(valueMatrix: matrix.quadrants,
                valueMatrixThresholds: Thresholds(currentSplit: matrix.splits.current.description, current: matrix.currentThreshold,
                                                  potentialSplit: matrix.splits.potential.description, potential: matrix.potentialThreshold),
                rfmSegments: rfm?.segmentCounts(), rfmBoundaries: rfm?.boundaries,
                profitDecileBoundaries: profitDecileBoundaries, profitability: profitability)
    }

    /// The score-table columns in contract order: `value_segment`, `rfm_score`, `rfm_segment`
    /// (when RFM was computed) and `profit_decile`.
    public func columns() -> [ScoreTable.Column] {
        var out: [ScoreTable.Column] = [.labels("value_segment", codes: matrix.segments.map { UInt8($0.index) },
                                                 labels: ValueSegment.allCases.map(\.rawValue))]
        if let rfm {
            out.append(.labels("rfm_score", codes: rfm.scoreCodes, labels: RFMScores.scoreLabels))
            out.append(.labels("rfm_segment", codes: rfm.segmentCodes, labels: RFMSegment.allCases.map(\.rawValue)))
        }
        out.append(.integer("profit_decile", profitDeciles.map(Int.init)))
        return out
    }
}
