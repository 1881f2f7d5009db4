#!/bin/sh
# MPI check (make check): the same scenarios solved by one process and by a 2-rank mpirun job
# must give byte-identical results.xml, results.csv, coalitions.csv, uncertainty.csv and
# draws.csv (negotiation.xml: sweeps, searches and a sequence, whose searches broadcast each
# round's answers from rank 0; coalitions-4.xml and `etslink coalitions`: a coalition game;
# uncertainty-3.xml with --draws-csv: Monte Carlo draws shared across the ranks; several-period
# scenarios, which rank 0 solves alone).
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
for sc in scenarios/northeast-asia.xml "$T/many.xml" scenarios/negotiation.xml \
    tests/data/coalitions-4.xml "coalitions tests/data/coalitions-4.xml" \
    "draws tests/data/uncertainty-3.xml" tests/data/periods-hotelling.xml \
    scenarios/northeast-asia-2026-2035.xml; do
    cmd=solve
    opt=
    case "$sc" in coalitions\ *) cmd=coalitions; sc=${sc#coalitions } ;; esac
    case "$sc" in draws\ *) opt=--draws-csv; sc=${sc#draws } ;; esac
    [ -s "$sc" ] || continue
    "$BIN" $cmd "$sc" -o "$T/one" --no-pdf --quiet $opt
    mpirun --oversubscribe -n 2 "$MPIBIN" $cmd "$sc" -o "$T/two" --no-pdf --quiet --mpi $opt
    for f in results.xml results.csv coalitions.csv uncertainty.csv draws.csv; do
        [ -e "$T/one/$f" ] || [ -e "$T/two/$f" ] || continue
        if cmp -s "$T/one/$f" "$T/two/$f"; then
            echo "mpi: $cmd $sc $f identical on 1 process and 2 ranks"
        else
            echo "FAIL: mpi: $cmd $sc $f differs between 1 process and 2 ranks" >&2
            fail=1
        fi
    done
    rm -rf "$T/one" "$T/two"
done
exit $fail
