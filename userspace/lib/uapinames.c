// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the uapi's bits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/ivma.h>

#include "common.h"
#include "uapinames.h"

const struct bit_name ivma_feature_names[] = {
	{ IVMA_FEATURE_FILE_BACKED,	"file-backed" },
	{ IVMA_FEATURE_LOG,		"log" },
	{ IVMA_FEATURE_PAGING,		"paging" },
};
const size_t ivma_nfeature_names = ARRAY_SIZE(ivma_feature_names);

const struct bit_name ivma_ioctl_names[] = {
	{ 1ULL << IVMA_IOC_NR_API,	  "IVMA_IOC_API" },
	{ 1ULL << IVMA_IOC_NR_CONFIGURE,  "IVMA_IOC_CONFIGURE" },
	{ 1ULL << IVMA_IOC_NR_QUERY,	  "IVMA_IOC_QUERY" },
	{ 1ULL << IVMA_IOC_NR_LOG_OPEN,	  "IVMA_IOC_LOG_OPEN" },
	{ 1ULL << IVMA_IOC_NR_LOG_STATS,  "IVMA_IOC_LOG_STATS" },
	{ 1ULL << IVMA_IOC_NR_SET_BUDGET, "IVMA_IOC_SET_BUDGET" },
	{ 1ULL << IVMA_IOC_NR_SET_SWAP,	  "IVMA_IOC_SET_SWAP" },
	{ 1ULL << IVMA_IOC_NR_SWAP_INFO,  "IVMA_IOC_SWAP_INFO" },
};
const size_t ivma_nioctl_names = ARRAY_SIZE(ivma_ioctl_names);

const struct bit_name ivma_state_names[] = {
	{ IVMA_STATE_API,		"api" },
	{ IVMA_STATE_CONFIGURED,	"configured" },
	{ IVMA_STATE_MAPPED,		"mapped" },
};
const size_t ivma_nstate_names = ARRAY_SIZE(ivma_state_names);

const struct bit_name ivma_config_flag_names[] = {
	{ IVMA_CONFIG_FILE,		"file" },
};
const size_t ivma_nconfig_flag_names = ARRAY_SIZE(ivma_config_flag_names);

/* Appends @s (and a separator before it unless first) to @buf. */
static void append(char *buf, size_t bufsz, size_t *len, const char *s)
{
	size_t need = (*len ? 1 : 0) + strlen(s);

	if (*len >= bufsz)
		return;				/* already truncated */
	if (*len + need + 1 > bufsz) {
		/* mark the truncation, if there is room for it */
		if (bufsz >= 4)
			strcpy(buf + (*len + 4 <= bufsz ? *len : bufsz - 4),
			       "...");
		*len = bufsz;
		return;
	}
	if (*len)
		buf[(*len)++] = ',';
	strcpy(buf + *len, s);
	*len += strlen(s);
}

char *bits_to_names(uint64_t bits, const struct bit_name *names, size_t n,
		    const char *none, char *buf, size_t bufsz)
{
	size_t len = 0, i;
	char tmp[16];
	unsigned int b;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	if (!bits) {
		snprintf(buf, bufsz, "%s", none);
		return buf;
	}
	for (b = 0; b < 64; b++) {
		uint64_t bit = UINT64_C(1) << b;
		const char *name = NULL;

		if (!(bits & bit))
			continue;
		for (i = 0; i < n; i++)
			if (names[i].bit == bit)
				name = names[i].name;
		if (!name) {
			snprintf(tmp, sizeof(tmp), "bit%u", b);
			name = tmp;
		}
		append(buf, bufsz, &len, name);
	}
	return buf;
}
