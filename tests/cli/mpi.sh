#!/bin/sh
# MPI check (make check): the same scenarios solved by one process and by a 2-rank mpirun job
# must give byte-identical results.xml and results.csv (negotiation.xml: sweeps, searches and a
# sequence, whose searches broadcast each round's answers from rank 0).
# Usage: tests/cli/mpi.sh build/etslink-mpi build/etslink
set -eu
MPIBIN=$1
BIN=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# many designs: groups, links with rates, ceilings, offset acceptances and joint projects
sh tests/bench/many-designs.sh 60 12 > "$T/many.xml"
fail=0
for sc in scenarios/northeast-asia.xml "$T/many.xml" scenarios/negotiation.xml; do
    [ -s "$sc" ] || continue
    "$BIN" solve "$sc" -o "$T/one" --no-pdf --quiet
    mpirun --oversubscribe -n 2 "$MPIBIN" solve "$sc" -o "$T/two" --no-pdf --quiet --mpi
    for f in results.xml results.csv; do
        if cmp -s "$T/one/$f" "$T/two/$f"; then
            echo "mpi: $sc $f identical on 1 process and 2 ranks"
        else
            echo "FAIL: mpi: $sc $f differs between 1 process and 2 ranks" >&2
            fail=1
        fi
    done
    rm -rf "$T/one" "$T/two"
done
exit $fail
