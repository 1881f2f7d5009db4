/* Allocation wrappers with overflow checks and a fault-injection hook for tests. The hook's
 * counters are per thread (C11 _Thread_local): a test arms them in the thread whose allocations
 * it means to fail, and other threads are not affected (docs/design.md §8). */
#include "el_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local long fail_at;    /* 0 = never fail */
static _Thread_local long alloc_seen; /* allocations of this thread since el_alloc_fail_at */

static int should_fail(void)
{
    alloc_seen++;
    return fail_at > 0 && alloc_seen == fail_at;
}

void el_alloc_fail_at(long n)
{
    fail_at = n;
    alloc_seen = 0;
}

long el_alloc_count(void)
{
    return alloc_seen;
}

void *el_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

/* Small blocks come from malloc and are cleared here: glibc's calloc bypasses the per-thread
 * cache and, once the process has threads, takes its arena's lock for every block (a solve makes
 * a few dozen small ones). Large ones keep calloc, which need not clear fresh pages. */
#define CALLOC_SMALL 4096

/* memset through a pointer the compiler cannot see through: it would otherwise turn malloc and
 * memset back into calloc. */
static void *(*volatile const clear)(void *, int, size_t) = memset;

void *el_calloc(size_t n, size_t size)
{
    size_t total;
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    total = (n ? n : 1) * (size ? size : 1);
    if (total <= CALLOC_SMALL) {
        void *p = malloc(total);
        if (p)
            clear(p, 0, total);
        return p;
    }
    return calloc(n ? n : 1, size ? size : 1);
}

void *el_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

void *el_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return el_realloc(p, n * size);
}

void el_free(void *p)
{
    free(p);
}

char *el_strdup(const char *s)
{
    size_t len;
    char *copy;
    if (!s)
        return NULL;
    len = strlen(s) + 1;
    copy = el_malloc(len);
    if (copy)
        memcpy(copy, s, len);
    return copy;
}
