import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct ValueMatrixTests {
    /// Historic value and CLV of 8 customers; medians 35 and 150 (means of the middle pairs).
    static let historic: [Double] = [10, 20, 30, 40, 50, 60, 70, 80]
    static let clv: [Double] = [300, 100, 200, 50, 250, 150, 100, 150]

    @Test func segmentsFollowTheMedianOfEachAxis() throws {
        let m = try ValueMatrix(historicNetValue: Self.historic, clv: Self.clv)
        #expect(m.currentThreshold == 45 && m.potentialThreshold == 150)
        // CLV 150 sits exactly at the potential threshold: low.
        #expect(m.segments == [.opportunity, .tolerate, .opportunity, .tolerate, .top, .retain, .retain, .retain])
    }

    @Test func valuesAtTheThresholdAreLow() throws {
        // Splits at fixed amounts equal to some customers' values: those customers are low.
        let m = try ValueMatrix(historicNetValue: [5, 10, 15], clv: [1, 2, 3],
                                splits: .init(current: .amount(10), potential: .amount(2)))
        #expect(m.segments == [.tolerate, .tolerate, .top])
        // All values equal (e.g. no repeat revenue at all): the median equals every value, so everyone is low.
        let flat = try ValueMatrix(historicNetValue: [7, 7, 7], clv: [0, 0, 0])
        #expect(flat.segments == [.tolerate, .tolerate, .tolerate])
    }

    @Test func countsAndSharesAddUp() throws {
        var g = SeededValues(seed: 11)
        let n = 10_007
        let historic = (0..<n).map { _ in 400 * g.uniform() - 50 }
        let clv = (0..<n).map { _ in 900 * g.uniform() * g.uniform() - 20 }
        let m = try ValueMatrix(historicNetValue: historic, clv: clv, splits: try .init(parsing: "current=q0.8,potential=amount:100"))
        #expect(m.quadrants.map(\.customers).reduce(0, +) == n)
        #expect(abs(m.quadrants.map(\.customerShare).reduce(0, +) - 1) < 1e-12)
        #expect(abs(m.quadrants.map(\.valueShare).reduce(0, +) - 1) < 1e-12)
        #expect(abs(m.quadrants.map(\.historicValueShare).reduce(0, +) - 1) < 1e-12)
        #expect(nearlyEqual(m.quadrants.map(\.valueSum).reduce(0, +), clv.reduce(0, +), 1e-12))
        for s in ValueSegment.allCases {
            let members = m.segments.indices.filter { m.segments[$0] == s }
            #expect(m.quadrant(s).customers == members.count)
            #expect(nearlyEqual(m.quadrant(s).valueSum, members.map { clv[$0] }.reduce(0, +), 1e-12))
        }
    }

    @Test func thresholdsAreHonouredAndMatchNumpyQuantiles() throws {
        var g = SeededValues(seed: 5)
        let n = 2_001
        let historic = (0..<n).map { _ in (1000 * g.uniform()).rounded() / 10 }  // many ties
        let clv = (0..<n).map { _ in 500 * g.uniform() }
        let m = try ValueMatrix(historicNetValue: historic, clv: clv, splits: try .init(parsing: "current=q0.8"))
        let path = try writeValueCSV([("x", historic)])
        let peer = try runValuePeer([Double].self, ["quantiles", path, "0.8", "0.5"])
        #expect(nearlyEqual(m.currentThreshold, peer[0], 1e-12))
        let path2 = try writeValueCSV([("x", clv)])
        #expect(nearlyEqual(m.potentialThreshold, try runValuePeer([Double].self, ["quantiles", path2, "0.5"])[0], 1e-12))
        for i in 0..<n {
            let highCurrent = m.segments[i] == .top || m.segments[i] == .retain
            let highPotential = m.segments[i] == .top || m.segments[i] == .opportunity
            #expect(highCurrent == (historic[i] > m.currentThreshold))
            #expect(highPotential == (clv[i] > m.potentialThreshold))
        }
    }

    @Test func rowOrderDoesNotChangeAnyCustomersSegment() throws {
        var g = SeededValues(seed: 3)
        let n = 1_000
        let historic = (0..<n).map { _ in (10 * g.uniform()).rounded() }
        let clv = (0..<n).map { _ in (10 * g.uniform()).rounded() }
        let m = try ValueMatrix(historicNetValue: historic, clv: clv)
        let p = g.permutation(n)
        let shuffled = try ValueMatrix(historicNetValue: p.map { historic[$0] }, clv: p.map { clv[$0] })
        #expect(p.indices.allSatisfy { shuffled.segments[$0] == m.segments[p[$0]] })
        #expect(shuffled.quadrants.map(\.customers) == m.quadrants.map(\.customers))
    }

    @Test func splitTextParsesEveryForm() throws {
        #expect(try ValueSplit(parsing: "median") == .median)
        #expect(try ValueSplit(parsing: " Q0.8 ") == .quantile(0.8))
        #expect(try ValueSplit(parsing: "amount:250") == .amount(250))
        #expect(try ValueSplit(parsing: "amount:-12.5") == .amount(-12.5))
        let both = try ValueMatrix.Splits(parsing: "q0.9")
        #expect(both.current == .quantile(0.9) && both.potential == .quantile(0.9))
        let per = try ValueMatrix.Splits(parsing: "potential=amount:100")
        #expect(per.current == .median && per.potential == .amount(100))
        #expect(try ValueMatrix.Splits(parsing: per.description) == per)
    }

    @Test(arguments: ["", "mean", "q1", "q0", "q1.5", "qx", "amount:", "amount:abc", "amount:nan", "80%"])
    func badSplitTextSaysWhatToWrite(_ text: String) {
        do {
            _ = try ValueSplit(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains("median, q0.8") && "\(error)".contains("amount:250"))
        }
    }

    @Test func badAxisNameIsAnError() {
        #expect(throws: InputError.self) { try ValueMatrix.Splits(parsing: "future=q0.8") }
        #expect(throws: InputError.self) { try ValueMatrix.Splits(parsing: "current=q2") }
        #expect(throws: InputError.self) { try ValueMatrix.Splits(parsing: "current=q0.8,current=median") }
    }

    @Test func emptyUnequalAndNonFiniteInputsAreErrors() {
        #expect(throws: InputError.self) { try ValueMatrix(historicNetValue: [], clv: []) }
        #expect(throws: InputError.self) { try ValueMatrix(historicNetValue: [1, 2], clv: [1]) }
        do {
            _ = try ValueMatrix(historicNetValue: [1, 2, 3], clv: [1, .nan, 3])
            Issue.record("NaN accepted")
        } catch {
            #expect("\(error)".contains("clv") && "\(error)".contains("customer number 2"))
        }
        #expect(throws: InputError.self) { try ValueMatrix(historicNetValue: [.infinity], clv: [1]) }
    }

    @Test func sharesOfAZeroTotalAreZero() throws {
        let m = try ValueMatrix(historicNetValue: [-1, 1], clv: [0, 0])
        #expect(m.quadrants.allSatisfy { $0.valueShare == 0 })
    }

    @Test func quadrantRowsEncodeWithSnakeCaseKeys() throws {
        let m = try ValueMatrix(historicNetValue: Self.historic, clv: Self.clv)
        let json = String(decoding: try JSONEncoder().encode(m.quadrants), as: UTF8.self)
        for key in ["\"segment\"", "\"customers\"", "\"customer_share\"", "\"value_share\"", "\"value_sum\"",
                    "\"historic_value_sum\"", "\"historic_value_share\"", "\"opportunity\""] {
            #expect(json.contains(key), "\(key)")
        }
    }
}
