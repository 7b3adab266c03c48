# SPDX-License-Identifier: GPL-2.0
#
# ivma: the module (Kbuild), the ivma tool (userspace/), the selftests
# (selftests/) and the QEMU guest that runs them. `make help` lists targets.

SHELL := /bin/bash
.DEFAULT_GOAL := all
TOP := $(CURDIR)
BUILD := build

# The kernel to build against, which the guest boots too:
#  - KVER=RELEASE or KVER=SERIES on the command line (6.1, 6.12, 6.12-rt:
#    selftests/rig/kver resolves a series to its newest installed release): that
#    kernel; KDIR defaults to its headers and the module is built in
#    build/kernels/RELEASE/ (selftests/rig/build-module), so that ./ivma.ko,
#    the default kernel's, stays as it is;
#  - else KDIR if given; else the running kernel's headers when they exist;
#    else the default guest kernel's (selftests/rig/kver: Debian's stock 6.1,
#    whatever other kernels are installed). The module is ./ivma.ko.
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KVER),command line)
  IVMA_KSPEC := $(KVER)
  override KVER := $(shell $(TOP)/selftests/rig/kver $(IVMA_KSPEC))
  ifeq ($(KVER),)
    $(error KVER=$(IVMA_KSPEC): no such kernel installed (selftests/rig/kver --list; make deps))
  endif
  ifeq ($(origin KDIR),undefined)
    KDIR := /lib/modules/$(KVER)/build
  endif
  MOD_OUT := $(TOP)/$(BUILD)/kernels/$(KVER)
else
  ifeq ($(origin KDIR),undefined)
    ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
      KDIR := $(RUNNING_KDIR)
    else
      KDIR := /lib/modules/$(shell $(TOP)/selftests/rig/kver 2>/dev/null)/build
    endif
  endif
  # The guest boots the kernel the module was built for.
  KVER := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
  MOD_OUT := $(TOP)
endif
# selftests/rig/vm-run boots IVMA_KVER and loads IVMA_KO.
export IVMA_KVER := $(KVER)
export IVMA_KO := $(MOD_OUT)/ivma.ko
BUILD_MODULE = selftests/rig/build-module $(KDIR) $(MOD_OUT)

LINUX_SRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz) \
			     $(wildcard /usr/src/linux-source-*.tar.xz))
LINUX_SRC := $(BUILD)/linux-src

# IVMA_WERROR=1: the module's warnings are errors (Kbuild). make check and
# make lint set it; a plain build (DKMS, make install) does not, so that a
# newer compiler's new warning does not stop a user's build.
IVMA_WERROR ?=

CC ?= cc
SELFTEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		   -I uapi -isystem $(LINUX_SRC)/tools/testing/selftests -I selftests
SELFTEST_LDLIBS := -pthread
SELFTEST_SRCS := $(sort $(wildcard selftests/*_test.c))
SELFTESTS := $(patsubst selftests/%.c,$(BUILD)/selftests/%,$(SELFTEST_SRCS)) \
	     $(BUILD)/selftests/python_test
SELFTEST_HDRS := $(wildcard selftests/*.h) uapi/linux/ivma.h

SCRIPTS := selftests/rig/vm-run selftests/rig/kver selftests/rig/install-deps \
	   selftests/rig/run-check selftests/rig/run-guest selftests/rig/demo .ci/run \
	   selftests/rig/dkms-check selftests/rig/mainline-check selftests/rig/run-bench \
	   selftests/rig/build-module selftests/rig/check-kernels selftests/rig/report-check \
	   selftests/rig/callgraph selftests/rig/libivma-check userspace/completion/ivma

.PHONY: all module tool selftests deps check demo lint checkpatch sparse \
	shellcheck callgraph clean help vm-shell

all: module tool selftests

include userspace/build.mk
include install.mk
include selftests/bench/bench.mk
include selftests/rig/debug.mk

module: check-kdir
	+$(BUILD_MODULE) IVMA_WERROR=$(IVMA_WERROR) modules

.PHONY: check-kdir
check-kdir:
	@test -f $(KDIR)/Makefile || { echo "ivma: no kernel headers at KDIR=$(KDIR): run 'make deps' or pass KDIR=" >&2; exit 1; }

tool: $(IVMA_TOOL)

selftests: $(SELFTESTS)

# kselftest_harness.h, kselftest.h and checkpatch.pl come from Debian's
# linux-source tarball, extracted into the build tree (never committed).
$(LINUX_SRC)/.stamp:
	@test -n "$(LINUX_SRC_TAR)" || { echo "ivma: /usr/src/linux-source-*.tar.xz missing: run 'make deps'" >&2; exit 1; }
	rm -rf $(LINUX_SRC) && mkdir -p $(LINUX_SRC)
	tar -xJf $(LINUX_SRC_TAR) -C $(LINUX_SRC) --strip-components=1 \
		--wildcards '*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch $@

$(BUILD)/selftests/%: selftests/%.c $(SELFTEST_HDRS) $(LINUX_SRC)/.stamp
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_LDLIBS)

# libivma_test calls libivma (static, from userspace/build.mk).
$(BUILD)/selftests/libivma_test: SELFTEST_CFLAGS += -I userspace/include
$(BUILD)/selftests/libivma_test: SELFTEST_LDLIBS += $(IVMA_LIBIVMA_A)
$(BUILD)/selftests/libivma_test: $(IVMA_LIBIVMA_A) userspace/include/ivma.h

# python_test: the Python module's test, a copy that run-guest runs.
$(BUILD)/selftests/python_test: selftests/python_test.py userspace/python/ivma.py \
		$(IVMA_LIBIVMA_SO)
	@mkdir -p $(@D)
	install -m 0755 $< $@

deps:
	@selftests/rig/install-deps

# Everything, then every test in the guest; ends with "N passed, N failed".
check: deps
	$(MAKE) all IVMA_WERROR=1
	$(MAKE) lint
	$(MAKE) bench-quick
	selftests/rig/run-check

# The selftests on each kernel of KERNELS (default 6.1 6.12 6.12-rt; TESTS=
# for a subset), each with its closing line, then their sum.
.PHONY: check-kernels
check-kernels: deps
	$(MAKE) tool selftests
	selftests/rig/check-kernels $(KERNELS) $(if $(TESTS),-- $(TESTS))

# The kernel-report gate of vm-run, proved line by line (KERNELS=... boots
# each of those; default the default guest).
.PHONY: check-reports
check-reports: deps
	selftests/rig/report-check --boot $(KERNELS)

demo: deps
	$(MAKE) all
	@mkdir -p $(BUILD)/demo
	@c=0; [ -t 1 ] && [ -z "$$NO_COLOR" ] && c=1; \
	echo "IVMA_DEMO_COLOR=$$c IVMA_DEMO_OUT=$(BUILD)/demo selftests/rig/vm-run -o $(BUILD)/demo -- selftests/rig/demo"; \
	IVMA_DEMO_COLOR=$$c IVMA_DEMO_OUT=$(BUILD)/demo selftests/rig/vm-run -o $(BUILD)/demo -- selftests/rig/demo

vm-shell: all
	selftests/rig/vm-run --shell

lint: checkpatch sparse shellcheck callgraph userspace-layers

# no call cycle between the module's files (Documentation/code-map.md)
callgraph:
	@mkdir -p $(BUILD)
	@selftests/rig/callgraph >$(BUILD)/callgraph.txt || { cat $(BUILD)/callgraph.txt; exit 1; }
	@tail -1 $(BUILD)/callgraph.txt

CHECKPATCH = perl $(LINUX_SRC)/scripts/checkpatch.pl --strict --no-tree \
	--terse --show-types --max-line-length=100
# trace.h follows the TRACE_EVENT() layout of include/trace/events/, which
# checkpatch does not know, and its TRACE_DEFINE_ENUM() X-macro keeps the
# ';' inside, as include/trace/events/ do: only there, three checks are off.
# The uapi header's IVMA_EVENT_KINDS(X) is an X-macro list, which checkpatch
# takes for an expression missing its parentheses: only there, two are off.
checkpatch: $(LINUX_SRC)/.stamp
	$(CHECKPATCH) -f $(filter-out module/trace.h,$(wildcard module/*.c \
		module/*.h))
	$(CHECKPATCH) --ignore COMPLEX_MACRO,MACRO_ARG_REUSE -f uapi/linux/ivma.h
	$(CHECKPATCH) --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT,TRAILING_SEMICOLON \
		-f module/trace.h

sparse: check-kdir
	@mkdir -p $(BUILD)
	+@set -o pipefail; $(BUILD_MODULE) C=2 CHECK="sparse" IVMA_WERROR=1 modules 2>&1 | tee $(BUILD)/sparse.log
	@! grep -E '(warning|error):' $(BUILD)/sparse.log

shellcheck:
	shellcheck -x $(SCRIPTS)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1
	rm -rf $(BUILD)
	rm -f ivma.ko ivma.mod ivma.mod.c ivma.mod.o ivma.o modules.order \
		Module.symvers .*.cmd module/*.o module/.*.cmd .checkpatch-camelcase.git.*

help:
	@echo "make            build the module, the ivma tool and the selftests"
	@echo "make deps       install what a fresh Debian bookworm machine lacks"
	@echo "make check      deps, build, lint, unit tests and selftests in a QEMU guest"
	@echo "make check-kernels  the selftests on Debian 6.1, 6.12 and 6.12-rt (KERNELS=...)"
	@echo "make check-reports  prove the kernel-report scan, a guest per report line"
	@echo "make demo       the demo scenario in a QEMU guest"
	@echo "make lint       checkpatch --strict, sparse, shellcheck, no call cycle in module/,"
	@echo "                userspace/lib/ calls nothing of cmd/ or main.c"
	@echo "make vm-shell   an interactive shell in the guest, module loaded"
	@echo "make clean      leave the tree as cloned"
	@echo "Variables: KDIR=<kernel build dir>  KVER=<release>|6.1|6.12|6.12-rt  IVMA_ACCEL=tcg|kvm|auto"
	@echo "           IVMA_WERROR=1 (module warnings are errors; make check, lint)"
