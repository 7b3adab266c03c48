// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the name tables against the uapi header.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/ivma.h>

#include "common.h"
#include "uapinames.h"
#include "test.h"

#ifndef IVMA_UAPI_HEADER
# define IVMA_UAPI_HEADER "uapi/linux/ivma.h"
#endif

static void test_kind_names(void)
{
	static const struct {
		unsigned int kind;
		const char *name;
	} want[] = {
		{ IVMA_EV_ZERO_FILL, "zero-fill" },
		{ IVMA_EV_FILE_READ, "file-read" },
		{ IVMA_EV_ZERO_PAD, "zero-pad" },
		{ IVMA_EV_RESIDENT, "resident" },
		{ IVMA_EV_COW, "cow" },
		{ IVMA_EV_DIRTY, "dirty" },
		{ IVMA_EV_WRITEBACK, "writeback" },
		{ IVMA_EV_EVICT, "evict" },
		{ IVMA_EV_SWAP_OUT, "swap-out" },
		{ IVMA_EV_SWAP_IN, "swap-in" },
		{ IVMA_EV_SKIP_PINNED, "skip-pinned" },
		{ IVMA_EV_NO_SWAP, "no-swap" },
		{ IVMA_EV_USER_CAP, "user-cap" },
		{ IVMA_EV_SWAP_QUOTA, "swap-quota" },
		{ IVMA_EV_OBJ_CREATE, "obj-create" },
		{ IVMA_EV_OBJ_DESTROY, "obj-destroy" },
		{ IVMA_EV_MMAP, "mmap" },
		{ IVMA_EV_VMA_OPEN, "vma-open" },
		{ IVMA_EV_VMA_CLOSE, "vma-close" },
		{ IVMA_EV_LOST, "lost" },
	};
	size_t i, nkinds;

	ivma_kind_table(&nkinds);
	CHECK_U64(nkinds, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		CHECK_STR(ivma_kind_name(want[i].kind), want[i].name);
		CHECK(ivma_kind_from_name(want[i].name) == (int)want[i].kind);
	}
	CHECK(ivma_kind_name(IVMA_EV_NONE) == NULL);
	CHECK(ivma_kind_name(15) == NULL);
	CHECK(ivma_kind_name(IVMA_EV_MAX) == NULL);
	CHECK(ivma_kind_from_name("none") == -1);
	CHECK(ivma_kind_from_name("") == -1);
}

static void test_kind_table_unique(void)
{
	const struct ivma_kind *kinds;
	size_t i, j, nkinds;

	kinds = ivma_kind_table(&nkinds);
	for (i = 0; i < nkinds; i++) {
		const struct ivma_kind *k = &kinds[i];
		const char *p;

		CHECK(k->kind > IVMA_EV_NONE && k->kind < IVMA_EV_MAX);
		CHECK(k->name && *k->name && k->desc && *k->desc);
		for (p = k->name; *p; p++)
			t_check(islower((unsigned char)*p) || *p == '-',
				__FILE__, __LINE__, "kind name \"%s\": "
				"lower case and '-' only", k->name);
		for (j = 0; j < i; j++) {
			t_check(kinds[j].kind != k->kind, __FILE__,
				__LINE__, "kind %u twice", k->kind);
			t_check(strcmp(kinds[j].name, k->name) != 0,
				__FILE__, __LINE__, "name \"%s\" twice",
				k->name);
		}
	}
}

/* Every IVMA_EV_X = N of the header but NONE and MAX has a name. */
static void test_kinds_cover_header(void)
{
	char line[512], name[64];
	unsigned int seen = 0;
	size_t nkinds;
	regmatch_t m[3];
	regex_t re;
	FILE *f;

	f = fopen(IVMA_UAPI_HEADER, "r");
	if (!t_check(f != NULL, __FILE__, __LINE__, "cannot open %s",
		     IVMA_UAPI_HEADER))
		return;
	REQUIRE(regcomp(&re, "^[[:space:]]*IVMA_EV_([A-Z0-9_]+)[[:space:]]*="
			"[[:space:]]*([0-9]+)", REG_EXTENDED) == 0);
	while (fgets(line, sizeof(line), f)) {
		unsigned long v;
		int len;

		if (regexec(&re, line, 3, m, 0))
			continue;
		len = (int)(m[1].rm_eo - m[1].rm_so);
		snprintf(name, sizeof(name), "%.*s", len, line + m[1].rm_so);
		v = strtoul(line + m[2].rm_so, NULL, 10);
		if (strcmp(name, "NONE") == 0 || strcmp(name, "MAX") == 0)
			continue;
		seen++;
		t_check(ivma_kind_name((unsigned int)v) != NULL, __FILE__,
			__LINE__, "IVMA_EV_%s = %lu has no name in libivma",
			name, v);
	}
	regfree(&re);
	fclose(f);
	ivma_kind_table(&nkinds);
	CHECK_U64(seen, nkinds);
}

static void test_bits_to_names(void)
{
	char buf[128], tiny[8];

	CHECK_STR(bits_to_names(0, ivma_state_names, ivma_nstate_names,
				"new", buf, sizeof(buf)), "new");
	CHECK_STR(bits_to_names(IVMA_STATE_API | IVMA_STATE_CONFIGURED |
				IVMA_STATE_MAPPED, ivma_state_names,
				ivma_nstate_names, "new", buf, sizeof(buf)),
		  "api,configured,mapped");
	CHECK_STR(bits_to_names(IVMA_STATE_MAPPED | (1ULL << 63),
				ivma_state_names, ivma_nstate_names, "new",
				buf, sizeof(buf)), "mapped,bit63");
	CHECK_STR(bits_to_names(IVMA_FEATURE_FILE_BACKED, ivma_feature_names,
				ivma_nfeature_names, "none", buf,
				sizeof(buf)), "file-backed");
	CHECK_STR(bits_to_names(7, ivma_ioctl_names, ivma_nioctl_names, "none",
				buf, sizeof(buf)),
		  "IVMA_IOC_API,IVMA_IOC_CONFIGURE,IVMA_IOC_QUERY");
	CHECK_STR(bits_to_names(IVMA_FEATURE_ALL, ivma_feature_names,
				ivma_nfeature_names, "none", buf,
				sizeof(buf)), "file-backed,log,paging");
	CHECK_STR(bits_to_names(0x1f, ivma_ioctl_names, ivma_nioctl_names,
				"none", buf, sizeof(buf)),
		  "IVMA_IOC_API,IVMA_IOC_CONFIGURE,IVMA_IOC_QUERY,"
		  "IVMA_IOC_LOG_OPEN,IVMA_IOC_LOG_STATS");
	CHECK_STR(bits_to_names(IVMA_CONFIG_FILE, ivma_config_flag_names,
				ivma_nconfig_flag_names, "anonymous", buf,
				sizeof(buf)), "file");
	/* truncated: "api,configured" does not fit in 8 bytes */
	CHECK_STR(bits_to_names(3, ivma_state_names, ivma_nstate_names, "new",
				tiny, sizeof(tiny)), "api...");
	CHECK_STR(bits_to_names(7, ivma_state_names, ivma_nstate_names, "new",
				tiny, sizeof(tiny)), "api...");
	CHECK_STR(bits_to_names(4, ivma_state_names, ivma_nstate_names, "new",
				tiny, sizeof(tiny)), "mapped");
}

static void test_ioctl_names(void)
{
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_API), "IVMA_IOC_API");
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_CONFIGURE), "IVMA_IOC_CONFIGURE");
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_QUERY), "IVMA_IOC_QUERY");
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_LOG_OPEN), "IVMA_IOC_LOG_OPEN");
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_LOG_STATS), "IVMA_IOC_LOG_STATS");
	CHECK_STR(ivma_ioctl_name(0), "ioctl");
	CHECK_U64(_IOC_NR(IVMA_IOC_API), IVMA_IOC_NR_API);
	CHECK_U64(_IOC_NR(IVMA_IOC_CONFIGURE), IVMA_IOC_NR_CONFIGURE);
	CHECK_U64(_IOC_NR(IVMA_IOC_QUERY), IVMA_IOC_NR_QUERY);
}

/* The structures have no implicit padding: same layout on all ABIs. */
static void test_uapi_layout(void)
{
	CHECK_U64(sizeof(struct ivma_api), 72);
	CHECK_U64(sizeof(struct ivma_config), 64);
	CHECK_U64(sizeof(struct ivma_info), 440);
	CHECK_U64(offsetof(struct ivma_api, max_size), 24);
	CHECK_U64(offsetof(struct ivma_config, section_len), 24);
	CHECK_U64(offsetof(struct ivma_info, faults), 64);
	CHECK_U64(offsetof(struct ivma_info, events), 440 - 8 * IVMA_EV_MAX);
	CHECK_U64(_IOC_SIZE(IVMA_IOC_QUERY), sizeof(struct ivma_info));
}

void suite_uapinames(void)
{
	RUN(test_kind_names);
	RUN(test_kind_table_unique);
	RUN(test_kinds_cover_header);
	RUN(test_bits_to_names);
	RUN(test_ioctl_names);
	RUN(test_uapi_layout);
}
