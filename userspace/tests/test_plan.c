// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the object shape of "ivma touch".
 */
#include "common.h"
#include "plan.h"
#include "test.h"

#define PAGE	UINT64_C(4096)

static bool plan_fails(const struct plan_args *a, const char *msg)
{
	char err[IVMA_ERRSZ] = "";
	struct ivma_config cfg;

	return CHECK(plan_object(a, &cfg, err, sizeof(err)) == -1) &&
	       CHECK_CONTAINS(err, msg);
}

static bool plan_ok(const struct plan_args *a, struct ivma_config *cfg)
{
	char err[IVMA_ERRSZ] = "";

	return t_check(plan_object(a, cfg, err, sizeof(err)) == 0, __FILE__,
		       __LINE__, "plan_object: %s", err);
}

static void test_anon(void)
{
	struct plan_args a = { .page_size = PAGE, .has_size = true,
			       .size = 64 * 1024 };
	struct ivma_config cfg;

	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.size, 65536);
	CHECK_U64(cfg.flags, 0);
	CHECK(cfg.fd == -1);
	CHECK_U64(cfg.file_offset, 0);
	CHECK_U64(cfg.section_len, 0);
	CHECK_U64(cfg.reserved[0] | cfg.reserved[1] | cfg.reserved[2] |
		  cfg.reserved[3], 0);
}

static void test_anon_bad(void)
{
	struct plan_args a = { .page_size = PAGE };

	plan_fails(&a, "--size or --file is required");
	a.has_size = true;
	a.size = 0;
	plan_fails(&a, "greater than 0");
	a.size = 5000;
	plan_fails(&a, "--size 5000: not a multiple of the page size (4096)");
	a.size = PAGE + 1;
	plan_fails(&a, "not a multiple");
	a.size = PAGE;
	a.has_offset = true;
	plan_fails(&a, "--offset: only with --file");
	a.has_offset = false;
	a.has_length = true;
	plan_fails(&a, "--length: only with --file");
}

static void test_file_defaults(void)
{
	struct plan_args a = { .page_size = PAGE, .file = true,
			       .file_size = 10000 };
	struct ivma_config cfg;

	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.flags, IVMA_CONFIG_FILE);
	CHECK_U64(cfg.file_offset, 0);
	CHECK_U64(cfg.section_len, 10000);
	CHECK_U64(cfg.size, 3 * PAGE);
	CHECK(cfg.fd == -1);

	a.has_offset = true;
	a.offset = PAGE;
	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.file_offset, PAGE);
	CHECK_U64(cfg.section_len, 10000 - PAGE);
	CHECK_U64(cfg.size, 2 * PAGE);

	a.file_size = 2 * PAGE;		/* exact pages */
	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.section_len, PAGE);
	CHECK_U64(cfg.size, PAGE);
}

static void test_file_length_and_size(void)
{
	struct plan_args a = { .page_size = PAGE, .file = true,
			       .file_size = 10000, .has_length = true,
			       .length = 100 };
	struct ivma_config cfg;

	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.section_len, 100);
	CHECK_U64(cfg.size, PAGE);

	a.has_size = true;		/* zero padding after the section */
	a.size = 16 * PAGE;
	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.section_len, 100);
	CHECK_U64(cfg.size, 16 * PAGE);

	a.length = 10000;		/* the whole file */
	REQUIRE(plan_ok(&a, &cfg));
	CHECK_U64(cfg.section_len, 10000);
}

static void test_file_bad(void)
{
	struct plan_args a = { .page_size = PAGE, .file = true,
			       .file_size = 10000 };

	a.has_offset = true;
	a.offset = 4095;
	plan_fails(&a, "--offset 4095: not page-aligned (page size 4096)");
	a.offset = 3 * PAGE;
	plan_fails(&a, "--offset 12288: at or past the end of the file "
		   "(size 10000)");
	a.file_size = 3 * PAGE;
	plan_fails(&a, "at or past the end");
	a.file_size = 0;
	a.offset = 0;
	plan_fails(&a, "the section would be empty");

	a.file_size = 10000;
	a.has_length = true;
	a.length = 0;
	plan_fails(&a, "--length: the section length must be greater than 0");
	a.length = 10001;
	plan_fails(&a, "extends past the end of the file (size 10000)");
	a.offset = PAGE;
	a.length = 10000 - PAGE + 1;
	plan_fails(&a, "(offset 4096, length 5905) extends past the end");
	a.offset = 4 * PAGE;
	a.length = 1;
	plan_fails(&a, "extends past the end");
	a.offset = 0;
	a.length = UINT64_MAX;
	plan_fails(&a, "extends past the end");

	a.length = 10000;
	a.has_size = true;
	a.size = 2 * PAGE;
	plan_fails(&a, "--size 8192: smaller than the file section "
		   "(10000 bytes)");
	a.size = 3 * PAGE + 1;
	plan_fails(&a, "not a multiple of the page size");
	a.size = 0;
	plan_fails(&a, "greater than 0");

	a.has_size = false;
	a.file_size = UINT64_MAX;
	a.length = UINT64_MAX - 1;
	plan_fails(&a, "too large");
}

void suite_plan(void)
{
	RUN(test_anon);
	RUN(test_anon_bad);
	RUN(test_file_defaults);
	RUN(test_file_length_and_size);
	RUN(test_file_bad);
}
