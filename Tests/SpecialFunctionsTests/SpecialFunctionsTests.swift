import Foundation
import Testing
@testable import SpecialFunctions

// Reference values: mpmath 1.3 at 50 digits on the exact binary doubles of the arguments, printed
// to 20 significant digits by Tests/ModelsTests/peers/pareto_special_functions_reference.py.

private func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

@Suite("special functions")
struct SpecialFunctionsTests {
    /// log 2F1(a, b; c; z) = mpmath.log(mpmath.hyp2f1(a, b, c, z)).
    static let hypergeometric: [(Double, Double, Double, Double, Double)] = [
        (1, 1, 2, 0.5, 0.3266342599782809824),
        (0.5, 1.5, 3, 0.999, 0.52471696699113878418),
        (1, 1, 2, 0.999, 1.933645234249648897),
        (2.5, 3.5, 1.5, 0.999, 31.931625023907858682),
        (500, 1, 501, 0.999, 6.1351771232733171331),
        (500, 500, 1001, 0.5, 158.1740887484900551),
        (500, 500, 2, 0.9, 2953.2938495562824907),
        // Pareto/NBD: 2F1(r+s+x, r+x; r+s+x+1; (β−α)/(β+t)) at the CDNOW estimates, x = 500 and x = 2,
        // and the α ≥ β branch 2F1(r+s+x, s+1; r+s+x+1; ·).
        (501.1595, 500.5533, 502.1595, 0.9, 1150.2668697951765163),
        (2.1595, 2.5533, 3.1595, 0.026, 0.045946705533334627527),
        (10.1595, 1.6062, 11.1595, 0.3, 0.51462236101914478931),
        // sBG DERL at d = 1e-4: 2F1(1, β+n+1; α+β+n+1; 1/(1+d)).
        (1, 8, 10.5, 1 / (1 + 1e-4), 1.8443067867307882207),
        (0.3, 0.7, 0.5, 0.99, 2.1185566856922717133),
        (3, 4, 5, 0.0, 0.0),
    ]

    @Test("log 2F1 matches mpmath to 1e-12 relative, including z = 0.999 and a, b = 500")
    func hypergeometricMatchesMpmath() throws {
        for (a, b, c, z, expected) in Self.hypergeometric {
            let value = try SpecialFunctions.logHypergeometric2F1(a, b, c, z)
            if expected == 0 {
                #expect(value == 0)
            } else {
                #expect(relativeError(value, expected) < 1e-12, "log 2F1(\(a), \(b); \(c); \(z)) = \(value), mpmath \(expected)")
            }
        }
    }

    @Test("Euler-transformed 2F1 (incl. one of c − a, c − b in (−1, 0): the BG/NBD expectation with a < 1) equals the plain series (1e-13)")
    func hypergeometricTransformationsMatchTheSeries() throws {
        // BG/NBD's 2F1(r+x, b+x; a+b+x−1; z) over parameters, purchase counts and horizons.
        for (r, a, b) in [(0.243, 0.795, 2.44), (0.24, 0.3, 5.0), (1.5, 0.99, 0.8), (0.5, 1.8, 3.0)] {
            for x in [0.0, 1, 2, 5, 17, 60, 300] {
                for z in [1e-4, 0.1, 0.54, 0.9, 0.99] {
                    let (pa, pb, pc) = (r + x, b + x, a + b + x - 1)
                    guard pc > 0 else { continue }
                    let value = try SpecialFunctions.logHypergeometric2F1(pa, pb, pc, z)
                    let plain = try SpecialFunctions.logGaussSeries(base: 1, first: pa * pb * z / pc, pa, pb, pc, z, maxTerms: 10_000_000,
                                                                    original: (pa, pb, pc))
                    #expect(abs(value - plain) <= 1e-13 * max(1, abs(plain)), "log 2F1(\(pa), \(pb); \(pc); \(z)) = \(value), series \(plain)")
                }
            }
        }
    }

    @Test("log 2F1 throws instead of returning NaN or Inf")
    func hypergeometricThrows() {
        for (a, b, c, z) in [(1.0, 1.0, 2.0, 1.0), (1, 1, 2, -0.5), (-1, 1, 2, 0.5), (1, 0, 2, 0.5), (1, 1, 2, .nan), (.infinity, 1, 2, 0.5)] {
            #expect(throws: HypergeometricError.self) { try SpecialFunctions.logHypergeometric2F1(a, b, c, z) }
        }
        // So close to 1 that the series cannot finish: a clear error, not a wrong number.
        #expect(throws: HypergeometricError.self) { try SpecialFunctions.logHypergeometric2F1(1, 1, 1.5, 1 - 1e-12, maxTerms: 100_000) }
    }

    @Test("closed forms: 2F1(1, 1; 2; z) = −log(1−z)/z and 2F1(a, b; b; z) = (1−z)^−a")
    func hypergeometricClosedForms() throws {
        for z in [1e-8, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999] {
            // (For tiny z the closed form's own log(1 + z/2 + …) is the inaccurate side.)
            if z >= 0.1 {
                let value = try SpecialFunctions.logHypergeometric2F1(1, 1, 2, z)
                #expect(relativeError(value, log(-log1p(-z) / z)) < 1e-12)
            }
            for a in [0.5, 3, 250] {
                // c = b + 1e-12 avoids the exact-identity shortcut for c = b, so the series itself is tested.
                let v = try SpecialFunctions.logHypergeometric2F1(a, 2.5, 2.5, z)
                let series = try SpecialFunctions.logHypergeometric2F1(a, 2.5, 2.5 + 1e-12, min(z, 0.999))
                #expect(relativeError(series, -a * log1p(-min(z, 0.999))) < 1e-9, "a \(a) z \(z): series \(series)")
                #expect(relativeError(v, -a * log1p(-z)) < 1e-12, "a \(a) z \(z): \(v)")
            }
        }
    }

    @Test("c (2F1 − 1) matches mpmath through c = 0 and for −1 < c < 0, and the 2F1 series for c > 0")
    func remainderTimesC() throws {
        // mpmath 1.3 (dps 40): a b z 3F2(a+1, b+1, 1; c+1, 2; z), equal to c (hyp2f1(a, b, c, z) − 1) where c ≠ 0.
        let reference: [(Double, Double, Double, Double, Double)] = [
            (0.25, 0.6, -0.15, 0.3, 0.068126638962351409573), (0.25, 0.6, -0.15, 0.9, 1.7193299989056374117),
            (0.25, 0.75, 0, 0.5, 0.19849721357880328563), (0.25, 0.75, 0, 0.95, 4.1565689999299490215),
            (1.2, 0.3, -0.5, 0.7, 4.4103431737253932969), (0.8, 2.5, 1.3, 0.6, 4.6770888298936849698),
        ]
        for (a, b, c, z, expected) in reference {
            let value = try SpecialFunctions.hypergeometric2F1RemainderTimesC(a, b, c, z)
            #expect(relativeError(value, expected) < 1e-13, "c (2F1(\(a), \(b); \(c); \(z)) − 1) = \(value), mpmath \(expected)")
        }
        for (a, b, c, z) in [(0.5, 1.5, 2.0, 0.4), (3.0, 0.2, 0.7, 0.9)] {
            let viaSeries = c * expm1(try SpecialFunctions.logHypergeometric2F1(a, b, c, z))
            #expect(relativeError(try SpecialFunctions.hypergeometric2F1RemainderTimesC(a, b, c, z), viaSeries) < 1e-13)
        }
        #expect(try SpecialFunctions.hypergeometric2F1RemainderTimesC(0.5, 0.5, -0.5, 0) == 0)
        #expect(throws: HypergeometricError.self) { try SpecialFunctions.hypergeometric2F1RemainderTimesC(0.5, 0.5, -1, 0.5) }
        #expect(throws: HypergeometricError.self) { try SpecialFunctions.hypergeometric2F1RemainderTimesC(0.5, 0.5, 0.5, 1) }
    }

    @Test("digamma, trigamma and log-beta match mpmath")
    func gammaFamilyMatchesMpmath() {
        let digamma: [(Double, Double)] = [
            (1e-08, -100000000.57721564636), (0.1, -10.423754940411076232), (0.5, -1.9635100260214234794),
            (1, -0.57721566490153286061), (2.5, 0.70315664064524318723), (5.99, 1.704302797413848917),
            (6, 1.7061176684318004727), (10, 2.2517525890667211076), (123.456, 4.8118293238289854123),
            (1000000.0, 13.815510057964190771),
        ]
        for (x, expected) in digamma {
            #expect(relativeError(SpecialFunctions.digamma(x), expected) < 1e-14, "ψ(\(x)) = \(SpecialFunctions.digamma(x)), mpmath \(expected)")
        }
        // At the root 1.4616… (mpmath: −9.24e-17) only an absolute bound makes sense.
        #expect(abs(SpecialFunctions.digamma(1.4616321449683622) - -9.2412655217294275168e-17) < 1e-15)

        let trigamma: [(Double, Double)] = [
            (1e-08, 10000000000000001.226), (0.1, 101.4332991507927477), (0.5, 4.9348022005446793094),
            (1, 1.6449340668482264365), (2.5, 0.49035775610023486497), (6, 0.18132295573711532536),
            (10, 0.10516633568168574612), (123.456, 0.0081329458342781978071), (1000000.0, 1.0000005000001666667e-6),
        ]
        for (x, expected) in trigamma {
            #expect(relativeError(SpecialFunctions.trigamma(x), expected) < 1e-14, "ψ'(\(x)) = \(SpecialFunctions.trigamma(x)), mpmath \(expected)")
        }

        let logBeta: [(Double, Double, Double)] = [
            (0.5, 0.5, 1.1447298858494001741), (0.704, 1.182, 0.21994837295509749197),
            (2.5, 40, -8.9836273392981518376), (30, 0.001, 6.9037944303038294155),
            (1000000.0, 0.001, 6.8933633753253894704), (1000, 1000.5, -1388.8292377261776657),
            (100000000.0, 2.5, -45.767019008157994396), (12, 15, -18.568172732389434645),
            (0.01, 0.02, 5.0103133506979857571),
        ]
        for (a, b, expected) in logBeta {
            #expect(relativeError(SpecialFunctions.logBeta(a, b), expected) < 1e-13, "log B(\(a), \(b)) = \(SpecialFunctions.logBeta(a, b)), mpmath \(expected)")
            #expect(SpecialFunctions.logBeta(a, b) == SpecialFunctions.logBeta(b, a))
        }
        #expect(SpecialFunctions.logBeta(1, 1) == 0)
        #expect(SpecialFunctions.digamma(0).isNaN && SpecialFunctions.digamma(-1).isNaN)
    }

    @Test("digamma is the derivative of log-gamma and trigamma the derivative of digamma")
    func derivatives() {
        for x in [0.3, 1.7, 9.5, 12.5, 40] {
            let h = 1e-5 * x
            let dLogGamma = (SpecialFunctions.logGamma(x + h) - SpecialFunctions.logGamma(x - h)) / (2 * h)
            let dDigamma = (SpecialFunctions.digamma(x + h) - SpecialFunctions.digamma(x - h)) / (2 * h)
            #expect(abs(dLogGamma - SpecialFunctions.digamma(x)) < 1e-8 * max(1, abs(dLogGamma)))
            #expect(abs(dDigamma - SpecialFunctions.trigamma(x)) < 1e-7 * max(1, abs(dDigamma)))
        }
    }
}
