/* Batches (batch.h). T threads (the caller and T - 1 workers) take items in chunks from a shared
 * counter and solve them into slots of their own, which a ring of `window` entries lists in item
 * order; one thread, the lead, alone delivers the slots to the sinks strictly in item order, so
 * that the sinks see one thread and one order whatever T. A worker waits while its item is `window`
 * or more ahead of the one being delivered, so memory is bounded by the window (the slots in
 * flight and those on their way back, at most twice the window, plus POOL_KEEP per thread), not
 * the number of items. The first error in item order stops the batch.
 *
 * A slot belongs to the thread that solves into it: once delivered it goes back to that thread,
 * which gives its item back to the producer and solves its next item into it. A thread so writes
 * only memory that it wrote last and that the other cores at most read, never a slot another
 * core solved into: on a 2-core host a shared ring of slots made two threads spend a quarter more
 * CPU time than one on the same items (docs/performance.md). */
#include "batch.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"
#include "el_la.h"
#include "el_mpi.h"

#define CHUNK 16 /* items taken at a time by a worker */

/* What delivery reads comes first (one cache line), then the result and the baseline; delivery
 * never reads the item's variation, which its maker frees (varied says whether it changes
 * anything). */
typedef struct Slot {
    el_status st;
    bool has_base;
    bool varied;     /* the item has a variation with changes */
    bool to_release; /* holds an item not yet given back to the producer */
    int solver;      /* threads: the thread that solved it (0 = the lead) */
    ElBatchItem item;
    long index;          /* of the item in the slot */
    ElDesignResult r;    /* solved result, or cleared */
    ElDesignResult base; /* the item's own baseline when it has a variation */
    ElError err;
    struct Slot *next, *prev; /* threads: in the list of all its thread's slots */
} Slot;

/* Threads: the ring's entry of an item, from its solving to its delivery. */
typedef struct {
    Slot *sl; /* NULL when ready: no memory for a slot */
    bool ready;
} Ring;

/* Threads: a solving thread's slots. */
typedef struct {
    Slot *all, *tail; /* every slot it has (a list through next and prev) */
    Slot **free;      /* delivered and back, ready for its next items (the last back on top) */
    long nfree, cap;
} Pool;

/* Delivered slots a thread keeps for its next items; those beyond are freed when they come
 * back. A thread's slots are then those in flight (at most the window for all threads), those
 * on their way back, and at most this many. */
#define POOL_KEEP (4 * CHUNK)

/* Threads: delivered slots on their way back to the thread that solved into them, which gives
 * their items back to the producer, so that memory is freed by the thread that allocated it
 * (glibc's arenas are per thread; a free from another thread takes the owner's lock, and
 * measured on a 2-core host it made two threads slower than one on a sweep). */
typedef struct {
    Slot **p;
    long n, cap;
} PendList;

/* A thread's last baseline under a variation, reused by the next item with the same changes
 * (the draws of an <uncertainty> come design after design for one state of the world). */
typedef struct {
    ElVariation key;
    ElDesignResult base;
    el_status st;
    ElError err;
    bool valid;
} BaseCache;

static bool same_variation(const ElVariation *a, const ElVariation *b)
{
    int k;
    if (a->n != b->n)
        return false;
    for (k = 0; k < a->n; k++) {
        const ElSet *x = &a->sets[k], *y = &b->sets[k];
        if (x->jur != y->jur || x->field != y->field || x->pool != y->pool ||
            memcmp(&x->value, &y->value, sizeof(double)) != 0)
            return false;
    }
    return true;
}

static void base_cache_clear(BaseCache *c)
{
    el_variation_clear(&c->key);
    el_design_result_clear(&c->base);
    c->valid = false;
}

/* The fields fall in three groups, each in cache lines of its own: what every thread reads and
 * nothing writes while the threads run; what the threads write under `mu`; and the calling
 * thread's own. A line holding both a field the workers read at every item and one the caller
 * writes at every item would travel between the cores at every item. */
#define LINE 64
typedef struct {
    _Alignas(LINE) const ElScenario *s;
    const ElProducer *prod;
    const ElDesignResult *shared; /* the baseline without variation */
    Ring *ring;                   /* threads */
    long window;
    PendList *pend; /* threads: per solving thread, under mu */
    int nthreads;
    const ElSink *const *sinks; /* threads: the sinks, for their `help` */
    int nsinks;
    bool helpable; /* a sink has a `help` */
    /* threads, under mu */
    _Alignas(LINE) pthread_mutex_t mu;
    long next;      /* next item to hand out */
    long delivered; /* items delivered so far */
    long awaited;   /* the item delivery sleeps on, or -1 */
    int space_waiters;
    bool stop;
    Slot *ends;              /* the workers' slots, handed over as they end */
    pthread_cond_t ready_cv; /* a slot became ready */
    pthread_cond_t space_cv; /* a slot was delivered */
    /* the calling thread's (one thread, MPI; the lead's when it cannot have a thread) */
    _Alignas(LINE) ElSolveWork *work; /* (one thread, MPI: the only one) */
    BaseCache cache;
} Batch;

/* The sinks' own work (ElSink.help), once each: whether any did something (any thread). */
static bool help_sinks(Batch *b)
{
    bool did = false;
    int k;
    for (k = 0; b->helpable && k < b->nsinks; k++)
        if (b->sinks[k]->help && b->sinks[k]->help(b->sinks[k]->ctx))
            did = true;
    return did;
}

/* Append slot sl to list l. */
static bool list_push(PendList *l, Slot *sl)
{
    if (l->n == l->cap) {
        long nc = l->cap ? 2 * l->cap : 64;
        Slot **np = el_reallocarray(l->p, (size_t)nc, sizeof(*np));
        if (!np)
            return false;
        l->p = np;
        l->cap = nc;
    }
    l->p[l->n++] = sl;
    return true;
}

/* The item of a slot goes back to the producer (any thread), if it holds one. */
static void give_back(Batch *b, Slot *sl)
{
    if (sl->to_release && b->prod->release)
        b->prod->release(b->prod->ctx, sl->index, &sl->item);
    memset(&sl->item, 0, sizeof(sl->item));
    sl->to_release = false;
}

/* Free slot sl of pool (its thread), with the item it holds. */
static void slot_drop(Batch *b, Pool *pool, Slot *sl);

/* The delivered slots of list l come back to their thread's pool (that thread). Their items go
 * back to the producer one at a time, just before the slot takes its next item (solve_item):
 * freeing a whole list of items at once overflows glibc's per-thread cache, while one free
 * before each allocation of the same size reuses the block. Slots beyond POOL_KEEP, or that the
 * pool has no room for, are freed. */
static void reclaim(Batch *b, Pool *pool, PendList *l)
{
    long k;
    for (k = 0; k < l->n; k++) {
        Slot *sl = l->p[k];
        if (pool->nfree >= POOL_KEEP) {
            slot_drop(b, pool, sl);
            continue;
        }
        if (pool->nfree == pool->cap) {
            long nc = pool->cap ? 2 * pool->cap : POOL_KEEP;
            Slot **np = el_reallocarray(pool->free, (size_t)nc, sizeof(*np));
            if (!np) {
                slot_drop(b, pool, sl);
                continue;
            }
            pool->free = np;
            pool->cap = nc;
        }
        pool->free[pool->nfree++] = sl;
    }
    l->n = 0;
}

/* A slot of thread t for its next item: the one it got back last (its memory is the most likely
 * still in this core's cache), else a new one; NULL when out of memory. */
static Slot *slot_take(Pool *pool, int t)
{
    Slot *sl;
    if (pool->nfree > 0)
        return pool->free[--pool->nfree];
    sl = el_calloc(1, sizeof(*sl));
    if (sl) {
        sl->solver = t;
        sl->next = pool->all;
        if (pool->all)
            pool->all->prev = sl;
        else
            pool->tail = sl;
        pool->all = sl;
    }
    return sl;
}

/* Item i's result when it is not solved: outcome EL_INFEASIBLE, every figure 0. */
static void unsolved(Slot *sl)
{
    el_design_result_empty(&sl->r); /* the arrays stay allocated for the slot's next item */
    sl->r.outcome = EL_INFEASIBLE;
}

/* The baseline of item sl under its variation: the thread's cached one when the variation is
 * the same as last time, else solved into the cache (c NULL: into sl->base). It is copied into
 * sl->base only for the sinks (not when the item says they do not read it). NULL with sl->st
 * set when it could not be solved. */
static const ElDesignResult *solve_base(Batch *b, ElSolveWork *w, BaseCache *c, Slot *sl)
{
    ElError *err = &sl->err;
    const ElVariation *v = sl->item.variation;
    if (!c) {
        sl->st = el_design_solve_into(w, b->s, NULL, v, NULL, &sl->base, err);
        sl->has_base = sl->st == EL_OK;
        return sl->has_base ? &sl->base : NULL;
    }
    if (!c->valid || !same_variation(&c->key, v)) {
        ElError cerr;
        c->st = el_design_solve_into(w, b->s, NULL, v, NULL, &c->base, &c->err);
        /* without its key (no memory) the cache serves this item only: not an error */
        c->valid = el_variation_copy(&c->key, v, &cerr) == EL_OK;
    }
    sl->st = c->st;
    if (sl->st != EL_OK) {
        *err = c->err;
        return NULL;
    }
    if (!sl->item.baseline_unused) { /* into the slot's arrays: no allocation */
        sl->st = el_design_result_assign(&sl->base, &c->base, err);
        sl->has_base = sl->st == EL_OK;
    }
    return sl->st == EL_OK ? &c->base : NULL;
}

/* Whether item it changes the state of the world (then its baseline is solved under it too). */
static bool varied(const ElBatchItem *it)
{
    return it->variation && it->variation->n > 0;
}

/* Solve item i into slot sl (any thread; c: the thread's baseline cache, or NULL). With one
 * thread and under MPI a single slot serves every item: its previous item goes back to the
 * producer here, and it keeps its result arrays (el_design_solve_into). */
static void solve_item(Batch *b, ElSolveWork *w, BaseCache *c, long i, Slot *sl)
{
    ElError *err = &sl->err;
    const ElDesignResult *base = b->shared;
    if (sl->to_release)
        give_back(b, sl);
    sl->has_base = false;
    sl->index = i;
    memset(&sl->item, 0, sizeof(sl->item));
    err->code = EL_OK;
    err->msg[0] = '\0';
    sl->st = b->prod->item(b->prod->ctx, i, &sl->item, err);
    sl->to_release = true; /* given back even when making it failed, as it may be half made */
    sl->varied = sl->st == EL_OK && varied(&sl->item);
    if (sl->st == EL_OK && sl->item.skip) {
        unsolved(sl);
        return;
    }
    if (sl->varied) {
        /* the state of the world changed: the baseline is solved under it too */
        base = solve_base(b, w, c, sl);
        if (sl->st == EL_OK && base->outcome != EL_OPTIMAL) {
            if (sl->item.baseline_may_fail) {
                unsolved(sl);
                return;
            }
            sl->st = el_baseline_check(b->s, base, err);
        }
    }
    if (sl->st == EL_OK)
        sl->st =
            el_design_solve_into(w, b->s, sl->item.design, sl->item.variation, base, &sl->r, err);
}

static void slot_free(Batch *b, Slot *sl)
{
    give_back(b, sl);
    el_design_result_clear(&sl->r);
    el_design_result_clear(&sl->base);
}

static void slot_drop(Batch *b, Pool *pool, Slot *sl)
{
    if (sl->prev)
        sl->prev->next = sl->next;
    else
        pool->all = sl->next;
    if (sl->next)
        sl->next->prev = sl->prev;
    else
        pool->tail = sl->prev;
    slot_free(b, sl);
    el_free(sl);
}

/* Free the slots of list `all` (after the threads). */
static void slots_free(Batch *b, Slot *all)
{
    while (all) {
        Slot *next = all->next;
        slot_free(b, all);
        el_free(all);
        all = next;
    }
}

/* Solve items first .. last - 1 into slots of thread t, and list them in the ring as ready. */
static void
solve_chunk(Batch *b, int t, Pool *pool, ElSolveWork *w, BaseCache *c, long first, long last)
{
    Slot *made[CHUNK];
    long i;
    for (i = first; i < last; i++) {
        Slot *sl = slot_take(pool, t);
        if (sl)
            solve_item(b, w, c, i, sl);
        made[i - first] = sl;
    }
    /* one lock and at most one wake-up per chunk, and only if delivery waits for it */
    pthread_mutex_lock(&b->mu);
    for (i = first; i < last; i++) {
        b->ring[i % b->window].sl = made[i - first];
        b->ring[i % b->window].ready = true;
    }
    if (b->awaited >= first && b->awaited < last)
        pthread_cond_signal(&b->ready_cv);
    pthread_mutex_unlock(&b->mu);
}

static el_status
deliver(Batch *b, long i, Slot *sl, const ElSink *const *sinks, int nsinks, ElError *err)
{
    el_status st = sl->st;
    /* its own baseline; none when the sinks do not read it; else the shared one */
    const ElDesignResult *base = sl->has_base                             ? &sl->base
                                 : sl->varied && sl->item.baseline_unused ? NULL
                                                                          : b->shared;
    int k;
    if (st != EL_OK) {
        if (err)
            *err = sl->err;
        return st;
    }
    for (k = 0; k < nsinks && st == EL_OK; k++)
        if (sinks[k]->result)
            st = sinks[k]->result(sinks[k]->ctx, i, &sl->item, &sl->r, base, err);
    return st;
}

/* A solving thread's own workspace and baseline cache. */
typedef struct {
    ElSolveWork *w; /* NULL when out of memory: each solve then makes a temporary one, and
                       reports running out itself */
    BaseCache cache;
} Own;

static void own_init(Own *o)
{
    ElError err;
    memset(&o->cache, 0, sizeof(o->cache));
    if (el_solve_work_create(&o->w, &err) != EL_OK)
        o->w = NULL;
}

static void own_free(Own *o)
{
    el_solve_work_free(o->w);
    base_cache_clear(&o->cache);
}

typedef struct {
    Batch *b;
    int t; /* 1 .. threads - 1 */
} WorkerArg;

static void *worker(void *arg)
{
    Batch *b = ((WorkerArg *)arg)->b;
    int self = ((WorkerArg *)arg)->t;
    PendList mine = {NULL, 0, 0};
    Pool pool = {NULL, NULL, NULL, 0, 0};
    Own own;
    own_init(&own);
    for (;;) {
        long first, last;
        pthread_mutex_lock(&b->mu);
        first = b->next;
        last = first + CHUNK < b->prod->count ? first + CHUNK : b->prod->count;
        b->next = last;
        /* the whole chunk must fit in the window ahead of delivery */
        b->space_waiters++;
        while (!b->stop && first < b->prod->count && last > b->delivered + b->window) {
            if (b->helpable) { /* the sinks' work first, if there is any */
                bool did;
                pthread_mutex_unlock(&b->mu);
                did = help_sinks(b);
                pthread_mutex_lock(&b->mu);
                if (did)
                    continue;
            }
            pthread_cond_wait(&b->space_cv, &b->mu);
        }
        b->space_waiters--;
        { /* take this thread's delivered slots, to reclaim them outside the lock */
            PendList tmp = b->pend[self];
            b->pend[self] = mine;
            mine = tmp;
        }
        if (b->stop || first >= b->prod->count) {
            /* its slots, wherever they are, are freed by the caller at the end */
            if (pool.all) {
                pool.tail->next = b->ends;
                b->ends = pool.all;
            }
            pthread_mutex_unlock(&b->mu);
            own_free(&own);
            el_free(mine.p);
            el_free(pool.free);
            return NULL;
        }
        pthread_mutex_unlock(&b->mu);
        reclaim(b, &pool, &mine);
        solve_chunk(b, self, &pool, own.w, &own.cache, first, last);
        while (help_sinks(b)) /* the sinks' work, between chunks */
            ;
    }
}

/* Delivery reads results that another core wrote, one cache line after another: the lines of
 * the results a few items ahead are asked for while the sinks read the current one. The slot's
 * own lines first, then (once those are here) the arrays they point to. */
#define PREFETCH_SLOT   4
#define PREFETCH_RESULT 2

static void prefetch_lines(const void *p, size_t bytes)
{
    const char *c = p;
    size_t k;
    for (k = 0; c && k < bytes; k += LINE)
        __builtin_prefetch(c + k, 0, 3);
}

static void prefetch_slot(const Slot *sl)
{
    prefetch_lines(sl, offsetof(Slot, base)); /* the baseline's only when it has one */
}

/* The leading figures of each jurisdiction's result (ElJurResult puts those read most first). */
#define JUR_HOT (6 * sizeof(double))
static void prefetch_jur(const ElDesignResult *r)
{
    int j;
    for (j = 0; j < r->njur; j++) {
        const char *q = (const char *)&r->jur[j];
        __builtin_prefetch(q, 0, 3);
        __builtin_prefetch(q + JUR_HOT - 1, 0, 3);
    }
}

static void prefetch_result(const Slot *sl)
{
    if (!sl || sl->st != EL_OK)
        return;
    prefetch_jur(&sl->r);
    if (sl->has_base) {
        prefetch_lines(&sl->base, sizeof(sl->base));
        prefetch_jur(&sl->base);
    }
}

/* Items before `delivered` are delivered: hand the slots of mine over to the threads that solved
 * into them, move the window on and wake the solvers waiting for room in it. A slot that cannot
 * be handed over (no memory) has its item given back here, after the lock, and stays out of its
 * pool (freed at the end). */
static void publish(Batch *b, long delivered, PendList *mine)
{
    long k, kept = 0;
    pthread_mutex_lock(&b->mu);
    for (k = 0; k < mine->n; k++)
        if (!list_push(&b->pend[mine->p[k]->solver], mine->p[k]))
            mine->p[kept++] = mine->p[k];
    b->delivered = delivered;
    if (b->space_waiters > 0)
        pthread_cond_broadcast(&b->space_cv);
    pthread_mutex_unlock(&b->mu);
    for (k = 0; k < kept; k++)
        give_back(b, mine->p[k]);
    mine->n = 0;
}

/* The lead is one of the T solvers and the only one that delivers: whenever the next result in
 * order is ready it delivers the whole run of ready results; otherwise it solves a chunk itself
 * (with workspace w and baseline cache c) if one fits in the window, and only when neither is
 * possible does it sleep until a worker finishes the chunk it waits for. T - 1 worker threads
 * do the rest. */
static el_status lead(Batch *b,
                      int threads,
                      const ElSink *const *sinks,
                      int nsinks,
                      ElSolveWork *w,
                      BaseCache *c,
                      ElError *err)
{
    pthread_t *tid = el_calloc((size_t)threads, sizeof(*tid));
    WorkerArg *wa = el_calloc((size_t)threads, sizeof(*wa));
    PendList mine = {NULL, 0, 0}; /* delivered here, solved by workers: not yet handed over */
    PendList own = {NULL, 0, 0};  /* delivered here, solved here */
    Pool pool = {NULL, NULL, NULL, 0, 0};
    el_status st = tid && wa ? EL_OK : el_error_set(err, EL_ERR_NOMEM, "out of memory (batch)");
    int t, started = 0;
    long i = 0, j, count = b->prod->count;
    b->awaited = -1;
    b->nthreads = threads;
    b->sinks = sinks;
    b->nsinks = nsinks;
    for (t = 0; t < nsinks; t++)
        b->helpable = b->helpable || sinks[t]->help != NULL;
    b->pend = st == EL_OK ? el_calloc((size_t)threads, sizeof(*b->pend)) : NULL;
    if (st == EL_OK && !b->pend)
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (batch)");
    for (t = 0; st == EL_OK && t < threads - 1; t++) {
        wa[t] = (WorkerArg){b, t + 1};
        if (pthread_create(&tid[t], NULL, worker, &wa[t]) != 0) {
            st = el_error_set(err, EL_ERR_INTERNAL, "cannot start a worker thread");
            break;
        }
        started++;
    }
    while (st == EL_OK && i < count) {
        long first = -1, last = -1;
        pthread_mutex_lock(&b->mu);
        if (!b->ring[i % b->window].ready) {
            if (b->next < count && b->next + CHUNK <= b->delivered + b->window) {
                first = b->next; /* solve a chunk here rather than wait */
                last = first + CHUNK < count ? first + CHUNK : count;
                b->next = last;
            } else if (b->helpable) { /* the sinks' work rather than wait, if there is any */
                bool did;
                pthread_mutex_unlock(&b->mu);
                did = help_sinks(b);
                pthread_mutex_lock(&b->mu);
                if (!did) {
                    b->awaited = i;
                    while (!b->ring[i % b->window].ready)
                        pthread_cond_wait(&b->ready_cv, &b->mu);
                    b->awaited = -1;
                }
            } else {
                b->awaited = i;
                while (!b->ring[i % b->window].ready)
                    pthread_cond_wait(&b->ready_cv, &b->mu);
                b->awaited = -1;
            }
        }
        pthread_mutex_unlock(&b->mu);
        if (first >= 0) {
            reclaim(b, &pool, &own);
            solve_chunk(b, 0, &pool, w, c, first, last);
            continue;
        }
        pthread_mutex_lock(&b->mu);
        for (j = i; j < count && j < i + b->window && b->ring[j % b->window].ready; j++)
            ;
        pthread_mutex_unlock(&b->mu);
        for (; i < j; i++) {
            Ring *rg = &b->ring[i % b->window];
            Slot *sl = rg->sl;
            if (i + PREFETCH_SLOT < j)
                prefetch_slot(b->ring[(i + PREFETCH_SLOT) % b->window].sl);
            if (i + PREFETCH_RESULT < j)
                prefetch_result(b->ring[(i + PREFETCH_RESULT) % b->window].sl);
            st = sl ? deliver(b, i, sl, sinks, nsinks, err)
                    : el_error_set(err, EL_ERR_NOMEM, "out of memory (batch)");
            if (st != EL_OK)
                break;
            if (!list_push(sl->solver > 0 ? &mine : &own, sl))
                give_back(b, sl); /* no memory: its item goes back now, it stays out of its pool */
            rg->sl = NULL;
            rg->ready = false; /* no solver writes an entry until delivered moves past it */
            if ((i + 1) % CHUNK == 0 && i + 1 < j)
                publish(b, i + 1, &mine); /* a long run: free the window as it goes */
        }
        publish(b, i, &mine);
    }
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->space_cv);
    pthread_mutex_unlock(&b->mu);
    for (t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    /* every slot is in some thread's list, wherever it was left: each gives its item back (if
     * it still holds one) and is freed */
    slots_free(b, pool.all);
    slots_free(b, b->ends);
    b->ends = NULL;
    el_free(mine.p);
    el_free(own.p);
    el_free(pool.free);
    for (t = 0; b->pend && t < threads; t++)
        el_free(b->pend[t].p);
    el_free(b->pend);
    b->pend = NULL;
    el_free(wa);
    el_free(tid);
    return st;
}

typedef struct {
    Batch *b;
    int threads;
    const ElSink *const *sinks;
    int nsinks;
    ElError *err;
    el_status st;
} LeadArg;

static void *lead_thread(void *arg)
{
    LeadArg *a = arg;
    Own own;
    own_init(&own);
    a->st = lead(a->b, a->threads, a->sinks, a->nsinks, own.w, &own.cache, a->err);
    own_free(&own);
    return NULL;
}

/* The lead runs on a thread of its own, while the calling thread waits: every solving thread is
 * then a new one, with memory of its own. On the calling thread the lead's solves allocated next
 * to what the caller had allocated before, the scenario among it: a batch of the bundled draws
 * ran 6 to 10 % slower on two threads (docs/performance.md). The sinks see one thread
 * and one order, as before, but not the calling thread. */
static el_status
run_threads(Batch *b, int threads, const ElSink *const *sinks, int nsinks, ElError *err)
{
    LeadArg a = {b, threads, sinks, nsinks, err, EL_OK};
    pthread_t t;
    if (pthread_create(&t, NULL, lead_thread, &a) != 0)
        return lead(b, threads, sinks, nsinks, b->work, &b->cache, err); /* here, then */
    pthread_join(t, NULL);
    return a.st;
}

/* MPI: item i belongs to rank (i / CHUNK) mod size. Every rank solves the shared baseline and
 * its own items in order and sends each result to rank 0, which receives them in item order
 * (MPI keeps the order of messages between two ranks) and alone calls the sinks, so that the
 * output is the same as on one rank. After a failure rank 0 still receives every message, so
 * that no rank is left blocked in a send. */
static int owner(long i, int size)
{
    return (int)((i / CHUNK) % size);
}

typedef struct {
    int st, has_base, code;
    ElDesignResult r, base;
} Wire;

static size_t wire_arrays(const ElDesignResult *r)
{
    return (size_t)r->njur * sizeof(*r->jur) + (size_t)r->nlinks * sizeof(*r->link) +
           (size_t)r->npools * sizeof(*r->pool) + (size_t)r->naccepts * sizeof(*r->accept) +
           (size_t)r->nprojects * sizeof(*r->project);
}

static char *put_arrays(char *o, const ElDesignResult *r)
{
    memcpy(o, r->jur, (size_t)r->njur * sizeof(*r->jur));
    o += (size_t)r->njur * sizeof(*r->jur);
    memcpy(o, r->link, (size_t)r->nlinks * sizeof(*r->link));
    o += (size_t)r->nlinks * sizeof(*r->link);
    memcpy(o, r->pool, (size_t)r->npools * sizeof(*r->pool));
    o += (size_t)r->npools * sizeof(*r->pool);
    memcpy(o, r->accept, (size_t)r->naccepts * sizeof(*r->accept));
    o += (size_t)r->naccepts * sizeof(*r->accept);
    memcpy(o, r->project, (size_t)r->nprojects * sizeof(*r->project));
    return o + (size_t)r->nprojects * sizeof(*r->project);
}

/* r's scalars are already in place (from the Wire); allocate and read its arrays. */
static el_status get_arrays(const char **in, ElDesignResult *r, ElError *err)
{
    ElDesignResult tmp = *r;
    tmp.jur = (ElJurResult *)(uintptr_t)*in;
    tmp.link = (ElLinkResult *)(uintptr_t)(*in + (size_t)r->njur * sizeof(*r->jur));
    tmp.pool =
        (ElPoolResult *)(uintptr_t)((const char *)tmp.link + (size_t)r->nlinks * sizeof(*r->link));
    tmp.accept = (ElAcceptResult *)(uintptr_t)((const char *)tmp.pool +
                                               (size_t)r->npools * sizeof(*r->pool));
    tmp.project = (ElProjectResult *)(uintptr_t)((const char *)tmp.accept +
                                                 (size_t)r->naccepts * sizeof(*r->accept));
    *in += wire_arrays(r);
    return el_design_result_copy(r, &tmp, err);
}

/* A solved slot as one message. */
static el_status send_slot(const Slot *sl, ElError *err)
{
    Wire w;
    size_t len = sizeof(w), msg = sl->st == EL_OK ? 0 : strlen(sl->err.msg) + 1;
    char *buf, *o;
    el_status st;
    memset(&w, 0, sizeof(w));
    w.st = (int)sl->st;
    w.has_base = sl->has_base;
    if (sl->st == EL_OK) {
        w.r = sl->r;
        len += wire_arrays(&sl->r);
        if (sl->has_base) {
            w.base = sl->base;
            len += wire_arrays(&sl->base);
        }
    }
    len += msg;
    buf = el_malloc(len);
    if (!buf)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (MPI message)");
    memcpy(buf, &w, sizeof(w));
    o = buf + sizeof(w);
    if (sl->st == EL_OK) {
        o = put_arrays(o, &sl->r);
        if (sl->has_base)
            o = put_arrays(o, &sl->base);
    } else {
        memcpy(o, sl->err.msg, msg);
    }
    st = el_mpi_send(0, buf, len, err);
    el_free(buf);
    return st;
}

/* Receive item i's result from its rank into sl (rank 0). */
static el_status
recv_slot(Batch *b, long i, int from, Slot *sl, void **buf, size_t *cap, ElError *err)
{
    const char *in;
    size_t len = 0;
    Wire w;
    el_status st = el_mpi_recv(from, buf, cap, &len, err);
    slot_free(b, sl); /* its arrays are replaced by the received ones */
    memset(&sl->item, 0, sizeof(sl->item));
    sl->index = i;
    sl->has_base = false;
    if (st == EL_OK && len < sizeof(w))
        st = el_error_set(err, EL_ERR_INTERNAL, "short MPI message from rank %d", from);
    if (st != EL_OK)
        return st;
    memcpy(&w, *buf, sizeof(w));
    in = (const char *)*buf + sizeof(w);
    sl->st = (el_status)w.st;
    if (sl->st != EL_OK) {
        ((char *)*buf)[len] = '\0';
        el_error_set(&sl->err, sl->st, "%s", in);
        return EL_OK;
    }
    /* the item itself (design, id) comes from this rank's own producer */
    sl->st = b->prod->item(b->prod->ctx, i, &sl->item, &sl->err);
    sl->to_release = true;
    sl->varied = sl->st == EL_OK && varied(&sl->item);
    if (sl->st != EL_OK)
        return EL_OK;
    sl->r = w.r;
    st = get_arrays(&in, &sl->r, err);
    if (st == EL_OK && w.has_base) {
        sl->base = w.base;
        st = get_arrays(&in, &sl->base, err);
        sl->has_base = st == EL_OK;
        sl->base.id = "autarky";
        sl->base.design = NULL;
    }
    sl->r.design = sl->item.design;
    sl->r.id = sl->item.design ? sl->item.design->id : "autarky";
    return st;
}

static el_status
run_mpi(Batch *b, el_status st, const ElSink *const *sinks, int nsinks, ElError *err)
{
    int rank = el_mpi_rank(), size = el_mpi_size();
    void *buf = NULL;
    size_t cap = 0;
    Slot sl;
    long i;
    memset(&sl, 0, sizeof(sl));
    for (i = 0; i < b->prod->count; i++) {
        int own = owner(i, size);
        if (rank != 0) {
            if (own != rank)
                continue;
            solve_item(b, b->work, &b->cache, i, &sl);
            if (st == EL_OK)
                st = send_slot(&sl, err);
            continue;
        }
        if (own == 0) {
            solve_item(b, b->work, &b->cache, i, &sl);
        } else {
            el_status rs = recv_slot(b, i, own, &sl, &buf, &cap, err);
            if (rs != EL_OK && st == EL_OK)
                st = rs;
        }
        if (st == EL_OK)
            st = deliver(b, i, &sl, sinks, nsinks, err);
    }
    slot_free(b, &sl);
    el_free(buf);
    return st;
}

/* Under MPI only rank 0 sees the sinks' and the items' errors: its status and message go to
 * every rank, so that all stop (or go on) together. */
static el_status share_status(el_status st, ElError *err)
{
    struct {
        int code;
        char msg[sizeof(err->msg)];
    } m;
    memset(&m, 0, sizeof(m));
    m.code = (int)st;
    if (st != EL_OK && err)
        snprintf(m.msg, sizeof(m.msg), "%s", err->msg);
    if (el_mpi_bcast(&m, sizeof(m), err) != EL_OK)
        return err ? err->code : EL_ERR_INTERNAL;
    if (el_mpi_rank() > 0 && m.code != EL_OK)
        return el_error_set(err, (el_status)m.code, "%s", m.msg);
    return (el_status)m.code;
}

void el_batch_release_design(void *ctx, long i, ElBatchItem *item)
{
    (void)ctx;
    (void)i;
    el_design_free((ElDesign *)(size_t)item->design);
    item->design = NULL;
}

/* The window when the caller leaves it to the batch: as many slots as fit in WINDOW_BYTES per
 * thread (a slot holds a result and its baseline), between WINDOW_MIN and WINDOW_MAX per thread.
 * A long window lets the solvers run on while delivery is slow for a while: the statistics of an
 * <uncertainty> compact hundreds of sketches at the same draw. */
#define WINDOW_BYTES (4L << 20)
#define WINDOW_MIN   128L
#define WINDOW_MAX   1024L
static long default_window(const ElScenario *s, int threads)
{
    long slot = (long)sizeof(Slot) + 2L * ((long)s->njur * (long)sizeof(ElJurResult) +
                                           (long)s->npools * (long)sizeof(ElPoolResult) + 256L);
    long per = WINDOW_BYTES / slot;
    per = per < WINDOW_MIN ? WINDOW_MIN : per > WINDOW_MAX ? WINDOW_MAX : per;
    return per * threads;
}

el_status el_batch_solve(const ElScenario *s,
                         const ElProducer *producer,
                         const ElBatchOptions *opt,
                         const ElSink *const *sinks,
                         int nsinks,
                         ElError *err)
{
    ElBatchOptions o = opt ? *opt : (ElBatchOptions){1, false, 0};
    _Alignas(LINE) ElDesignResult shared; /* read by every thread: not next to hot locals */
    Batch b;
    el_status st, base_st;
    int k, begun = 0;
    long i;
    memset(&b, 0, sizeof(b));
    memset(&shared, 0, sizeof(shared));
    if (o.threads < 1)
        o.threads = 1;
    b.s = s;
    b.prod = producer;
    b.shared = &shared;
    b.window = o.window > 0 ? o.window : default_window(s, o.threads);
    if (b.window < CHUNK)
        b.window = CHUNK; /* a chunk always fits: a worker never waits for itself */
    st = el_solve_work_create(&b.work, err);
    if (st == EL_OK)
        st = el_design_solve_ws(b.work, s, NULL, NULL, NULL, &shared, err);
    if (st == EL_OK && shared.outcome != EL_OPTIMAL)
        st = el_baseline_check(s, &shared, err);
    base_st = st; /* the same on every rank: every rank solves the same baseline */
    for (k = 0; st == EL_OK && k < nsinks; k++, begun++)
        if (sinks[k]->begin)
            st = sinks[k]->begin(sinks[k]->ctx, s, producer->count, err);
    for (k = 0; st == EL_OK && k < nsinks; k++)
        if (sinks[k]->result)
            st = sinks[k]->result(sinks[k]->ctx, -1, NULL, &shared, NULL, err);
    if (base_st == EL_OK && o.mpi && el_mpi_active()) {
        /* every rank takes part whatever its sinks said (rank 0 then only receives), so that
         * no rank waits for another */
        st = run_mpi(&b, st, sinks, nsinks, err);
    } else if (st == EL_OK && (o.threads == 1 || producer->count <= 1)) {
        Slot sl;
        memset(&sl, 0, sizeof(sl));
        for (i = 0; st == EL_OK && i < producer->count; i++) {
            solve_item(&b, b.work, &b.cache, i, &sl);
            st = deliver(&b, i, &sl, sinks, nsinks, err);
        }
        slot_free(&b, &sl);
    } else if (st == EL_OK) {
        b.ring = el_calloc((size_t)b.window, sizeof(*b.ring));
        if (!b.ring)
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (batch)");
        if (st == EL_OK) {
            el_la_single_thread(); /* OpenBLAS must not start threads of its own */
            pthread_mutex_init(&b.mu, NULL);
            pthread_cond_init(&b.ready_cv, NULL);
            pthread_cond_init(&b.space_cv, NULL);
            st = run_threads(&b, o.threads, sinks, nsinks, err);
            pthread_cond_destroy(&b.space_cv);
            pthread_cond_destroy(&b.ready_cv);
            pthread_mutex_destroy(&b.mu);
        }
        el_free(b.ring);
    }
    for (k = 0; k < begun; k++)
        if (sinks[k]->end) {
            ElError e2;
            el_status s2 = sinks[k]->end(sinks[k]->ctx, st == EL_OK, st == EL_OK ? err : &e2);
            if (st == EL_OK)
                st = s2;
        }
    el_design_result_clear(&shared);
    el_solve_work_free(b.work);
    base_cache_clear(&b.cache);
    if (o.mpi && el_mpi_active())
        st = share_status(st, err);
    return st;
}

static el_status scenario_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    const ElScenario *s = ctx;
    (void)err;
    out->design = s->designs[i];
    out->variation = NULL;
    return EL_OK;
}

ElProducer el_producer_scenario(const ElScenario *s)
{
    /* read only: scenario_item takes it back as const */
    ElProducer p = {(void *)(uintptr_t)s, s->ndesigns, scenario_item, NULL};
    return p;
}

static el_status run_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    ElRunSink *rs = ctx;
    ElRun *run = el_calloc(1, sizeof(*run));
    rs->run = run;
    if (run) {
        run->scenario = s;
        run->designs = el_calloc((size_t)(count > 0 ? count : 1), sizeof(*run->designs));
    }
    if (!run || !run->designs)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (run)");
    return EL_OK;
}

static el_status run_result(void *ctx,
                            long index,
                            const ElBatchItem *item,
                            const ElDesignResult *r,
                            const ElDesignResult *baseline,
                            ElError *err)
{
    ElRunSink *rs = ctx;
    (void)item;
    (void)baseline;
    if (index < 0)
        return el_design_result_copy(&rs->run->autarky, r, err);
    rs->run->ndesigns = (int)index + 1;
    return el_design_result_copy(&rs->run->designs[index], r, err);
}

ElSink el_sink_run(ElRunSink *ctx)
{
    ElSink k = {ctx, run_begin, run_result, NULL, NULL};
    ctx->run = NULL;
    return k;
}

el_status el_run_solve(ElRun **out, const ElScenario *s, ElError *err)
{
    ElProducer prod = el_producer_scenario(s);
    ElRunSink rs;
    ElSink sink = el_sink_run(&rs);
    const ElSink *sinks[1] = {&sink};
    el_status st = el_batch_solve(s, &prod, NULL, sinks, 1, err);
    *out = NULL;
    if (st != EL_OK) {
        el_run_free(rs.run);
        return st;
    }
    *out = rs.run;
    return EL_OK;
}
