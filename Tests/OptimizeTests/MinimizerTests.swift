import Foundation
import Linalg
import Testing
@testable import Optimize

@Suite struct MinimizerTests {
    /// Rosenbrock (a classic curved valley, Nocedal & Wright §2.1): minimum 0 at (1, 1).
    let rosenbrock: Objective = { x, g in
        let a = 1 - x[0], b = x[1] - x[0] * x[0]
        g[0] = -2 * a - 400 * x[0] * b
        g[1] = 200 * b
        return a * a + 100 * b * b
    }

    @Test func rosenbrockConvergesToTheExactMinimum() {
        let result = Minimizer.minimize(rosenbrock, from: [-1.2, 1])
        #expect(result.converged, "\(result.message)")
        #expect(abs(result.x[0] - 1) < 1e-8 && abs(result.x[1] - 1) < 1e-8)
        #expect(result.newtonDecrement <= 1e-11)
    }

    @Test func analyticHessianTakesOneEvaluationPerNewtonStepAndReachesTheSameMinimum() {
        let secondOrder: SecondOrderObjective = { x, g, hessian in
            let value = rosenbrock(x, &g)
            if hessian != nil {
                hessian![0, 0] = 2 - 400 * (x[1] - 3 * x[0] * x[0])
                hessian![0, 1] = -400 * x[0]; hessian![1, 0] = -400 * x[0]
                hessian![1, 1] = 200
            }
            return value
        }
        var options = OptimizerOptions()
        options.maxQuasiNewtonIterations = 0   // Newton from the start
        let result = Minimizer.minimize(secondOrder, from: [0.9, 0.8], options: options)
        #expect(result.converged, "\(result.message)")
        // Decrement ≤ 1e-11 with the valley's small curvature (~0.4) leaves x within ~1e-5 of (1, 1).
        #expect(abs(result.x[0] - 1) < 1e-5 && abs(result.x[1] - 1) < 1e-5, "\(result.x) \(result.message)")
        #expect(result.newtonDecrement <= 1e-11)
        // Every evaluation is a Newton step's trial point (no 2n + 1 gradient evaluations per Hessian).
        #expect(result.evaluations <= result.iterations + 8, "\(result.evaluations) evaluations for \(result.iterations) steps")
        // The Hessian returned is the objective's own at the end point.
        var g = [0.0, 0], expected: Matrix? = Matrix(rows: 2, columns: 2)
        _ = secondOrder(result.x, &g, &expected)
        #expect(result.hessian == expected)
    }

    @Test func quadraticIsSolvedAndHessianMatches() {
        // f = ½ xᵀAx − bᵀx with A = [[3, 1], [1, 2]], b = (1, 2): minimum at A⁻¹b = (0, 1).
        let f: Objective = { x, g in
            g[0] = 3 * x[0] + x[1] - 1
            g[1] = x[0] + 2 * x[1] - 2
            return 0.5 * (3 * x[0] * x[0] + 2 * x[0] * x[1] + 2 * x[1] * x[1]) - x[0] - 2 * x[1]
        }
        let result = Minimizer.minimize(f, from: [10, -10])
        #expect(result.converged)
        #expect(abs(result.x[0] - 0) < 1e-10 && abs(result.x[1] - 1) < 1e-10)
        let h = Minimizer.finiteDifferenceHessian(at: result.x) { x, g in _ = f(x, &g) }
        #expect(abs(h[0, 0] - 3) < 1e-8 && abs(h[0, 1] - 1) < 1e-8 && abs(h[1, 1] - 2) < 1e-8)
    }

    @Test func nonFiniteStartIsReportedNotConverged() {
        let f: Objective = { _, g in g[0] = 0; return .nan }
        let result = Minimizer.minimize(f, from: [1])
        #expect(!result.converged)
        #expect(result.message.contains("not finite"))
    }

    @Test func unboundedObjectiveDoesNotClaimConvergence() {
        // f = −x has no minimum: the minimiser must stop without saying it converged.
        let f: Objective = { x, g in g[0] = -1; return -x[0] }
        let result = Minimizer.minimize(f, from: [0])
        #expect(!result.converged)
    }
}
