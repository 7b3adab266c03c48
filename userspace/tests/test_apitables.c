// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the rows of the api and query tables and of their printing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "apitables.h"
#include "test.h"

static const struct out_row *find_row(const struct out_row *rows, size_t n,
				      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

static bool row_is(const struct out_row *rows, size_t n, const char *name,
		   uint64_t value, const char *desc)
{
	const struct out_row *r = find_row(rows, n, name);

	if (!t_check(r != NULL, __FILE__, __LINE__, "row \"%s\"", name))
		return false;
	return CHECK_U64(r->value, value) && CHECK_STR(r->desc, desc);
}

static void test_api_rows(void)
{
	struct ivma_api api = {
		.api = IVMA_API_VERSION,
		.features = IVMA_FEATURE_FILE_BACKED,
		.ioctls = 7,
		.max_size = UINT64_C(256) << 20,
		.page_size = 4096,
	};
	struct out_row rows[OUT_MAX_ROWS];
	size_t n = api_rows(&api, rows);

	CHECK_U64(n, 5);
	row_is(rows, n, "api", 1, "API version");
	row_is(rows, n, "features", 1, "file-backed");
	row_is(rows, n, "ioctls", 7,
	       "IVMA_IOC_API,IVMA_IOC_CONFIGURE,IVMA_IOC_QUERY");
	row_is(rows, n, "max-size", UINT64_C(256) << 20, "256 MiB");
	row_is(rows, n, "page-size", 4096, "4 KiB");

	api.features = 0;
	api.ioctls = 1 | (1 << 9);
	n = api_rows(&api, rows);
	row_is(rows, n, "features", 0, "none");
	row_is(rows, n, "ioctls", 513, "IVMA_IOC_API,bit9");
}

static void test_info_rows(void)
{
	struct ivma_info info = {
		.id = 7,
		.state = IVMA_STATE_API | IVMA_STATE_CONFIGURED |
			 IVMA_STATE_MAPPED,
		.size = 65536,
		.resident = 16,
		.faults = 16,
	};
	struct out_row rows[OUT_MAX_ROWS];
	size_t n;

	info.events[IVMA_EV_ZERO_FILL] = 16;
	info.events[IVMA_EV_MMAP] = 1;
	n = info_rows(&info, 0, rows);
	CHECK_U64(n, 16 + 2);
	CHECK_STR(rows[0].name, "id");
	row_is(rows, n, "id", 7, "object id");
	row_is(rows, n, "state", 7, "api,configured,mapped");
	row_is(rows, n, "flags", 0, "anonymous");
	row_is(rows, n, "size", 65536, "64 KiB");
	row_is(rows, n, "resident-pages", 16, "pages resident in the object");
	row_is(rows, n, "faults", 16, "fault handler calls");
	row_is(rows, n, "zero-fill", 16, "anonymous page: demand-zero");
	row_is(rows, n, "mmap", 1, "VMA created by mmap()");
	CHECK(find_row(rows, n, "cow") == NULL);
	CHECK(find_row(rows, n, "frames") == NULL);	/* no budget: hidden */

	/* -a: every named kind and the paging rows (frames, policy,
	 * swapped-pages); an unknown kind only when not zero
	 */
	info.events[15] = 2;
	info.events[IVMA_EV_NONE] = 1;
	n = info_rows(&info, 1, rows);
	CHECK_U64(n, 16 + 3 + 20 + 2);
	row_is(rows, n, "policy", 0, "fifo");
	row_is(rows, n, "cow", 0, "write fault of a private mapping: copied");
	row_is(rows, n, "event-15", 2, "unknown event kind 15");
	row_is(rows, n, "event-0", 1, "unknown event kind 0");
	CHECK(find_row(rows, n, "event-21") == NULL);

	/* the largest table fits */
	memset(info.events, 0xff, sizeof(info.events));
	n = info_rows(&info, 1, rows);
	CHECK_U64(n, 16 + 3 + IVMA_EV_MAX);
	CHECK(n <= OUT_MAX_ROWS);

	/* never configured: not "anonymous", which it is not (yet) */
	memset(&info, 0, sizeof(info));
	info.state = IVMA_STATE_API;
	n = info_rows(&info, 0, rows);
	row_is(rows, n, "state", 1, "api");
	row_is(rows, n, "flags", 0, "none (not configured)");
	info.state = 0;
	n = info_rows(&info, 0, rows);
	row_is(rows, n, "state", 0, "new");
	row_is(rows, n, "flags", 0, "none (not configured)");
}

static char *print_to_string(const struct out_row *rows, size_t n,
			     const struct out_opts *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (!CHECK(print_rows(f, "object", rows, n, opts) == 0)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static void test_print_formats(void)
{
	struct out_row rows[2] = {
		{ "faults", 16, "fault handler calls", 0 },
		{ "zero-fill", 18446744073709551615ULL, "demand-zero", 0 },
	};
	struct out_opts opts = { 0 };
	char *s;

	s = print_to_string(rows, 2, &opts);
	CHECK_CONTAINS(s, "NAME");
	CHECK_CONTAINS(s, "VALUE");
	CHECK_CONTAINS(s, "DESCRIPTION");
	CHECK_CONTAINS(s, "faults");
	CHECK_CONTAINS(s, "18446744073709551615 demand-zero");
	free(s);

	opts.noheadings = 1;
	s = print_to_string(rows, 2, &opts);
	CHECK(s && !strstr(s, "NAME"));
	free(s);

	opts.raw = 1;
	s = print_to_string(rows, 2, &opts);
	CHECK_STR(s, "faults 16 fault\\x20handler\\x20calls\n"
		  "zero-fill 18446744073709551615 demand-zero\n");
	free(s);

	opts.json = 1;
	s = print_to_string(rows, 2, &opts);
	CHECK_CONTAINS(s, "\"object\": [");
	CHECK_CONTAINS(s, "\"name\": \"faults\"");
	CHECK_CONTAINS(s, "\"value\": 16,");
	CHECK_CONTAINS(s, "\"value\": 18446744073709551615,");
	CHECK_CONTAINS(s, "\"description\": \"fault handler calls\"");
	free(s);

	/* -b: a size row's description in bytes */
	{
		struct ivma_info info = { .size = 65536, .state = 2 };
		struct out_row r2[OUT_MAX_ROWS];
		size_t n2 = info_rows(&info, 0, r2);

		memset(&opts, 0, sizeof(opts));
		opts.raw = 1;
		opts.bytes = 1;
		rows_output_option(&opts, "NAME,DESCRIPTION");
		s = print_to_string(r2, n2, &opts);
		CHECK_CONTAINS(s, "\nsize 65536\\x20bytes\n");
		CHECK_CONTAINS(s, "\nflags anonymous\n");	/* not a size */
		free(s);
		opts.bytes = 0;
		s = print_to_string(r2, n2, &opts);
		CHECK_CONTAINS(s, "\nsize 64\\x20KiB\n");
		free(s);
	}
	/* -o: the columns chosen, in that order */
	memset(&opts, 0, sizeof(opts));
	opts.raw = 1;
	rows_output_option(&opts, "value,NAME");
	s = print_to_string(rows, 2, &opts);
	CHECK_STR(s, "VALUE NAME\n16 faults\n18446744073709551615 zero-fill\n");
	free(s);
	opts.json = 1;
	rows_output_option(&opts, "Description");
	s = print_to_string(rows, 2, &opts);
	CHECK_CONTAINS(s, "\"description\": \"demand-zero\"");
	CHECK(s && !strstr(s, "\"value\""));
	free(s);
}

void suite_apitables(void)
{
	RUN(test_api_rows);
	RUN(test_info_rows);
	RUN(test_print_formats);
}
