import CustomerData
import Foundation
import Linalg
import Optimize
import SpecialFunctions

/// The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), "Counting your customers:
/// who are they and what will they do next?", Management Science 33(1).
///
/// Story: while alive a customer buys at Poisson rate λ ~ Gamma(r, α) (shape, rate); the
/// lifetime is exponential with rate μ ~ Gamma(s, β). Data per customer: x repeat purchases, the
/// last one at t_x, observed for T time units since the first purchase.
///
/// The likelihood is written once, in `Pieces`, following Fader & Hardie (2005), "A note on
/// deriving the Pareto/NBD model and related expressions", eq. (18)–(19):
///
///     L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s  +  s/(r+s+x) · A0 ]
///
/// where `s/(r+s+x) · A0 = s · ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ` (the customer dies at
/// τ between the last purchase and T). We write the integral as `F(t_x) − F(T)` with the tail
///
///     F(u) = ∫_u^∞ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ
///          = w^-a Σ_n (b)_n / n! · z^n / (a+n),     a = r+s+x, z = d/w,          (*)
///
/// with (α ≥ β) b = s+1, d = α−β, w = α+u, or (α < β) b = r+x, d = β−α, w = β+u: that is
/// 2F1(a, b; a+1; z) / (a w^a), the two branches of A0 in the note. (*) follows from expanding
/// (β+τ)^-(s+1) = (α+τ)^-(s+1) (1 − d/(α+τ))^-(s+1) binomially and integrating term by term.
///
/// Everything is kept in log space (log F plus a running rescale of the sums), so x of several
/// hundred with t_x ≪ T, where (α+T)^(r+x) overflows, is no problem. Where z is so close to 1 that
/// the series would need thousands of terms (min(α, β) + u ≪ max(α, β), e.g. estimates drifting
/// on customers without repeat purchases), F and its derivatives come from adaptive Gauss–Legendre
/// quadrature of the same integral instead (`tailByQuadrature`).
///
/// Fitting builds an `Index` once: the tails depend only on (x, u), so each distinct (x, t_x) and
/// (x, T) is computed once per evaluation, in parallel over the cores, and x-only terms come from
/// recurrence tables per distinct x.
///
/// Gradient (option (b) of the design brief, series differentiation): each term of (*) is an
/// explicit function of (a, b, d, w), so ∂F/∂a, ∂F/∂b, ∂F/∂d, ∂F/∂w are series summed in the
/// same loop: ∂/∂a of a term is −1/(a+n) − log w, ∂/∂b is ψ(b+n) − ψ(b) = Σ_{k<n} 1/(b+k) (a
/// running sum), ∂/∂d is n/d (carried without dividing by d, so d = 0 is fine), ∂/∂w is
/// −(a+n)/w. The chain rule then maps (a, b, d, w) to (r, α, s, β). The tests check the result
/// against central differences to 1e-6 relative.
public struct ParetoNBD: RepeatPurchaseModel {
    public static let kind = ModelKind.paretoNBD
    public static let parameterNames = ["r", "alpha", "s", "beta"]

    public let r: Double
    public let alpha: Double
    public let s: Double
    public let beta: Double
    public var parameters: [Double] { [r, alpha, s, beta] }

    public init(parameters: [Double]) throws {
        let p = try Self.checkedParameters(parameters)
        (r, alpha, s, beta) = (p[0], p[1], p[2], p[3])
    }

    public init(r: Double, alpha: Double, s: Double, beta: Double) throws {
        try self.init(parameters: [r, alpha, s, beta])
    }

    // MARK: - The likelihood, written once

    /// log F(u) (see (*) above) and the derivatives of log F with respect to (r, α, s, β).
    struct Tail {
        var log: Double
        var d: (r: Double, alpha: Double, s: Double, beta: Double)
    }

    /// 1/k for k < 8192 (index 0 unused): the tail series' term ratios without a division each.
    static let wholeReciprocals: [Double] = (0..<8192).map { $0 == 0 ? 0 : 1 / Double($0) }

    /// Computes the tail integral F(u) of (*) in log space, with its log-derivatives if asked.
    @inline(__always)
    static func tail(r: Double, alpha: Double, s: Double, beta: Double, x: Double, u: Double, gradient: Bool) -> Tail {
        let alphaLarger = alpha >= beta
        let a = r + s + x
        let b = alphaLarger ? s + 1 : r + x
        let d = alphaLarger ? alpha - beta : beta - alpha
        let w = (alphaLarger ? alpha : beta) + u
        let z = d / w
        // Near z → 1 the series needs about (b z + 40)/(1 − z) terms (its hump, then the geometric
        // decay): beyond a few thousand, integrate instead (same value and derivatives, see `tailByQuadrature`).
        if (b * z + 40) / (1 - z) > 4000 {
            return tailByQuadrature(r: r, alpha: alpha, s: s, beta: beta, x: x, u: u, gradient: gradient)
        }
        let logW = Foundation.log(w)

        // Running sums, all rescaled together by exp(logScale) when they grow large:
        // S0 = Σ u_n/(a+n), Sa = −Σ u_n/(a+n)², Sb = Σ u_n H_n/(a+n), Sd = Σ v_n/(a+n), U = Σ u_n, NU = Σ n u_n
        // with u_n = (b)_n z^n / n!, v_n = n u_n / z = (b)_n z^(n-1)/(n-1)!, H_n = Σ_{k<n} 1/(b+k).
        var un = 1.0, vn = b, hn = 0.0
        var s0 = 1 / a, sa = -1 / (a * a), sb = 0.0, sd = 0.0, su = 1.0, snu = 0.0
        var logScale = 0.0
        var n = 1.0
        let reciprocals = wholeReciprocals
        while true {
            // Term n, with one division: 1/(a+n) and 1/(b+n−1) from q = 1/((a+n)(b+n−1)), and 1/n,
            // 1/(n−1) from a table.
            let bn = b + n - 1, an = a + n
            let inverseProduct = 1 / (an * bn)
            let k = Int(n)
            let inverseN = k < reciprocals.count ? reciprocals[k] : 1 / n
            un *= bn * inverseN * z
            if n > 1 { vn *= bn * (k - 1 < reciprocals.count ? reciprocals[k - 1] : 1 / (n - 1)) * z }
            hn += an * inverseProduct
            let inv = bn * inverseProduct
            s0 += un * inv
            su += un
            snu += n * un
            if gradient {
                sa -= un * inv * inv
                sb += un * hn * inv
                sd += vn * inv
            }
            if su > 1e200 {
                let k = 1 / su
                un *= k; vn *= k; s0 *= k; sa *= k; sb *= k; sd *= k; snu *= k; su = 1
                logScale -= Foundation.log(k)
            }
            // Tail bound: after term n the ratios u_{m+1}/u_m ≤ q̄ < 1, so Σ_{m>n} u_m ≤ u_n q̄/(1−q̄)
            // and Σ_{m>n} m u_m ≤ u_n (n q̄/(1−q̄) + q̄/(1−q̄)²) (both multiplied out by (1−q̄)², no division).
            let q = (b + n) * (k + 1 < reciprocals.count ? reciprocals[k + 1] : 1 / (n + 1)) * z
            if q < 1 {
                let qbar = Swift.max(q, z), rest = 1 - qbar
                if un * qbar <= 1e-17 * su * rest && un * qbar * (n * rest + 1) <= 1e-17 * Swift.max(snu, su) * rest * rest { break }
            }
            n += 1
            if n > 10_000_000 { break }   // unreachable for z < 1 in practice; the caller sees a finite partial sum
        }
        let logF = -a * logW + logScale + Foundation.log(s0)
        guard gradient else { return Tail(log: logF, d: (0, 0, 0, 0)) }
        let dA = -logW + sa / s0        // ∂ log F / ∂a
        let dB = sb / s0                // ∂ log F / ∂b
        let dD = sd / (s0 * w)          // ∂ log F / ∂d
        let dW = -su / (s0 * w)         // ∂ log F / ∂w
        if alphaLarger {   // a = r+s+x, b = s+1, d = α−β, w = α+u
            return Tail(log: logF, d: (r: dA, alpha: dD + dW, s: dA + dB, beta: -dD))
        } else {           // a = r+s+x, b = r+x, d = β−α, w = β+u
            return Tail(log: logF, d: (r: dA + dB, alpha: -dD, s: dA, beta: dD + dW))
        }
    }

    /// F(u) and its log-derivatives by quadrature, for z close to 1 (min(α, β) + u ≪ max(α, β)),
    /// where the series (*) converges too slowly. With m = min(α, β), M = max(α, β), exponents
    /// e_m, e_M (α ≥ β: e_m = s+1 on β, e_M = r+x on α; else e_m = r+x on α, e_M = s+1 on β) and the
    /// variable y = log(m+τ) ∈ [log(m+u), ∞), dτ = e^y dy:
    ///
    ///     F = ∫ exp(g(y)) dy,  g(y) = −(e_m − 1) y − e_M L(y),  L(y) = log(M+τ) = log(e^y + M − m),
    ///
    /// and, differentiating under the integral, ∂F/∂e_m = −∫ y e^g, ∂F/∂e_M = −∫ L e^g,
    /// ∂F/∂m = −e_m ∫ e^−y e^g, ∂F/∂M = −e_M ∫ e^−L e^g. For large y the integrand decays like
    /// e^−(r+s+x)y, so the range is covered by adaptive Gauss–Legendre pieces until the rest is negligible.
    static func tailByQuadrature(r: Double, alpha: Double, s: Double, beta: Double, x: Double, u: Double, gradient: Bool) -> Tail {
        let alphaLarger = alpha >= beta
        let eMin = alphaLarger ? s + 1 : r + x, eMax = alphaLarger ? r + x : s + 1
        let m = Swift.min(alpha, beta), d = Swift.max(alpha, beta) - m
        let logD = d > 0 ? Foundation.log(d) : -Double.infinity
        let a = r + s + x
        let y0 = Foundation.log(m + u)
        @inline(__always) func bigLog(_ y: Double) -> Double { SpecialFunctions.logAddExp(y, logD) }
        @inline(__always) func g(_ y: Double) -> Double { -(eMin - 1) * y - eMax * bigLog(y) }
        // Reference level for scaling: the larger of g at the start and at the transition y = log d.
        let yMid = Swift.max(y0, logD)
        let gRef = Swift.max(g(y0), g(yMid))
        // sums[0...4] = ∫ e^(g−gRef) · (1, y, L, e^−y, e^−L)
        var sums = [0.0, 0, 0, 0, 0]
        func integrate(_ lo: Double, _ hi: Double) -> Double {
            let before = sums[0]
            Quadrature.integrateVector(from: lo, to: hi, count: 5, relativeTolerance: 2e-14, into: &sums) { y, out in
                let l = bigLog(y)
                let f = Foundation.exp(-(eMin - 1) * y - eMax * l - gRef)
                out[0] = f
                out[1] = f * y
                out[2] = f * l
                out[3] = f * Foundation.exp(-y)
                out[4] = f * Foundation.exp(-l)
            }
            return sums[0] - before
        }
        // The start and the transition region, then pieces of length 8/a until the rest is negligible.
        var lo = y0
        for hi in [y0 + 1, yMid + 2] where hi > lo {
            _ = integrate(lo, hi)
            lo = hi
        }
        let piece = 8 / a
        for _ in 0..<200 {
            let added = integrate(lo, lo + piece)
            lo += piece
            if added <= 1e-18 * sums[0] { break }
        }
        let logF = gRef + Foundation.log(sums[0])
        guard gradient else { return Tail(log: logF, d: (0, 0, 0, 0)) }
        let i0 = sums[0]
        let dEMin = -sums[1] / i0, dEMax = -sums[2] / i0
        let dMin = -eMin * sums[3] / i0, dMax = -eMax * sums[4] / i0
        if alphaLarger {   // m = β (e_m = s+1), M = α (e_M = r+x)
            return Tail(log: logF, d: (r: dEMax, alpha: dMax, s: dEMin, beta: dMin))
        } else {           // m = α (e_m = r+x), M = β (e_M = s+1)
            return Tail(log: logF, d: (r: dEMin, alpha: dMin, s: dEMax, beta: dMax))
        }
    }

    /// The pieces of one customer's likelihood, L = C · (P1 + s·I), in logs:
    /// log C = log Γ(r+x) − log Γ(r) + r log α + s log β, P1 = (α+T)^-(r+x) (β+T)^-s (alive at T),
    /// s·I = s (F(t_x) − F(T)) (died between t_x and T). P(alive) = P1 / (P1 + s·I).
    struct Pieces {
        /// log(P1 + s·I) − M and log P1 − M are what predictions use; M keeps them finite.
        var logP1: Double
        var logSum: Double
        var gradient: (r: Double, alpha: Double, s: Double, beta: Double)
    }

    /// Computes log(P1 + s·I) (without the x-only factor C) and, if asked, its gradient.
    @inline(__always)
    static func pieces(r: Double, alpha: Double, s: Double, beta: Double, x: Double, tx: Double, T: Double, gradient: Bool) -> Pieces {
        let fTx = tail(r: r, alpha: alpha, s: s, beta: beta, x: x, u: tx, gradient: gradient)
        let fT = tx == T ? fTx : tail(r: r, alpha: alpha, s: s, beta: beta, x: x, u: T, gradient: gradient)
        return combine(r: r, alpha: alpha, s: s, beta: beta, x: x, T: T, logAT: Foundation.log(alpha + T), logBT: Foundation.log(beta + T),
                       logS: Foundation.log(s), fTx: fTx, fT: fT, sameTime: tx == T, gradient: gradient)
    }

    /// P1 + s·I from its parts: P1 = (α+T)^-(r+x) (β+T)^-s and the tails F(t_x), F(T).
    @inline(__always)
    static func combine(r: Double, alpha: Double, s: Double, beta: Double, x: Double, T: Double, logAT: Double, logBT: Double,
                        logS: Double, fTx: Tail, fT: Tail, sameTime: Bool, gradient: Bool) -> Pieces {
        let logP1 = -(r + x) * logAT - s * logBT
        // Scale by M = max(log P1, log s + log F(t_x)); F(t_x) ≥ F(T), so s·I ≤ exp(M).
        let m = Swift.max(logP1, logS + fTx.log)
        let p1 = Foundation.exp(logP1 - m)
        let aTerm = Foundation.exp(logS + fTx.log - m)
        let bTerm = sameTime ? aTerm : Foundation.exp(logS + fT.log - m)
        let sI = Swift.max(0, aTerm - bTerm)
        let sum = p1 + sI
        let logSum = m + Foundation.log(sum)
        guard gradient else { return Pieces(logP1: logP1, logSum: logSum, gradient: (0, 0, 0, 0)) }
        // ∂ log(P1 + sI) = [P1 ∂log P1 + A (∂log s + ∂log F(t_x)) − B (∂log s + ∂log F(T))] / (P1 + sI)
        let invSum = 1 / sum
        let gr = (p1 * -logAT + aTerm * fTx.d.r - bTerm * fT.d.r) * invSum
        let ga = (p1 * -(r + x) / (alpha + T) + aTerm * fTx.d.alpha - bTerm * fT.d.alpha) * invSum
        let gs = (p1 * -logBT + sI / s + aTerm * fTx.d.s - bTerm * fT.d.s) * invSum
        let gb = (p1 * -s / (beta + T) + aTerm * fTx.d.beta - bTerm * fT.d.beta) * invSum
        return Pieces(logP1: logP1, logSum: logSum, gradient: (gr, ga, gs, gb))
    }

    /// log Γ(r+x) − log Γ(r) and ψ(r+x) − ψ(r) for every whole x up to `maxX`, by the recurrences
    /// Γ(r+k+1) = (r+k) Γ(r+k) and ψ(r+k+1) = ψ(r+k) + 1/(r+k): the x-only terms, computed once
    /// per distinct x instead of once per customer.
    static func frequencyTables(r: Double, maxX: Int) -> (logGamma: [Double], digamma: [Double]) {
        var lg = [Double](repeating: 0, count: maxX + 1), dg = lg
        var l = 0.0, d = 0.0
        for k in 0..<maxX {
            l += Foundation.log(r + Double(k))
            d += 1 / (r + Double(k))
            lg[k + 1] = l
            dg[k + 1] = d
        }
        return (lg, dg)
    }

    /// The data rearranged for fast likelihood evaluations, built once per fit: the tail F(u)
    /// depends only on (x, u), so it is computed once per distinct (x, t_x) and (x, T) pair, and
    /// log(α+T), log(β+T) once per distinct T. (On 100,000 customers with times in days / 7 this
    /// cuts the series evaluations several-fold.)
    struct Index: Sendable {
        var data: PurchasePatterns
        /// Distinct (x, u) pairs whose tail F(u) is needed.
        var tailX: [Double] = [], tailU: [Double] = []
        /// Per pattern: the tail index of (x, t_x) and of (x, T), and the index of T in `times`.
        var txTail: [Int32] = [], tTail: [Int32] = [], timeIndex: [Int32] = []
        var times: [Double] = []
        var maxX = 0

        init(_ data: PurchasePatterns) {
            self.data = data
            // Distinct (x, u) pairs in order of first use: pattern i asks for (x, t_x) as row 2i and
            // (x, T) as row 2i + 1 (`distinctRows` on the bit patterns).
            func u(_ k: Int) -> Double { k % 2 == 0 ? data.recency[k / 2] : data.T[k / 2] }
            let (first, tail) = distinctRows(count: 2 * data.count) { k in (data.frequency[k / 2].bitPattern, u(k).bitPattern) }
            tailX = first.map { data.frequency[Int($0) / 2] }
            tailU = first.map { u(Int($0)) }
            txTail = stride(from: 0, to: tail.count, by: 2).map { tail[$0] }
            tTail = stride(from: 1, to: tail.count, by: 2).map { tail[$0] }
            let distinctTimes = distinctIndex(data.T)
            times = distinctTimes.distinct
            timeIndex = distinctTimes.index
            maxX = data.frequency.reduce(0) { Swift.max($0, Int(Swift.min($1, 1e9))) }
        }
    }

    /// Runs `body(lo, hi, chunk)` over `n` items in chunks on all cores.
    static func parallelChunks(_ n: Int, minimumChunk: Int = 512, _ body: (Int, Int, Int) -> Void) -> Int {
        let chunks = Swift.max(1, Swift.min(n / minimumChunk, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in body(n * c / chunks, n * (c + 1) / chunks, c) }
        return chunks
    }

    /// Total log-likelihood over the weighted patterns and its analytic gradient.
    public static func logLikelihood(_ theta: [Double], data: PurchasePatterns, gradient: inout [Double]) -> Double {
        logLikelihood(theta, index: Index(data), gradient: &gradient)
    }

    /// The likelihood on an `Index`: first every distinct tail, then every pattern, each pass split
    /// in chunks over all cores (DispatchQueue.concurrentPerform). Chunk results are added in chunk
    /// order, so the value does not depend on scheduling.
    static func logLikelihood(_ theta: [Double], index: Index, gradient: inout [Double]) -> Double {
        let r = theta[0], alpha = theta[1], s = theta[2], beta = theta[3]
        let data = index.data
        let useTables = index.maxX <= 1_000_000
        let tables: (logGamma: [Double], digamma: [Double]) = useTables ? frequencyTables(r: r, maxX: index.maxX) : ([], [])
        let digammaR = SpecialFunctions.digamma(r), logGammaR = SpecialFunctions.logGamma(r)
        let logAlpha = Foundation.log(alpha), logBeta = Foundation.log(beta), logS = Foundation.log(s)

        // Pass 1: the distinct tails F(u) for (x, u).
        let tailCount = index.tailX.count
        var tails = [Tail](repeating: Tail(log: 0, d: (0, 0, 0, 0)), count: tailCount)
        tails.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            _ = parallelChunks(tailCount, minimumChunk: 256) { lo, hi, _ in
                for k in lo..<hi {
                    out[k] = tail(r: r, alpha: alpha, s: s, beta: beta, x: index.tailX[k], u: index.tailU[k], gradient: true)
                }
            }
        }
        let logAT = index.times.map { Foundation.log(alpha + $0) }, logBT = index.times.map { Foundation.log(beta + $0) }
        let computedTails = tails

        // Pass 2: every pattern.
        let n = data.count
        var partial = [Double](repeating: 0, count: 5 * Swift.max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunks = partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            return parallelChunks(n) { lo, hi, c in
                var ll = 0.0, gr = 0.0, ga = 0.0, gs = 0.0, gb = 0.0
                for i in lo..<hi {
                    let x = data.frequency[i], w = data.weight[i], T = data.T[i], j = Int(index.timeIndex[i])
                    let p = combine(r: r, alpha: alpha, s: s, beta: beta, x: x, T: T, logAT: logAT[j], logBT: logBT[j], logS: logS,
                                    fTx: computedTails[Int(index.txTail[i])], fT: computedTails[Int(index.tTail[i])],
                                    sameTime: index.txTail[i] == index.tTail[i], gradient: true)
                    let lgx: Double, dgx: Double
                    if useTables {
                        lgx = tables.logGamma[Int(x)]; dgx = tables.digamma[Int(x)]
                    } else {
                        lgx = SpecialFunctions.logGamma(r + x) - logGammaR
                        dgx = SpecialFunctions.digamma(r + x) - digammaR
                    }
                    ll += w * (lgx + r * logAlpha + s * logBeta + p.logSum)
                    gr += w * (dgx + logAlpha + p.gradient.r)
                    ga += w * (r / alpha + p.gradient.alpha)
                    gs += w * (logBeta + p.gradient.s)
                    gb += w * (s / beta + p.gradient.beta)
                }
                out[5 * c] = ll; out[5 * c + 1] = gr; out[5 * c + 2] = ga; out[5 * c + 3] = gs; out[5 * c + 4] = gb
            }
        }
        var total = 0.0
        for k in 0..<4 { gradient[k] = 0 }
        for c in 0..<chunks {
            total += partial[5 * c]
            for k in 0..<4 { gradient[k] += partial[5 * c + 1 + k] }
        }
        return total
    }

    /// The likelihood the fit optimises, on an `Index` built once, so every evaluation reuses the
    /// distinct tails (the protocol's `fit` drives it: same checks, penalty and result as every family).
    public static func makeLogLikelihood(for data: PurchasePatterns) -> LogLikelihood {
        let index = Index(data)
        return { theta, gradient in logLikelihood(theta, index: index, gradient: &gradient) }
    }

    /// The log-likelihood of one customer (x, t_x, T).
    public func logLikelihood(frequency x: Double, recency tx: Double, T: Double) -> Double {
        let p = Self.pieces(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T, gradient: false)
        return SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * log(alpha) + s * log(beta) + p.logSum
    }

    /// Above this many patterns the fit starts from a subsample fit (a tenth of the patterns, at
    /// least 4,000) and goes straight to Newton steps.
    static let subsampleThreshold = 16_000

    /// Newton steps from the subsample start for large data (see `subsampleThreshold`).
    public static func optimizerOptions(for data: PurchasePatterns) -> OptimizerOptions {
        var options = OptimizerOptions()
        if data.count > subsampleThreshold { options.maxQuasiNewtonIterations = 0 }
        return options
    }

    /// Starting values: rates from the data's mean purchase rate, and, for large data, a quick
    /// fit on a subsample of the patterns so the full-data fit starts next to its optimum.
    public static func startingValues(for data: PurchasePatterns) -> [Double] { subsampleStart(for: data).values }

    /// The subsample start with Newton steps from it; the subsample fit's information, scaled to
    /// the data, serves as the first steps' Hessian (see `OptimizerOptions.initialHessian`).
    public static func startingPoint(for data: PurchasePatterns) -> (values: [Double], options: OptimizerOptions) {
        let start = subsampleStart(for: data)
        var options = optimizerOptions(for: data)
        options.initialHessian = start.hessian
        return (start.values, options)
    }

    /// The start, and for large data the Hessian of −LL over log θ there, estimated from the
    /// subsample fit: N/n · D I_sub D with D = diag(θ) and I_sub its observed information.
    static func subsampleStart(for data: PurchasePatterns) -> (values: [Double], hessian: Matrix?) {
        var wx = 0.0, wt = 0.0, w = 0.0
        for i in 0..<data.count {
            wx += data.weight[i] * data.frequency[i]
            wt += data.weight[i] * data.T[i]
            w += data.weight[i]
        }
        let meanT = w > 0 ? Swift.max(wt / w, 1e-3) : 1
        let rate = wt > 0 && wx > 0 ? wx / wt : 1 / meanT
        let basic = [1.0, 1 / rate, 1.0, meanT]
        guard data.count > subsampleThreshold else { return (basic, nil) }
        let subsampleSize = Swift.max(subsampleThreshold / 4, data.count / 10)
        // Every k-th pattern keeps the mix of the data (patterns are in order of first appearance).
        let step = data.count / subsampleSize
        var sub = PurchasePatterns(frequency: [], recency: [], T: [], weight: [])
        for i in stride(from: 0, to: data.count, by: step) {
            sub.frequency.append(data.frequency[i]); sub.recency.append(data.recency[i])
            sub.T.append(data.T[i]); sub.weight.append(data.weight[i])
        }
        var options = OptimizerOptions()
        options.decrementTolerance = 1e-3
        let subIndex = Index(sub)
        let quick = MaximumLikelihood.fit(names: parameterNames, start: basic,
                                          logLikelihood: { theta, g in logLikelihood(theta, index: subIndex, gradient: &g) },
                                          options: options)
        let estimates = quick.estimates
        guard estimates.allSatisfy({ $0 > 0 && $0.isFinite }) else { return (basic, nil) }
        guard let covariance = quick.covariance, var information = try? LAPACK.inversePositiveDefinite(covariance) else {
            return (estimates, nil)
        }
        let scale = data.customers / sub.customers
        for j in 0..<4 { for i in 0..<4 { information[i, j] *= scale * estimates[i] * estimates[j] } }
        return (estimates, information)
    }

    // MARK: - Predictions (from the same pieces)

    /// P(alive | x, t_x, T) = P1 / (P1 + s·I) (Fader & Hardie 2005 note, eq. (20)); in [0, 1] by construction.
    public func probabilityAlive(frequency x: Double, recency tx: Double, T: Double) -> Double {
        let p = Self.pieces(r: r, alpha: alpha, s: s, beta: beta, x: x, tx: tx, T: T, gradient: false)
        return Swift.min(1, Swift.max(0, exp(p.logP1 - p.logSum)))
    }

    /// P(X(T, T+t) = 0 | x, t_x, T): no purchase in the next t time units. A customer alive at T
    /// with rates (λ, μ) makes none with probability e^{−(λ+μ)t} + μ/(λ+μ) (1 − e^{−(λ+μ)t}), so,
    /// in the pieces of the likelihood (P1(u) = (α+u)^-(r+x) (β+u)^-s, F the tail of (*)),
    ///
    ///     P = 1 − [D(T) − D(T+t)] / (P1(T) + s·F(t_x) − s·F(T)),   D(u) = P1(u) − s·F(u),
    ///
    /// where C·D(u) = E[λ^x λ/(λ+μ) e^{−(λ+μ)u}] over the prior. This is Fader & Hardie's (2006)
    /// "Deriving the conditional PMF of the Pareto/NBD model", eq. (16), at n = 0, written with the
    /// likelihood's own tails.
    public func probabilityOfNoPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double? {
        guard t > 0 else { return 1 }
        func tail(_ u: Double) -> Tail { Self.tail(r: r, alpha: alpha, s: s, beta: beta, x: x, u: u, gradient: false) }
        let fTx = tail(tx), fT = tx == T ? fTx : tail(T), fEnd = tail(T + t)
        let logS = log(s)
        let p = Self.combine(r: r, alpha: alpha, s: s, beta: beta, x: x, T: T, logAT: log(alpha + T), logBT: log(beta + T),
                             logS: logS, fTx: fTx, fT: fT, sameTime: tx == T, gradient: false)
        /// D(u) relative to the likelihood's P1 + s·I.
        func d(logP1: Double, tail: Tail) -> Double { exp(logP1 - p.logSum) - exp(logS + tail.log - p.logSum) }
        let logP1End = -(r + x) * log(alpha + T + t) - s * log(beta + T + t)
        return Swift.min(1, Swift.max(0, 1 - (d(logP1: p.logP1, tail: fT) - d(logP1: logP1End, tail: fEnd))))
    }

    /// (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)], written as (β+T) · (1 − e^{−(s−1)L})/(s−1) with
    /// L = log(1 + t/(β+T)), which tends to (β+T) L as s → 1 (no division by zero at s = 1).
    func expectedLifetimeWithin(horizon t: Double, from start: Double) -> Double {
        let l = log1p(t / (beta + start))
        let k = s - 1
        let factor = abs(k * l) < 1e-12 ? l : -expm1(-k * l) / k
        return (beta + start) * factor
    }

    /// E[X(T, T+t) | x, t_x, T] = (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)
    /// (Fader & Hardie 2005 note, eq. (22)).
    public func conditionalExpectedPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double {
        expectedPurchasesIfAlive(horizon: t, frequency: x, T: T) * probabilityAlive(frequency: x, recency: tx, T: T)
    }

    /// E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)] (Fader & Hardie 2005 note, eq. (17)).
    public func expectedPurchases(horizon t: Double) -> Double {
        r / alpha * expectedLifetimeWithin(horizon: t, from: 0)
    }

    /// P(X(t) = k) for a new customer, by conditioning on the lifetime τ ~ Pareto II(s, β):
    ///
    ///     P(X(t)=k) = (β/(β+t))^s · NBD(k; t) + ∫_0^t s β^s (β+τ)^-(s+1) · NBD(k; τ) dτ,
    ///     NBD(k; τ) = Γ(r+k)/(Γ(r) k!) (α/(α+τ))^r (τ/(α+τ))^k,
    ///
    /// the integral computed by adaptive Gauss–Legendre quadrature (relative tolerance 1e-12).
    /// This is the same quantity as Fader & Hardie's (2006) closed form with 2F1 terms, "Deriving
    /// an expression for P(X(t) = x) under the Pareto/NBD model", but every term is positive, so
    /// it has none of the closed form's cancellation for large k.
    public func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double {
        guard k >= 0, t >= 0 else { return 0 }
        let kk = Double(k)
        let logCoefficient = SpecialFunctions.logGamma(r + kk) - SpecialFunctions.logGamma(r) - SpecialFunctions.logGamma(kk + 1)
        func logNBD(_ tau: Double) -> Double {
            if tau == 0 { return k == 0 ? 0 : -.infinity }
            return logCoefficient + r * log(alpha / (alpha + tau)) + kk * log(tau / (alpha + tau))
        }
        if t == 0 { return k == 0 ? 1 : 0 }
        let alive = exp(s * log(beta / (beta + t)) + logNBD(t))
        let died = Quadrature.integrate(from: 0, to: t, relativeTolerance: 1e-12) { tau in
            exp(log(s) + s * log(beta) - (s + 1) * log(beta + tau) + logNBD(tau))
        }
        return Swift.min(1, Swift.max(0, alive + died))
    }
}

/// Adaptive Gauss–Legendre quadrature for smooth integrands on a finite interval.
enum Quadrature {
    /// 20-point Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_20.
    static let gaussLegendre20: (nodes: [Double], weights: [Double]) = {
        let n = 20
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for i in 0..<n {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var dp = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n {
                    let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1; p1 = p2
                }
                dp = Double(n) * (x * p1 - p0) / (x * x - 1)
                let dx = p1 / dp
                x -= dx
                if abs(dx) < 1e-16 { break }
            }
            nodes[i] = x
            weights[i] = 2 / ((1 - x * x) * dp * dp)
        }
        return (nodes, weights)
    }()

    static func rule(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Double {
        let (nodes, weights) = gaussLegendre20
        let half = (b - a) / 2, mid = (a + b) / 2
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * f(mid + half * nodes[i]) }
        return sum * half
    }

    /// Adds ∫_a^b f (a vector of `count` integrands sharing nodes) into `sums`, bisecting until the
    /// first component agrees between the whole interval and its halves to the tolerance.
    static func integrateVector(from a: Double, to b: Double, count: Int, relativeTolerance: Double,
                                into sums: inout [Double], _ f: (Double, inout [Double]) -> Void) {
        let (nodes, weights) = gaussLegendre20
        var values = [Double](repeating: 0, count: count)
        func rule(_ a: Double, _ b: Double) -> [Double] {
            let half = (b - a) / 2, mid = (a + b) / 2
            var out = [Double](repeating: 0, count: count)
            for i in nodes.indices {
                f(mid + half * nodes[i], &values)
                for k in 0..<count { out[k] += weights[i] * values[k] }
            }
            return out.map { $0 * half }
        }
        func recurse(_ a: Double, _ b: Double, _ whole: [Double], _ depth: Int) {
            let m = (a + b) / 2
            let left = rule(a, m), right = rule(m, b)
            let both = left[0] + right[0]
            // Relative to this piece or to everything summed so far, whichever is larger, so that
            // negligible pieces are not refined; the depth limit bounds the work (2^16 pieces at most).
            let scale = Swift.max(abs(both), abs(sums[0]))
            if depth >= 16 || abs(both - whole[0]) <= relativeTolerance * scale || both == 0 {
                for k in 0..<count { sums[k] += left[k] + right[k] }
                return
            }
            recurse(a, m, left, depth + 1)
            recurse(m, b, right, depth + 1)
        }
        recurse(a, b, rule(a, b), 0)
    }

    /// ∫_a^b f by recursive bisection until the two halves agree with the whole to the tolerance.
    static func integrate(from a: Double, to b: Double, relativeTolerance: Double, _ f: (Double) -> Double) -> Double {
        func recurse(_ a: Double, _ b: Double, _ whole: Double, _ depth: Int) -> Double {
            let m = (a + b) / 2
            let left = rule(f, a, m), right = rule(f, m, b)
            if depth >= 40 || abs(left + right - whole) <= relativeTolerance * abs(left + right) || abs(left + right - whole) < 1e-300 {
                return left + right
            }
            return recurse(a, m, left, depth + 1) + recurse(m, b, right, depth + 1)
        }
        return recurse(a, b, rule(f, a, b), 0)
    }
}
