import CustomerData

/// Maps a recency score R and a frequency score F (each 1...5, 5 = best) to a named segment.
///
/// The standard map is the common R×F grid used in RFM practice (as in the widely copied
/// "RFM segmentation" regex map of customer-analytics notebooks), with `lost` carved out of
/// `hibernating` at R = 1, F = 1:
///
/// | R \ F | 1 | 2 | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | **5** | new | potential_loyalist | potential_loyalist | champions | champions |
/// | **4** | promising | potential_loyalist | potential_loyalist | loyal | loyal |
/// | **3** | about_to_sleep | about_to_sleep | need_attention | loyal | loyal |
/// | **2** | hibernating | hibernating | at_risk | at_risk | cannot_lose |
/// | **1** | lost | hibernating | at_risk | at_risk | cannot_lose |
///
/// The monetary score does not enter the name (it is the third digit of `rfm_score`).
public struct RFMSegmentMap: Equatable, Sendable {
    /// `grid[(r - 1) * 5 + (f - 1)]`.
    public let grid: [RFMSegment]

    /// A custom map: `rows[r - 1][f - 1]` is the segment for recency score r and frequency score f.
    public init(rows: [[RFMSegment]]) throws {
        guard rows.count == 5, rows.allSatisfy({ $0.count == 5 }) else {
            throw InputError(kind: .badOption, problem: "an RFM segment map needs 5 rows (R = 1...5) of 5 segments (F = 1...5)",
                             remedy: "Give one segment for every pair of recency and frequency scores")
        }
        grid = rows.flatMap { $0 }
    }

    /// The segment for recency score `r` and frequency score `f` (both 1...5).
    public func segment(recency r: Int, frequency f: Int) -> RFMSegment { grid[(r - 1) * 5 + (f - 1)] }

    /// The map in the table above.
    public static let standard = try! RFMSegmentMap(rows: [
        // R = 1
        [.lost, .hibernating, .atRisk, .atRisk, .cannotLose],
        // R = 2
        [.hibernating, .hibernating, .atRisk, .atRisk, .cannotLose],
        // R = 3
        [.aboutToSleep, .aboutToSleep, .needAttention, .loyal, .loyal],
        // R = 4
        [.promising, .potentialLoyalist, .potentialLoyalist, .loyal, .loyal],
        // R = 5
        [.new, .potentialLoyalist, .potentialLoyalist, .champions, .champions],
    ])
}
