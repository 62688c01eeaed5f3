import CVectorMath
import CustomerData
import Foundation
import Linalg
import Optimize
import SpecialFunctions

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an
/// alternative to the Pareto/NBD model", Marketing Science 24(2), and the note "Implementing the
/// BG/NBD model for customer base analysis in Excel", brucehardie.com/notes/004):
/// while alive a customer buys by a Poisson process with rate λ ~ Gamma(r, α); after every
/// repeat purchase she drops out with probability p ~ Beta(a, b).
public struct BetaGeometricNBD: BetaGeometricFamily, Equatable {
    public static let kind = ModelKind.bgnbd
    public static let parameterNames = ["r", "alpha", "a", "b"]

    public let r: Double, alpha: Double, a: Double, b: Double
    public var parameters: [Double] { [r, alpha, a, b] }

    public init(parameters: [Double]) throws {
        let p = try Self.checkedParameters(parameters)
        (r, alpha, a, b) = (p[0], p[1], p[2], p[3])
    }

    public init(r: Double, alpha: Double, a: Double, b: Double) throws {
        try self.init(parameters: [r, alpha, a, b])
    }

    // MARK: likelihood

    /// Shares the likelihood, start, penalty scales and optimiser settings with MBG/NBD
    /// (`BetaGeometricFamily`); FHL (2005) eq. (6).
    static let likelihoodVariant = BetaGeometricLikelihood.Variant.original

    // MARK: predictions

    /// P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)), the denominator
    /// of FHL (2005) eq. (10) (Fader, Hardie & Lee, note "Computing P(alive) using the BG/NBD
    /// model"); evaluated from its log-odds so it stays in [0, 1] for any x.
    /// P(X(T, T+t) = 0 | x, t_x, T); see `BetaGeometricLikelihood.probabilityOfNoPurchases`.
    public func probabilityOfNoPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double? {
        BetaGeometricLikelihood.probabilityOfNoPurchases(alive: probabilityAlive(frequency: x, recency: tx, T: T),
                                                         r: r, alpha: alpha, horizon: t, frequency: x, T: T)
    }

    public func probabilityAlive(frequency x: Double, recency tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let logOdds = log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return probabilityFromLogOdds(logOdds)
    }

    /// E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] P(alive),
    /// FHL (2005) eq. (10), with the ₂F₁ product in log space (x in the hundreds does not overflow).
    public func conditionalExpectedPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double {
        expectedPurchasesIfAlive(horizon: t, frequency: x, T: T) * probabilityAlive(frequency: x, recency: tx, T: T)
    }

    /// The first factor of eq. (10): expected purchases in (T, T+t] of a customer known to be alive.
    public func expectedPurchasesIfAlive(horizon t: Double, frequency x: Double, T: Double) -> Double {
        guard t > 0 else { return 0 }
        if let (below, above) = nudgedAroundUnitA() {
            return 0.5 * (below.expectedPurchasesIfAlive(horizon: t, frequency: x, T: T) + above.expectedPurchasesIfAlive(horizon: t, frequency: x, T: T))
        }
        return Self.expectationShape(a: a, hypergeometricA: r + x, hypergeometricB: b + x, c: a + b + x - 1,
                                     z: t / (alpha + T + t), logPower: (r + x) * log((alpha + T) / (alpha + T + t)))
    }

    /// E[X(t)] = (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))], FHL (2005) eq. (9).
    public func expectedPurchases(horizon t: Double) -> Double {
        guard t > 0 else { return 0 }
        if let (below, above) = nudgedAroundUnitA() {
            return 0.5 * (below.expectedPurchases(horizon: t) + above.expectedPurchases(horizon: t))
        }
        return Self.expectationShape(a: a, hypergeometricA: r, hypergeometricB: b, c: a + b - 1,
                                     z: t / (alpha + t), logPower: r * log(alpha / (alpha + t)))
    }

    /// P(X(t) = k) = B(a, b+k)/B(a, b) NB(k) + δ(k>0) B(a+1, b+k−1)/B(a, b) [1 − Σ_{j<k} NB(j)],
    /// FHL (2005) eq. (8), where NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j.
    public func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double {
        guard k >= 0 else { return 0 }
        let logB = SpecialFunctions.logBeta(a, b)
        let first = exp(SpecialFunctions.logBeta(a, b + Double(k)) - logB + logNegativeBinomial(k, r: r, alpha: alpha, t: t))
        guard k > 0 else { return first }
        let tail = negativeBinomialTail(atLeast: k, r: r, alpha: alpha, t: t)
        return first + exp(SpecialFunctions.logBeta(a + 1, b + Double(k) - 1) - logB) * tail
    }

    /// Scores many customers over all cores. The ₂F₁ term of the conditional expectation depends
    /// only on (x, T), which real summaries (dates → days / 7) repeat across many customers, so
    /// each core caches it per distinct (x, T); per customer there remain one log and one exp.
    public func score(horizon t: Double, frequency: [Double], recency: [Double], T: [Double]) -> (probabilityAlive: [Double], expectedPurchases: [Double]) {
        let n = frequency.count
        var alive = [Double](repeating: 0, count: n)
        var expected = [Double](repeating: 0, count: n)
        let logA = log(a)
        /// Per (x, T): r + x, ln(α+T), ln a − ln(b+x−1) (−∞ for x = 0), and the expectation
        /// of an alive customer (a+b+x−1)/(a−1) (1 − G).
        struct Entry { let rx: Double, logAlphaT: Double, logOddsConstant: Double, expectedIfAlive: Double }
        alive.withUnsafeMutableBufferPointer { aliveBuffer in
            expected.withUnsafeMutableBufferPointer { expectedBuffer in
                nonisolated(unsafe) let aliveOut = aliveBuffer, expectedOut = expectedBuffer
                // Several chunks per core, so a core slowed by other work does not hold up the rest.
                let chunks = Swift.max(1, Swift.min(n / 65_536, 4 * ProcessInfo.processInfo.activeProcessorCount))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var cache = ScoreCache<Entry>()
                    let lo = n * c / chunks, hi = n * (c + 1) / chunks
                    for i in lo..<hi {
                        let x = frequency[i], bigT = T[i]
                        let entry = cache.value(x.bitPattern, bigT.bitPattern) {
                            Entry(rx: r + x, logAlphaT: log(alpha + bigT),
                                  logOddsConstant: x > 0 ? logA - log(b + x - 1) : -.infinity,
                                  expectedIfAlive: expectedPurchasesIfAlive(horizon: t, frequency: x, T: bigT))
                        }
                        let p: Double
                        if entry.logOddsConstant == -.infinity { p = 1 } else {
                            p = probabilityFromLogOdds(entry.logOddsConstant + entry.rx * (entry.logAlphaT - log(alpha + recency[i])))
                        }
                        aliveOut[i] = p
                        expectedOut[i] = entry.expectedIfAlive * p
                    }
                }
            }
        }
        return (alive, expected)
    }

    /// At a = 1 the expectations are 0/0 (a removable singularity): within 5e-7 of it they are
    /// evaluated as the mean of the models with a ∓ 1e-6 (error O(1e-12) relative).
    func nudgedAroundUnitA() -> (BetaGeometricNBD, BetaGeometricNBD)? {
        guard abs(a - 1) < 5e-7,
              let below = try? BetaGeometricNBD(r: r, alpha: alpha, a: 1 - 1e-6, b: b),
              let above = try? BetaGeometricNBD(r: r, alpha: alpha, a: 1 + 1e-6, b: b) else { return nil }
        return (below, above)
    }

    /// c/(a−1) (1 − exp(logPower + log ₂F₁)): the shared shape of the BG/NBD and MBG/NBD
    /// expectations. For a < 1 numerator and denominator are both negative (see
    /// `nudgedAroundUnitA` for a = 1).
    static func scaledOneMinusHypergeometric(a: Double, c: Double, logPower: Double, logHypergeometric: () throws -> Double) -> Double {
        guard let logF = try? logHypergeometric() else { return .nan }
        return c / (a - 1) * -expm1(logPower + logF)
    }

    /// c/(a−1) (1 − P ₂F₁(A, B; c; z)), P = exp(logPower), for eq. (9)–(10), whose prefactor is the
    /// ₂F₁'s own c = a+b+x−1. When c ≤ 0 (a + b ≤ 1 and x = 0) the ₂F₁ has its pole (c = 0) or terms
    /// of both signs, but the product does not: c (1 − P F) = c (1 − P) − P · c (F − 1), and
    /// c (F − 1) is a series of positive terms for c > −1 (`hypergeometric2F1RemainderTimesC`).
    static func expectationShape(a: Double, hypergeometricA: Double, hypergeometricB: Double, c: Double,
                                 z: Double, logPower: Double) -> Double {
        if c > 0 {
            return scaledOneMinusHypergeometric(a: a, c: c, logPower: logPower) {
                try SpecialFunctions.logHypergeometric2F1(hypergeometricA, hypergeometricB, c, z)
            }
        }
        guard let remainder = try? SpecialFunctions.hypergeometric2F1RemainderTimesC(hypergeometricA, hypergeometricB, c, z) else { return .nan }
        return (c * -expm1(logPower) - exp(logPower) * remainder) / (a - 1)
    }
}

/// A per-thread cache keyed by two bit patterns (open addressing, linear probing, load ≤ 1/2):
/// cheaper than a Dictionary for the scoring loop's one lookup per customer. Stops growing at
/// 2^20 entries, after which misses are computed without being stored.
struct ScoreCache<Value> {
    private var keys: [(UInt64, UInt64)] = []
    private var values: [Value?] = []
    private var bits: UInt64 = 0
    private var count = 0
    /// Lookups and hits so far; when few repeat (continuous times: every customer is its own
    /// pattern), the table only costs memory traffic and is dropped.
    private var lookups = 0, hits = 0
    private var bypass = false

    mutating func value(_ k1: UInt64, _ k2: UInt64, compute: () -> Value) -> Value {
        if bypass { return compute() }
        lookups += 1
        if lookups == 16_384 && hits < lookups / 4 {
            bypass = true
            keys = []; values = []
            return compute()
        }
        if bits == 0 { resize(to: 12) }
        let mask = (1 << Int(bits)) - 1
        var slot = Int(truncatingIfNeeded: (((k1 ^ (k1 >> 32)) &* 0x9E37_79B9_7F4A_7C15 ^ k2 ^ (k2 >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> (64 - bits)) & mask
        while let v = values[slot] {
            if keys[slot] == (k1, k2) { hits += 1; return v }
            slot = (slot + 1) & mask
        }
        let v = compute()
        guard count < 1 << 20 else { return v }
        keys[slot] = (k1, k2); values[slot] = v; count += 1
        if count * 2 > keys.count { resize(to: bits + 1) }
        return v
    }

    private mutating func resize(to newBits: UInt64) {
        let oldKeys = keys, oldValues = values
        bits = newBits
        keys = Array(repeating: (0, 0), count: 1 << Int(bits))
        values = Array(repeating: nil, count: 1 << Int(bits))
        count = 0
        let mask = (1 << Int(bits)) - 1
        for i in oldValues.indices {
            guard let v = oldValues[i] else { continue }
            let (k1, k2) = oldKeys[i]
            var slot = Int(truncatingIfNeeded: (((k1 ^ (k1 >> 32)) &* 0x9E37_79B9_7F4A_7C15 ^ k2 ^ (k2 >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> (64 - bits)) & mask
            while values[slot] != nil { slot = (slot + 1) & mask }
            keys[slot] = (k1, k2); values[slot] = v; count += 1
        }
    }
}

/// exp(−log(1 + exp(l))): a probability from its log-odds against, in [0, 1] without overflow.
@inline(__always)
func probabilityFromLogOdds(_ logOdds: Double) -> Double {
    logOdds > 0 ? exp(-logOdds - log1p(exp(-logOdds))) : 1 / (1 + exp(logOdds))
}

/// log of the NBD probability Γ(r+k)/(Γ(r) k!) (α/(α+t))^r (t/(α+t))^k.
func logNegativeBinomial(_ k: Int, r: Double, alpha: Double, t: Double) -> Double {
    let kk = Double(k)
    let logT = t > 0 ? kk * log(t / (alpha + t)) : (k == 0 ? 0 : -.infinity)
    return logGamma(r + kk) - logGamma(r) - logGamma(kk + 1) + r * log(alpha / (alpha + t)) + logT
}

/// P(N ≥ k) for the NBD above: 1 − Σ_{j<k} NB(j) (k is a purchase count, so the sum is short;
/// tails below about 1e-15 come out as 0).
func negativeBinomialTail(atLeast k: Int, r: Double, alpha: Double, t: Double) -> Double {
    var cdf = 0.0
    for j in 0..<k { cdf += exp(logNegativeBinomial(j, r: r, alpha: alpha, t: t)) }
    return max(0, 1 - cdf)
}

/// The log-likelihood of BG/NBD and MBG/NBD over compressed patterns, with the analytic gradient
/// and, when asked, the analytic Hessian from the same pass.
///
/// Both likelihoods have the form LL = A(x) + log(exp(L3) + exp(L4)) per customer with
/// - A(x) = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x+s) − ln B(a, b) (s = 0 BG/NBD, 1 MBG/NBD),
/// - L3 = −(r+x) ln(α+T),
/// - L4 = ln a − ln(b+x−1+s) − (r+x) ln(α+t_x), present for x > 0 (BG/NBD) or always (MBG/NBD):
/// FHL (2005) eq. (6) and Batislam, Denizel & Filiztekin (2007) in lifetimes' form.
/// With softmax weights w3, w4 of L3 and L4, ∇ log(e^L3 + e^L4) = w3 ∇L3 + w4 ∇L4 and
/// ∇² = w3 ∇²L3 + w4 ∇²L4 + w3 w4 (∇L3 − ∇L4)(∇L3 − ∇L4)ᵀ, so the Hessian needs no further logs.
/// Terms that depend only on x are computed once per distinct x; logs of α+T and α+t_x once per
/// distinct time when times repeat (dates in days), else inline per pattern (continuous times,
/// where a table of distinct values would cost more than it saves); the per-pattern loop is split
/// over the cores.
struct BetaGeometricLikelihood: Sendable {
    enum Variant: Sendable { case original, modified }

    /// A time column (T or t_x): its distinct values and each pattern's index into them when
    /// values repeat, or the values themselves (index nil).
    struct TimeColumn: Sendable {
        let values: [Double]
        let index: [Int32]?

        /// Indexes the column when a sample shows that values repeat (under a quarter distinct).
        init(_ column: [Double]) {
            let sample = Array(column.prefix(4096))
            if distinctIndex(sample).distinct.count * 4 < Swift.max(1, sample.count) {
                let indexed = distinctIndex(column)
                values = indexed.distinct; index = indexed.index
            } else {
                values = column; index = nil
            }
        }
    }

    let variant: Variant
    let distinctX: [Double]
    let weightPerX: [Double]
    let xIndex: [Int32]
    let T: TimeColumn, recency: TimeColumn
    let weight: [Double]

    init(_ data: PurchasePatterns, variant: Variant) {
        self.variant = variant
        let xs = distinctIndex(data.frequency)
        distinctX = xs.distinct; xIndex = xs.index
        T = TimeColumn(data.T)
        recency = TimeColumn(data.recency)
        weight = data.weight
        var wx = [Double](repeating: 0, count: xs.distinct.count)
        for i in data.weight.indices { wx[Int(xs.index[i])] += data.weight[i] }
        weightPerX = wx
    }

    /// Total log-likelihood at θ = (r, α, a, b); writes ∂LL/∂θ.
    func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        var none: Matrix? = nil
        return evaluate(theta, gradient: &gradient, hessian: &none)
    }

    /// Per-pattern sums of one chunk: value, ∂/∂r, ∂/∂α, Σw4, Σw4/(b+x−1+s), then the Hessian's
    /// parts (see `hessian(from:)`).
    static let sums = 17

    /// Rows per block of the pattern loop: its five scratch columns stay in the first-level cache.
    static let block = 256

    /// Total log-likelihood at θ = (r, α, a, b); writes ∂LL/∂θ, and ∂²LL/∂θ² when `hessian` is non-nil.
    func evaluate(_ theta: [Double], gradient: inout [Double], hessian: inout Matrix?) -> Double {
        let r = theta[0], alpha = theta[1], a = theta[2], b = theta[3]
        let shift = variant == .modified ? 1.0 : 0.0
        let wantHessian = hessian != nil
        let nx = distinctX.count
        // Per distinct x: A(x), its gradient and Hessian, and the constant of L4.
        var logPart = 0.0
        var gr = 0.0, galpha = 0.0, ga = 0.0, gb = 0.0
        var hrr = 0.0, hralpha = 0.0, halpha2 = 0.0, haa = 0.0, hbb = 0.0   // ∂²A/∂a∂b = ∂²A/∂a²
        let lnAlpha = log(alpha), psiR = SpecialFunctions.digamma(r), psiAB = SpecialFunctions.digamma(a + b)
        let psiB = SpecialFunctions.digamma(b), lgR = logGamma(r), lgB = logGamma(b), lgAB = logGamma(a + b), lnA = log(a)
        let trigammaR = wantHessian ? SpecialFunctions.trigamma(r) : 0, trigammaAB = wantHessian ? SpecialFunctions.trigamma(a + b) : 0
        let trigammaB = wantHessian ? SpecialFunctions.trigamma(b) : 0
        /// Per distinct x: (r + x, constant of L4 or −∞ when L4 is absent, 1/(b+x−1+s)).
        var perX = [SIMD4<Double>](repeating: .zero, count: nx)
        for j in 0..<nx {
            let x = distinctX[j], w = weightPerX[j]
            let bx = b + x + shift
            let logRateTerm: Double = logGamma(r + x) - lgR + r * lnAlpha
            let logBetaTerm: Double = lgAB + logGamma(bx) - lgB - logGamma(a + bx)
            logPart += w * (logRateTerm + logBetaTerm)
            let psiABX = SpecialFunctions.digamma(a + bx)
            gr += w * (SpecialFunctions.digamma(r + x) - psiR + lnAlpha)
            galpha += w * r / alpha
            ga += w * (psiAB - psiABX)
            gb += w * (psiAB + SpecialFunctions.digamma(bx) - psiB - psiABX)
            if wantHessian {
                let trigammaABX = SpecialFunctions.trigamma(a + bx)
                hrr += w * (SpecialFunctions.trigamma(r + x) - trigammaR)
                hralpha += w / alpha
                halpha2 -= w * r / (alpha * alpha)
                haa += w * (trigammaAB - trigammaABX)
                hbb += w * (trigammaAB + SpecialFunctions.trigamma(bx) - trigammaB - trigammaABX)
            }
            var c4 = -Double.infinity, inverseB = 0.0
            if x > 0 || variant == .modified {
                let d = b + x - 1 + shift
                c4 = lnA - log(d)
                inverseB = 1 / d
            }
            perX[j] = SIMD4(r + x, c4, inverseB, 0)
        }
        // Per distinct time (when indexed): (ln(α+u), 1/(α+u)).
        func table(_ column: TimeColumn) -> [SIMD2<Double>] {
            column.index == nil ? [] : column.values.map { SIMD2(log(alpha + $0), 1 / (alpha + $0)) }
        }
        let timesT = table(T), timesTx = table(recency)

        // Per pattern: log(exp(L3) + exp(L4)) with softmax weights for the gradient and Hessian.
        let n = weight.count
        let chunks = n >= 40_000 ? min(8, max(1, ProcessInfo.processInfo.activeProcessorCount * 2)) : 1
        let width = Self.sums
        var partial = [Double](repeating: 0, count: chunks * width)
        let emptyIndex: [Int32] = []
        timesT.withUnsafeBufferPointer { tT in
        timesTx.withUnsafeBufferPointer { tTx in
        T.values.withUnsafeBufferPointer { tValues in
        recency.values.withUnsafeBufferPointer { rValues in
        perX.withUnsafeBufferPointer { px in
        weight.withUnsafeBufferPointer { w in
        xIndex.withUnsafeBufferPointer { xi in
        (T.index ?? emptyIndex).withUnsafeBufferPointer { ti in
        (recency.index ?? emptyIndex).withUnsafeBufferPointer { ri in
        partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            nonisolated(unsafe) let (tT, tTx, tValues, rValues, px, w, xi, ti, ri) = (tT, tTx, tValues, rValues, px, w, xi, ti, ri)
            let tIndexed = T.index != nil, rIndexed = recency.index != nil
            let compute = { (c: Int) in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                let sums = out + width * c
                for k in 0..<width { sums[k] = 0 }
                // Blocks of rows: gather each row's inputs into scratch columns, with the logs of α+T
                // and α+t_x (from the tables, or as vector logs), then exp(−|d|) and log(1 + exp(−|d|))
                // as vector calls, then the sums of the block's rows (`klant_bgnbd_block_sums`).
                let block = Self.block
                withUnsafeTemporaryAllocation(of: Double.self, capacity: PatternBlock.columns * block) { scratch in
                    let rows = PatternBlock(scratch.baseAddress!, block: block)
                    var start = lo
                    while start < hi {
                        let m = Swift.min(block, hi - start)
                        for k in 0..<m {
                            let i = start + k
                            let xv = px[Int(xi[i])]
                            rows.rx[k] = xv[0]; rows.c4[k] = xv[1]; rows.inverseB[k] = xv[2]; rows.weight[k] = w[i]
                            if tIndexed { let v = tT[Int(ti[i])]; rows.logT[k] = v[0]; rows.inverseT[k] = v[1] } else {
                                let u = alpha + tValues[i]; rows.argument[k] = u; rows.inverseT[k] = 1 / u
                            }
                            if rIndexed { let v = tTx[Int(ri[i])]; rows.logR[k] = v[0]; rows.inverseR[k] = v[1] } else {
                                let u = alpha + rValues[i]; rows.secondArgument[k] = u; rows.inverseR[k] = 1 / u
                            }
                        }
                        if !tIndexed { VectorMath.log(rows.argument, into: rows.logT, count: m) }
                        if !rIndexed { VectorMath.log(rows.secondArgument, into: rows.logR, count: m) }
                        // L4 − L3 = c4 − (r+x)(ln(α+t_x) − ln(α+T)); −∞ where L4 is absent (BG/NBD, x = 0).
                        // exp(−|d|) is taken at no less than −700 (e^−700 ≈ 1e-304, nothing next to 1):
                        // the vector exp goes a slow scalar way for −∞ and underflows.
                        for k in 0..<m {
                            let d = rows.c4[k] - rows.rx[k] * (rows.logR[k] - rows.logT[k])
                            rows.d[k] = d; rows.argument[k] = Swift.max(-abs(d), -700)
                        }
                        VectorMath.exp(rows.argument, into: rows.e, count: m)
                        for k in 0..<m { rows.argument[k] = 1 + rows.e[k] }   // e ≤ 1: log(1+e) loses nothing that matters here
                        VectorMath.log(rows.argument, into: rows.log1pE, count: m)
                        klant_bgnbd_block_sums(scratch.baseAddress!, block, m, wantHessian ? 1 : 0, sums)
                        start += m
                    }
                }
            }
            if chunks == 1 { compute(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: compute) }
        }}}}}}}}}}
        var total = [Double](repeating: 0, count: width)
        for c in 0..<chunks { for k in 0..<width { total[k] += partial[width * c + k] } }
        logPart += total[0]
        gradient = [gr + total[1], galpha + total[2], ga + total[3] / a, gb - total[4]]
        if wantHessian {
            // L4's own second derivatives: ∂²/∂a² = −1/a² and ∂²/∂b² = 1/(b+x−1+s)², with the w3 w4 Δ Δᵀ
            // terms: a-a gives −w4²/a², b-b gives w4 (1 + w3)/(b+x−1+s)².
            var h = Matrix(rows: 4, columns: 4)
            h[0, 0] = hrr + total[7]
            h[0, 1] = hralpha + total[5] + total[8]
            h[1, 1] = halpha2 + total[6] + total[9]
            h[0, 2] = -total[10] / a
            h[0, 3] = total[11]
            h[1, 2] = -total[12] / a
            h[1, 3] = total[13]
            h[2, 2] = haa - total[14] / (a * a)
            h[2, 3] = haa - total[15] / a
            h[3, 3] = hbb + total[16]
            for i in 0..<4 { for j in 0..<i { h[i, j] = h[j, i] } }
            hessian = h
        }
        return logPart
    }

    /// Above the subsample threshold the start is near the optimum: Newton steps from the start.
    static func optimizerOptions(for data: PurchasePatterns) -> OptimizerOptions {
        var options = OptimizerOptions()
        if data.count > subsampleThreshold { options.maxQuasiNewtonIterations = 0 }
        return options
    }

    static let subsampleThreshold = 50_000
    static let subsampleStride = 10

    /// Starting values: (r, α, a, b) = (1, mean T-scale, 1, 1)-like guesses, and for large data
    /// a fit on a subsample of the patterns (an unbiased estimate of the total likelihood, below)
    /// so the full fit starts next to its optimum and needs only a few Newton steps.
    static func startingValues<M: RepeatPurchaseModel>(for data: PurchasePatterns, variant: Variant, model: M.Type) -> [Double] {
        var weightedT = 0.0, weightedX = 0.0
        for i in 0..<data.count { weightedT += data.weight[i] * data.T[i]; weightedX += data.weight[i] * data.frequency[i] }
        let customers = max(1, data.customers)
        let meanT = weightedT / customers, meanX = weightedX / customers
        // Rate guess r/α ≈ mean frequency / mean T, with r = 0.5.
        let guess = [0.5, max(1e-3, 0.5 * meanT / max(meanX, 1e-3)), 1, 2]
        guard data.count > subsampleThreshold else { return guess }
        var sub = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
        // Horvitz-Thompson subsample: heavy patterns (weight ≥ k times the lightest, e.g. the many
        // x = 0 customers) are always kept with their weight, the others one in k with weight ×k.
        let k = subsampleStride
        let heavy = Double(k) * (data.weight.min() ?? 1)
        for i in 0..<data.count where data.weight[i] >= heavy || i % k == 0 {
            sub.frequency.append(data.frequency[i]); sub.recency.append(data.recency[i])
            sub.T.append(data.T[i]); sub.weight.append(data.weight[i] >= heavy ? data.weight[i] : data.weight[i] * Double(k))
        }
        let kernel = BetaGeometricLikelihood(sub, variant: variant)
        // The subsample's own start: the guess, or (above the threshold) a fit on its subsample in turn,
        // so a million patterns go 10,000 -> 100,000 -> all, each level starting next to its optimum.
        let start = sub.count < data.count ? startingValues(for: sub, variant: variant, model: model) : guess
        // Newton steps straight from that start (2-5 passes over the subsample); should they not
        // converge, quasi-Newton steps first (about 20).
        var options = OptimizerOptions()
        options.decrementTolerance = 1e-3
        options.maxQuasiNewtonIterations = 0
        func subsampleFit() -> MaximumLikelihoodFit {
            MaximumLikelihood.fit(names: M.parameterNames, start: start,
                                  logLikelihood: { kernel.evaluate($0, gradient: &$1, hessian: &$2) }, options: options)
        }
        var fit = subsampleFit()
        if !fit.convergence.converged {
            options.maxQuasiNewtonIterations = OptimizerOptions().maxQuasiNewtonIterations
            fit = subsampleFit()
        }
        let estimates = fit.estimates
        return estimates.allSatisfy({ $0.isFinite && $0 > 0 }) ? estimates : guess
    }
}


/// One block of pattern rows in scratch columns (see `BetaGeometricLikelihood.evaluate`), in the
/// order of `klant_bgnbd_block_sums` (CVectorMath): r+x, the constant of L4 (−∞ when absent),
/// 1/(b+x−1+s), the weight, ln and 1/ of α+T and α+t_x, then d = L4 − L3, e = exp(−|d|) and log(1 + e).
///
/// Per row the sums are, with softmax weights w4 = e/(1+e) (or 1 − that when d > 0) and w3 = 1 − w4
/// of L3 and L4 (w4 = 0 where L4 is absent, up to e^−700, which makes the row's terms those of L3
/// alone, so no branch is needed): LL = L3 + max(d, 0) + log(1 + e); ∂/∂r = −(w3 ln(α+T) + w4 ln(α+t_x));
/// ∂/∂α = −(r+x)(w3/(α+T) + w4/(α+t_x)); Σ w4 and Σ w4/(b+x−1+s); and the Hessian's parts listed in `evaluate`.
struct PatternBlock {
    /// The columns the sums read, then two for the arguments of the vector log and exp (their
    /// input and output never overlap).
    static let columns = KLANT_BLOCK_COLUMNS + 2
    let rx, c4, inverseB, weight, logT, inverseT, logR, inverseR, d, e, log1pE: UnsafeMutablePointer<Double>
    let argument, secondArgument: UnsafeMutablePointer<Double>

    init(_ base: UnsafeMutablePointer<Double>, block: Int) {
        func column(_ k: Int) -> UnsafeMutablePointer<Double> { base + k * block }
        (rx, c4, inverseB, weight) = (column(0), column(1), column(2), column(3))
        (logT, inverseT, logR, inverseR) = (column(4), column(5), column(6), column(7))
        (d, e, log1pE) = (column(8), column(9), column(10))
        (argument, secondArgument) = (column(KLANT_BLOCK_COLUMNS), column(KLANT_BLOCK_COLUMNS + 1))
    }
}

/// log Γ(x) (glibc lgamma through SpecialFunctions).
@inline(__always)
func logGamma(_ x: Double) -> Double { SpecialFunctions.logGamma(x) }

extension BetaGeometricLikelihood {
    /// P(X(T, T+t) = 0 | x, t_x, T) = (1 − A) + A ((α+T)/(α+T+t))^(r+x), A = P(alive), for BG/NBD and
    /// MBG/NBD: a customer alive at T has λ | data ~ Gamma(r+x, α+T), and in both stories dropping out
    /// happens only at a purchase, so "no purchase" means no Poisson event in (T, T+t]
    /// (Fader, Hardie & Lee 2005, §3; Batislam et al. 2007).
    static func probabilityOfNoPurchases(alive: Double, r: Double, alpha: Double, horizon t: Double,
                                         frequency x: Double, T: Double) -> Double {
        let quiet = exp((r + x) * (log(alpha + T) - log(alpha + T + t)))
        return min(1, max(0, 1 - alive + alive * quiet))
    }
}

/// BG/NBD and MBG/NBD: the same parameters (r, α, a, b) and one likelihood kernel that differs only
/// in its variant, so the fitting plumbing is written once here.
protocol BetaGeometricFamily: RepeatPurchaseModel {
    static var likelihoodVariant: BetaGeometricLikelihood.Variant { get }
}

extension BetaGeometricFamily {
    public static func logLikelihood(_ theta: [Double], data: PurchasePatterns, gradient: inout [Double]) -> Double {
        BetaGeometricLikelihood(data, variant: likelihoodVariant).evaluate(theta, gradient: &gradient)
    }

    /// Precomputes the pattern tables once per fit, so each evaluation is one tight loop.
    public static func makeLogLikelihood(for data: PurchasePatterns) -> LogLikelihood {
        let kernel = BetaGeometricLikelihood(data, variant: likelihoodVariant)
        return { theta, gradient in kernel.evaluate(theta, gradient: &gradient) }
    }

    /// The same likelihood with its analytic Hessian from the same pass: a Newton step costs one pass.
    public static func makeSecondOrderLogLikelihood(for data: PurchasePatterns) -> SecondOrderLogLikelihood? {
        let kernel = BetaGeometricLikelihood(data, variant: likelihoodVariant)
        return { theta, gradient, hessian in kernel.evaluate(theta, gradient: &gradient, hessian: &hessian) }
    }

    /// lifetimes fits in time scaled by 1/max(T) and penalises the scaled α; matching its
    /// `penalizer_coef` needs the same scale on α.
    public static func penaltyScales(for data: PurchasePatterns) -> [Double] {
        [1, 1 / (data.T.max() ?? 1), 1, 1]
    }

    /// Large data start from a subsample fit (see `startingValues`), so the fit goes straight to Newton steps.
    public static func optimizerOptions(for data: PurchasePatterns) -> OptimizerOptions {
        BetaGeometricLikelihood.optimizerOptions(for: data)
    }

    public static func startingValues(for data: PurchasePatterns) -> [Double] {
        BetaGeometricLikelihood.startingValues(for: data, variant: likelihoodVariant, model: Self.self)
    }
}

/// The distinct values of a column in order of first appearance, and each row's index into them
/// (`distinctRows` on the bit patterns).
func distinctIndex(_ values: [Double]) -> (distinct: [Double], index: [Int32]) {
    if let counts = smallWholeNumberIndex(values) { return counts }
    let (first, index) = distinctRows(count: values.count) { (values[$0].bitPattern, 0) }
    return (first.map { values[Int($0)] }, index)
}

/// `distinctIndex` for whole numbers in 0..<65,536 (purchase counts: the usual frequency column)
/// through a direct table in one pass; nil for any other value.
private func smallWholeNumberIndex(_ values: [Double]) -> (distinct: [Double], index: [Int32])? {
    var table = [Int32](repeating: -1, count: 65_536)
    var distinct: [Double] = []
    var index = [Int32](repeating: 0, count: values.count)
    for i in values.indices {
        let v = values[i]
        guard v.sign == .plus, v < 65_536, isWholeNumber(v) else { return nil }
        let k = Int(v)
        if table[k] < 0 { table[k] = Int32(distinct.count); distinct.append(v) }
        index[i] = table[k]
    }
    return (distinct, index)
}
