/* Open MPI behind el_mpi.h. */
#include "el_mpi.h"

#include <stdlib.h>

#include "el_alloc.h"

#ifdef EL_HAVE_MPI
#include <mpi.h>

static bool started;
static int rank, size = 1;

/* mpirun (Open MPI, MPICH/Hydra, Slurm's PMI) leaves one of these in the environment. */
static bool under_launcher(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};
    size_t k;
    for (k = 0; k < sizeof(vars) / sizeof(vars[0]); k++)
        if (getenv(vars[k]))
            return true;
    return false;
}

el_status el_mpi_init(int *argc, char ***argv, ElError *err)
{
    int provided = 0;
    if (started || !under_launcher())
        return EL_OK;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI_Init failed");
    started = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return EL_OK;
}

void el_mpi_finalize(void)
{
    if (started)
        MPI_Finalize();
    started = false;
    rank = 0;
    size = 1;
}

bool el_mpi_active(void)
{
    return started && size > 1;
}

int el_mpi_rank(void)
{
    return rank;
}

int el_mpi_size(void)
{
    return size;
}

bool el_mpi_built(void)
{
    return true;
}

#define TAG 7

el_status el_mpi_send(int to, const void *buf, size_t len, ElError *err)
{
    if (len > (size_t)2147483647)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI message of %zu bytes is too long", len);
    /* MPI's C binding takes a non-const buffer in old versions; it only reads it */
    if (MPI_Send((void *)(size_t)buf, (int)len, MPI_BYTE, to, TAG, MPI_COMM_WORLD) != MPI_SUCCESS)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI_Send to rank %d failed", to);
    return EL_OK;
}

el_status el_mpi_recv(int from, void **buf, size_t *cap, size_t *len, ElError *err)
{
    MPI_Status stt;
    int n = 0;
    if (MPI_Probe(from, TAG, MPI_COMM_WORLD, &stt) != MPI_SUCCESS ||
        MPI_Get_count(&stt, MPI_BYTE, &n) != MPI_SUCCESS || n < 0)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI_Probe from rank %d failed", from);
    if ((size_t)n > *cap || !*buf) {
        void *b = el_realloc(*buf, (size_t)n + 1);
        if (!b)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (MPI message)");
        *buf = b;
        *cap = (size_t)n + 1;
    }
    if (MPI_Recv(*buf, n, MPI_BYTE, from, TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI_Recv from rank %d failed", from);
    *len = (size_t)n;
    return EL_OK;
}

el_status el_mpi_bcast(void *buf, size_t len, ElError *err)
{
    if (!el_mpi_active())
        return EL_OK;
    if (len > (size_t)2147483647)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI broadcast of %zu bytes is too long", len);
    if (MPI_Bcast(buf, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        return el_error_set(err, EL_ERR_INTERNAL, "MPI_Bcast failed");
    return EL_OK;
}

#else /* no MPI in this build */

el_status el_mpi_bcast(void *buf, size_t len, ElError *err)
{
    (void)buf;
    (void)len;
    (void)err;
    return EL_OK;
}

el_status el_mpi_init(int *argc, char ***argv, ElError *err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return EL_OK;
}

void el_mpi_finalize(void)
{
}

bool el_mpi_active(void)
{
    return false;
}

int el_mpi_rank(void)
{
    return 0;
}

int el_mpi_size(void)
{
    return 1;
}

bool el_mpi_built(void)
{
    return false;
}

el_status el_mpi_send(int to, const void *buf, size_t len, ElError *err)
{
    (void)to;
    (void)buf;
    (void)len;
    return el_error_set(err, EL_ERR_INTERNAL, "built without MPI");
}

el_status el_mpi_recv(int from, void **buf, size_t *cap, size_t *len, ElError *err)
{
    (void)from;
    (void)buf;
    (void)cap;
    (void)len;
    return el_error_set(err, EL_ERR_INTERNAL, "built without MPI");
}

#endif
