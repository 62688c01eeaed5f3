import Foundation
import Testing
@testable import Reports

@Suite struct NumberFormatTests {
    @Test func fixedGroupsThousandsAndUsesATrueMinusSign() {
        #expect(NumberFormat.fixed(1234567.891, decimals: 2) == "1,234,567.89")
        #expect(NumberFormat.fixed(-95368.4412, decimals: 2) == "−95,368.44")
        #expect(NumberFormat.fixed(999.5, decimals: 0) == "1,000")
        #expect(NumberFormat.fixed(-0.0004, decimals: 3) == "0.000")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "–")
    }

    @Test func compactKeepsThreeSignificantDigitsWithSuffixesAboveTenThousand() {
        #expect(NumberFormat.compact(1234) == "1,234")
        #expect(NumberFormat.compact(23570) == "23.6k")
        #expect(NumberFormat.compact(12_345_678) == "12.3M")
        #expect(NumberFormat.compact(2.5e9) == "2.50B")
        #expect(NumberFormat.compact(0.012345) == "0.0123")
        #expect(NumberFormat.short(0.2) == "0.2")
        #expect(NumberFormat.short(1.5) == "1.5")
        #expect(NumberFormat.short(10) == "10")
    }

    @Test func tickLabelsUseTheStepsDecimalsAndSuffixes() {
        #expect(NumberFormat.ticks([0, 0.2, 0.4], step: 0.2) == ["0.0", "0.2", "0.4"])
        #expect(NumberFormat.ticks([0, 5000, 10000, 15000], step: 5000) == ["0", "5k", "10k", "15k"])
        #expect(NumberFormat.ticks([0, 2_000_000, 4_000_000, 20_000_000], step: 2_000_000) == ["0", "2M", "4M", "20M"])
        #expect(NumberFormat.ticks([0, 25, 50], step: 25) == ["0", "25", "50"])
        #expect(NumberFormat.percent(0.1234) == "12.3%")
    }

    @Test func exactTextReadsBackToTheSameDouble() {
        for x in [0.1, 1.0 / 3, 2.5e-17, 123456789.123, -4.75] {
            #expect(Double(NumberFormat.exact(x)) == x)
        }
    }

    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(LinearScale.niceStep(0.13) == 0.2)
        #expect(LinearScale.niceStep(3) == 5)
        #expect(LinearScale.niceStep(7) == 10)
        #expect(LinearScale.niceStep(1) == 1)
        let scale = LinearScale(domain: LinearScale.niceDomain([0.03, 0.97]), range: (0, 100))
        #expect(scale.domain.0 == 0 && scale.domain.1 == 1)
        #expect(scale.ticks(count: 6).values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    }

    @Test func logScaleSnapsToOneTwoFiveAndTicksInside() {
        let scale = LogScale(domain: (0.29, 1.5), range: (0, 100))
        #expect(scale.domain.0 == 0.2 && scale.domain.1 == 2)
        let ticks = scale.ticks()
        #expect(ticks.first! >= 0.2 && ticks.last! <= 2 && ticks.contains(1))
        // One decade from 0.2 to 2: 1 sits at log10(1 / 0.2) = log10(5) of the width.
        #expect(abs(scale(1) - 100 * log10(5)) < 1e-9)
    }

    @Test func paletteIsOkabeItoAndViridisEnds() {
        #expect(Palette.color(0) == "#0072B2")
        #expect(Palette.color(8) == Palette.color(0))
        #expect(Palette.sequential(0) == "#440154")
        #expect(Palette.sequential(1) == "#FDE725")
        #expect(Palette.textColor(onSequential: 0) == "#FFFFFF")
        #expect(Palette.textColor(onSequential: 1) == "#000000")
    }
}
