// The likelihood loops' vector kernels. With -fveclib=libmvec (Package.swift) clang turns the
// AVX2 log and exp loops below into calls of glibc's _ZGVdN4v_log / _ZGVdN4v_exp, and the block
// sums into four-row AVX2/FMA code; the plain versions are for CPUs without AVX2, chosen once by
// the CPU's features.
#include "vector_math.h"
#include <math.h>

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void log_avx2(const double *restrict x, double *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = log(x[i]);
}

__attribute__((target("avx2,fma")))
static void exp_avx2(const double *restrict x, double *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp(x[i]);
}

static int has_avx2(void) {
    static int known = -1;
    if (known < 0) known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return known;
}
#else
static int has_avx2(void) { return 0; }
static void log_avx2(const double *x, double *y, long n) { (void)x; (void)y; (void)n; }
static void exp_avx2(const double *x, double *y, long n) { (void)x; (void)y; (void)n; }
#endif

void klant_vector_log(const double *x, double *y, long n) {
    if (has_avx2()) { log_avx2(x, y, n); return; }
    for (long i = 0; i < n; i++) y[i] = log(x[i]);
}

void klant_vector_exp(const double *x, double *y, long n) {
    if (has_avx2()) { exp_avx2(x, y, n); return; }
    for (long i = 0; i < n; i++) y[i] = exp(x[i]);
}

// The BG/NBD block sums (the per-row terms are documented with `PatternBlock` in
// Models/BetaGeometricNBD.swift). Sums may be
// reassociated so the loop runs four rows per instruction; the order is fixed for a given block.
static inline __attribute__((always_inline))
void block_sums(const double *s, long block, long n, int hessian, double *out) {
#pragma clang fp reassociate(on)
    const double *rx = s + KLANT_BLOCK_RX * block, *iB = s + KLANT_BLOCK_INVERSE_B * block, *w = s + KLANT_BLOCK_WEIGHT * block;
    const double *lT = s + KLANT_BLOCK_LOG_T * block, *invT = s + KLANT_BLOCK_INVERSE_T * block;
    const double *lR = s + KLANT_BLOCK_LOG_R * block, *invR = s + KLANT_BLOCK_INVERSE_R * block;
    const double *d = s + KLANT_BLOCK_D * block, *e = s + KLANT_BLOCK_E * block, *l1p = s + KLANT_BLOCK_LOG1P_E * block;
    double ll = 0, r = 0, alpha = 0, sw4 = 0, w4B = 0;
    for (long k = 0; k < n; k++) {
        double small = e[k] / (1 + e[k]);
        double w4 = d[k] > 0 ? 1 - small : small, w3 = 1 - w4;
        ll += w[k] * (-rx[k] * lT[k] + (d[k] > 0 ? d[k] : 0) + l1p[k]);
        r -= w[k] * (w3 * lT[k] + w4 * lR[k]);
        alpha -= w[k] * rx[k] * (w3 * invT[k] + w4 * invR[k]);
        sw4 += w[k] * w4;
        w4B += w[k] * w4 * iB[k];
    }
    out[0] += ll; out[1] += r; out[2] += alpha; out[3] += sw4; out[4] += w4B;
    if (!hessian) return;
    double hRA = 0, hAA = 0, pRR = 0, pRA = 0, pAA = 0, pR = 0, pRB = 0, pA = 0, pAB = 0, w4Squared = 0, pB = 0, bb = 0;
    for (long k = 0; k < n; k++) {
        double small = e[k] / (1 + e[k]);
        double w4 = d[k] > 0 ? 1 - small : small, w3 = 1 - w4;
        double dr = lR[k] - lT[k], da = rx[k] * (invR[k] - invT[k]), p = w[k] * w3 * w4;
        hRA -= w[k] * (w3 * invT[k] + w4 * invR[k]);
        hAA += w[k] * rx[k] * (w3 * invT[k] * invT[k] + w4 * invR[k] * invR[k]);
        pRR += p * dr * dr; pRA += p * dr * da; pAA += p * da * da;
        pR += p * dr; pRB += p * dr * iB[k]; pA += p * da; pAB += p * da * iB[k];
        w4Squared += w[k] * w4 * w4; pB += p * iB[k]; bb += w[k] * w4 * (1 + w3) * iB[k] * iB[k];
    }
    out[5] += hRA; out[6] += hAA; out[7] += pRR; out[8] += pRA; out[9] += pAA; out[10] += pR; out[11] += pRB;
    out[12] += pA; out[13] += pAB; out[14] += w4Squared; out[15] += pB; out[16] += bb;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void block_sums_avx2(const double *s, long block, long n, int hessian, double *out) { block_sums(s, block, n, hessian, out); }
#else
static void block_sums_avx2(const double *s, long block, long n, int hessian, double *out) { block_sums(s, block, n, hessian, out); }
#endif

static void block_sums_plain(const double *s, long block, long n, int hessian, double *out) { block_sums(s, block, n, hessian, out); }

void klant_bgnbd_block_sums(const double *scratch, long block, long n, int hessian, double *sums) {
    if (has_avx2()) block_sums_avx2(scratch, block, n, hessian, sums); else block_sums_plain(scratch, block, n, hessian, sums);
}
