# SPDX-License-Identifier: GPL-2.0
#
# The benchmark (issue 8; Documentation/performance.md). A fragment for the
# top-level Makefile (make runs in the repository's top directory):
#
#	include selftests/bench/bench.mk
#
#   make bench         build, then the full benchmark in one guest (about 3-5
#                      minutes of guest time under TCG): table of medians and
#                      ratios on stdout, JSON in build/bench/bench.json
#   make bench-quick   the same in quick mode (few pages and repetitions, a few
#                      seconds in the guest), for `make check`: fails only when
#                      a case cannot run or the guest fails, never on timing;
#                      JSON in build/bench/bench-quick.json
#   make bench-sim     the policy lab's group alone at issue 16's size: ivma sim
#                      and ivma report over a capture of 10 M references to
#                      100 000 pages, one sample each after a warm-up (about
#                      10 minutes under TCG); build/bench/sim/
#   make bench-perf    perf record -g of the ivma fault cases in the guest;
#                      reports in build/bench/perf-*.txt (BENCH_PERF_CASES=...)
#   KVER=RELEASE|SERIES (6.12, 6.12-rt) on any of them: that kernel, output in
#                      build/bench/<release>/
#
# Everything it defines starts with BENCH_ or bench.

# Including this file does not change the including Makefile's default goal.
BENCH_SAVED_GOAL := $(.DEFAULT_GOAL)

BENCH_BIN := build/selftests/bench
BENCH_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-I uapi -I selftests -I selftests/bench -I userspace/lib
# one file per family (selftests/bench/bench.h lists them), and the tool's
# JSON and capture writers
BENCH_SRCS := $(sort $(wildcard selftests/bench/*.c)) userspace/lib/jsonw.c \
	userspace/lib/capture.c userspace/lib/comms.c userspace/lib/origin.c \
	userspace/lib/htab.c
BENCH_HDRS := $(wildcard selftests/bench/*.h) selftests/ivma_test.h \
	selftests/ivma_tool.h userspace/lib/jsonw.h uapi/linux/ivma.h \
	userspace/lib/capture.h userspace/lib/comms.h userspace/lib/origin.h \
	userspace/lib/htab.h
# make bench KVER=... (another kernel, see the Makefile): its own directory
BENCH_OUT := build/bench$(if $(IVMA_KSPEC),/$(KVER))
BENCH_PERF_CASES ?= ivma_anon_write_reader;native_anon_write;ivma_file_first;tput_1cpu_reader

.PHONY: bench bench-quick bench-perf bench-bin bench-sim

bench-bin: $(BENCH_BIN)

$(BENCH_BIN): $(BENCH_SRCS) $(BENCH_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $(BENCH_SRCS) -pthread

bench: module $(BENCH_BIN) $(IVMA_TOOL)
	IVMA_BENCH_OUT=$(BENCH_OUT) selftests/rig/run-bench

bench-quick: module $(BENCH_BIN) $(IVMA_TOOL)
	IVMA_BENCH_OUT=$(BENCH_OUT) selftests/rig/run-bench --quick

bench-sim: module $(BENCH_BIN) $(IVMA_TOOL)
	IVMA_BENCH_OUT=$(BENCH_OUT)/sim selftests/rig/run-bench -- --case 'sim_*' \
		--sim-refs 10000000 --sim-pages 100000 --reps 1

bench-perf: module $(BENCH_BIN)
	IVMA_BENCH_OUT=$(BENCH_OUT) selftests/rig/run-bench --perf '$(BENCH_PERF_CASES)'

.DEFAULT_GOAL := $(BENCH_SAVED_GOAL)
