// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the record filters and of their option syntax.
 */
#include <stdlib.h>

#include "filter.h"
#include "strutils.h"
#include "test.h"
#include "tutil.h"

static void test_parse_lists(void)
{
	uint64_t *v = NULL;
	size_t n = 0;
	uint32_t kinds = 0;
	char err[512];

	CHECK(parse_u64_list("1,22,0x10", &v, &n, err, sizeof(err)) == 0);
	CHECK_U64(n, 3);
	CHECK(n == 3 && v[0] == 1 && v[1] == 22 && v[2] == 16);
	CHECK(parse_u64_list("5", &v, &n, err, sizeof(err)) == 0);
	CHECK_U64(n, 4);	/* appended */
	free(v);
	v = NULL;
	n = 0;
	CHECK(parse_u64_list("1,,2", &v, &n, err, sizeof(err)) == -1);
	CHECK_STR(err, "'1,,2': empty list item");
	CHECK(parse_u64_list("", &v, &n, err, sizeof(err)) == -1);
	CHECK(parse_u64_list("1,x", &v, &n, err, sizeof(err)) == -1);
	CHECK_STR(err, "'x' is not a number");
	free(v);

	CHECK(parse_kind_list("zero-fill,dirty", &kinds, err,
			      sizeof(err)) == 0);
	CHECK_U64(kinds, (1U << IVMA_EV_ZERO_FILL) | (1U << IVMA_EV_DIRTY));
	CHECK(parse_kind_list("zero-fill,bogus", &kinds, err,
			      sizeof(err)) == -1);
	CHECK_CONTAINS(err, "unknown kind 'bogus' (known: zero-fill, "
		       "file-read, zero-pad, resident, cow, dirty, ");
	CHECK_CONTAINS(err, "vma-close, lost)");
}

static void test_parse_range(void)
{
	struct u64_range r;
	char err[256];

	CHECK(parse_range("3-10", &r, err, sizeof(err)) == 0);
	CHECK(r.lo == 3 && r.hi == 10);
	CHECK(parse_range("7", &r, err, sizeof(err)) == 0);
	CHECK(r.lo == 7 && r.hi == 7);
	CHECK(parse_range("5-", &r, err, sizeof(err)) == 0);
	CHECK(r.lo == 5 && r.hi == UINT64_MAX);
	CHECK(parse_range("-5", &r, err, sizeof(err)) == 0);
	CHECK(r.lo == 0 && r.hi == 5);
	CHECK(parse_range("0x7f00-0x7fff", &r, err, sizeof(err)) == 0);
	CHECK(r.lo == 0x7f00 && r.hi == 0x7fff);
	CHECK(parse_range("10-3", &r, err, sizeof(err)) == -1);
	CHECK_STR(err, "'10-3': descending range");
	CHECK(parse_range("-", &r, err, sizeof(err)) == -1);
	CHECK_STR(err, "'-': expected A-B, A, A- or -B");
	CHECK(parse_range("", &r, err, sizeof(err)) == -1);
	CHECK(parse_range("a-b", &r, err, sizeof(err)) == -1);
	CHECK_STR(err, "'a' is not a number");
	CHECK(parse_range("1-2-3", &r, err, sizeof(err)) == -1);
}

static void test_filter_match(void)
{
	struct ivma_record r = t_rec(0, 0, 7, 5, IVMA_EV_ZERO_FILL, 1, 100, 1);
	struct ivma_record lost = t_rec(1, 0, 7, 0, IVMA_EV_LOST, 0, 0, 0);
	struct filter f = { 0 };
	uint64_t pids[] = { 100 }, objs[] = { 8 };

	CHECK(!filter_active(&f));
	CHECK(filter_match(&f, &r));
	f.kinds = 1U << IVMA_EV_DIRTY;
	CHECK(filter_active(&f));
	CHECK(!filter_match(&f, &r));
	CHECK(filter_match(&f, &lost));		/* never hidden */
	f.kinds = 1U << IVMA_EV_ZERO_FILL;
	CHECK(filter_match(&f, &r));
	f.has_pages = true;
	f.pages = (struct u64_range){ 6, 9 };
	CHECK(!filter_match(&f, &r));
	f.pages = (struct u64_range){ 5, 5 };
	CHECK(filter_match(&f, &r));
	f.has_addr = true;
	f.addr = (struct u64_range){ r.address + 1, UINT64_MAX };
	CHECK(!filter_match(&f, &r));
	f.addr.lo = r.address;
	CHECK(filter_match(&f, &r));
	f.pids = pids;
	f.npids = 1;
	CHECK(filter_match(&f, &r));
	r.pid = 101;
	CHECK(filter_match(&f, &r) == (r.tid == 100));	/* the thread */
	r.tid = 101;
	CHECK(!filter_match(&f, &r));
	r.pid = r.tid = 100;
	f.objects = objs;
	f.nobjects = 1;
	CHECK(!filter_match(&f, &r));
	CHECK(filter_match(&f, &lost));
	r.object = 8;
	CHECK(filter_match(&f, &r));
}

static void test_parse_seconds(void)
{
	uint64_t ns;
	char err[128];

	CHECK(parse_seconds("10", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 10000000000ULL);
	CHECK(parse_seconds("0.5", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 500000000ULL);
	CHECK(parse_seconds("1.25s", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 1250000000ULL);
	CHECK(parse_seconds("250ms", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 250000000ULL);
	CHECK(parse_seconds("3us", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 3000);
	CHECK(parse_seconds("0.000000001", &ns, err, sizeof(err)) == 0);
	CHECK_U64(ns, 1);
	CHECK(parse_seconds("x", &ns, err, sizeof(err)) == -1);
	CHECK_STR(err, "'x' is not a duration");
	CHECK(parse_seconds("1.", &ns, err, sizeof(err)) == -1);
	CHECK(parse_seconds("-1", &ns, err, sizeof(err)) == -1);
	CHECK(parse_seconds("2h", &ns, err, sizeof(err)) == -1);
	CHECK_STR(err, "'2h': unknown unit 'h' (s, ms, us, ns)");
	CHECK(parse_seconds("0.1234567891", &ns, err, sizeof(err)) == -1);
	CHECK_STR(err, "'0.1234567891': too many decimals");
	CHECK(parse_seconds("99999999999999999999", &ns, err,
			    sizeof(err)) == -1);
}

void suite_filter(void)
{
	RUN(test_parse_lists);
	RUN(test_parse_range);
	RUN(test_filter_match);
	RUN(test_parse_seconds);
}
