// SPDX-License-Identifier: GPL-2.0
/*
 * libivma (userspace/libivma, <ivma.h>) against the module: its calls and
 * what the object's counters and records say after them, a file section,
 * and an object handed over by "ivma touch --hold-socket" to this process
 * (ivma_hold_connect()), whose pages are the holder's: same id, no new
 * zero-fill, a resident fault per page read, the holder's markers. Built
 * with build/lib/libivma.a; not with ivma_test.h, whose helpers have
 * libivma's names.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ivma.h>

#include "kselftest_harness.h"
#include "ivma_tool.h"

/* the tests' JSON parser, shared with the tool's unit tests */
#include "../userspace/tests/tjson.c"

#define OUT	"/tmp/ivma-libivma-out"
#define ERR	"/tmp/ivma-libivma-err"
#define SOCK	"/tmp/ivma-libivma-sock"

static long psz(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* Every record of @reader now (non-blocking): how many, in @recs. */
static ssize_t drain(int reader, struct ivma_record *recs, size_t max)
{
	ssize_t n = 0, r;

	while ((size_t)n < max) {
		r = ivma_log_read(reader, recs + n, max - (size_t)n);
		if (r <= 0)
			return r == -EAGAIN || r == 0 ? n : r;
		n += r;
	}
	return n;
}

TEST(object_calls_and_counters)
{
	struct ivma_record recs[256];
	struct ivma_log_stats st;
	struct ivma_info info;
	struct ivma_api api;
	struct ivma_seq seq = { 0 };
	int fd, reader, i, zero_fill = 0;
	char *p, acc[IVMA_ACCESS_STR_LEN];
	void *v;
	ssize_t n;

	fd = ivma_open(NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_handshake(fd, IVMA_FEATURE_ALL, &api));
	EXPECT_EQ(psz(), (long)api.page_size);
	EXPECT_EQ(IVMA_FEATURE_ALL, api.features & IVMA_FEATURE_ALL);
	EXPECT_EQ(-EBUSY, ivma_handshake(fd, 0, NULL));
	EXPECT_EQ(-EINVAL, ivma_map(fd, 0, psz(), PROT_READ, MAP_SHARED, &v));
	EXPECT_EQ(-EINVAL, ivma_configure_anon(fd, psz() + 1));
	ASSERT_EQ(0, ivma_configure_anon(fd, 8 * psz()));
	EXPECT_EQ(-EBUSY, ivma_configure_anon(fd, 8 * psz()));
	reader = ivma_log_open(fd, IVMA_LOG_NONBLOCK, 0);
	ASSERT_LE(0, reader);
	EXPECT_EQ(-ENXIO, ivma_map(fd, 8 * psz(), psz(), PROT_READ,
				   MAP_SHARED, &v));
	ASSERT_EQ(0, ivma_map(fd, 0, 8 * psz(), PROT_READ | PROT_WRITE,
			      MAP_SHARED, &v));
	p = v;
	for (i = 0; i < 4; i++)
		p[i * psz()] = (char)(i + 1);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_TRUE(info.state & IVMA_STATE_MAPPED);
	EXPECT_EQ(4, info.faults);
	EXPECT_EQ(4, info.write_faults);
	EXPECT_EQ(4, info.resident);
	EXPECT_EQ(4, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(0, info.frames);

	/* a budget of 2 frames evicts the 2 oldest pages */
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.frames);
	EXPECT_EQ(IVMA_POLICY_FIFO, info.policy);
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(2, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(-EINVAL, ivma_set_budget(fd, 2, IVMA_POLICY_NR));
	EXPECT_EQ(-EINVAL, ivma_set_budget_flags(fd, 2, 0, IVMA_BUDGET_REFS));
	/* the evicted pages come back with their data */
	EXPECT_EQ(1, p[0]);
	EXPECT_EQ(2, p[psz()]);

	n = drain(reader, recs, 256);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, ivma_seq_check(&seq, &recs[i], NULL));
		EXPECT_NE(NULL, ivma_kind_name(recs[i].kind));
		if (recs[i].kind != IVMA_EV_ZERO_FILL)
			continue;
		zero_fill++;
		EXPECT_TRUE(ivma_kind_is_fault(recs[i].kind));
		EXPECT_EQ(getpid(), (pid_t)recs[i].pid);
		EXPECT_STREQ("-w-u-", ivma_access_str(recs[i].access, acc));
		EXPECT_STREQ("ok", ivma_outcome_name(recs[i].outcome));
	}
	EXPECT_EQ(4, zero_fill);
	ASSERT_EQ(0, ivma_log_stats(reader, &st));
	EXPECT_EQ((uint64_t)n, st.delivered);
	EXPECT_EQ(0, st.lost);
	EXPECT_EQ(0, st.used);

	munmap(v, 8 * psz());
	close(fd);
	/* the object is gone: the reader ends, after its last records */
	for (i = 0; i < 100; i++) {
		n = ivma_log_read(reader, recs, 256);
		if (n == 0)
			break;
		if (n == -EAGAIN)
			usleep(10000);
		else
			ASSERT_LT(0, n) TH_LOG("%s", strerror((int)-n));
	}
	EXPECT_EQ(0, n);
	close(reader);
}

TEST(file_section)
{
	char path[] = "/tmp/ivma-libivma-file-XXXXXX";
	struct ivma_info info;
	int file, fd;
	char *buf, *p;
	void *v;

	file = mkstemp(path);
	ASSERT_LE(0, file);
	unlink(path);
	buf = malloc(2 * psz());
	ASSERT_NE(NULL, buf);
	memset(buf, 'A', psz());
	memset(buf + psz(), 'B', psz());
	ASSERT_EQ(2 * psz(), write(file, buf, 2 * psz()));
	free(buf);

	fd = ivma_open(NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_handshake(fd, IVMA_FEATURE_FILE_BACKED, NULL));
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * psz(), file, 0, 2 * psz()));
	ASSERT_EQ(0, ivma_map(fd, 0, 4 * psz(), PROT_READ, MAP_SHARED, &v));
	p = v;
	EXPECT_EQ('A', p[0]);
	EXPECT_EQ('B', p[psz() + 7]);
	EXPECT_EQ(0, p[2 * psz()]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(IVMA_CONFIG_FILE, info.flags);
	EXPECT_EQ(2 * psz(), (long)info.section_len);
	EXPECT_EQ(2, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(1, info.events[IVMA_EV_ZERO_PAD]);
	EXPECT_EQ(2 * psz(), (long)info.bytes_read);
	munmap(v, 4 * psz());
	close(fd);
	close(file);
}

TEST(create_and_errors)
{
	struct ivma_info info;
	int fd;

	fd = ivma_create(NULL, 2 * psz());
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(IVMA_STATE_API | IVMA_STATE_CONFIGURED, info.state);
	EXPECT_EQ(2 * psz(), (long)info.size);
	EXPECT_EQ(0, info.flags);
	close(fd);
	EXPECT_EQ(-EINVAL, ivma_create(NULL, 0));
	EXPECT_EQ(-ENOENT, ivma_open("/nonexistent/ivma"));
	fd = ivma_open("/dev/null");
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, ivma_query(fd, &info));
	close(fd);
}

/* The value of the row @name of the table "object" in @doc, or -1. */
static double object_row(const struct jv *doc, const char *name)
{
	const struct jv *a = jv_get(doc, "object");
	size_t i;

	for (i = 0; a && i < a->n; i++)
		if (!strcmp(jv_str(a->items[i], "name"), name))
			return jv_num(a->items[i], "value");
	return -1;
}

TEST(hold_socket_shares_object)
{
	char *argv[] = { (char *)ivma_path(), "touch", "-s", "64K", "--mode",
			 "w", "-J", "--hold-socket", SOCK, NULL };
	struct ivma_record recs[256];
	struct ivma_info before, after;
	int fd = -1, reader, i, mine = 0;
	char marker[32], msg[256], *out, *err;
	struct jv *doc;
	pid_t pid;
	ssize_t n;
	void *v;

	unlink(SOCK);
	pid = spawn_as(ivma_path(), argv, OUT, ERR, 0);
	ASSERT_LT(0, pid);
	/* the socket is there once touch has written its 16 pages */
	for (i = 0; i < 1200 && fd < 0; i++) {
		fd = ivma_hold_connect(SOCK);
		if (fd < 0) {
			ASSERT_TRUE(fd == -ENOENT || fd == -ECONNREFUSED)
				TH_LOG("ivma_hold_connect: %s", strerror(-fd));
			usleep(50000);
		}
	}
	ASSERT_LE(0, fd) {
		kill(pid, SIGKILL);
		wait_status(pid);
	}
	ASSERT_EQ(0, ivma_query(fd, &before));
	EXPECT_EQ(64 << 10, before.size);
	EXPECT_EQ(16, before.resident);
	EXPECT_EQ(16, before.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(1, before.vmas);		/* the holder's */

	reader = ivma_log_open(fd, IVMA_LOG_NONBLOCK, 0);
	ASSERT_LE(0, reader);
	ASSERT_EQ(0, ivma_map(fd, 0, 64 << 10, PROT_READ, MAP_SHARED, &v));
	for (i = 0; i < 16; i++) {
		size_t len = (size_t)snprintf(marker, sizeof(marker),
					      "ivma page %d\n", i);

		EXPECT_EQ(0, memcmp((char *)v + i * psz(), marker, len))
			TH_LOG("page %d has not the holder's marker", i);
	}
	ASSERT_EQ(0, ivma_query(fd, &after));
	EXPECT_EQ(before.id, after.id);
	EXPECT_EQ(2, after.vmas);
	EXPECT_EQ(16, after.resident);		/* no page more */
	EXPECT_EQ(16, after.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(before.events[IVMA_EV_RESIDENT] + 16,
		  after.events[IVMA_EV_RESIDENT]);
	n = drain(reader, recs, 256);
	for (i = 0; i < n; i++)
		if (recs[i].kind == IVMA_EV_RESIDENT &&
		    (pid_t)recs[i].pid == getpid())
			mine++;
	EXPECT_EQ(16, mine);
	munmap(v, 64 << 10);
	close(reader);
	close(fd);

	/* SIGTERM ends the hold; the holder's counters show our faults */
	ASSERT_EQ(0, kill(pid, SIGTERM));
	i = wait_status(pid);
	err = slurp(ERR);
	EXPECT_EQ(0, i) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "its fd on the socket " SOCK
			       " until SIGINT or SIGTERM")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, SOCK ": the fd went to 1 process\n"))
		TH_LOG("%s", err);
	free(err);
	EXPECT_EQ(-1, access(SOCK, F_OK));	/* removed */
	out = slurp(OUT);
	doc = jv_parse(out, msg, sizeof(msg));
	ASSERT_NE(NULL, doc) TH_LOG("%s: %s", msg, out);
	EXPECT_EQ((double)after.id, object_row(doc, "id"));
	EXPECT_EQ(16, object_row(doc, "zero-fill"));
	EXPECT_EQ((double)after.events[IVMA_EV_RESIDENT],
		  object_row(doc, "resident"));
	jv_free(doc);
	free(out);
}

TEST(hold_socket_path_taken)
{
	char *argv[] = { (char *)ivma_path(), "touch", "-s", "4K",
			 "--hold-socket", SOCK, "--hold", "1", NULL };
	char *err;
	int f;

	unlink(SOCK);
	f = open(SOCK, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, f);
	close(f);
	EXPECT_EQ(1, wait_status(spawn_as(ivma_path(), argv, OUT, ERR, 0)));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "--hold-socket: " SOCK ": cannot listen: "
			       "Address already in use")) TH_LOG("%s", err);
	free(err);
	EXPECT_EQ(0, access(SOCK, F_OK));	/* not someone else's to remove */
	unlink(SOCK);
}

TEST_HARNESS_MAIN
