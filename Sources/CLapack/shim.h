#include <cblas.h>
#include <lapacke.h>

// OpenBLAS (exported, not in its headers): stops and joins the thread pool; OpenBLAS starts it
// again if a later call is to run on more than one thread.
int blas_thread_shutdown_(void);
