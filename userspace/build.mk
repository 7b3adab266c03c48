# SPDX-License-Identifier: GPL-2.0
#
# The userspace tool ivma(8) and its unit tests. A fragment for the
# top-level Makefile (make runs in the repository's top directory):
#
#	include userspace/build.mk
#
# Targets: $(IVMA_TOOL) (build/ivma), $(IVMA_PRELOAD) (the LD_PRELOAD library
# of "ivma run", next to the tool), build/userspace-tests (the unit tests,
# built with ASan and UBSan), userspace-test (runs them), userspace-clean.
# Everything it defines starts with IVMA_ or USERSPACE_ so as not to clash
# with the including Makefile.

# Including this file does not change the including Makefile's default goal.
USERSPACE_SAVED_GOAL := $(.DEFAULT_GOAL)

IVMA_TOOL := build/ivma
IVMA_PRELOAD := build/libivma-preload.so
USERSPACE_TESTS := build/userspace-tests

USERSPACE_CC ?= $(CC)
# libsmartcols (Debian: libsmartcols-dev) and cairo (libcairo2-dev: the
# pictures, PNG and SVG), found by pkg-config; the tool also uses POSIX
# threads (touch --trace).
USERSPACE_SCOLS_CFLAGS := $(shell pkg-config --cflags smartcols 2>/dev/null \
	|| echo -I/usr/include/libsmartcols)
USERSPACE_CAIRO_CFLAGS := $(shell pkg-config --cflags cairo 2>/dev/null \
	|| echo -I/usr/include/cairo)
# cairo is not linked into the tool: lib/image.c loads it when a picture
# is drawn. The unit tests link it to decode the pictures.
USERSPACE_LIBS := $(shell pkg-config --libs smartcols 2>/dev/null \
	|| echo -lsmartcols) -ldl -lm -pthread
USERSPACE_CAIRO_LIBS := $(shell pkg-config --libs cairo 2>/dev/null \
	|| echo -lcairo)
USERSPACE_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -Wformat=2 -pthread -I uapi -I userspace/include -I userspace \
	-I userspace/lib \
	$(USERSPACE_SCOLS_CFLAGS) $(USERSPACE_CAIRO_CFLAGS)
USERSPACE_SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer
# The tests check the kind names against the header, wherever they run.
USERSPACE_TEST_CFLAGS := -DIVMA_UAPI_HEADER='"$(CURDIR)/uapi/linux/ivma.h"'
USERSPACE_DEPFLAGS = -MMD -MP

# The layout (Documentation/code-map.md): main.c (the command table),
# cmd/*.c (one file per command: its options and its driver), lib/*.c (the
# library pieces, archived as libivmatool.a; they call nothing of main.c or
# cmd/, which `make userspace-layers` checks), all on libivma.
IVMA_LIB := build/userspace/libivmatool.a
USERSPACE_LIB_SRCS := $(sort $(wildcard userspace/lib/*.c))
USERSPACE_LIB_OBJS := $(patsubst userspace/%.c,build/userspace/%.o,\
	$(USERSPACE_LIB_SRCS))
USERSPACE_CMD_SRCS := userspace/main.c \
	$(sort $(wildcard userspace/cmd/*.c))
USERSPACE_CMD_OBJS := $(patsubst userspace/%.c,build/userspace/%.o,\
	$(USERSPACE_CMD_SRCS))
USERSPACE_SRCS := $(USERSPACE_CMD_SRCS) $(USERSPACE_LIB_SRCS)

# libivma (userspace/libivma/, its header userspace/include/ivma.h): the C
# library over the uapi, libivma(3). Position independent, hidden but for
# IVMA_EXPORT: the shared libivma.so.1 (the version script libivma.map:
# IVMA_1.0) and the static libivma.a of the same objects, which the tool
# links. The preload library does not use it: its hooks make raw system
# calls that leave errno alone (preload/sys.h).
IVMA_LIBIVMA_SO := build/lib/libivma.so.1
IVMA_LIBIVMA_A := build/lib/libivma.a
IVMA_LIBIVMA_MAP := userspace/libivma/libivma.map
IVMA_LIBIVMA_SRCS := $(sort $(wildcard userspace/libivma/*.c))
IVMA_LIBIVMA_OBJS := $(patsubst userspace/%.c,build/userspace/pic/%.o,\
	$(IVMA_LIBIVMA_SRCS))
IVMA_LIBIVMA_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -Wformat=2 -fPIC -fvisibility=hidden -I uapi -I userspace/include
USERSPACE_OBJS := $(USERSPACE_CMD_OBJS) $(USERSPACE_LIB_OBJS)

# The preload library of "ivma run": userspace/preload/*.c, position
# independent, only its interposed functions exported. Its pure part
# (conf.c) is also in the tool and the unit tests.
IVMA_PRELOAD_SRCS := $(wildcard userspace/preload/*.c)
IVMA_PRELOAD_OBJS := $(patsubst userspace/%.c,build/userspace/pic/%.o,\
	$(IVMA_PRELOAD_SRCS))
IVMA_PRELOAD_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -fPIC -fvisibility=hidden -fno-strict-aliasing -I uapi \
	-I userspace/preload
USERSPACE_SHARED_SRCS := userspace/preload/conf.c
USERSPACE_SHARED_OBJS := build/userspace/preload/conf.o

# The tests: userspace/tests/*.c with every source of the tool but main.c,
# all built with the sanitizers, apart from the tool's objects.
USERSPACE_TEST_SRCS := $(wildcard userspace/tests/*.c) \
	$(filter-out userspace/main.c,$(USERSPACE_SRCS)) $(USERSPACE_SHARED_SRCS) \
	$(IVMA_LIBIVMA_SRCS)
USERSPACE_TEST_OBJS := $(patsubst userspace/%.c,build/userspace/san/%.o,\
	$(USERSPACE_TEST_SRCS))

$(IVMA_TOOL): $(USERSPACE_CMD_OBJS) $(IVMA_LIB) $(USERSPACE_SHARED_OBJS) \
		$(IVMA_LIBIVMA_A) | $(IVMA_PRELOAD) $(IVMA_LIBIVMA_SO)
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(USERSPACE_CFLAGS) -o $@ $^ $(USERSPACE_LIBS)

# The shared library exports exactly the version script's symbols, each as
# @@IVMA_1.0; libivma.so next to it is for -L build/lib -livma.
$(IVMA_LIBIVMA_SO): $(IVMA_LIBIVMA_OBJS) $(IVMA_LIBIVMA_MAP)
	@mkdir -p $(@D)
	$(USERSPACE_CC) -shared -Wl,-soname,libivma.so.1 -Wl,-z,now -Wl,-z,defs \
		-Wl,--version-script=$(IVMA_LIBIVMA_MAP) -o $@ $(IVMA_LIBIVMA_OBJS)
	@want=$$(sed -n 's/^\t\(ivma_[a-z_0-9]*\);$$/\1@@IVMA_1.0/p' $(IVMA_LIBIVMA_MAP) | sort); \
	got=$$(nm -D --defined-only --with-symbol-versions $@ | \
		awk '$$3 != "IVMA_1.0" { print $$3 }' | sort); \
	[ "$$want" = "$$got" ] || { echo "$@: exports differ from $(IVMA_LIBIVMA_MAP):"; \
		diff <(echo "$$want") <(echo "$$got"); rm -f $@; exit 1; }
	ln -sf libivma.so.1 $(@D)/libivma.so

$(IVMA_LIBIVMA_A): $(IVMA_LIBIVMA_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

build/userspace/pic/libivma/%.o: userspace/libivma/%.c
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(IVMA_LIBIVMA_CFLAGS) $(USERSPACE_DEPFLAGS) -c -o $@ $<

$(IVMA_LIB): $(USERSPACE_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(IVMA_PRELOAD): $(IVMA_PRELOAD_OBJS)
	@mkdir -p $(@D)
	$(USERSPACE_CC) -shared -Wl,-z,now -Wl,-z,defs -o $@ $^

build/userspace/pic/%.o: userspace/%.c
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(IVMA_PRELOAD_CFLAGS) $(USERSPACE_DEPFLAGS) -c -o $@ $<

build/userspace/%.o: userspace/%.c
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(USERSPACE_CFLAGS) $(USERSPACE_DEPFLAGS) -c -o $@ $<

$(USERSPACE_TESTS): $(USERSPACE_TEST_OBJS)
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(USERSPACE_CFLAGS) $(USERSPACE_SANITIZE) -o $@ $^ \
		$(USERSPACE_LIBS) $(USERSPACE_CAIRO_LIBS)

build/userspace/san/%.o: userspace/%.c
	@mkdir -p $(@D)
	$(USERSPACE_CC) $(USERSPACE_CFLAGS) $(USERSPACE_SANITIZE) \
		$(USERSPACE_TEST_CFLAGS) $(USERSPACE_DEPFLAGS) -c -o $@ $<

# The library calls no command: no symbol that libivma.a needs is defined
# by main.o or a cmd/ object (part of make lint).
.PHONY: userspace-layers
userspace-layers: $(IVMA_LIB) $(USERSPACE_CMD_OBJS)
	@up=$$(nm -g --defined-only $(USERSPACE_CMD_OBJS) | \
		awk 'NF == 3 { print $$3 }' | sort -u | \
		comm -12 - <(nm -u $(IVMA_LIB) | awk '{ print $$2 }' | sort -u)); \
	if [ -n "$$up" ]; then \
		echo "userspace/lib calls up into main.c or cmd/: $$up"; exit 1; \
	fi

.PHONY: userspace-test userspace-clean
# (test_completion.c completes for the tool)
userspace-test: $(USERSPACE_TESTS) $(IVMA_TOOL)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/userspace/tests/lsan.supp:print_suppressions=0 \
	./$(USERSPACE_TESTS)

userspace-clean:
	rm -rf build/userspace build/lib $(IVMA_TOOL) $(IVMA_PRELOAD) $(USERSPACE_TESTS)

-include $(USERSPACE_OBJS:.o=.d) $(USERSPACE_TEST_OBJS:.o=.d) \
	$(IVMA_PRELOAD_OBJS:.o=.d) $(USERSPACE_SHARED_OBJS:.o=.d) \
	$(IVMA_LIBIVMA_OBJS:.o=.d)

.DEFAULT_GOAL := $(USERSPACE_SAVED_GOAL)
