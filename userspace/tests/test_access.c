// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the page toucher on ordinary mappings.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "access.h"
#include "common.h"
#include "test.h"

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void *map_anon(size_t npages, int prot)
{
	void *p = mmap(NULL, npages * page_size(), prot,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void test_mode_names(void)
{
	CHECK(access_mode_parse("r") == ACCESS_READ);
	CHECK(access_mode_parse("w") == ACCESS_WRITE);
	CHECK(access_mode_parse("rw") == ACCESS_RW);
	CHECK(access_mode_parse("wr") == -1);
	CHECK(access_mode_parse("") == -1);
	CHECK(access_mode_parse("read") == -1);
	CHECK_STR(access_mode_name(ACCESS_READ), "r");
	CHECK_STR(access_mode_name(ACCESS_WRITE), "w");
	CHECK_STR(access_mode_name(ACCESS_RW), "rw");
}

static void test_marker(void)
{
	char buf[32];

	CHECK_U64(access_marker(3, buf, sizeof(buf)), 12);
	CHECK_STR(buf, "ivma page 3\n");
	CHECK_U64(access_marker(UINT64_MAX, buf, sizeof(buf)), 31);
	CHECK_STR(buf, "ivma page 18446744073709551615\n");
}

static void test_read(void)
{
	static const uint64_t seq[] = { 0, 1, 2, 3 };
	struct access_result res;
	char *m = map_anon(4, PROT_READ | PROT_WRITE);

	REQUIRE(m);
	m[2 * page_size()] = 5;
	CHECK(access_run(m, page_size(), seq, 4, 1, ACCESS_READ, NULL,
			 &res) == 0);
	CHECK_U64(res.reads, 4);
	CHECK_U64(res.writes, 0);
	CHECK_U64(res.sum, 5);
	CHECK(res.signo == 0);
	CHECK(m[0] == 0 && m[page_size()] == 0);	/* nothing written */
	munmap(m, 4 * page_size());
}

static void test_write_marks_pages(void)
{
	static const uint64_t seq[] = { 3, 1 };
	struct access_result res;
	char *m = map_anon(4, PROT_READ | PROT_WRITE);

	REQUIRE(m);
	CHECK(access_run(m, page_size(), seq, 2, 1, ACCESS_WRITE, NULL,
			 &res) == 0);
	CHECK_U64(res.reads, 0);
	CHECK_U64(res.writes, 2);
	CHECK(memcmp(m + 3 * page_size(), "ivma page 3\n", 12) == 0);
	CHECK(memcmp(m + 1 * page_size(), "ivma page 1\n", 12) == 0);
	CHECK(m[0] == 0 && m[2 * page_size()] == 0);
	munmap(m, 4 * page_size());
}

static void test_rw_repeat_log(void)
{
	static const uint64_t seq[] = { 2, 0 };
	struct access_result res;
	char *m = map_anon(3, PROT_READ | PROT_WRITE);
	char *log = NULL;
	size_t loglen = 0;
	FILE *f;

	REQUIRE(m);
	f = open_memstream(&log, &loglen);
	REQUIRE(f);
	CHECK(access_run(m, page_size(), seq, 2, 2, ACCESS_RW, f, &res) == 0);
	fclose(f);
	CHECK_U64(res.reads, 4);
	CHECK_U64(res.writes, 4);
	/* the second pass reads the 'i' of "ivma" written by the first */
	CHECK_U64(res.sum, 2 * (uint64_t)'i');
	CHECK_STR(log, "read page 2\nwrite page 2\nread page 0\n"
		  "write page 0\nread page 2\nwrite page 2\nread page 0\n"
		  "write page 0\n");
	free(log);
	munmap(m, 3 * page_size());
}

static int handler_is(int signo, void (*h)(int))
{
	struct sigaction sa;

	sigaction(signo, NULL, &sa);
	return sa.sa_handler == h;
}

static void test_sigbus_stops(void)
{
	static const uint64_t seq[] = { 0, 2, 1 };
	struct access_result res;
	struct sigaction before;
	FILE *f = tmpfile();
	char *m;

	REQUIRE(f);
	/* a 3-page mapping of a 1-page file: pages 1 and 2 raise SIGBUS */
	REQUIRE(ftruncate(fileno(f), (off_t)page_size()) == 0);
	m = mmap(NULL, 3 * page_size(), PROT_READ, MAP_SHARED, fileno(f), 0);
	REQUIRE(m != MAP_FAILED);
	sigaction(SIGBUS, NULL, &before);

	CHECK(access_run(m, page_size(), seq, 3, 1, ACCESS_READ, NULL,
			 &res) == -1);
	CHECK(res.signo == SIGBUS);
	CHECK_U64(res.fault_page, 2);
	CHECK(!res.fault_write);
	CHECK_U64(res.reads, 1);
	CHECK(handler_is(SIGBUS, before.sa_handler));	/* restored */

	/* and it can run again */
	CHECK(access_run(m, page_size(), seq + 2, 1, 1, ACCESS_READ, NULL,
			 &res) == -1);
	CHECK_U64(res.fault_page, 1);
	CHECK_U64(res.reads, 0);
	munmap(m, 3 * page_size());
	fclose(f);
}

static void test_sigsegv_stops(void)
{
	static const uint64_t seq[] = { 1, 0 };
	struct access_result res;
	char *m = map_anon(2, PROT_READ);

	REQUIRE(m);
	CHECK(access_run(m, page_size(), seq, 2, 3, ACCESS_RW, NULL,
			 &res) == -1);
	CHECK(res.signo == SIGSEGV);
	CHECK_U64(res.fault_page, 1);
	CHECK(res.fault_write);
	CHECK_U64(res.reads, 1);
	CHECK_U64(res.writes, 0);
	munmap(m, 2 * page_size());
}

void suite_access(void)
{
	RUN(test_mode_names);
	RUN(test_marker);
	RUN(test_read);
	RUN(test_write_marks_pages);
	RUN(test_rw_repeat_log);
	RUN(test_sigbus_stops);
	RUN(test_sigsegv_stops);
}
