/* el_alloc: every allocation of etslink goes through here, so that tests can count allocations and
 * make the n-th one fail (fault injection, docs/design.md §8). */
#ifndef EL_ALLOC_H
#define EL_ALLOC_H

#include <stddef.h>

/** malloc/calloc/realloc that return NULL on failure, on overflow of n*size, or when fault
 * injection says so. Memory is released with el_free. */
void *el_malloc(size_t size);
void *el_calloc(size_t n, size_t size);
void *el_realloc(void *p, size_t size);
/** Array realloc with overflow check of n*size. */
void *el_reallocarray(void *p, size_t n, size_t size);
void el_free(void *p);
/** Copy of s (NULL gives NULL); the caller frees it with el_free. */
char *el_strdup(const char *s);

/** Test hook: make the n-th allocation of the calling thread from now fail (n >= 1), or disable
 * with n = 0. The counters are per thread: allocations of other threads neither count nor fail.
 * Thread-safe. */
void el_alloc_fail_at(long n);
/** Number of allocations of the calling thread since its last el_alloc_fail_at call. */
long el_alloc_count(void);

#endif
