# SPDX-License-Identifier: GPL-2.0
# The debug-kernel targets, included by the top-level Makefile (after its own targets, so
# `deps` and `selftests` exist). See Documentation/debug-kernel.md.
#
#   make debug-kernel   build (15-20 minutes, once per machine) or reuse the KASAN/lockdep/
#                       kmemleak kernel; prints the path of its bzImage and of its tree
#   make check-debug    the module built against it and every selftest in a guest booting it,
#                       then a kmemleak scan; ends with "N passed, N failed[, N skipped]"
#                       (TESTS="fault_test ..." runs only those selftests)
#   make stress-debug   stress_test alone under that kernel for STRESS_SECONDS (default 600):
#                       two users, readers, eviction, swap, fork and advice noise; 0 reports

.PHONY: check-debug debug-kernel stress-debug

STRESS_SECONDS ?= 600

# make lint: shellcheck these too
SCRIPTS += selftests/rig/check-debug selftests/rig/debug-guest selftests/rig/debug-kernel

debug-kernel: deps
	selftests/rig/debug-kernel

check-debug: deps
	$(MAKE) tool selftests
	selftests/rig/check-debug $(TESTS)

stress-debug: deps
	$(MAKE) tool selftests
	IVMA_STRESS_SECONDS=$(STRESS_SECONDS) IVMA_DEBUG_TIMEOUT=$$(($(STRESS_SECONDS) + 900)) \
		selftests/rig/check-debug stress_test
