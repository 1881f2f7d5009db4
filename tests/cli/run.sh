#!/bin/sh
# CLI tests: exit codes and messages for every bad input in tests/bad/cases.txt, the commands'
# contracts (help, version, usage errors, validate, export-lp) and atomic output.
# Usage: sh tests/cli/run.sh PATH/TO/etslink
bin=$1
[ -x "$bin" ] || { echo "usage: run.sh ETSLINK" >&2; exit 2; }
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODE FRAGMENT -- command...
expect() {
    code=$1; frag=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" != "$code" ]; then
        bad "$* exited $rc, expected $code: $(head -c 300 "$tmp/err")"
    elif [ -n "$frag" ] && ! grep -qF -- "$frag" "$tmp/out" "$tmp/err"; then
        bad "$*: output lacks '$frag': $(head -c 300 "$tmp/err")"
    else
        ok
    fi
}

while IFS='|' read -r file cmd code frag; do
    case "$file" in ''|'#'*) continue ;; esac
    if [ "$cmd" = solve ]; then
        expect "$code" "$frag" -- "$bin" solve --no-pdf "tests/bad/$file" -o "$tmp/bad-out"
    else
        expect "$code" "$frag" -- "$bin" validate "tests/bad/$file"
    fi
done < tests/bad/cases.txt
[ ! -e "$tmp/bad-out/results.xml" ] && ok || bad "a failed solve left results.xml"

expect 0 "usage: etslink solve" -- "$bin" --help
expect 0 "etslink 0." -- "$bin" --version
expect 2 "no command given" -- "$bin"
expect 2 "unknown command" -- "$bin" frobnicate x.xml
expect 2 "unknown or incomplete option '--bogus'" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --bogus
expect 2 "solve needs -o DIR" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml
expect 2 "no scenario file given" -- "$bin" validate
expect 5 "cannot open the file" -- "$bin" validate "$tmp/missing.xml"
expect 0 "valid (6 jurisdictions, 12 designs)" -- "$bin" validate scenarios/northeast-asia.xml
expect 3 "unknown setting 'nope'" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/o" --set nope=1
expect 2 "--set expects NAME=VALUE" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/o" --set grid
expect 3 "grid = 4096 and refine = 4" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/o" --set grid=4096 --set refine=4

# solve writes both files, nothing temporary left behind, and is deterministic
expect 0 "wrote" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/run1"
expect 0 "" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/run2" --quiet --set grid=3
[ -s "$tmp/run1/results.xml" ] && [ -s "$tmp/run1/results.csv" ] && ok || bad "results missing"
xmllint --noout --schema reports/results.xsd "$tmp/run1/results.xml" "$tmp/run2/results.xml" \
    2>"$tmp/xmllint" && ok || bad "results.xml does not follow reports/results.xsd: $(cat "$tmp/xmllint")"
[ "$(head -1 "$tmp/run1/results.csv")" = "$(printf 'design,jurisdiction,variable,value,unit\r')" ] \
    && ok || bad "results.csv header"
ls "$tmp/run1" | grep -q tmp && bad "temporary file left in the output folder" || ok
expect 0 "" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/run3" --quiet
cmp -s "$tmp/run1/results.xml" "$tmp/run3/results.xml" && cmp -s "$tmp/run1/results.csv" "$tmp/run3/results.csv" \
    && ok || bad "two runs gave different bytes"

# a later failing run leaves the earlier results intact
cp "$tmp/run1/results.xml" "$tmp/before.xml"
expect 4 "no equilibrium" -- "$bin" solve --no-pdf tests/bad/no-equilibrium.xml -o "$tmp/run1"
cmp -s "$tmp/run1/results.xml" "$tmp/before.xml" && ok || bad "earlier results.xml was damaged"

# output folder problems
touch "$tmp/afile"
expect 5 "exists and is not a folder" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/afile"
expect 5 "cannot create the output folder" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/no/such/dir"

# export-lp in both formats; GLPK's own reader must accept what we wrote
expect 0 "wrote" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/cn-kr.lp"
expect 0 "wrote" -- "$bin" export-lp scenarios/northeast-asia.xml --design autarky -o "$tmp/a.mps"
grep -q "Minimize" "$tmp/cn-kr.lp" && ok || bad "LP file lacks an objective"
grep -q "^ROWS" "$tmp/a.mps" && ok || bad "MPS file lacks ROWS"
glpsol --lp "$tmp/cn-kr.lp" -o "$tmp/cn-kr.sol" >/dev/null 2>&1 && grep -q "Status:     OPTIMAL" "$tmp/cn-kr.sol" \
    && ok || bad "glpsol could not solve the exported LP"
glpsol --freemps "$tmp/a.mps" -o "$tmp/a.sol" >/dev/null 2>&1 && grep -q "Status:     OPTIMAL" "$tmp/a.sol" \
    && ok || bad "glpsol could not solve the exported MPS"
expect 3 "no design with id 'nope'" -- "$bin" export-lp scenarios/northeast-asia.xml --design nope -o "$tmp/x.lp"
expect 2 "must end in .mps or .lp" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/x.txt"
expect 2 "needs --design ID" -- "$bin" export-lp scenarios/northeast-asia.xml -o "$tmp/x.lp"

# The report: report.tex always; report.pdf when pdflatex is installed, with the prices in it.
expect 0 "report.tex" -- "$bin" solve scenarios/northeast-asia.xml -o "$tmp/pdf"
if command -v pdflatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    [ -s "$tmp/pdf/report.pdf" ] && ok || bad "no report.pdf"
    pdftotext "$tmp/pdf/report.pdf" "$tmp/pdf/report.txt" && ok || bad "pdftotext failed"
    for want in "Northeast Asia carbon market linkage" "7.12" "16.20" "ccer-indirect" "Gains by jurisdiction"; do
        grep -qF "$want" "$tmp/pdf/report.txt" && ok || bad "report.pdf lacks '$want'"
    done
    ls -a "$tmp/pdf" | grep -q etslink-pdf && bad "the PDF work folder was left behind" || ok
else
    echo "cli: skipped the PDF test (pdflatex or pdftotext not installed)"
fi

# --- faults while writing (docs/security.md) ---
# A signal during the write: exit 128 + signal, no temporary file, earlier results intact.
for sig in TERM INT; do
    d="$tmp/sig-$sig"
    mkdir -p "$d"
    "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$d" --quiet
    cp "$d/results.xml" "$tmp/sig-before.xml"
    ETSLINK_TEST_PAUSE_BEFORE_COMMIT=20 "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$d" --quiet &
    pid=$!
    i=0
    while [ $i -lt 200 ] && ! ls "$d" | grep -q '\.tmp\.'; do sleep 0.05; i=$((i + 1)); done
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    want=143; [ "$sig" = INT ] && want=130
    [ "$rc" = "$want" ] && ok || bad "SIG$sig during the write: exit $rc, expected $want"
    ls "$d" | grep -q '\.tmp\.' && bad "SIG$sig left a temporary file: $(ls "$d")" || ok
    cmp -s "$d/results.xml" "$tmp/sig-before.xml" && ok || bad "SIG$sig damaged the earlier results"
done

# Disk full (a 16 KiB tmpfs) and a read-only folder; skipped where mounting is not allowed.
mkdir -p "$tmp/full" "$tmp/ro"
if mount -t tmpfs -o size=16k tmpfs "$tmp/full" 2>/dev/null; then
    expect 5 "No space left on device" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/full"
    ls "$tmp/full" | grep -q '\.tmp\.' && bad "disk full left a temporary file" || ok
    [ ! -e "$tmp/full/results.xml" ] || xmllint --noout "$tmp/full/results.xml" 2>/dev/null \
        && ok || bad "a partial results.xml under its final name"
    [ ! -e "$tmp/full/results.csv" ] && ok || bad "results.csv written to a full disk"
    umount "$tmp/full"
else
    echo "cli: skipped the disk-full test (cannot mount a tmpfs here)"
fi
if mount -t tmpfs -o ro,size=16k tmpfs "$tmp/ro" 2>/dev/null; then
    expect 5 "Read-only file system" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/ro"
    umount "$tmp/ro"
else
    echo "cli: skipped the read-only test (cannot mount a tmpfs here)"
fi

# GLPK failures surface as solver errors (exit 6), never as prices.
expect 6 "iteration-limit" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/it" --set lp_iter=1

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
