// Vector log and exp for the likelihood loops. With -fveclib=libmvec (Package.swift) clang turns
// the AVX2 loops below into calls of glibc's _ZGVdN4v_log / _ZGVdN4v_exp; the plain loops are
// for CPUs without AVX2, chosen once per call by the CPU's features.
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
