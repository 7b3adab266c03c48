// SPDX-License-Identifier: GPL-2.0
/*
 * Event kinds: the one table of their names.
 */
#include <string.h>

#include <linux/ivma.h>

#include "common.h"
#include "names.h"

const struct ivma_kind ivma_kinds[] = {
	{ IVMA_EV_ZERO_FILL,	"zero-fill",	"anonymous page: demand-zero" },
	{ IVMA_EV_FILE_READ,	"file-read",	"page read from the file" },
	{ IVMA_EV_ZERO_PAD,	"zero-pad",	"page past the file section: zeros" },
	{ IVMA_EV_RESIDENT,	"resident",	"fault of a resident page" },
	{ IVMA_EV_COW,		"cow",		"write fault of a private mapping: copied" },
	{ IVMA_EV_DIRTY,	"dirty",	"first write to a shared page" },
	{ IVMA_EV_WRITEBACK,	"writeback",	"dirty page written to the file" },
	{ IVMA_EV_EVICT,	"evict",	"page evicted" },
	{ IVMA_EV_SWAP_OUT,	"swap-out",	"page swapped out" },
	{ IVMA_EV_SWAP_IN,	"swap-in",	"page swapped in" },
	{ IVMA_EV_SKIP_PINNED,	"skip-pinned",	"pinned page skipped by eviction" },
	{ IVMA_EV_NO_SWAP,	"no-swap",	"no swap space for an eviction" },
	{ IVMA_EV_OBJ_CREATE,	"obj-create",	"object created" },
	{ IVMA_EV_OBJ_DESTROY,	"obj-destroy",	"object destroyed" },
	{ IVMA_EV_MMAP,		"mmap",		"VMA created by mmap()" },
	{ IVMA_EV_VMA_OPEN,	"vma-open",	"VMA copied (fork) or split" },
	{ IVMA_EV_VMA_CLOSE,	"vma-close",	"VMA gone (munmap, exit)" },
	{ IVMA_EV_LOST,		"lost",		"log records lost" },
};

const size_t ivma_nkinds = ARRAY_SIZE(ivma_kinds);

const struct ivma_kind *ivma_kind_get(unsigned int kind)
{
	size_t i;

	for (i = 0; i < ivma_nkinds; i++)
		if (ivma_kinds[i].kind == kind)
			return &ivma_kinds[i];
	return NULL;
}

const char *ivma_kind_name(unsigned int kind)
{
	const struct ivma_kind *k = ivma_kind_get(kind);

	return k ? k->name : NULL;
}

int ivma_kind_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ivma_nkinds; i++)
		if (strcmp(ivma_kinds[i].name, name) == 0)
			return (int)ivma_kinds[i].kind;
	return -1;
}
