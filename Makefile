# etslink: see README.md. `make run` and `make check` are the two user commands.
include config.mk

ifeq ($(SAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  BUILD := build-asan
  SANLD := -fsanitize=address,undefined
endif
ifeq ($(TSAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
  BUILD := build-tsan
  SANLD := -fsanitize=thread
endif

DEPS_DEB  = libglpk-dev libxml2-dev libcunit1-dev liblapacke-dev libopenblas-dev pkg-config
DEPS_TEX  = texlive-latex-base texlive-latex-recommended texlive-luatex texlive-pictures \
            texlive-science fonts-lmodern fonts-noto-cjk fonts-dejavu-core poppler-utils
DEPS_MPI  = libopenmpi-dev openmpi-bin
MPICC    := $(shell command -v mpicc 2>/dev/null)
MPI_BIN   = $(if $(MPICC),$(BUILD)/etslink-mpi)
DEPS_TEST = glpk-utils libxml2-utils $(DEPS_TEX)
INCS      = -Icore -Imodel -Iinputs -Isolver -Iengine -Ireports -Iapi
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   += $(WARN) $(OPT) $(INCS) $(PKG_CFLAGS) -D_POSIX_C_SOURCE=200809L -pthread
# LAPACK is not linked: core/el_la.c loads liblapack.so.3 on first use (dlopen).
LDLIBS    = $(PKG_LIBS) -lglpk -ldl -lm
LDFLAGS  += $(SANLD) -pthread

LIB_SRC = $(wildcard core/*.c model/*.c inputs/*.c solver/*.c engine/*.c reports/*.c api/*.c)
LIB_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/gen/schemas.o
TEST_SRC = $(wildcard tests/unit/*.c)
TEST_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))
SCHEMAS = inputs/scenario.xsd reports/results.xsd

LIB   = $(BUILD)/libetslink.a
BIN   = $(BUILD)/etslink
TESTS = $(BUILD)/etslink-tests
BENCH = $(BUILD)/etslink-bench
SCENARIO ?= scenarios/northeast-asia.xml
OUT ?= out


.PHONY: fuzz
.PHONY: all deps run check bench asan tsan valgrind install clean format format-check golden-update \
        mpi-note mpi-check lib python python-check \
        print-% help
all: deps $(BIN) mpi-note $(MPI_BIN)

help:
	@echo "make run | check | bench | asan | tsan | valgrind | install PREFIX=... DESTDIR=... | clean"
	@echo "make lib (libetslink.so) | python (the Python package) | python-check"

# Missing Debian packages: installed when root, otherwise the exact apt-get line is printed.
deps:
	@sh tools/deps.sh $(DEPS_DEB)

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/embed: tools/embed.c | deps
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O2 -Wall -Werror tools/embed.c -o $@

$(BUILD)/gen/schemas.c: $(BUILD)/embed $(SCHEMAS)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ el_schema_scenario inputs/scenario.xsd el_schema_results reports/results.xsd

$(BUILD)/gen/schemas.o: $(BUILD)/gen/schemas.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(TESTS): $(TEST_OBJ) $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Open MPI (optional): where mpicc is found, build/etslink-mpi is built as well: the same program
# with engine/el_mpi.c compiled against MPI (docs/cli.md, "Many processes"). The plain etslink
# does not link MPI, so that a run outside mpirun does not pay for loading it.
$(BUILD)/engine/el_mpi-on.o: engine/el_mpi.c engine/el_mpi.h | deps
	@mkdir -p $(dir $@)
	@echo "  CC $< (with MPI)"; $(CC) $(CFLAGS) -DEL_HAVE_MPI $(shell mpicc --showme:compile) -c $< -o $@
$(BUILD)/etslink-mpi: $(BUILD)/cli/main.o $(BUILD)/engine/el_mpi-on.o $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell mpicc --showme:link) -o $@
mpi-note:
	@if [ -n "$(MPICC)" ]; then echo "etslink: MPI: mpicc found, building $(BUILD)/etslink-mpi"; \
	 else echo "etslink: MPI: mpicc not found, no etslink-mpi (apt-get install $(DEPS_MPI))"; fi
# make check runs a 2-rank job (a fresh make, so that MPI installed by deps is seen)
mpi-check: $(BUILD)/etslink-mpi $(BIN)
	OPENBLAS_NUM_THREADS=1 sh tests/cli/mpi.sh $(BUILD)/etslink-mpi $(BIN)

$(BENCH): $(BUILD)/tests/bench/bench.o $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

NEGOTIATION ?= scenarios/negotiation.xml
PERIODS ?= scenarios/northeast-asia-2026-2035.xml

run: all
	@sh tools/deps.sh $(DEPS_TEX)
	./$(BIN) solve $(SCENARIO) -o $(OUT)
	@echo "results: $(OUT)/results.xml $(OUT)/results.csv $(OUT)/report.tex $(OUT)/report.pdf"
	./$(BIN) solve $(NEGOTIATION) -o $(OUT)/negotiation
	@echo "negotiation (sweep, search, sequence): $(OUT)/negotiation/report.pdf"
	./$(BIN) solve $(PERIODS) -o $(OUT)/northeast-asia-2026-2035
	@echo "2026-2035 (price paths, banking, links in sequence): $(OUT)/northeast-asia-2026-2035/results.csv"

check: deps $(BIN) $(TESTS) $(BUILD)/replay-scenario $(BUILD)/replay-csv
	@sh tools/deps.sh $(DEPS_TEST)
	./$(BUILD)/replay-scenario tests/fuzz/regress/scenario scenarios tests/bad
	./$(BUILD)/replay-csv tests/fuzz/regress/csv tests/data/curves tests/bad/data
	cd tests && OPENBLAS_NUM_THREADS=1 ../$(TESTS)
	OPENBLAS_NUM_THREADS=1 sh tests/cli/run.sh $(BIN)
	@$(if $(SAN)$(TSAN),true,$(MAKE) --no-print-directory python-check)
	@$(if $(SAN)$(TSAN),true,sh tools/deps.sh $(DEPS_MPI) && $(MAKE) --no-print-directory mpi-check)

# docs/performance.md; BENCH_ARGS="--quick" or "--only=batch" for shorter runs
bench: deps $(BENCH) $(BIN)
	OPENBLAS_NUM_THREADS=1 ./$(BENCH) $(SCENARIO) $(BENCH_ARGS)

golden-update: $(BIN)
	for d in tests/golden/*/; do ./$(BIN) solve $$d/input.xml -o $$d --quiet --no-pdf; done
	@echo "review the change with: git diff tests/golden"

# Fuzzing (clang + libFuzzer): make fuzz FUZZ_SECONDS=N runs each harness for N seconds.
# Corpora grow in build-fuzz/; crashes land in build-fuzz/ and belong in tests/fuzz/regress/.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(INCS) $(PKG_CFLAGS) \
             -D_POSIX_C_SOURCE=200809L
FUZZ_LIB_SRC = $(LIB_SRC) build-fuzz/gen/schemas.c
build-fuzz/gen/schemas.c: $(BUILD)/gen/schemas.c
	@mkdir -p $(dir $@)
	cp $< $@
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) build-fuzz/gen/schemas.c | deps
	@sh tools/deps.sh clang
	clang $(FUZZ_FLAGS) $< $(FUZZ_LIB_SRC) $(LDLIBS) -o $@
fuzz: build-fuzz/fuzz_scenario build-fuzz/fuzz_csv
	mkdir -p build-fuzz/corpus-scenario build-fuzz/corpus-csv build-fuzz/crashes
	cp scenarios/*.xml tests/bad/*.xml tests/data/*.xml tests/golden/*/input.xml \
	   tests/fuzz/regress/scenario/* build-fuzz/corpus-scenario/ 2>/dev/null || true
	cp tests/data/curves/*.csv tests/bad/data/*.csv tests/fuzz/regress/csv/* \
	   build-fuzz/corpus-csv/ 2>/dev/null || true
	ASAN_OPTIONS=detect_leaks=1 ./build-fuzz/fuzz_scenario build-fuzz/corpus-scenario \
	   -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	   -artifact_prefix=build-fuzz/crashes/scenario- -print_final_stats=1
	ASAN_OPTIONS=detect_leaks=1 ./build-fuzz/fuzz_csv build-fuzz/corpus-csv \
	   -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 \
	   -artifact_prefix=build-fuzz/crashes/csv- -print_final_stats=1

# Kept crashing inputs are replayed by make check (no clang needed).
$(BUILD)/replay-%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The sanitizer and valgrind runs skip the unit tests' lualatex compiles (ETSLINK_TEST_SKIP_PDF,
# tests/unit/test_reports.c): lualatex is not what they check, and `make check` compiles them.
asan:
	ETSLINK_TEST_SKIP_PDF=1 $(MAKE) SAN=1 check

# ThreadSanitizer: the unit tests (the threads suite solves, loads and injects faults on 4
# threads at once); any report fails the run. tests/tsan.supp justifies each suppression.
TSAN_RUN = OPENBLAS_NUM_THREADS=1 ETSLINK_TEST_SKIP_PDF=1 \
           TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(CURDIR)/tests/tsan.supp"
tsan:
	$(MAKE) TSAN=1 deps build-tsan/etslink-tests
	cd tests && $(TSAN_RUN) ../build-tsan/etslink-tests

# The bundled solve under valgrind draws 100 times per uncertainty analysis (--set draws): every
# code path runs, at a fiftieth of the bundled analysis' cost.
VALGRIND = valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
           --suppressions=$(CURDIR)/tests/valgrind.supp
valgrind: deps $(BIN) $(TESTS)
	@sh tools/deps.sh valgrind
	cd tests && OPENBLAS_NUM_THREADS=1 ETSLINK_TEST_SKIP_PDF=1 ETSLINK_TEST_SHORT=1 $(VALGRIND) ../$(TESTS)
	OPENBLAS_NUM_THREADS=1 $(VALGRIND) ./$(BIN) solve $(SCENARIO) -o $(BUILD)/valgrind-out --set draws=100

# libetslink.so and the Python package (api/etslink.h, python/, docs/python.md). The library is
# the same sources compiled again with -fPIC into $(BUILD)/pic/; it exports only the etsl_*
# functions (api/etslink.map). `make python` installs the package, with the library inside it,
# into Debian's python3 (no network); `make python-check` runs its unittest suite.
SO_NAME  = libetslink.so.1
SO_REAL  = libetslink.so.1.0
SHLIB    = $(BUILD)/$(SO_REAL)
PIC_OBJ  = $(patsubst %.c,$(BUILD)/pic/%.o,$(LIB_SRC)) $(BUILD)/pic/gen/schemas.o
PYTHON  ?= /usr/bin/python3
DEPS_PY  = python3-numpy python3-pandas python3-matplotlib python3-setuptools python3-wheel \
           python3-pip
LIBDIR  ?= $(PREFIX)/lib
PYDIR   ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(shell \
           $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)/dist-packages)

$(BUILD)/pic/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC $< (PIC)"; $(CC) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(BUILD)/pic/gen/schemas.o: $(BUILD)/gen/schemas.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -Wno-missing-prototypes -c $< -o $@
$(SHLIB): $(PIC_OBJ) api/etslink.map
	$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SO_NAME) -Wl,--version-script=api/etslink.map \
	    -Wl,-z,defs -Wl,--as-needed $(PIC_OBJ) $(LDLIBS) -o $@
	ln -sf $(SO_REAL) $(BUILD)/$(SO_NAME)
	ln -sf $(SO_NAME) $(BUILD)/libetslink.so
lib: $(SHLIB)

# The package staged with the library next to its modules, then installed by Debian's pip
# without an index or build isolation (python3-setuptools, python3-wheel).
python: $(SHLIB)
	@sh tools/deps.sh $(DEPS_PY)
	rm -rf $(BUILD)/python-pkg && mkdir -p $(BUILD)/python-pkg/etslink
	cp python/pyproject.toml python/README.md $(BUILD)/python-pkg/
	cp python/etslink/*.py python/etslink/py.typed $(BUILD)/python-pkg/etslink/
	cp $(SHLIB) $(BUILD)/python-pkg/etslink/$(SO_NAME)
	$(PYTHON) -m pip install --no-index --no-build-isolation --no-deps --break-system-packages \
	    --root-user-action=ignore \
	    --quiet $(BUILD)/python-pkg
	cd / && $(PYTHON) -c 'import etslink; print("etslink for Python", etslink.__version__, \
	    "installed in", etslink.__path__[0])'

python-check: $(SHLIB) $(BIN)
	@sh tools/deps.sh $(DEPS_PY)
	ETSLINK_LIB=$(CURDIR)/$(SHLIB) ETSLINK_BIN=$(CURDIR)/$(BIN) PYTHONPATH=$(CURDIR)/python \
	    OPENBLAS_NUM_THREADS=1 MPLBACKEND=Agg $(PYTHON) -m unittest discover -s python/tests -t python

install: all $(SHLIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/etslink
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/etslink
	install -m 644 $(SCHEMAS) $(SCENARIO) $(DESTDIR)$(PREFIX)/share/etslink/
	install -d $(DESTDIR)$(PREFIX)/share/doc/etslink $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/etslink/
	install -m 644 docs/etslink.1 $(DESTDIR)$(PREFIX)/share/man/man1/etslink.1
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PYDIR)/etslink
	install -m 644 api/etslink.h $(DESTDIR)$(PREFIX)/include/etslink.h
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SO_REAL)
	ln -sf $(SO_REAL) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libetslink.so
	install -m 644 python/etslink/*.py python/etslink/py.typed $(DESTDIR)$(PYDIR)/etslink/
	echo 'LIBDIR = "$(LIBDIR)"' > $(DESTDIR)$(PYDIR)/etslink/_paths.py
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

FORMAT_SRC = $(wildcard core/*.[ch] model/*.[ch] inputs/*.[ch] solver/*.[ch] engine/*.[ch] \
             reports/*.[ch] api/*.[ch] \
             cli/*.c tests/unit/*.[ch] tests/bench/*.c tests/fuzz/*.c tools/*.c)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build build-asan build-tsan build-clang build-fuzz out

print-%:
	@echo $*=$($*)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
.SECONDARY:
