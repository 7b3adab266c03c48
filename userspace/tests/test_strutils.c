// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of parse_u64(), parse_size() and size_to_human().
 */
#include "common.h"
#include "strutils.h"
#include "test.h"

static bool u64_ok(const char *s, uint64_t want)
{
	char err[IVMA_ERRSZ] = "";
	uint64_t v = 0;

	return t_check(parse_u64(s, &v, err, sizeof(err)) == 0 && v == want,
		       __FILE__, __LINE__, "parse_u64(\"%s\") = %" PRIu64
		       " (want %" PRIu64 ") %s", s, v, want, err);
}

static bool u64_bad(const char *s, const char *msg)
{
	char err[IVMA_ERRSZ] = "";
	uint64_t v = 12345;

	if (!t_check(parse_u64(s, &v, err, sizeof(err)) == -1, __FILE__,
		     __LINE__, "parse_u64(\"%s\") fails", s))
		return false;
	return CHECK_U64(v, 12345) && CHECK_CONTAINS(err, msg);
}

static bool size_ok(const char *s, uint64_t want)
{
	char err[IVMA_ERRSZ] = "";
	uint64_t v = 0;

	return t_check(parse_size(s, &v, err, sizeof(err)) == 0 && v == want,
		       __FILE__, __LINE__, "parse_size(\"%s\") = %" PRIu64
		       " (want %" PRIu64 ") %s", s, v, want, err);
}

static bool size_bad(const char *s, const char *msg)
{
	char err[IVMA_ERRSZ] = "";
	uint64_t v = 12345;

	if (!t_check(parse_size(s, &v, err, sizeof(err)) == -1, __FILE__,
		     __LINE__, "parse_size(\"%s\") fails", s))
		return false;
	return CHECK_U64(v, 12345) && CHECK_CONTAINS(err, msg);
}

static void test_u64_valid(void)
{
	u64_ok("0", 0);
	u64_ok("42", 42);
	u64_ok("007", 7);		/* decimal, not octal */
	u64_ok("0x10", 16);
	u64_ok("0XfF", 255);
	u64_ok("18446744073709551615", UINT64_MAX);
	u64_ok("0xffffffffffffffff", UINT64_MAX);
}

static void test_u64_invalid(void)
{
	u64_bad("", "empty");
	u64_bad("-1", "not a number");
	u64_bad("+1", "not a number");
	u64_bad(" 1", "not a number");
	u64_bad("1 ", "not a number");
	u64_bad("0x", "not a number");
	u64_bad("0x-1", "not a number");
	u64_bad("1K", "not a number");
	u64_bad("abc", "not a number");
	u64_bad("18446744073709551616", "too large");
	u64_bad("0x10000000000000000", "too large");
}

static void test_size_suffixes(void)
{
	size_ok("4096", 4096);
	size_ok("0", 0);
	size_ok("64K", 65536);
	size_ok("64k", 65536);
	size_ok("1M", 1 << 20);
	size_ok("1m", 1 << 20);
	size_ok("3G", UINT64_C(3) << 30);
	size_ok("1T", UINT64_C(1) << 40);
	size_ok("1P", UINT64_C(1) << 50);
	size_ok("15E", UINT64_C(15) << 60);
	size_ok("1KiB", 1024);
	size_ok("2MiB", UINT64_C(2) << 20);
	size_ok("1GiB", UINT64_C(1) << 30);
	size_ok("0x10K", 16384);
	size_ok("17179869183G", UINT64_C(17179869183) << 30);
}

static void test_size_invalid(void)
{
	size_bad("", "empty");
	size_bad("K", "not a number");
	size_bad("-1K", "not a number");
	size_bad("1.5K", "unknown suffix '.5K'");
	size_bad("1X", "unknown suffix 'X'");
	size_bad("1KB", "unknown suffix 'KB'");
	size_bad("1Ki", "unknown suffix 'Ki'");
	size_bad("1KiBx", "unknown suffix 'KiBx'");
	size_bad("1 K", "unknown suffix ' K'");
	size_bad("1KK", "unknown suffix");
}

static void test_size_overflow(void)
{
	size_bad("16E", "too large");
	size_bad("17179869184G", "too large");
	size_bad("16777216T", "too large");
	size_bad("18014398509481984K", "too large");
	size_bad("18446744073709551616", "too large");
	size_ok("18014398509481983K", UINT64_C(18014398509481983) << 10);
}

static void test_size_to_human(void)
{
	char buf[HUMAN_SIZE_LEN];

	CHECK_STR(size_to_human(0, buf, sizeof(buf)), "0 B");
	CHECK_STR(size_to_human(1023, buf, sizeof(buf)), "1023 B");
	CHECK_STR(size_to_human(1024, buf, sizeof(buf)), "1 KiB");
	CHECK_STR(size_to_human(1025, buf, sizeof(buf)), "1.0 KiB");
	CHECK_STR(size_to_human(1536, buf, sizeof(buf)), "1.5 KiB");
	CHECK_STR(size_to_human(4096, buf, sizeof(buf)), "4 KiB");
	CHECK_STR(size_to_human(65536, buf, sizeof(buf)), "64 KiB");
	CHECK_STR(size_to_human((1 << 20) - 1, buf, sizeof(buf)), "1.0 MiB");
	CHECK_STR(size_to_human(UINT64_C(256) << 20, buf, sizeof(buf)),
		  "256 MiB");
	CHECK_STR(size_to_human((UINT64_C(5) << 30) / 2, buf, sizeof(buf)),
		  "2.5 GiB");
	CHECK_STR(size_to_human(UINT64_C(1) << 60, buf, sizeof(buf)),
		  "1 EiB");
	CHECK_STR(size_to_human(UINT64_MAX, buf, sizeof(buf)), "16.0 EiB");
}

void suite_strutils(void)
{
	RUN(test_u64_valid);
	RUN(test_u64_invalid);
	RUN(test_size_suffixes);
	RUN(test_size_invalid);
	RUN(test_size_overflow);
	RUN(test_size_to_human);
}
