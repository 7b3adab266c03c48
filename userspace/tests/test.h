/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit test harness with TAP output.
 *
 * A test is a "static void test_x(void)" run with RUN(test_x) from its
 * file's suite function. A failed check prints a "# file:line: ..." line and
 * the test goes on; REQUIRE() returns from the test instead.
 */
#ifndef IVMA_TEST_H
#define IVMA_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

bool t_check(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((__format__(__printf__, 4, 5)));
void t_run(const char *name, void (*fn)(void));

#define RUN(fn)	t_run(#fn, fn)

#define CHECK(cond) \
	t_check(!!(cond), __FILE__, __LINE__, "%s", #cond)

#define REQUIRE(cond) \
	do { if (!CHECK(cond)) return; } while (0)

bool t_check_u64(uint64_t a, uint64_t b, const char *ea, const char *eb,
		 const char *file, int line);
bool t_check_str(const char *a, const char *b, const char *ea,
		 const char *eb, const char *file, int line);
bool t_check_contains(const char *hay, const char *needle, const char *file,
		      int line);

#define CHECK_U64(a, b) \
	t_check_u64((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) \
	t_check_str((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_CONTAINS(hay, needle) \
	t_check_contains((hay), (needle), __FILE__, __LINE__)

/*
 * t_child - runs @fn(@arg) in a child process with stdout to /dev/null
 * and stderr into @err (NUL-terminated); leaks of the child are not
 * reported. Returns its exit status, or 128 + the signal that killed it.
 */
int t_child(int (*fn)(void *arg), void *arg, char *err, size_t errsz);

/*
 * t_child_out - like t_child(), but stdout and stderr are both kept: *@out
 * and *@err get them (to be freed with free()).
 */
int t_child_out(int (*fn)(void *arg), void *arg, char **out, char **err);

/* A temporary file name under /tmp (to be unlinked and freed). */
char *t_tmpname(const char *tag);

/* Suites, one per test file. */
void suite_strutils(void);
void suite_pattern(void);
void suite_uapinames(void);
void suite_libivma(void);
void suite_plan(void);
void suite_access(void);
void suite_apitables(void);
void suite_dev(void);
void suite_json(void);
void suite_jsonw(void);
void suite_filter(void);
void suite_capture(void);
void suite_recfmt(void);
void suite_statistics(void);
void suite_heatgrid(void);
void suite_perfetto(void);
void suite_cmds(void);
void suite_runconf(void);
void suite_origin(void);
void suite_elf(void);
void suite_simcore(void);
void suite_sim(void);
void suite_completion(void);

#endif /* IVMA_TEST_H */
