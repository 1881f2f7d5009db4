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

void *el_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
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
