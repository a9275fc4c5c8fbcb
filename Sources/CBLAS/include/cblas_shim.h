#ifndef POLYTOKEN_CBLAS_SHIM_H
#define POLYTOKEN_CBLAS_SHIM_H

#include <stdint.h>

/// Loads OpenBLAS on first use (dlopen of libopenblas.so.0), so that processes which never
/// multiply matrices never start its thread pool (whose threads spin at start-up and took a
/// core from every command on a 2-core machine). Returns 1 when the gemm functions below can
/// be called, else 0 with the loader's message in `error` (at most `size` bytes).
int32_t pt_blas_open(char *error, int32_t size);

/// C = alpha * A * B^T + beta * C for row-major double-precision matrices: A is m x k,
/// B is n x k, C is m x n (OpenBLAS `cblas_dgemm`, on all cores). Needs `pt_blas_open`.
void pt_dgemm_abt(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c);

/// C = alpha * A * B + beta * C in double precision (A m x k, B k x n, C m x n, row-major).
/// Needs `pt_blas_open`.
void pt_dgemm_ab(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c);

/// The number of threads OpenBLAS uses (1 when the library does not say). Needs `pt_blas_open`.
int32_t pt_blas_threads(void);

#endif
