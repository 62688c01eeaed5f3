"""Reference values for ParetoNBDTests.matchesMpmath: the Pareto/NBD log-likelihood of single
customers (Fader & Hardie 2005 note, eq. (18)-(19)) with mpmath's arbitrary-precision hyp2f1 at 50
digits, and its gradient by mpmath.diff. Parameters are the exact binary doubles the test uses.
(Plain mpmath.quad of the integral form is NOT accurate enough here: the integrand
(alpha+t)^-(r+x) is sharply peaked at t_x for x in the hundreds.)
Run: python3 Tests/ModelsTests/peers/pareto_reference.py"""
import mpmath as mp

mp.mp.dps = 50


def ll(r, a, s, b, x, tx, T):
    C = mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b)
    P1 = (a + T) ** (-(r + x)) * (b + T) ** (-s)
    A = r + s + x
    if a >= b:
        F = lambda u: mp.hyp2f1(A, s + 1, A + 1, (a - b) / (a + u)) / (A * (a + u) ** A)
    else:
        F = lambda u: mp.hyp2f1(A, r + x, A + 1, (b - a) / (b + u)) / (A * (b + u) ** A)
    return C + mp.log(P1 + s * (F(tx) - F(T)))


def exact(v):
    return mp.mpf(float(v))


for theta in ([0.5533, 10.578, 0.6062, 11.669], [0.8, 15, 1.3, 4]):
    th = [exact(v) for v in theta]
    for cust in [(2, 30.43, 38.86), (500, 1, 100), (300, 0.5, 200), (1000, 10, 1000)]:
        c = [exact(v) for v in cust]
        f = lambda *p: ll(*p, *c)
        g = [mp.diff(lambda v: f(*(th[:k] + [v] + th[k + 1:])), th[k]) for k in range(4)]
        print(theta, cust, mp.nstr(f(*th), 20), [mp.nstr(v, 17) for v in g])


# P(X(t) = x) for a new customer (ParetoNBDTests.probabilityOfPurchasesMatchesMpmath): Fader & Hardie
# (2006) "Deriving an expression for P(X(t) = x) under the Pareto/NBD model", closed form with
# hyp2f1, checked against the lifetime-conditioning integral (they agree to 40 digits).
def p_closed(r, a, s, b, x, t):
    first = mp.gamma(r + x) / (mp.gamma(r) * mp.factorial(x)) * (a / (a + t)) ** r * (t / (a + t)) ** x * (b / (b + t)) ** s
    if a >= b:
        B1 = mp.hyp2f1(r + s, s + 1, r + s + x + 1, (a - b) / a) / a ** (r + s)
        B2 = lambda i: mp.hyp2f1(r + s + i, s + 1, r + s + x + 1, (a - b) / (a + t)) / (a + t) ** (r + s + i)
    else:
        B1 = mp.hyp2f1(r + s, r + x, r + s + x + 1, (b - a) / b) / b ** (r + s)
        B2 = lambda i: mp.hyp2f1(r + s + i, r + x, r + s + x + 1, (b - a) / (b + t)) / (b + t) ** (r + s + i)
    S = sum(mp.gamma(r + s + i) / (mp.gamma(r + s) * mp.factorial(i)) * t ** i * B2(i) for i in range(x + 1))
    return first + a ** r * b ** s * mp.beta(r + x, s + 1) / mp.beta(r, s) * (B1 - S)


for theta in ([0.5533, 10.578, 0.6062, 11.669], [0.8, 15, 1.3, 4]):
    th = [exact(v) for v in theta]
    for x, t in [(0, 39), (1, 39), (3, 39), (10, 78), (0, 1)]:
        print(theta, x, t, mp.nstr(p_closed(*th, x, exact(t)), 20))


# z close to 1 (ParetoNBDTests.tailNearOne): parameters a fit on customers without repeat purchases
# drifts to, where the series needs ~10^6 terms and the likelihood switches to quadrature.
for theta in ([0.012428, 1033.566, 374.214, 0.058659], [0.5, 0.001, 0.7, 2000.0]):
    th = [exact(v) for v in theta]
    for cust in [(0, 0, 10), (0, 0, 30), (3, 0.5, 30)]:
        c = [exact(v) for v in cust]
        f = lambda *p: ll(*p, *c)
        g = [mp.diff(lambda v: f(*(th[:k] + [v] + th[k + 1:])), th[k]) for k in range(4)]
        print(theta, cust, mp.nstr(f(*th), 20), [mp.nstr(v, 17) for v in g])


# P(X(T, T+t) = 0 | x, t_x, T) (ParetoNBDTests.noPurchaseProbabilityMatchesMpmath): Fader & Hardie
# (2006) "Deriving the conditional PMF of the Pareto/NBD model", eq. (16) at n = 0, term by term as
# lifetimes writes it (B1, B2(T), B3(T + t)), with hyp2f1 at 50 digits.
def p0_conditional(r, a, s, b, x, tx, T, t):
    L = mp.exp(ll(r, a, s, b, x, tx, T))
    alive = mp.exp(mp.loggamma(r + x) + r * mp.log(a) + s * mp.log(b)
                   - mp.loggamma(r) - (r + x) * mp.log(a + T) - s * mp.log(b + T)) / L
    m, M = (a, b) if a < b else (b, a)
    p = r + x if a < b else s + 1
    B1 = mp.exp(mp.loggamma(r + x) + r * mp.log(a) + s * mp.log(b) - mp.loggamma(r)
                - (r + x) * mp.log(a + T + t) - s * mp.log(b + T + t))
    def B(u):
        return (a ** r * b ** s * mp.gamma(r + s + x) * mp.beta(r + x, s + 1)
                * mp.hyp2f1(r + s + x, p, r + s + x + 1, (M - m) / (M + u))
                / (mp.gamma(r) * mp.gamma(s) * (M + u) ** (r + s + x)))
    return 1 - alive + (B1 + B(T) - B(T + t)) / L


for theta in ([0.5533, 10.578, 0.6062, 11.669], [0.8, 15, 1.3, 4]):
    th = [exact(v) for v in theta]
    for cust, t in [((0, 0, 38.86), 39), ((2, 30.43, 38.86), 39), ((2, 30.43, 38.86), 1), ((7, 35, 38), 78), ((50, 55, 60), 13)]:
        c = [exact(v) for v in cust]
        print("p0", theta, cust, t, mp.nstr(p0_conditional(*th, *c, exact(t)), 20))
