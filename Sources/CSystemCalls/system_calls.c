#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include "system_calls.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int klant_start_writeback(int fd, long long offset, long long length) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}

void *klant_grow_mapping(void *address, size_t old_size, size_t new_size) {
#if defined(__linux__)
    void *moved = mremap(address, old_size, new_size, MREMAP_MAYMOVE);
    return moved == MAP_FAILED ? NULL : moved;
#else
    (void)address; (void)old_size; (void)new_size;
    return NULL;
#endif
}

int klant_return_free_memory(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}
