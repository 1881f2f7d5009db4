/* el_mpi: Open MPI, when the build found mpicc (EL_HAVE_MPI) and the program runs under
 * mpirun. The only file that includes mpi.h is engine/el_mpi.c. Without MPI every function
 * here is a no-op: one rank of one. */
#ifndef EL_MPI_H
#define EL_MPI_H

#include <stdbool.h>
#include <stddef.h>

#include "el_status.h"

/** Start MPI if the build has it and the process was started by mpirun (the launcher's
 * environment says so); a plain run never pays MPI's start-up. Call once, from main. */
el_status el_mpi_init(int *argc, char ***argv, ElError *err);
/** Finish MPI if el_mpi_init started it. */
void el_mpi_finalize(void);
/** True if el_mpi_init started MPI with more than one rank. */
bool el_mpi_active(void);
int el_mpi_rank(void);
int el_mpi_size(void);
/** True if the library was built with MPI. */
bool el_mpi_built(void);

/** Point-to-point messages of bytes (MPI_COMM_WORLD, one tag); only when el_mpi_active. */
el_status el_mpi_send(int to, const void *buf, size_t len, ElError *err);
/** Rank 0's len bytes at buf copied to every rank (a no-op outside an MPI job). Every rank
 * must call it, with the same len. */
el_status el_mpi_bcast(void *buf, size_t len, ElError *err);
/** Receive the next message from `from` into a buffer of *cap bytes at *buf, grown with
 * el_realloc as needed; *len receives its length. */
el_status el_mpi_recv(int from, void **buf, size_t *cap, size_t *len, ElError *err);

#endif
