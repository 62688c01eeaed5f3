#ifndef KLANT_SYSTEM_CALLS_H
#define KLANT_SYSTEM_CALLS_H

#include <stddef.h>

// Linux calls Swift cannot reach directly (they need _GNU_SOURCE, or are variadic); each has a
// portable fallback, so callers need no #if.

/// Asks the kernel to start writing bytes [offset, offset + length) of `fd` to disk now, without
/// waiting (Linux `sync_file_range` with SYNC_FILE_RANGE_WRITE), so the fsync that publishes a
/// large export finds most of it already written. A no-op returning 0 where it does not exist.
/// Returns 0 or -1 with errno set; callers may ignore failures, the final fsync still reports them.
int klant_start_writeback(int fd, long long offset, long long length);

/// Grows an anonymous mapping of `old_size` bytes to `new_size` bytes, moving it if it must
/// (Linux `mremap` with MREMAP_MAYMOVE: the pages move with their contents, nothing is copied and
/// the old pages are not touched again). Returns the new address, or NULL where mremap does not
/// exist or fails (the caller then allocates, copies and frees).
void *klant_grow_mapping(void *address, size_t old_size, size_t new_size);

/// Hands the free memory of the allocator's heaps back to the kernel (glibc `malloc_trim(0)`), so
/// that memory a big job has freed is not torn down page by page when the process exits. Returns 1
/// when memory was released, 0 otherwise (also where it does not exist).
int klant_return_free_memory(void);

/// Turns writes around the page cache on or off for `fd` (Linux O_DIRECT through fcntl): data goes
/// from the caller's memory to the device, without a copy into the page cache; buffers, offsets
/// and lengths must then be aligned to the device's block size. Returns 0, or -1 with errno set
/// (ENOTSUP where O_DIRECT does not exist; EINVAL where the file system refuses it).
int klant_set_uncached_writes(int fd, int on);

#endif
