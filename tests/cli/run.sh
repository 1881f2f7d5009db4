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
expect 0 "valid (5 jurisdictions, 11 designs)" -- "$bin" validate scenarios/northeast-asia.xml
expect 3 "unknown setting 'nope'" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/o" --set nope=1
expect 2 "--set expects NAME=VALUE" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/o" --set grid
expect 3 "grid = 4096 and refine = 4" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/o" --set grid=4096 --set refine=4

# solve writes both files, nothing temporary left behind, and is deterministic
expect 0 "wrote" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml -o "$tmp/run1"
expect 0 "" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/run2" --quiet --set grid=3
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
expect 5 "exists and is not a folder" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/afile"
expect 5 "cannot create the output folder" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/no/such/dir"

# export-lp in both formats; GLPK's own reader must accept what we wrote
expect 0 "wrote" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/cn-kr.lp"
expect 0 "wrote" -- "$bin" export-lp scenarios/northeast-asia.xml --design autarky -o "$tmp/a.mps"
grep -q "Minimize" "$tmp/cn-kr.lp" && ok || bad "LP file lacks an objective"
grep -q "^ROWS" "$tmp/a.mps" && ok || bad "MPS file lacks ROWS"
glpsol --lp "$tmp/cn-kr.lp" -o "$tmp/cn-kr.sol" >/dev/null 2>&1 && grep -q "Status:     OPTIMAL" "$tmp/cn-kr.sol" \
    && ok || bad "glpsol could not solve the exported LP"
glpsol --freemps "$tmp/a.mps" -o "$tmp/a.sol" >/dev/null 2>&1 && grep -q "Status:     OPTIMAL" "$tmp/a.sol" \
    && ok || bad "glpsol could not solve the exported MPS"
# export-lp --form (docs/cli.md): the default LP refined around the equilibrium gives glpsol
# etslink's price; the QP itself for QP solvers (.lp only); the coarse LP of steps
OPENBLAS_NUM_THREADS=1 "$bin" solve scenarios/northeast-asia.xml --set draws=200 --only cn-kr --no-pdf --quiet -o "$tmp/lpcheck" >/dev/null 2>&1
want=$(sed -n '/design id="cn-kr"/,/<\/design>/p' "$tmp/lpcheck/results.xml" | grep -o 'jurisdiction id="CN" price="[^"]*"' | sed 's/.*price="//; s/"//')
got=$(awk '$2 == "comply_0" { print $NF }' "$tmp/cn-kr.sol")
awk -v a="$want" -v b="$got" 'BEGIN { exit !(a != "" && b != "" && a - b < 1e-5 * (1 + a) && b - a < 1e-5 * (1 + a)) }' \
    && ok || bad "glpsol's price of the refined LP ($got) is not etslink's ($want)"
expect 0 "(qp: " -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/cn-kr-qp.lp" --form qp
grep -q "\] / 2" "$tmp/cn-kr-qp.lp" && ok || bad "the QP file lacks its quadratic objective"
expect 2 "CPLEX LP format only" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/x.mps" --form qp
expect 2 "--form is refined, qp or steps" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/x.lp" --form nope
expect 0 "(steps: " -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/cn-kr-steps.lp" --form steps
expect 3 "no design with id 'nope'" -- "$bin" export-lp scenarios/northeast-asia.xml --design nope -o "$tmp/x.lp"
expect 2 "must end in .mps or .lp" -- "$bin" export-lp scenarios/northeast-asia.xml --design cn-kr -o "$tmp/x.txt"
expect 2 "needs --design ID" -- "$bin" export-lp scenarios/northeast-asia.xml -o "$tmp/x.lp"

# The report: report.tex always; report.pdf when lualatex is installed, with the prices in it.
expect 0 "report.tex" -- "$bin" solve scenarios/northeast-asia.xml -o "$tmp/pdf"
if command -v lualatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    [ -s "$tmp/pdf/report.pdf" ] && ok || bad "no report.pdf"
    pdftotext "$tmp/pdf/report.pdf" "$tmp/pdf/report.txt" && ok || bad "pdftotext failed"
    for want in "Northeast Asia carbon market linkage" "1.11" "16.20" "ccer-indirect" "Gains by jurisdiction"; do
        grep -qF "$want" "$tmp/pdf/report.txt" && ok || bad "report.pdf lacks '$want'"
    done
    ls -a "$tmp/pdf" | grep -q etslink-pdf && bad "the PDF work folder was left behind" || ok
else
    echo "cli: skipped the PDF test (lualatex or pdftotext not installed)"
fi

# --- faults while writing (docs/security.md) ---
# A signal during the write: exit 128 + signal, no temporary file, earlier results intact.
for sig in TERM INT; do
    d="$tmp/sig-$sig"
    mkdir -p "$d"
    "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$d" --quiet
    cp "$d/results.xml" "$tmp/sig-before.xml"
    ETSLINK_TEST_PAUSE_BEFORE_COMMIT=20 "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$d" --quiet &
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
    expect 5 "No space left on device" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/full"
    ls "$tmp/full" | grep -q '\.tmp\.' && bad "disk full left a temporary file" || ok
    [ ! -e "$tmp/full/results.xml" ] || xmllint --noout "$tmp/full/results.xml" 2>/dev/null \
        && ok || bad "a partial results.xml under its final name"
    [ ! -e "$tmp/full/results.csv" ] && ok || bad "results.csv written to a full disk"
    umount "$tmp/full"
else
    echo "cli: skipped the disk-full test (cannot mount a tmpfs here)"
fi
if mount -t tmpfs -o ro,size=16k tmpfs "$tmp/ro" 2>/dev/null; then
    expect 5 "Read-only file system" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/ro"
    umount "$tmp/ro"
else
    echo "cli: skipped the read-only test (cannot mount a tmpfs here)"
fi

# GLPK failures surface as solver errors (exit 6), never as prices.
expect 6 "iteration-limit" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=200 -o "$tmp/it" --set lp_iter=1

# --- issue 8 §4: files and processes (docs/security.md, docs/cli.md) ---
root=$(pwd)
abin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
small=tests/golden/small/input.xml
# alive PID: the process exists and is not a zombie
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }

# TeX reads only the system tree and its private work folder: a booktabs.sty planted in the
# output folder and in the current directory is not loaded, and an output folder named with
# % ~ " \ and a leading '-' works (TeX never sees its name).
if command -v lualatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    d="$tmp/hijack"
    odd='-o%~"\ out'
    mkdir -p "$d/$odd"
    for where in "$d" "$d/$odd"; do
        cat >"$where/booktabs.sty" <<'EOF_STY'
\ProvidesPackage{booktabs}
\def\toprule{\hline}\def\midrule{\hline}\def\bottomrule{\hline}\def\addlinespace{}
\def\cmidrule(#1)#2{}
\AtBeginDocument{PLANTEDPACKAGE}
EOF_STY
    done
    (cd "$d" && "$abin" solve "$root/$small" -o "$odd" -q) 2>"$tmp/hijack.err" \
        && ok || bad "solve into an odd folder name with planted packages failed: $(cat "$tmp/hijack.err")"
    pdftotext "$d/$odd/report.pdf" "$tmp/hijack.txt" 2>/dev/null && ok || bad "no report.pdf in '$odd'"
    grep -q PLANTEDPACKAGE "$tmp/hijack.txt" && bad "lualatex loaded a planted booktabs.sty" || ok
    grep -qF "Gains by jurisdiction" "$tmp/hijack.txt" && ok || bad "the PDF lacks its text"
    ls -a "$d/$odd" | grep -q etslink-pdf && bad "the PDF work folder was left behind" || ok
else
    echo "cli: skipped the TeX hijack test (lualatex or pdftotext not installed)"
fi

# Unicode text (issue 14): Korean and Chinese names, en and em dashes and currency signs come
# out of report.pdf as text, never as U+XXXX codes.
if command -v lualatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    d="$tmp/cjk"
    mkdir -p "$d"
    cat >"$d/in.xml" <<'EOF_XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="Linking – 연계 — 连接: ₩ ¥ €" currency="€" unit="Mt">
  <jurisdiction id="KR" name="대한민국 배출권거래제"><bau>100</bau><cap>90</cap><mac><linear slope="1"/></mac></jurisdiction>
  <jurisdiction id="CN" name="全国碳排放权交易市场"><bau>100</bau><cap>80</cap><mac><linear slope="2"/></mac></jurisdiction>
  <design id="linked"><group members="KR CN"/></design>
</scenario>
EOF_XML
    expect 0 "" -- "$bin" solve "$d/in.xml" -o "$d/out" -q
    pdftotext "$d/out/report.pdf" "$d/report.txt" 2>/dev/null && ok || bad "CJK: no report.pdf"
    for want in "대한민국 배출권거래제" "全国碳排放权交易市场" "Linking – 연계 — 连接: ₩ ¥ €" "M€"; do
        grep -qF "$want" "$d/report.txt" && ok || bad "CJK: report.pdf lacks '$want' as text"
    done
    grep -q "U+[0-9A-F]" "$d/report.txt" "$d/out/report.tex" && bad "CJK: a U+XXXX code was printed" || ok
    # Design titles in Korean and Chinese with dashes, currency signs and an apostrophe, a
    # headline that changes Korea's own rules, a design without an equilibrium (exit 4; the
    # report is still written): tests/data/cjk-names.xml, the scenario of the page review.
    expect 4 "has no equilibrium" -- "$bin" solve tests/data/cjk-names.xml -o "$d/named" -q
    pdftotext "$d/named/report.pdf" "$d/named.txt" 2>/dev/null && ok || bad "CJK titles: no report.pdf"
    for want in "Design 5: 中日韩三方连接 — trilateral (cn-kr-jp)" "한국 최저가격 €/₩ floor" \
        "(Korea’s cap relaxed)" "What drives the headline." "1 design has no equilibrium:" \
        "Қазақстан ETS"; do
        grep -qF "$want" "$d/named.txt" && ok || bad "CJK titles: report.pdf lacks '$want' as text"
    done
else
    echo "cli: skipped the CJK text test (lualatex or pdftotext not installed)"
fi

# export-lp writes atomically and never follows a symbolic link: not one planted at the old
# predictable temporary name FILE.tmp<PID> (exec keeps the shell's PID), nor one at FILE.
d="$tmp/lpsym"
mkdir -p "$d"
echo victim >"$d/victim"
sh -c 'ln -s "$1/victim" "$1/x.lp.tmp$$"; exec "$2" export-lp "$3" --design linked -o "$1/x.lp" -q' \
    sh "$d" "$abin" "$root/$small" && ok || bad "export-lp with a planted symlink failed"
[ "$(cat "$d/victim")" = victim ] && ok || bad "export-lp wrote through a planted symbolic link"
ln -s "$d/victim" "$d/y.mps"
expect 0 "wrote" -- "$bin" export-lp "$small" --design linked -o "$d/y.mps"
[ -f "$d/y.mps" ] && [ ! -L "$d/y.mps" ] && grep -q "^ROWS" "$d/y.mps" && ok \
    || bad "export-lp did not replace the symbolic link at its target by a regular file"
[ "$(cat "$d/victim")" = victim ] && ok || bad "export-lp wrote through the symbolic link at its target"
ls -a "$d" | grep -q -e '\.tmp\.' -e etslink-out && bad "export-lp left a temporary: $(ls -a "$d")" || ok

# A compressed scenario is refused, not inflated past the size limit.
gzip -c "$small" >"$tmp/gz.xml"
expect 3 "gzip-compressed" -- "$bin" validate "$tmp/gz.xml"

# A 64 MiB scenario of dense points is parsed and validated in well under 1.5 GB of address
# space (a libxml2 DOM of it needed 2.1 GB): the loader is reached and finds the repeated q.
awk 'BEGIN {
    printf "<?xml version=\"1.0\"?>\n<scenario name=\"dense\">\n";
    pt = "<point q=\"0\" p=\"0\"/>"; s = ""; for (k = 0; k < 1000; k++) s = s pt;
    for (j = 0; j < 33; j++) {
        printf "<jurisdiction id=\"J%d\"><bau>100</bau><cap>90</cap><mac><points>", j;
        for (k = 0; k < 100; k++) printf "%s", s;
        printf "</points></mac></jurisdiction>\n";
    }
    printf "</scenario>\n" }' >"$tmp/dense.xml"
[ "$(wc -c <"$tmp/dense.xml")" -gt 66000000 ] && ok || bad "dense.xml is too small"
# (a sanitizer build reserves terabytes of shadow address space: no address-space limit there)
if nm "$bin" 2>/dev/null | grep -q __asan_init; then limit=unlimited; else limit=1500000; fi
(ulimit -v $limit && timeout 300 "$bin" validate "$tmp/dense.xml") >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 3 ] && grep -q "q = 0 does not increase" "$tmp/err" && ok \
    || bad "a 64 MiB scenario did not load in 1.5 GB (exit $rc): $(head -c 300 "$tmp/err")"
rm -f "$tmp/dense.xml"

# Only regular files are read: a FIFO (which used to hang), a device, a folder, as scenario or
# as CSV, are named for what they are (exit 5).
mkfifo "$tmp/fifo.xml"
expect 5 "is a FIFO" -- timeout 10 "$bin" validate "$tmp/fifo.xml"
expect 5 "is a device" -- timeout 10 "$bin" validate /dev/zero
expect 5 "is a directory" -- timeout 10 "$bin" validate "$tmp"
d="$tmp/csvkinds"
mkdir -p "$d/curves"
cp tests/data/csv-curves.xml "$d/"
cp tests/data/curves/steps.csv "$d/curves/"
mkfifo "$d/curves/points.csv"
expect 5 "points.csv: is a FIFO" -- timeout 10 "$bin" validate "$d/csv-curves.xml"
rm -f "$d/curves/points.csv"
mkdir "$d/curves/points.csv"
expect 5 "points.csv: is a directory" -- timeout 10 "$bin" validate "$d/csv-curves.xml"
rmdir "$d/curves/points.csv"
ln -s /dev/zero "$d/curves/points.csv"
expect 5 "points.csv: is a device" -- timeout 10 "$bin" validate --allow-any-path "$d/csv-curves.xml"

# Output sets are never mixed. --no-pdf removes an earlier report.pdf and says so, even with -q.
d="$tmp/mixed"
expect 0 "" -- "$bin" solve --no-pdf "$small" -o "$d" -q
echo "old pdf" >"$d/report.pdf"
echo "old log" >"$d/report.log"
expect 0 "removed $d/report.pdf" -- "$bin" solve --no-pdf "$small" -o "$d" -q
[ ! -e "$d/report.pdf" ] && [ ! -e "$d/report.log" ] && ok || bad "--no-pdf left an earlier report.pdf/report.log"
# Without lualatex: a warning on stderr even with -q, and no stale report.pdf.
mkdir -p "$tmp/nobin"
echo "old pdf" >"$d/report.pdf"
PATH="$tmp/nobin" "$abin" solve "$small" -o "$d" -q >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && grep -q "lualatex is not installed" "$tmp/err" && [ ! -s "$tmp/out" ] && ok \
    || bad "without lualatex -q hid the warning: $(cat "$tmp/err")"
[ ! -e "$d/report.pdf" ] && ok || bad "without lualatex an earlier report.pdf was left"
# A failure between files (report.tex cannot be renamed: a folder has its name) leaves no file
# of an earlier run, and stderr says which files were written.
echo "old pdf" >"$d/report.pdf"
rm -f "$d/report.tex"
mkdir "$d/report.tex"
expect 5 "wrote $d/results.xml" -- "$bin" solve --no-pdf "$small" -o "$d" -q
[ ! -e "$d/report.pdf" ] && ok || bad "a failed run left an earlier report.pdf beside new results"
ls -a "$d" | grep -q '\.tmp\.' && bad "a failed run left a temporary file" || ok
rmdir "$d/report.tex"
# A second run into a folder another run holds fails at once (exit 5).
if command -v flock >/dev/null 2>&1; then
    flock "$d/.etslink.lock" sh -c 'touch "$1/held"; while [ ! -e "$1/release" ]; do sleep 0.1; done' \
        sh "$d" &
    lockpid=$!
    i=0
    while [ $i -lt 100 ] && [ ! -e "$d/held" ]; do sleep 0.1; i=$((i + 1)); done
    expect 5 "another etslink run" -- timeout 20 "$bin" solve --no-pdf "$small" -o "$d" -q
    touch "$d/release"
    wait "$lockpid"
    expect 0 "" -- "$bin" solve --no-pdf "$small" -o "$d" -q
else
    echo "cli: skipped the lock test (flock(1) not installed)"
fi

# A signal during the PDF step kills lualatex's whole process group and removes its work
# folder. The fake lualatex first on PATH starts a child and waits.
fb="$tmp/fakebin"
mkdir -p "$fb"
cat >"$fb/lualatex" <<EOF_TEX
#!/bin/sh
echo \$\$ >"$tmp/fake.pid"
sleep 60 &
echo \$! >"$tmp/fake-child.pid"
wait
EOF_TEX
chmod +x "$fb/lualatex"
d="$tmp/pdfsig"
rm -f "$tmp/fake.pid" "$tmp/fake-child.pid"
PATH="$fb:$PATH" "$abin" solve "$small" -o "$d" -q &
pid=$!
i=0
while [ $i -lt 200 ] && [ ! -s "$tmp/fake-child.pid" ]; do sleep 0.05; i=$((i + 1)); done
kill -s TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 143 ] && ok || bad "SIGTERM during the PDF step: exit $rc, expected 143"
sleep 0.3
for f in fake.pid fake-child.pid; do
    p=$(cat "$tmp/$f" 2>/dev/null)
    [ -n "$p" ] && alive "$p" && { bad "a lualatex process ($f) survived SIGTERM"; kill -9 "$p"; } || ok
done
ls -a "$d" | grep -q -e etslink-pdf -e '\.tmp\.' && bad "SIGTERM left a work folder: $(ls -a "$d")" || ok
[ -s "$d/results.xml" ] && [ ! -e "$d/report.pdf" ] && ok || bad "SIGTERM during the PDF: wrong files $(ls "$d")"

# A lualatex failure quotes the first error (-file-line-error form) and keeps the log.
cat >"$fb/lualatex" <<'EOF_TEX'
#!/bin/sh
printf 'This is a fake pdfTeX\n(./report.tex\n./report.tex:12: Undefined control sequence.\nl.12 \\foo\n\n' >report.log
exit 1
EOF_TEX
d="$tmp/pdffail"
mkdir -p "$tmp/pdffail-cwd" # where a fake run with the wrong current directory writes
(cd "$tmp/pdffail-cwd" && PATH="$fb:$PATH" "$abin" solve "$root/$small" -o "$d" -q) >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 5 ] && ok || bad "a failing lualatex gave exit $rc, expected 5"
grep -qF "./report.tex:12: Undefined control sequence. [l.12 \\foo]" "$tmp/err" && ok \
    || bad "the TeX error was not quoted: $(cat "$tmp/err")"
grep -qF "kept in $d/report.log" "$tmp/err" && grep -q "Undefined control" "$d/report.log" && ok \
    || bad "the TeX log was not kept: $(cat "$tmp/err")"
ls -a "$d" | grep -q etslink-pdf && bad "a failing lualatex left its work folder" || ok
[ ! -e "$d/report.pdf" ] && ok || bad "a failing lualatex left a report.pdf"

# Output files follow the umask.
d="$tmp/umask"
mkdir -p "$d"
(umask 077 && "$abin" solve --no-pdf "$root/$small" -o "$d/a" -q \
    && "$abin" export-lp "$root/$small" --design linked -o "$d/a.lp" -q)
[ "$(stat -c %a "$d/a/results.xml" "$d/a/results.csv" "$d/a/report.tex" "$d/a.lp" | sort -u)" = 600 ] \
    && ok || bad "umask 077: modes $(stat -c '%a %n' "$d/a"/* "$d/a.lp")"
(umask 022 && "$abin" solve --no-pdf "$root/$small" -o "$d/b" -q)
[ "$(stat -c %a "$d/b/results.xml" "$d/b/results.csv" "$d/b/report.tex" | sort -u)" = 644 ] \
    && ok || bad "umask 022: modes $(stat -c '%a %n' "$d/b"/*)"

# The output folder is checked before solving (this scenario has no equilibrium: exit 4 only
# after a solve), and a dangling symbolic link is named as such.
expect 5 "cannot create the output folder" -- "$bin" solve --no-pdf tests/bad/no-equilibrium.xml -o "$tmp/no/such/dir"
expect 5 "exists and is not a folder" -- "$bin" solve --no-pdf tests/bad/no-equilibrium.xml -o "$tmp/afile"
ln -s "$tmp/nowhere" "$tmp/dangling"
expect 5 "is a dangling symbolic link" -- "$bin" solve --no-pdf "$small" -o "$tmp/dangling"

# The summary never prints a negative zero (equal autarky prices: gains of -8e-16).
cat >"$tmp/negzero.xml" <<'EOF_XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="equal prices" currency="USD" unit="Mt">
  <jurisdiction id="A"><bau>100</bau><cap>91</cap><mac><linear slope="0.1"/></mac></jurisdiction>
  <jurisdiction id="B"><bau>100</bau><cap>98.71428571428571</cap><mac><linear slope="0.7"/></mac></jurisdiction>
  <design id="linked"><group members="A B"/></design>
</scenario>
EOF_XML
expect 0 "0.9000" -- "$bin" solve --no-pdf "$tmp/negzero.xml" -o "$tmp/negzero"
grep -q -- "-0\.0*\( \|$\)" "$tmp/out" && bad "the summary printed a negative zero: $(cat "$tmp/out")" || ok

# A design without an equilibrium: every file is written, the summary says so, exit 4.
expect 4 "design 'tight' has no equilibrium" -- "$bin" solve --no-pdf tests/data/no-eq-design.xml -o "$tmp/noeq"
grep -q "^tight  *no equilibrium" "$tmp/out" && ok || bad "the summary lacks 'no equilibrium': $(cat "$tmp/out")"
[ -s "$tmp/noeq/results.xml" ] && [ -s "$tmp/noeq/results.csv" ] && [ -s "$tmp/noeq/report.tex" ] && ok \
    || bad "a run with a design without an equilibrium did not write every file"

# --threads: the same bytes whatever the thread count; bad values are usage errors.
for t in 2 3; do
    expect 0 "" -- "$bin" solve --no-pdf --quiet --threads "$t" scenarios/northeast-asia.xml --set draws=200 -o "$tmp/th$t"
    cmp -s "$tmp/th2/results.xml" "$tmp/th$t/results.xml" && ok || bad "--threads $t: results.xml differs"
done
expect 0 "" -- "$bin" solve --no-pdf --quiet scenarios/northeast-asia.xml --set draws=200 -o "$tmp/th1"
for f in results.xml results.csv report.tex; do
    cmp -s "$tmp/th1/$f" "$tmp/th2/$f" && ok || bad "--threads 2: $f differs from one thread"
done
# tools/sensitivity.sh (docs/data.md): every variant solves; the KR 8.00 row against the closed
# form, p = (30 + 28.876 + 10) / (1/0.02 + 28.876/8 + 10), Korea's gain (8 - p)^2 / 2 / (8/28.876)
sh tools/sensitivity.sh "$bin" >"$tmp/sens.md" 2>"$tmp/sens.err" && [ "$(grep -c '^| ' "$tmp/sens.md")" = 14 ] \
    && ok || bad "tools/sensitivity.sh failed: $(cat "$tmp/sens.err")"
want=$(awk 'BEGIN { c = 8 / 28.876; p = 68.876 / (50 + 1 / c + 10); printf "| %.2f | %.1f |", p, (8 - p) ^ 2 / 2 / c }')
got=$(grep '^| KR price 8.00' "$tmp/sens.md" | awk -F' [|] ' '{ printf "| %s | %s |", $4, $6 }')
[ "$got" = "$want" ] && ok || bad "sensitivity KR 8.00: '$got', closed form '$want'"
# --set draws=N replaces every <uncertainty>'s draws= (docs/settings.md)
expect 0 "uncertainty bau-shocks: 37 draws" -- "$bin" solve --no-pdf scenarios/northeast-asia.xml --set draws=37 -o "$tmp/d37"
expect 2 "--threads needs a whole number from 1 to 256" -- "$bin" solve --threads 0 scenarios/northeast-asia.xml -o "$tmp/th0"
expect 2 "--threads needs a whole number" -- "$bin" solve --threads x scenarios/northeast-asia.xml -o "$tmp/th0"
expect 2 "built without MPI" -- "$bin" solve --mpi scenarios/northeast-asia.xml -o "$tmp/th0"

# Many designs (issue 9): every design streams into results.xml and results.csv, the table on
# stdout stops after 100 rows, and past 20 designs report.tex is a summary (a ranking and
# distributions) whose size does not grow with the designs; it compiles at 1,000 and 10,000.
many_designs() {
    awk -v N="$1" 'BEGIN {
        print "<scenario name=\"quota sweep\" currency=\"USD\" unit=\"Mt\">"
        print "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac></jurisdiction>"
        print "<jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><linear slope=\"2\"/></mac></jurisdiction>"
        print "<jurisdiction id=\"C\"><bau>100</bau><cap>85</cap><mac><linear slope=\"3\"/></mac></jurisdiction>"
        for (d = 0; d < N; d++)
            printf "<design id=\"q%d\"><link from=\"A\" to=\"B\" quota=\"%g\"/><link from=\"A\" to=\"C\" quota=\"%g\"/></design>\n", d, 20 * d / N, 10 * d / N
        print "</scenario>"
    }'
}
for n in 1000 10000; do
    d="$tmp/many$n"
    many_designs "$n" >"$d.xml"
    expect 0 "... and $((n - 100)) more designs" -- "$bin" solve "$d.xml" -o "$d"
    [ "$(grep -c ',total,outcome,1,optimal' "$d/results.csv")" = "$n" ] && ok || bad "$n designs: results.csv lacks designs"
    [ "$(grep -c '<design ' "$d/results.xml")" = "$n" ] && ok || bad "$n designs: results.xml lacks designs"
    xmllint --noout --schema reports/results.xsd "$d/results.xml" 2>/dev/null && ok || bad "$n designs: results.xml is not valid"
    grep -q "summary of $n designs" "$d/report.tex" && [ "$(wc -c <"$d/report.tex")" -lt 100000 ] && ok \
        || bad "$n designs: report.tex is not a short summary"
    [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$d/report.tex")" -le 4000 ] && ok \
        || bad "$n designs: report.tex has a line longer than 4,000 characters"
    if command -v lualatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
        pdftotext "$d/report.pdf" "$d/report.txt" 2>/dev/null && grep -q "Ranking of designs" "$d/report.txt" \
            && grep -q "Total gains" "$d/report.txt" && ok || bad "$n designs: no report.pdf with the ranking"
    fi
done
cmp -s "$tmp/many1000/results.csv" "$tmp/many10000/results.csv" && bad "two sweeps wrote the same results.csv" || ok
expect 0 "" -- "$bin" solve --no-pdf -q --threads 2 "$tmp/many1000.xml" -o "$tmp/many1000t"
for f in results.xml results.csv report.tex; do
    cmp -s "$tmp/many1000/$f" "$tmp/many1000t/$f" && ok || bad "1,000 designs on 2 threads: $f differs"
done

# Analyses (issue 10): the bundled negotiation example end to end, the same bytes on 1 and 2
# threads, --only, a search without a feasible point (exit 4 after writing), a sweep too large
# (exit 3 at once), and bad parameters.
expect 0 "search best-quota: q=" -- "$bin" solve --no-pdf --threads 1 scenarios/negotiation.xml -o "$tmp/neg1"
[ ! -s "$tmp/err" ] && ok || bad "analyses printed progress to a standard error that is not a terminal: $(head -c 200 "$tmp/err")"
grep -q "sequence ne-asia-path: not every step is a Pareto improvement" "$tmp/out" && ok || bad "negotiation: the sequence verdict is not printed"
xmllint --noout --schema reports/results.xsd "$tmp/neg1/results.xml" 2>/dev/null && ok || bad "negotiation: results.xml is not valid"
[ "$(grep -c '^quota-sweep/[0-9]*,total,outcome,1,optimal' "$tmp/neg1/results.csv")" = 603 ] && ok || bad "negotiation: results.csv lacks sweep points"
grep -q '^best-quota,total,found,1,' "$tmp/neg1/results.csv" && ok || bad "negotiation: no optimum in results.csv"
grep -q '^ne-asia-path/3,KR,gain_change,-' "$tmp/neg1/results.csv" && ok || bad "negotiation: Korea's loss at step 3 not in results.csv"
expect 0 "" -- "$bin" solve --no-pdf -q --threads 2 scenarios/negotiation.xml -o "$tmp/neg2"
for f in results.xml results.csv report.tex; do
    cmp -s "$tmp/neg1/$f" "$tmp/neg2/$f" && ok || bad "negotiation on 2 threads: $f differs"
done
expect 0 "search best-quota" -- "$bin" solve --no-pdf --only best-quota --only cn-kr scenarios/negotiation.xml -o "$tmp/neg3"
grep -q '^quota-sweep/' "$tmp/neg3/results.csv" && bad "--only best-quota ran the sweep" || ok
grep -q '^cn-kr,total,outcome' "$tmp/neg3/results.csv" && ok || bad "--only cn-kr did not solve cn-kr"
grep -q '^separate,total,outcome' "$tmp/neg3/results.csv" && bad "--only solved a design not named" || ok
expect 2 "--only nope: " -- "$bin" solve --no-pdf --only nope scenarios/negotiation.xml -o "$tmp/neg4"
sed 's|<require what="gain" of="CN" at-least="0"/>|<require what="gain" of="CN" at-least="1000"/>|' scenarios/negotiation.xml >"$tmp/neg-infeasible.xml"
expect 4 "search 'best-quota' has no feasible point" -- "$bin" solve --no-pdf --only best-quota "$tmp/neg-infeasible.xml" -o "$tmp/neg5"
grep -q '^best-quota,total,found,0,' "$tmp/neg5/results.csv" && ok || bad "an infeasible search did not write its results"
sed 's|count="201"|count="5000000"|' scenarios/negotiation.xml >"$tmp/neg-huge.xml"
expect 3 "more than sweep_max_points" -- timeout 20 "$bin" solve --no-pdf "$tmp/neg-huge.xml" -o "$tmp/neg6"
[ ! -e "$tmp/neg6/results.xml" ] && ok || bad "a refused sweep wrote results"
sed 's|<param name="who" values="buyer seller buyer-government"/>|<param name="whom" values="buyer"/>|' scenarios/negotiation.xml >"$tmp/neg-unknown.xml"
expect 3 "unknown parameter 'whom'" -- "$bin" validate "$tmp/neg-unknown.xml"
sed 's|<param name="q" from="0" to="5" count="201"/>||' scenarios/negotiation.xml >"$tmp/neg-unbound.xml"
expect 3 "parameter {q} of design 'kr-quota' is left unbound" -- "$bin" validate "$tmp/neg-unbound.xml"

expect 4 "search 's' has no feasible point: no point has an equilibrium" -- "$bin" solve --no-pdf tests/data/analysis-noeq.xml -o "$tmp/noeq"
xmllint --noout --schema reports/results.xsd "$tmp/noeq/results.xml" 2>/dev/null && ok || bad "a sequence with an unsolved step wrote invalid results.xml"
grep -q '^path/3,A,gain_change,0,' "$tmp/noeq/results.csv" && ok || bad "step 3 is not compared with step 1 (the last with an equilibrium)"

expect 0 "coalitions game: 4 members, 15 coalitions; superadditive; the core is not empty" -- "$bin" solve --no-pdf tests/data/coalitions-4.xml -o "$tmp/coal"
xmllint --noout --schema reports/results.xsd "$tmp/coal/results.xml" 2>/dev/null && ok || bad "coalitions: results.xml is not valid"
grep -q '^game,C,transfer,-' "$tmp/coal/results.csv" && ok || bad "coalitions: the largest buyer's transfer under Shapley is not negative"

# coalitions.csv (docs/results-format.md) against a hand computation for linear MACs
# (docs/model.md §6): coalition S links at P = sum r_j / sum 1/c_j (r_j = BAU - cap, c_j the
# slope), member j's gain is c_j m_j^2 / 2 with m_j = r_j - P / c_j its imports, v(S) their sum;
# Shapley by its formula over the coalitions; a structure's value is the sum of its blocks'.
# coal_hand SCENARIO "MEMBERS" CSV ANALYSIS prints "CHECKED MISMATCHES".
coal_hand() {
    sed -n 's/.*<jurisdiction id="\([^"]*\)"><bau>\([^<]*\)<\/bau><cap>\([^<]*\)<\/cap><mac><linear slope="\([^"]*\)".*/\1 \2 \3 \4/p' \
        "$1" >"$tmp/coal-jur"
    awk -F, -v members="$2" -v an="$4" '
        function bit(m, k) { return int(m / 2 ^ (k - 1)) % 2 }
        function near(x, want) { d = x - want; if (d < 0) d = -d; return d <= 1e-6 * (1 + (want < 0 ? -want : want)) }
        function check(key, want) { checked++; if (!(key in val) || !near(val[key], want)) { bad++; print "coalitions.csv " key ": " (key in val ? val[key] : "missing") ", by hand " want > "/dev/stderr" } }
        FNR == NR { split($0, f, " "); R[f[1]] = f[2] - f[3]; C[f[1]] = f[4]; next }
        FNR == 1 { next }
        $1 == an { val[$2 SUBSEP $3 SUBSEP $4] = $5 }
        END {
            n = split(members, id, " "); full = 2 ^ n - 1
            for (m = 1; m <= full; m++) {
                sr = 0; sc = 0; t = ""
                for (k = 1; k <= n; k++) if (bit(m, k)) { sr += R[id[k]]; sc += 1 / C[id[k]]; t = t (t == "" ? "" : " ") id[k] }
                P = sr / sc; V[m] = 0; T[m] = t
                for (k = 1; k <= n; k++) if (bit(m, k)) { x = R[id[k]] - P / C[id[k]]; G[m, k] = C[id[k]] * x * x / 2; V[m] += G[m, k] }
                VT[t] = V[m]
                check(t SUBSEP "" SUBSEP "value", V[m])
                for (k = 1; k <= n; k++) if (bit(m, k)) check(t SUBSEP id[k] SUBSEP "gain", G[m, k])
            }
            fact[0] = 1; for (k = 1; k <= n; k++) fact[k] = fact[k - 1] * k
            for (i = 1; i <= n; i++) {
                phi = 0
                for (m = 0; m <= full; m++) {
                    if (bit(m, i)) continue
                    s = 0; for (k = 1; k <= n; k++) s += bit(m, k)
                    phi += fact[s] * fact[n - s - 1] / fact[n] * (V[m + 2 ^ (i - 1)] - (m ? V[m] : 0))
                }
                check("" SUBSEP id[i] SUBSEP "shapley", phi)
                check("" SUBSEP id[i] SUBSEP "market_gain", G[full, i])
                check("" SUBSEP id[i] SUBSEP "transfer", phi - G[full, i])
            }
            for (key in val) {
                split(key, f, SUBSEP)
                if (f[3] != "value" || substr(f[1], 1, 1) != "{") continue
                nb = split(substr(f[1], 2, length(f[1]) - 2), blk, "}{"); sum = 0
                for (b = 1; b <= nb; b++) sum += VT[blk[b]]
                check(key, sum); check(f[1] SUBSEP "" SUBSEP "loss", V[full] - sum)
            }
            print checked + 0, bad + 0
        }' "$tmp/coal-jur" "$3"
}
bell() { case $1 in 2) echo 2 ;; 3) echo 5 ;; 4) echo 15 ;; esac; }
[ -s "$tmp/coal/coalitions.csv" ] && ok || bad "solve with <coalitions> wrote no coalitions.csv"
[ "$(head -1 "$tmp/coal/coalitions.csv")" = "$(printf 'analysis,coalition,member,variable,value\r')" ] \
    && ok || bad "coalitions.csv header"
set -- $(coal_hand tests/data/coalitions-4.xml "A B C D" "$tmp/coal/coalitions.csv" game)
[ "$1" -ge 50 ] && [ "$2" = 0 ] && ok || bad "coalitions.csv of coalitions-4: $2 of $1 values differ from the hand computation"
for row in 'game,,,members,4' 'game,,,coalitions,15' "game,,,partitions,$(bell 4)" 'game,,,superadditive,1' \
    'game,,,core_empty,0' 'game,{A B C D},,loss,0' 'game,{A B}{C D},,value,742.25'; do
    grep -qxF "$row$(printf '\r')" "$tmp/coal/coalitions.csv" && ok || bad "coalitions.csv lacks the row $row"
done
[ "$(grep -c '^game,[^,{]*,,value,' "$tmp/coal/coalitions.csv")" = 15 ] && ok || bad "coalitions.csv: not one value row per coalition"
grep -q '<structures partitions="15" ' "$tmp/coal/results.xml" && grep -q '<structure blocks="{A B C D}" ' "$tmp/coal/results.xml" \
    && ok || bad "results.xml lacks the coalition structures"
grep -q '^game,total,partitions,15,' "$tmp/coal/results.csv" && grep -q '^game,total,structure_value,742.25,{A B}{C D}' "$tmp/coal/results.csv" \
    && ok || bad "results.csv lacks the structure counts or the stable structures"

# etslink coalitions: one ad hoc analysis, no design solved, the same output set
expect 0 "coalitions ad-hoc: 3 members, 7 coalitions" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --members "A B C" -o "$tmp/adhoc"
for f in results.xml results.csv coalitions.csv report.tex; do
    [ -s "$tmp/adhoc/$f" ] && ok || bad "coalitions: no $f"
done
xmllint --noout --schema reports/results.xsd "$tmp/adhoc/results.xml" 2>/dev/null && ok || bad "coalitions: results.xml is not valid"
grep -q '<design ' "$tmp/adhoc/results.xml" && bad "coalitions solved a design" || ok
set -- $(coal_hand tests/data/coalitions-4.xml "A B C" "$tmp/adhoc/coalitions.csv" ad-hoc)
[ "$1" -ge 30 ] && [ "$2" = 0 ] && ok || bad "coalitions --members 'A B C': $2 of $1 values differ from the hand computation"
grep -q "^ad-hoc,,,partitions,$(bell 3)" "$tmp/adhoc/coalitions.csv" && ok || bad "coalitions: not Bell(3) partitions"
grep -q '^ad-hoc,[^,]*D' "$tmp/adhoc/coalitions.csv" && bad "coalitions: a member not named in --members" || ok
expect 0 "" -- "$bin" coalitions --no-pdf -q tests/data/coalitions-4.xml -o "$tmp/adhoc-all" --threads 2
sed 1d "$tmp/adhoc-all/coalitions.csv" | sed 's/^ad-hoc,/game,/' >"$tmp/adhoc-all.rows"
sed 1d "$tmp/coal/coalitions.csv" | cmp -s - "$tmp/adhoc-all.rows" && ok || bad "coalitions (all members) differs from solve's <coalitions>"
# --design: the rules of tests/data/coalitions-pool.xml (worked by hand in the file): alone a
# member gains 12.5, two linked 100/9, all three 9.375; the core is empty; autarky is stable
expect 0 "not superadditive; the core is empty" -- "$bin" coalitions --no-pdf tests/data/coalitions-pool.xml --design offsets -o "$tmp/adhoc-pool"
for row in 'A,,value,12.5' 'A B,,value,11.1111111111' 'A B C,,value,9.375' ',,least_core,-9.375' \
    '{A}{B}{C},,stable_market,1' ',,best_structure_value,37.5'; do
    grep -qxF "ad-hoc,$row$(printf '\r')" "$tmp/adhoc-pool/coalitions.csv" && ok || bad "coalitions --design offsets: no row ad-hoc,$row"
done
expect 0 "3 members, 7 coalitions; superadditive" -- "$bin" coalitions --no-pdf tests/data/coalitions-pool.xml -o "$tmp/adhoc-pool0"
grep -qxF "ad-hoc,A B C,,value,0$(printf '\r')" "$tmp/adhoc-pool0/coalitions.csv" && ok || bad "coalitions without --design: identical members gain from linking"
# bad input: exit 3 naming the id, before anything is written
cp "$tmp/adhoc/coalitions.csv" "$tmp/adhoc-before.csv"
expect 3 "--members: 'X' is not a jurisdiction of tests/data/coalitions-4.xml" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --members "A X" -o "$tmp/adhoc"
expect 3 "--members: 'B' is listed twice" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --members "A B C B" -o "$tmp/adhoc"
expect 3 "--members: 1 member(s); a coalition game needs 2 to 25" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --members "A" -o "$tmp/adhoc"
expect 3 "--members: 0 member(s)" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --members "" -o "$tmp/adhoc"
expect 3 "--design nope: tests/data/coalitions-4.xml has no design of that id" -- "$bin" coalitions --no-pdf tests/data/coalitions-4.xml --design nope -o "$tmp/adhoc"
cmp -s "$tmp/adhoc/coalitions.csv" "$tmp/adhoc-before.csv" && ok || bad "a refused coalitions run changed the earlier coalitions.csv"
awk 'BEGIN { print "<scenario name=\"26\">"
    for (j = 1; j <= 26; j++) printf "<jurisdiction id=\"J%d\"><bau>100</bau><cap>90</cap><mac><linear slope=\"%d\"/></mac></jurisdiction>\n", j, j
    print "</scenario>" }' >"$tmp/j26.xml"
expect 3 "26 jurisdiction(s) in the scenario; a coalition game needs 2 to 25" -- "$bin" coalitions --no-pdf "$tmp/j26.xml" -o "$tmp/j26"
expect 3 "--members: 26 member(s)" -- "$bin" coalitions --no-pdf "$tmp/j26.xml" -o "$tmp/j26" \
    --members "J1 J2 J3 J4 J5 J6 J7 J8 J9 J10 J11 J12 J13 J14 J15 J16 J17 J18 J19 J20 J21 J22 J23 J24 J25 J26"
[ ! -e "$tmp/j26" ] && ok || bad "a refused coalitions run created its output folder"
expect 2 "coalitions needs -o DIR" -- "$bin" coalitions tests/data/coalitions-4.xml
expect 2 "--only is for solve" -- "$bin" coalitions tests/data/coalitions-4.xml --only game -o "$tmp/adhoc"
expect 2 "--members is for coalitions" -- "$bin" solve tests/data/coalitions-4.xml --members "A B" -o "$tmp/adhoc"
# a later run without a coalition analysis removes coalitions.csv with the rest of the old set
sed '/<coalitions/d' tests/data/coalitions-4.xml >"$tmp/nocoal.xml"
expect 0 "" -- "$bin" solve --no-pdf -q "$tmp/nocoal.xml" -o "$tmp/adhoc"
[ ! -e "$tmp/adhoc/coalitions.csv" ] && ok || bad "a solve without coalitions left an earlier coalitions.csv"
[ -s "$tmp/adhoc/results.xml" ] && ok || bad "the solve without coalitions wrote no results.xml"
expect 0 "" -- "$bin" solve --no-pdf -q --only game tests/data/coalitions-4.xml -o "$tmp/adhoc"
[ -s "$tmp/adhoc/coalitions.csv" ] && ok || bad "--only of a coalition analysis wrote no coalitions.csv"

# Uncertainty (issue 12): tests/data/uncertainty-3.xml, three linear jurisdictions with normal
# BAU shocks, two correlated. The same bytes on 1 and 2 threads; the full link's effort sharing
# against the closed form 1/2 mu^T M mu (M = diag(c) - h 1 1^T, h = 1 / sum 1/c_j) to 1e-9, its
# expected total gain within 4 standard errors of 1/2 mu^T M mu + 1/2 tr(M Sigma) (docs/model.md
# §9), computed here in awk from the scenario's numbers; draws.csv against the summaries.
unc=tests/data/uncertainty-3.xml
expect 0 "uncertainty bau-shocks: 4000 draws, 0 invalid, 0 without an equilibrium in autarky" -- \
    "$bin" solve --no-pdf --threads 1 "$unc" -o "$tmp/unc1"
grep -q "^  all: expected total gain [0-9.]* (se [0-9.]*); effort sharing 3042.86, risk sharing " "$tmp/out" \
    && ok || bad "uncertainty: no line for design all on stdout: $(cat "$tmp/out")"
expect 0 "" -- "$bin" solve --no-pdf -q --threads 2 --draws-csv "$unc" -o "$tmp/unc2"
for f in results.xml results.csv uncertainty.csv report.tex; do
    cmp -s "$tmp/unc1/$f" "$tmp/unc2/$f" && ok || bad "uncertainty on 2 threads: $f differs from 1 thread"
done
xmllint --noout --schema reports/results.xsd "$tmp/unc1/results.xml" 2>"$tmp/xmllint" && ok \
    || bad "uncertainty: results.xml does not follow reports/results.xsd: $(cat "$tmp/xmllint")"
[ "$(head -1 "$tmp/unc1/uncertainty.csv")" = "$(printf 'analysis,design,jurisdiction,variable,statistic,value\r')" ] \
    && ok || bad "uncertainty.csv header"
grep -q '<uncertainty id="bau-shocks" draws="4000" seed="20261123" invalid="0" no-autarky="0" ' "$tmp/unc1/results.xml" \
    && grep -q '<design id="autarky" used="4000" no-equilibrium="0">' "$tmp/unc1/results.xml" && ok \
    || bad "uncertainty: results.xml lacks the section"
grep -q '^bau-shocks/all,A,p_loss,0,' "$tmp/unc1/results.csv" && ok || bad "uncertainty: results.csv lacks p_loss (0 in a full link)"
# the closed forms, from the scenario's numbers
sed -n -e 's/.*<jurisdiction id="\([^"]*\)"><bau>\([^<]*\)<\/bau><cap>\([^<]*\)<\/cap><mac><linear slope="\([^"]*\)".*/J \1 \2 \3 \4/p' \
    -e 's/.*<shock jurisdiction="\([^"]*\)" on="bau" sd="\([^"]*\)".*/S \1 \2/p' \
    -e 's/.*<correlation a="\([^"]*\)" b="\([^"]*\)" rho="\([^"]*\)".*/C \1 \2 \3/p' "$unc" >"$tmp/unc-in"
awk -F, '
    FNR == NR { if ($1 == "J") { n++; id[n] = $2; R[$2] = $3 - $4; c[$2] = $5 }
                if ($1 == "S") sd[$2] = $3
                if ($1 == "C") { rho[$2, $3] = $4; rho[$3, $2] = $4 }
                next }
    { sub(/\r$/, "") }
    $1 == "bau-shocks" && $2 == "all" && $3 == "total" && $4 == "gain" { v[$5] = $6 }
    END {
        for (i = 1; i <= n; i++) hs += 1 / c[id[i]]
        h = 1 / hs
        for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) {
            a = id[i]; b = id[j]
            M = (i == j ? c[a] : 0) - h
            r = i == j ? 1 : ((a, b) in rho ? rho[a, b] : 0)
            effort += R[a] * M * R[b] / 2
            risk += M * r * sd[a] * sd[b] / 2
        }
        rel = (v["effort"] - effort) / effort; if (rel < 0) rel = -rel
        dev = (v["mean"] - effort - risk) / v["se"]; if (dev < 0) dev = -dev
        printf "%s %s effort %.12g (file %s) rel %.3g; E[G] %.12g (file %s, se %s) dev %.3g se\n",
            (rel <= 1e-9 ? "ok" : "bad"), (dev <= 4 && risk > 4 * v["se"] ? "ok" : "bad"),
            effort, v["effort"], rel, effort + risk, v["mean"], v["se"], dev
    }' FS=' ' "$tmp/unc-in" FS=, "$tmp/unc1/uncertainty.csv" >"$tmp/unc-check"
read -r e1 e2 rest <"$tmp/unc-check"
[ "$e1" = ok ] && ok || bad "uncertainty: effort sharing differs from 1/2 mu^T M mu: $(cat "$tmp/unc-check")"
[ "$e2" = ok ] && ok || bad "uncertainty: expected total gain not within 4 se of the closed form: $(cat "$tmp/unc-check")"
# draws.csv: draws x (designs + 1) x jurisdictions rows; each design's mean price from the rows
# equals the summary's
[ "$(head -1 "$tmp/unc2/draws.csv")" = "$(printf 'analysis,draw,design,jurisdiction,price,abatement,net_imports,emissions,gain,status\r')" ] \
    && ok || bad "draws.csv header"
[ "$(sed 1d "$tmp/unc2/draws.csv" | wc -l)" = $((4000 * 3 * 3)) ] && ok || bad "draws.csv: not 4000 x 3 x 3 rows"
[ "$(sed 1d "$tmp/unc2/draws.csv" | grep -vc ',ok.$')" = 0 ] && ok || bad "draws.csv: a draw is not ok"
awk -F, '{ sub(/\r$/, "") }
    FNR == NR { if (FNR > 1 && $10 == "ok") { s[$3, $4] += $5; k[$3, $4]++ }; next }
    $4 == "price" && $5 == "mean" { n++; want = s[$2, $3] / k[$2, $3]; d = (want - $6) / $6; if (d < 0) d = -d
        if (!(($2, $3) in k) || d > 1e-9) { bad++; print $2, $3, $6, want > "/dev/stderr" } }
    END { print n + 0, bad + 0 }' "$tmp/unc2/draws.csv" "$tmp/unc2/uncertainty.csv" >"$tmp/unc-draws" 2>"$tmp/err"
[ "$(cat "$tmp/unc-draws")" = "9 0" ] && ok || bad "draws.csv: mean prices differ from uncertainty.csv: $(cat "$tmp/unc-draws" "$tmp/err")"
# --draws-csv needs an uncertainty analysis; a later run without one removes uncertainty.csv and
# draws.csv with the rest of the old set
expect 2 "--draws-csv: $small runs no <uncertainty> analysis" -- "$bin" solve --no-pdf --draws-csv "$small" -o "$tmp/unc3"
[ ! -e "$tmp/unc3" ] && ok || bad "a refused --draws-csv created its output folder"
expect 2 "--draws-csv is for solve" -- "$bin" coalitions --no-pdf --draws-csv tests/data/coalitions-4.xml -o "$tmp/unc3"
expect 0 "" -- "$bin" solve --no-pdf -q "$unc" -o "$tmp/unc2"
[ -s "$tmp/unc2/uncertainty.csv" ] && [ ! -e "$tmp/unc2/draws.csv" ] && ok || bad "a run without --draws-csv left an earlier draws.csv"
expect 0 "" -- "$bin" solve --no-pdf -q --only all "$unc" -o "$tmp/unc2"
[ ! -e "$tmp/unc2/uncertainty.csv" ] && ok || bad "a run without an uncertainty analysis left an earlier uncertainty.csv"
grep -q '<uncertainty' "$tmp/unc2/results.xml" && bad "--only all ran the uncertainty analysis" || ok
# Draws outside the domain and without equilibrium are counted, never fatal: A's BAU 100 with
# sd 50 is negative with probability Phi(-2) = 0.0227501319; K's cap cannot be met in some
# draws (autarky fails) and 'tight' has no equilibrium in most. The exit code is 4 for 'tight'
# alone (no equilibrium without shocks). draws.csv's statuses match uncertainty.csv's counts.
sed 's|</scenario>|<uncertainty id="u" draws="500" seed="5"><shock jurisdiction="A" sd="50"/><shock jurisdiction="K" sd="3"/></uncertainty></scenario>|' \
    tests/data/no-eq-design.xml >"$tmp/unc-noeq.xml"
expect 4 "tight: expected total gain 0 (se 0); no split into effort and risk sharing" -- \
    "$bin" solve --no-pdf --draws-csv "$tmp/unc-noeq.xml" -o "$tmp/unc4"
xmllint --noout --schema reports/results.xsd "$tmp/unc4/results.xml" 2>"$tmp/xmllint" && ok \
    || bad "uncertainty with failed draws: results.xml is not valid: $(cat "$tmp/xmllint")"
awk -F, '{ sub(/\r$/, "") }
    FNR == NR { if (FNR > 1) rows[$3, $10]++; next }
    $4 == "draws" { v[$2, $5] = $6 }
    END {
        bad = 0
        if (rows["autarky", "invalid"] != 3 * v["", "invalid"] || rows["tight", "invalid"] != 3 * v["", "invalid"]) bad++
        if (rows["autarky", "no-equilibrium"] != 3 * v["", "no_autarky"] || rows["quota", "no-autarky"] != 3 * v["", "no_autarky"]) bad++
        if (rows["tight", "no-equilibrium"] != 3 * v["tight", "no_equilibrium"] || rows["tight", "ok"] != 3 * v["tight", "used"]) bad++
        if (rows["linked", "ok"] != 3 * v["linked", "used"] || v["linked", "used"] + v["", "invalid"] + v["", "no_autarky"] != 500) bad++
        if (v["", "no_autarky"] < 1 || v["tight", "no_equilibrium"] < 1) bad++
        p = 0.0227501319; d = v["", "invalid"] / 500 - p; if (d < 0) d = -d
        if (d > 4 * sqrt(p * (1 - p) / 500)) bad++
        print bad, v["", "invalid"], v["", "no_autarky"], v["tight", "used"], v["tight", "no_equilibrium"]
    }' "$tmp/unc4/draws.csv" "$tmp/unc4/uncertainty.csv" >"$tmp/unc-counts"
[ "$(cut -d' ' -f1 "$tmp/unc-counts")" = 0 ] && ok || bad "uncertainty: draws.csv statuses and counts disagree (bad invalid no_autarky used no_eq): $(cat "$tmp/unc-counts")"
# draws.csv on a full disk: exit 5, nothing left behind
mkdir -p "$tmp/unc-full"
if mount -t tmpfs -o size=1m tmpfs "$tmp/unc-full" 2>/dev/null; then
    expect 5 "draws.csv: cannot write: No space left on device" -- "$bin" solve --no-pdf --draws-csv "$unc" -o "$tmp/unc-full"
    [ -z "$(ls "$tmp/unc-full")" ] && ok || bad "draws.csv on a full disk left files: $(ls "$tmp/unc-full")"
    umount "$tmp/unc-full"
else
    echo "cli: skipped the draws.csv disk-full test (cannot mount a tmpfs here)"
fi

# Several periods (issue 13, docs/model.md §10): tests/data/periods-hotelling.xml, two linear
# markets over three years with free banking and borrowing. Every price rises at the discount
# rate r (Hotelling, p_t+1 = (1 + r) p_t), alone and linked; the first year's prices and the
# present value of each jurisdiction's gain against the closed forms P_j = c_j sum_t R_j,t / G,
# p_1 = sum R / (G sum 1/c_j), gain_j = G (P_j - p_1)^2 / (2 c_j), G = sum_t (1 + r)^(t - 1),
# computed here in awk from the scenario's numbers.
per=tests/data/periods-hotelling.xml
expect 0 "valid (2 jurisdictions, 2 designs, 3 periods from 2026 to 2028)" -- "$bin" validate "$per"
expect 0 "PV total gain" -- "$bin" solve --no-pdf --threads 1 "$per" -o "$tmp/per1"
grep -q "^linked  *2026  *31\.7209  *31\.7209  *761\.3006$" "$tmp/out" && grep -q "^  *2028  *34\.9722  *34\.9722$" "$tmp/out" \
    && ok || bad "periods: the summary lacks the linked design's first and last year: $(cat "$tmp/out")"
expect 0 "" -- "$bin" solve --no-pdf -q --threads 3 "$per" -o "$tmp/per3"
for f in results.xml results.csv report.tex; do
    cmp -s "$tmp/per1/$f" "$tmp/per3/$f" && ok || bad "periods on 3 threads: $f differs from 1 thread"
done
xmllint --noout --schema reports/results.xsd "$tmp/per1/results.xml" 2>"$tmp/xmllint" && ok \
    || bad "periods: results.xml does not follow reports/results.xsd: $(cat "$tmp/xmllint")"
[ "$(head -1 "$tmp/per1/results.csv")" = "$(printf 'design,period,jurisdiction,variable,value,unit\r')" ] \
    && ok || bad "periods: results.csv header"
sed -n -e 's/.*<periods first="\([^"]*\)" last="\([^"]*\)" discount-rate="\([^"]*\)".*/P \1 \2 \3/p' \
    -e 's/.*<jurisdiction id="\([^"]*\)"><bau>\([^<]*\)<\/bau><cap>\([^<]*\)<\/cap><mac><linear slope="\([^"]*\)".*/J \1 \2 \3 \4/p' \
    -e 's/<year y="\([^"]*\)" cap="\([^"]*\)"\/>/\nY \1 \2\n/gp' "$per" | grep '^[PJY] ' >"$tmp/per-in"
awk -F, '
    FNR == NR { if ($1 == "P") { first = $2; last = $3; r = $4 }
                if ($1 == "J") { n++; id[n] = $2; bau[$2] = $3; c[$2] = $5; cur = $2
                                 for (t = first; t <= last; t++) cap[cur, t] = $4 }
                if ($1 == "Y") for (t = $2; t <= last; t++) cap[cur, t] = $3
                next }
    { sub(/\r$/, "") }
    $4 == "price" { p[$1, $3, $2] = $5 }
    $4 == "pv_gain" && $2 == "" { g[$1, $3] = $5 }
    function off(x, want, tol) { d = x - want; if (d < 0) d = -d; checked++
        if (d > tol * (1 + (want < 0 ? -want : want))) { bad++; print "off:", x, want > "/dev/stderr" } }
    END {
        for (t = first; t <= last; t++) G += (1 + r) ^ (t - first)
        for (i = 1; i <= n; i++) {
            j = id[i]; S[j] = 0
            for (t = first; t <= last; t++) S[j] += bau[j] - cap[j, t]
            P[j] = c[j] * S[j] / G; sumR += S[j]; sinv += 1 / c[j]
        }
        p1 = sumR / (G * sinv)
        for (i = 1; i <= n; i++) {
            j = id[i]
            off(p["separate", j, first], P[j], 1e-9)
            off(p["linked", j, first], p1, 1e-9)
            for (t = first; t < last; t++) {
                off(p["separate", j, t + 1], (1 + r) * p["separate", j, t], 1e-9)
                off(p["linked", j, t + 1], (1 + r) * p["linked", j, t], 1e-9)
            }
            off(g["linked", j], G * (P[j] - p1) ^ 2 / (2 * c[j]), 1e-9); total += G * (P[j] - p1) ^ 2 / (2 * c[j])
            off(g["separate", j], 0, 1e-9)
        }
        off(g["linked", "total"], total, 1e-9)
        print checked + 0, bad + 0
    }' FS=' ' "$tmp/per-in" FS=, "$tmp/per1/results.csv" >"$tmp/per-check" 2>"$tmp/err"
set -- $(cat "$tmp/per-check")
[ "$1" = 17 ] && [ "$2" = 0 ] && ok || bad "periods: $2 of $1 figures differ from the closed forms (Hotelling, present values): $(cat "$tmp/per-check" "$tmp/err")"
# the bank: the end-of-year balance moves by what is banked less what is drawn, and is 0 after
# the last year (no terminal value); what is borrowed is its negative part
awk -F, '{ sub(/\r$/, "") } $2 != "" && ($4 == "bank" || $4 == "banked" || $4 == "drawn" || $4 == "borrowed") { v[$1, $3, $2, $4] = $5; k[$1 SUBSEP $3] = 1 }
    END { for (dj in k) { split(dj, x, SUBSEP); prev = 0
            for (t = 2026; t <= 2028; t++) { b = v[x[1], x[2], t, "bank"]
                d = prev + v[x[1], x[2], t, "banked"] - v[x[1], x[2], t, "drawn"] - b; if (d < 0) d = -d
                if (d > 1e-9 || v[x[1], x[2], t, "borrowed"] != (b < 0 ? -b : 0)) bad++
                prev = b; n++ }
            if (prev != 0) bad++ }
        print n + 0, bad + 0 }' "$tmp/per1/results.csv" >"$tmp/per-bank"
[ "$(cat "$tmp/per-bank")" = "12 0" ] && ok || bad "periods: bank, banked, drawn and borrowed disagree: $(cat "$tmp/per-bank")"
grep -q '^separate,,B,pv_national_cost,' "$tmp/per1/results.csv" && grep -q '<period year="2027" discount="0.952380952381" outcome="optimal">' "$tmp/per1/results.xml" \
    && ok || bad "periods: results lack the present values or the periods"
# Analyses are not supported with periods yet: exit 3 naming the element (validate too); --only
# of the designs alone runs; coalitions and export-lp are refused as well.
sed 's|</scenario>|<sequence id="steps" designs="separate linked"/></scenario>|' "$per" >"$tmp/per-an.xml"
expect 3 "per-an.xml:20: <sequence id=\"steps\">: analyses (sweeps, searches, sequences, coalitions, uncertainty) are not supported with <periods> yet" \
    -- "$bin" solve --no-pdf "$tmp/per-an.xml" -o "$tmp/per-an"
[ ! -e "$tmp/per-an" ] && ok || bad "a refused several-period analysis created its output folder"
expect 3 "are not supported with <periods> yet" -- "$bin" validate "$tmp/per-an.xml"
expect 0 "" -- "$bin" solve --no-pdf -q --only linked "$tmp/per-an.xml" -o "$tmp/per-an"
expect 3 "coalition analyses are not supported over several periods yet" -- "$bin" coalitions --no-pdf "$per" -o "$tmp/per-co"
expect 3 "a several-period scenario is not supported yet" -- "$bin" export-lp "$per" --design linked -o "$tmp/per.lp"
# A design without an equilibrium over the horizon: every file written, the summary says so,
# exit 4 naming it (K's ceiling of 2 Mt leaves it 3 Mt short every year; banking cannot help).
cat >"$tmp/per-noeq.xml" <<'EOF_XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="no equilibrium over time" currency="USD" unit="Mt">
  <periods first="2026" last="2027" discount-rate="0.05"/>
  <jurisdiction id="A"><bau>100</bau><cap>90</cap><mac><linear slope="1"/></mac></jurisdiction>
  <jurisdiction id="K"><bau>100</bau><cap>80</cap><mac><linear slope="2" max="15"/></mac>
    <ceiling price="50" volume="10"/></jurisdiction>
  <design id="linked"><group members="A K" from="2027"/></design>
  <design id="tight"><ceiling jurisdiction="K" price="50" volume="2"/></design>
</scenario>
EOF_XML
expect 4 "design 'tight' has no equilibrium over 2026-2027" -- "$bin" solve --no-pdf "$tmp/per-noeq.xml" -o "$tmp/per-noeq"
grep -q "^tight  *no equilibrium over 2026-2027" "$tmp/out" && ok || bad "periods: the summary lacks 'no equilibrium': $(cat "$tmp/out")"
xmllint --noout --schema reports/results.xsd "$tmp/per-noeq/results.xml" 2>/dev/null \
    && grep -q '<design id="tight" outcome="no-equilibrium"/>' "$tmp/per-noeq/results.xml" \
    && grep -q "^tight,,total,outcome,0,no-equilibrium" "$tmp/per-noeq/results.csv" && ok \
    || bad "periods: the design without an equilibrium is not marked in valid results"
sed 's|<cap>80</cap>|<cap>70</cap>|' "$tmp/per-noeq.xml" >"$tmp/per-noeq2.xml"
expect 4 "design 'autarky' has no equilibrium over 2026-2027" -- "$bin" solve --no-pdf "$tmp/per-noeq2.xml" -o "$tmp/per-noeq2"
[ ! -e "$tmp/per-noeq2/results.xml" ] && ok || bad "periods: results written without an equilibrium in autarky"
# The report's section on the years (reports/report_periods.c): the design without an
# equilibrium is named, not drawn; the bundled 2026-2035 scenario's report.pdf compiles and has
# the section's table and figures.
grep -q "and is not shown: [0-9]*\.~tight\." "$tmp/per-noeq/report.tex" \
    && ok || bad "periods: report.tex does not name the design without an equilibrium"
if command -v lualatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    expect 0 "report.pdf" -- "$bin" solve scenarios/northeast-asia-2026-2035.xml -o "$tmp/per-pdf"
    pdftotext "$tmp/per-pdf/report.pdf" "$tmp/per-pdf/report.txt" && ok || bad "periods: pdftotext failed"
    for want in "Over the years 2026–2035" "Present values by design and jurisdiction" \
        "Price paths by design" "Bank balances" "Cumulative gains" "2028–2035"; do
        grep -qF "$want" "$tmp/per-pdf/report.txt" && ok || bad "periods: report.pdf lacks '$want'"
    done
else
    echo "cli: skipped the several-period PDF test (lualatex or pdftotext not installed)"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
