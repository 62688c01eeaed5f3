"""Reference values for SpecialFunctionsTests: mpmath 1.3 at 50 digits on the exact binary doubles.
Run: python3 Tests/ModelsTests/peers/pareto_special_functions_reference.py"""
import mpmath as mp
mp.mp.dps = 50
def e(v): return mp.mpf(float(v))
cases = [(1,1,2,0.5),(0.5,1.5,3,0.999),(1,1,2,0.999),(2.5,3.5,1.5,0.999),(500,1,501,0.999),
         (500,500,1001,0.5),(500,500,2,0.9),(501.1595,500.5533,502.1595,0.9),(2.1595,2.5533,3.1595,0.026),
         (10.1595,1.6062,11.1595,0.3),(1,8,10.5,1/(1+1e-4)),(0.3,0.7,0.5,0.99),(3,4,5,0.0)]
for a,b,c,z in cases:
    print("(%r, %r, %r, %r, %s)," % (a,b,c,z, mp.nstr(mp.log(mp.hyp2f1(e(a),e(b),e(c),e(z))),20)))
print("digamma")
for x in [1e-8,0.1,0.5,1,1.4616321449683622,2.5,5.99,6,10,123.456,1e6]:
    print("(%r, %s)," % (x, mp.nstr(mp.digamma(e(x)),20)))
print("trigamma")
for x in [1e-8,0.1,0.5,1,2.5,6,10,123.456,1e6]:
    print("(%r, %s)," % (x, mp.nstr(mp.psi(1,e(x)),20)))
print("logbeta")
for a,b in [(0.5,0.5),(1,1),(0.704,1.182),(2.5,40),(30,0.001),(1e6,1e-3),(1000,1000.5),(1e8,2.5),(12,15),(0.01,0.02)]:
    print("(%r, %r, %s)," % (a,b, mp.nstr(mp.log(mp.beta(e(a),e(b))),20)))
