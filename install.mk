# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall. A fragment for the top-level Makefile,
# after the include of userspace/build.mk (it uses KDIR, KVER, MOD_OUT, TOP and
# IVMA_TOOL from there):
#
#	include install.mk
#
#   make install [DESTDIR=...] [PREFIX=/usr/local] [KDIR=...]
#   make install-module      the module alone
#   make install-tool        everything but the module (DKMS installs it)
#   make uninstall           (same variables) removes what install put there
#
# What goes where (PREFIX=/usr/local by default; every path is under
# DESTDIR when it is set):
#
#   ivma.ko          /lib/modules/$(KVER)/extra/, through the kernel's own
#                    modules_install for KDIR (it also signs the module when
#                    that kernel's signing key is at hand), then depmod for
#                    KVER (not with DESTDIR: packaging runs depmod itself)
#   build/ivma       $(PREFIX)/bin/ivma: the tool is for ordinary users too
#                    (/dev/ivma is 0666) and Debian puts no sbin in their PATH
#   libivma-preload.so  $(PREFIX)/lib/ivma/: the LD_PRELOAD library of
#                    "ivma run", which looks for it in ../lib/ivma/ from its
#                    own directory (or where $IVMA_PRELOAD says)
#   ivma.8           $(PREFIX)/share/man/man8/ivma.8
#   ivma.h           $(PREFIX)/include/linux/ivma.h (the uapi header)
#   libivma          $(PREFIX)/lib/libivma.so.1, libivma.so (the link for
#                    -livma), libivma.a; its header $(PREFIX)/include/ivma.h;
#                    $(PREFIX)/lib/pkgconfig/ivma.pc; its man pages
#                    Documentation/man3/*.3 in $(PREFIX)/share/man/man3/, a
#                    ".so" page for each other function a page names; then
#                    ldconfig (not with DESTDIR)
#   ivma.py          the Python module over libivma: PYTHONDIR, where Debian
#                    puts modules of no particular Python version:
#                    /usr/lib/python3/dist-packages for PREFIX=/usr, else
#                    $(PREFIX)/lib/python3.N/dist-packages (python3's N)
#   completion/ivma  $(PREFIX)/share/bash-completion/completions/ivma,
#                    where bash-completion loads it on demand (it reads
#                    /usr/local/share too)
#   60-ivma.rules    $(PREFIX)/lib/udev/rules.d/60-ivma.rules (udev reads
#                    /usr/local/lib/udev/rules.d too; PREFIX=/usr gives
#                    /usr/lib/udev/rules.d), then udevadm control --reload
#                    when udev runs (not with DESTDIR)
#
# uninstall removes those files and nothing else (no directory), the module
# of the kernel KVER only; then depmod and the udev reload as above. Each
# directory can be set on its own: BINDIR, MANDIR, INCLUDEDIR, UDEVRULESDIR, BASHCOMPDIR,
# LIBDIR, PKGCONFIGDIR, PYTHONDIR, MODDIR, PRELOADDIR (keep it $(BINDIR)/../lib/ivma, or set $IVMA_PRELOAD). The module goes where the kernel's modules_install puts it, so
# MODDIR only tells uninstall where to look.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PRELOADDIR ?= $(PREFIX)/lib/ivma
LIBDIR ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
IVMA_PY_VERSION = $(shell python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3)
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(IVMA_PY_VERSION)/dist-packages)
# Where modules_install puts the module (its INSTALL_MOD_DIR=extra).
MODDIR ?= /lib/modules/$(KVER)/extra
DEPMOD ?= depmod

IVMA_INST_TOOL := $(DESTDIR)$(BINDIR)/ivma
IVMA_INST_PRELOAD := $(DESTDIR)$(PRELOADDIR)/libivma-preload.so
IVMA_INST_MAN := $(DESTDIR)$(MANDIR)/man8/ivma.8
IVMA_INST_UAPI := $(DESTDIR)$(INCLUDEDIR)/linux/ivma.h
IVMA_INST_UDEV := $(DESTDIR)$(UDEVRULESDIR)/60-ivma.rules
IVMA_INST_BASHCOMP := $(DESTDIR)$(BASHCOMPDIR)/ivma
# libivma: the libraries, the header, ivma.pc, the man pages and the
# names of their ".so" pages (every function of a page's NAME line).
IVMA_INST_LIBS := $(addprefix $(DESTDIR)$(LIBDIR)/,libivma.so.1 libivma.so libivma.a)
IVMA_INST_LIBHDR := $(DESTDIR)$(INCLUDEDIR)/ivma.h
IVMA_INST_PC := $(DESTDIR)$(PKGCONFIGDIR)/ivma.pc
IVMA_INST_PY := $(DESTDIR)$(PYTHONDIR)/ivma.py
IVMA_MAN3_PAGES := $(sort $(wildcard Documentation/man3/*.3))
IVMA_MAN3_NAMES := $(sort $(shell sed -n '/^\.SH NAME/{n;s/ \\-.*//;s/,/ /g;p;}' \
	$(IVMA_MAN3_PAGES)) $(basename $(notdir $(IVMA_MAN3_PAGES))))
IVMA_INST_MAN3 := $(foreach n,$(IVMA_MAN3_NAMES),$(DESTDIR)$(MANDIR)/man3/$(n).3)
IVMA_PKG_VERSION := $(shell sed -n 's/^\#define IVMA_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	userspace/lib/common.h)

# modules_install compresses the module when the kernel's config says so.
IVMA_INST_KO := $(foreach s,.ko .ko.gz .ko.xz .ko.zst,$(DESTDIR)$(MODDIR)/ivma$(s))

# On the live system only: a DESTDIR staging tree gets its depmod and udev
# reload when its package is installed.
ifeq ($(DESTDIR),)
define IVMA_INST_DEPMOD
@if [ -n "$(KVER)" ] && [ -d /lib/modules/$(KVER) ]; then \
	echo "$(DEPMOD) -a $(KVER)"; $(DEPMOD) -a $(KVER); fi
endef
define IVMA_INST_UDEV_RELOAD
@if command -v udevadm >/dev/null && udevadm control --ping >/dev/null 2>&1; then \
	echo "udevadm control --reload"; udevadm control --reload; fi
endef
endif

# modules_install signs the module when the kernel's config asks for it
# (Debian's does) and tries even without the key, which distribution headers
# never ship: then sign-file prints SSL errors and the module stays unsigned.
# Skip that attempt when the key is not there; a kernel that enforces
# signatures (Secure Boot) needs a module signed with an enrolled key, which
# DKMS does with its MOK.
IVMA_SIG_KEY := $(patsubst "%",%,$(shell sed -n 's/^CONFIG_MODULE_SIG_KEY=//p' \
	$(KDIR)/include/config/auto.conf 2>/dev/null))
IVMA_SIG_SKIP := $(if $(IVMA_SIG_KEY),$(if $(filter pkcs11:%,$(IVMA_SIG_KEY)),,\
	$(if $(wildcard $(IVMA_SIG_KEY) $(KDIR)/$(IVMA_SIG_KEY)),,y)))

.PHONY: install uninstall install-module install-tool install-lib

install: install-module install-tool

# The module alone, for KDIR's kernel (KVER).
install-module: module
	@test -n "$(KVER)" || { echo "ivma: no kernel release for KDIR=$(KDIR) (no include/generated/utsrelease.h): pass KDIR=" >&2; exit 1; }
	$(if $(IVMA_SIG_SKIP),@echo "ivma: no signing key $(IVMA_SIG_KEY) in $(KDIR): the module is installed unsigned")
	$(MAKE) -C $(KDIR) M=$(MOD_OUT) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra $(if $(IVMA_SIG_SKIP),CONFIG_MODULE_SIG_ALL=) \
		modules_install
	$(IVMA_INST_DEPMOD)

# Everything but the module (which DKMS installs when it is used).
install-tool: $(IVMA_TOOL) $(IVMA_PRELOAD) install-lib
	install -D -m 0755 $(IVMA_TOOL) $(IVMA_INST_TOOL)
	install -D -m 0644 $(IVMA_PRELOAD) $(IVMA_INST_PRELOAD)
	install -D -m 0644 Documentation/ivma.8 $(IVMA_INST_MAN)
	install -D -m 0644 uapi/linux/ivma.h $(IVMA_INST_UAPI)
	install -D -m 0644 userspace/60-ivma.rules $(IVMA_INST_UDEV)
	install -D -m 0644 userspace/completion/ivma $(IVMA_INST_BASHCOMP)
	$(IVMA_INST_UDEV_RELOAD)

# libivma and its Python module (part of install-tool).
install-lib: $(IVMA_LIBIVMA_SO) $(IVMA_LIBIVMA_A)
	install -D -m 0644 $(IVMA_LIBIVMA_SO) $(DESTDIR)$(LIBDIR)/libivma.so.1
	ln -sf libivma.so.1 $(DESTDIR)$(LIBDIR)/libivma.so
	install -D -m 0644 $(IVMA_LIBIVMA_A) $(DESTDIR)$(LIBDIR)/libivma.a
	install -D -m 0644 userspace/include/ivma.h $(IVMA_INST_LIBHDR)
	@mkdir -p $(dir $(IVMA_INST_PC))
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(IVMA_PKG_VERSION)|' \
	    userspace/libivma/ivma.pc.in >$(IVMA_INST_PC)
	@mkdir -p $(DESTDIR)$(MANDIR)/man3
	@set -e; for p in $(IVMA_MAN3_PAGES); do \
		b=$${p##*/}; echo "install -m 0644 $$p $(DESTDIR)$(MANDIR)/man3/$$b"; \
		install -m 0644 $$p $(DESTDIR)$(MANDIR)/man3/$$b; \
		for n in $$(sed -n '/^\.SH NAME/{n;s/ \\-.*//;s/,/ /g;p;}' $$p); do \
			[ "$$n.3" = "$$b" ] || \
			echo ".so man3/$$b" >$(DESTDIR)$(MANDIR)/man3/$$n.3; \
		done; \
	done
	install -D -m 0644 userspace/python/ivma.py $(IVMA_INST_PY)
	$(IVMA_INST_LDCONFIG)

# Both; the module of KVER only (make uninstall KDIR=... for another kernel,
# or KVER=... when its headers are gone).
uninstall:
	rm -f $(IVMA_INST_TOOL) $(IVMA_INST_PRELOAD) $(IVMA_INST_MAN) $(IVMA_INST_UAPI) $(IVMA_INST_UDEV) $(IVMA_INST_BASHCOMP)
	rm -f $(IVMA_INST_LIBS) $(IVMA_INST_LIBHDR) $(IVMA_INST_PC) $(IVMA_INST_MAN3) $(IVMA_INST_PY)
	$(if $(KVER),rm -f $(IVMA_INST_KO),@echo "ivma: kernel release unknown (no headers at KDIR=$(KDIR)): pass KVER= to remove its module")
	$(IVMA_INST_DEPMOD)
	$(IVMA_INST_UDEV_RELOAD)
