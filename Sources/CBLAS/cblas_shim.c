#include "cblas_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// CBLAS's constants (the values every implementation uses).
enum { RowMajor = 101, NoTrans = 111, Trans = 112 };

typedef void (*dgemm_function)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
typedef int (*threads_function)(void);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static dgemm_function dgemm;
static threads_function threads;
static char failure[512];

static void load(void) {
#if defined(__x86_64__)
    // OpenBLAS picks its kernels by CPU, and they sum in different orders: SkylakeX's (on AVX-512
    // machines) gives other last bits than Haswell's, so CLP weights would differ between machines.
    // Haswell's kernels run on every x86-64 CPU with AVX2 and FMA; a CORETYPE the user set wins.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) setenv("OPENBLAS_CORETYPE", "Haswell", 0);
#endif
    const char *names[] = {"libopenblas.so.0", "libopenblas.so"};
    void *handle = NULL;
    for (unsigned i = 0; i < sizeof names / sizeof names[0] && handle == NULL; i++) {
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        const char *message = dlerror();
        snprintf(failure, sizeof failure, "%s", message ? message : "libopenblas.so.0 not found");
        return;
    }
    dgemm = (dgemm_function)dlsym(handle, "cblas_dgemm");
    threads = (threads_function)dlsym(handle, "openblas_get_num_threads");
    if (dgemm == NULL) snprintf(failure, sizeof failure, "the OpenBLAS library found has no cblas_dgemm");
}

int32_t pt_blas_open(char *error, int32_t size) {
    pthread_once(&once, load);
    if (dgemm != NULL) return 1;
    if (error != NULL && size > 0) snprintf(error, (size_t)size, "%s", failure);
    return 0;
}

void pt_dgemm_abt(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c) {
    dgemm(RowMajor, NoTrans, Trans, m, n, k, alpha, a, k, b, k, beta, c, n);
}

void pt_dgemm_ab(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c) {
    dgemm(RowMajor, NoTrans, NoTrans, m, n, k, alpha, a, k, b, n, beta, c, n);
}

int32_t pt_blas_threads(void) {
    return threads != NULL ? threads() : 1;
}
