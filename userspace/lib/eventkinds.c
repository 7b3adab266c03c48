// SPDX-License-Identifier: GPL-2.0
/*
 * Event kinds: their names, from the uapi's IVMA_EVENT_KINDS() list.
 */
#include <string.h>

#include <linux/ivma.h>

#include "common.h"
#include "uapinames.h"

#define KIND(name_, str, desc) { IVMA_EV_##name_, str, desc },
const struct ivma_kind ivma_kinds[] = {
	IVMA_EVENT_KINDS(KIND)
};
#undef KIND

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
