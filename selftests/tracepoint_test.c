// SPDX-License-Identifier: GPL-2.0
/*
 * The ivma:* tracepoints as the usual tools see them: perf script prints
 * kind, access and outcome by name, the same events in the same order as
 * the tool's own trace of the object; perf stat counts them; a bpftrace
 * one-liner of Documentation/log.md (section 10.2) counts the same faults.
 * The programs are Debian's (linux-perf, bpftrace: make deps); a test whose
 * program is not there is skipped, and says so.
 */
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "ivma_test.h"
#include "ivma_tool.h"

#define DIR_	"/tmp/ivma-tp"
#define OUT	DIR_ "/out"
#define ERR	DIR_ "/err"
#define DATA	DIR_ "/perf.data"
#define SCRIPT	DIR_ "/script"
#define STAT	DIR_ "/stat"
#define BPF_OUT	DIR_ "/bpftrace"

/* the tool's command: 16 KiB shared, read then write pages 0 and 2 */
#define TOUCH_ARGS "touch", "--size", "16K", "--pattern", "0,2", \
		   "--mode", "rw", "--trace", "-r", "-n"

/* One event: from the tool's trace or from a perf script line. */
struct ev {
	unsigned long long object, pgoff;
	char kind[16], access[8], outcome[16];
};

/* @name in the directories of $PATH, or NULL */
static const char *which(const char *name)
{
	static char path[PATH_MAX];
	const char *p = getenv("PATH");
	char dirs[4096], *d, *save;

	snprintf(dirs, sizeof(dirs), "%s",
		 p ? p : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", d, name);
		if (!access(path, X_OK))
			return path;
	}
	return NULL;
}

/* drops the '-' of a tool access column ("r--u-" -> "ru") */
static void squeeze(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != '-')
			*w++ = *s;
	*w = '\0';
}

/*
 * The records of the tool's text trace ("TIME PID/TID obj ID KIND ACCESS
 * [OUTCOME] pgoff N ..."), up to the empty line before the counters.
 */
static int tool_events(const char *s, struct ev *v, int max)
{
	int n = 0;

	while (*s && *s != '\n' && n < max) {
		const char *eol = strchr(s, '\n'), *pg = strstr(s, " pgoff ");
		struct ev *e = &v[n];
		unsigned int pid, tid;
		double t;

		memset(e, 0, sizeof(*e));
		if (sscanf(s, "%lf %u/%u obj %llu %15s %7s", &t, &pid, &tid,
			   &e->object, e->kind, e->access) != 6 || !pg ||
		    (eol && pg > eol))
			return -1 - n;
		sscanf(pg + 7, "%llu", &e->pgoff);
		squeeze(e->access);
		n++;
		if (!eol)
			break;
		s = eol + 1;
	}
	return n;
}

/* the value of "KEY=" in @line, as a string of at most @len - 1 bytes */
static int field(const char *line, const char *key, char *buf, size_t len)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	n = strcspn(p, " \n");
	if (n >= len)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

/* The ivma events of a perf script output, one per line with "kind=". */
static int perf_events(const char *s, struct ev *v, int max)
{
	int n = 0;

	for (; *s && n < max; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "") {
		char line[512], num[32];
		size_t len = strcspn(s, "\n");
		struct ev *e = &v[n];

		if (len >= sizeof(line))
			return -1 - n;
		memcpy(line, s, len);
		line[len] = '\0';
		if (!strstr(line, "ivma:"))
			continue;
		memset(e, 0, sizeof(*e));
		if (field(line, "object", num, sizeof(num)) ||
		    field(line, "kind", e->kind, sizeof(e->kind)) ||
		    field(line, "access", e->access, sizeof(e->access)) ||
		    field(line, "outcome", e->outcome, sizeof(e->outcome)))
			return -1 - n;
		e->object = strtoull(num, NULL, 10);
		if (field(line, "pgoff", num, sizeof(num)))
			return -1 - n;
		e->pgoff = strtoull(num, NULL, 10);
		n++;
	}
	return n;
}

/*
 * perf maps the running kernel's modules by walking
 * /lib/modules/$(uname -r); the guest's root is the host's over 9p, where
 * that walk of the stock kernels' trees takes minutes under TCG (6.12:
 * 100 s of a 135 s "perf record"). The tests need no module symbols: the
 * child gets an empty directory there, in a mount namespace of its own.
 * If that cannot be done, perf is only slower.
 */
static void hide_module_tree(void)
{
	char path[PATH_MAX];
	struct utsname u;

	if (uname(&u) || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return;
	snprintf(path, sizeof(path), "/lib/modules/%s", u.release);
	mount("none", path, "tmpfs", MS_RDONLY, NULL);
}

/*
 * Runs @bin with @argv, stdout to @out and stderr to @err; its exit
 * status. How long it took goes to the test's log.
 */
static int run(const char *bin, char *const argv[], const char *out,
	       const char *err)
{
	struct timespec t0, t1;
	pid_t pid;
	int st;

	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		hide_module_tree();
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(121);
		execv(bin, argv);
		_exit(122);
	}
	st = wait_status(pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ksft_print_msg("%s %s: status %d in %.1f s\n", argv[0], argv[1], st,
		       (double)(t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return st;
}

/*
 * Runs @bin with @argv, which runs the tool with TOUCH_ARGS; its trace's
 * events into @t. Returns their number, or -1 if @bin failed.
 */
static int run_touch(const char *bin, char *const argv[], struct ev *t,
		     int max)
{
	char *out;
	int n;

	if (run(bin, argv, OUT, ERR))
		return -1;
	out = slurp(OUT);
	n = tool_events(out, t, max);
	if (n != 7)
		ksft_print_msg("the tool's trace: %s\n", out);
	free(out);
	return n;
}

static int count_kind(const struct ev *v, int n, const char *kind)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += !strcmp(v[i].kind, kind);
	return c;
}

FIXTURE(tp)
{
	const char *perf;
};

FIXTURE_SETUP(tp)
{
	ASSERT_EQ(0, system("rm -rf " DIR_ " && mkdir -p " DIR_));
	self->perf = which("perf");
	if (access("/sys/kernel/tracing/events/ivma/fault/format", R_OK))
		SKIP(return, "no tracefs or no ivma tracepoints");
}

FIXTURE_TEARDOWN(tp)
{
	if (system("rm -rf " DIR_))
		TH_LOG("cannot remove " DIR_);
}

/*
 * perf record and stat run system-wide (-a: one event per CPU), which is
 * exact here (the tests run one at a time, nothing else makes objects):
 * a per-task event would switch perf's context-switch static key on and
 * off, and the int3 text patching of __schedule that this takes has
 * crashed a TCG guest of 6.12 ("Oops: int3" in __schedule, 2026-12-04).
 *
 * perf record of every ivma event of the tool's run, then perf script:
 * the object's events are the tool's trace, line by line, with kind,
 * access and outcome by name, after the one the tool's reader cannot see
 * (obj-create: the object exists before a reader can be attached to it).
 */
TEST_F_TIMEOUT(tp, perf_script_prints_names, 300)
{
	char *argv[] = { "perf", "record", "-a", "-q", "-N", "-B", "-e",
			 "ivma:*", "-o", DATA,
			 "--", (char *)ivma_path(), TOUCH_ARGS, NULL };
	char *sargv[] = { "perf", "script", "-i", DATA, NULL };
	struct ev t[32], p[64], q[64];
	int nt, np, nq = 0, i;
	char *out;

	if (!self->perf)
		SKIP(return, "perf is not installed (make deps installs linux-perf)");
	nt = run_touch(self->perf, argv, t, 32);
	ASSERT_EQ(7, nt);

	ASSERT_EQ(0, run(self->perf, sargv, SCRIPT, ERR));
	out = slurp(SCRIPT);
	np = perf_events(out, p, 64);
	ASSERT_LE(0, np) TH_LOG("line %d of perf script: %s", -1 - np, out);
	for (i = 0; i < np; i++)
		if (p[i].object == t[0].object)
			q[nq++] = p[i];
	ASSERT_EQ(nt + 1, nq) TH_LOG("perf script: %s", out);
	free(out);

	EXPECT_STREQ("obj-create", q[0].kind);
	EXPECT_STREQ("", q[0].access);
	EXPECT_STREQ("ok", q[0].outcome);
	for (i = 0; i < nt; i++) {
		EXPECT_STREQ(t[i].kind, q[i + 1].kind) TH_LOG("event %d", i);
		EXPECT_STREQ(t[i].access, q[i + 1].access) TH_LOG("event %d", i);
		EXPECT_EQ(t[i].pgoff, q[i + 1].pgoff) TH_LOG("event %d", i);
		EXPECT_STREQ("ok", q[i + 1].outcome) TH_LOG("event %d", i);
	}
	/* the flags by name, as the tool spells them without its dashes */
	EXPECT_STREQ("rws", q[1].access);
	EXPECT_STREQ("ru", q[2].access);
	EXPECT_STREQ("w", q[3].access);
}

/* perf stat counts the tracepoints: as many as the tool's records */
TEST_F_TIMEOUT(tp, perf_stat_counts_events, 300)
{
	char *argv[] = { "perf", "stat", "-a", "-x", ",", "-o", STAT, "-e",
			 "ivma:fault,ivma:dirty,ivma:vma,ivma:object,ivma:cow",
			 "--", (char *)ivma_path(), TOUCH_ARGS, NULL };
	static const char *const names[] = { "fault", "dirty", "vma", "object",
					      "cow" };
	long long want[5], got[5] = { -1, -1, -1, -1, -1 };
	struct ev t[32];
	char *out, *line;
	int nt, i;

	if (!self->perf)
		SKIP(return, "perf is not installed (make deps installs linux-perf)");
	nt = run_touch(self->perf, argv, t, 32);
	ASSERT_EQ(7, nt);
	want[0] = count_kind(t, nt, "zero-fill");
	want[1] = count_kind(t, nt, "dirty");
	want[2] = count_kind(t, nt, "mmap") + count_kind(t, nt, "vma-close");
	/* obj-destroy, and the obj-create no reader can see */
	want[3] = count_kind(t, nt, "obj-destroy") + 1;
	want[4] = 0;

	/* CSV lines: "COUNT,UNIT,EVENT,..." */
	out = slurp(STAT);
	for (line = out; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		char ev[64];
		long long c;

		if (sscanf(line, "%lld,,ivma:%63[a-z_]", &c, ev) != 2)
			continue;
		for (i = 0; i < 5; i++)
			if (!strcmp(ev, names[i]))
				got[i] = c;
	}
	for (i = 0; i < 5; i++)
		EXPECT_EQ(want[i], got[i]) TH_LOG("ivma:%s in %s", names[i], out);
	free(out);
}

/*
 * The bpftrace one-liner of Documentation/log.md, as written there:
 * @faults[object, pgoff] counts one fault for each page the tool touched.
 */
TEST_F_TIMEOUT(tp, bpftrace_one_liner, 300)
{
	char cmd[PATH_MAX + 128];
	char *argv[] = { "bpftrace", "-o", BPF_OUT, "-e",
			 "tracepoint:ivma:fault /pid == cpid/ { @faults[args->object, args->pgoff] = count(); }",
			 "-c", cmd, NULL };
	unsigned long long obj, pg, c;
	const char *bpf = which("bpftrace");
	struct ev t[32];
	int nt, st, seen = 0;
	char *out, *s;

	if (!bpf)
		SKIP(return, "bpftrace is not installed (make deps installs it)");
	snprintf(cmd, sizeof(cmd), "%s %s", ivma_path(),
		 "touch --size 16K --pattern 0,2 --mode rw --trace -r -n");
	st = run(bpf, argv, OUT, ERR);
	out = slurp(OUT);
	if (st && !strstr(out, " obj "))
		SKIP(free(out); return,
		     "bpftrace does not run in this guest (exit %d, " ERR ")", st);
	ASSERT_EQ(0, st);
	nt = tool_events(out, t, 32);
	ASSERT_EQ(7, nt) TH_LOG("the tool's trace: %s", out);
	free(out);

	out = slurp(BPF_OUT);
	for (s = strstr(out, "@faults["); s; s = strstr(s + 1, "@faults[")) {
		ASSERT_EQ(3, sscanf(s, "@faults[%llu, %llu]: %llu", &obj, &pg,
				    &c)) TH_LOG("%s", out);
		EXPECT_EQ(t[0].object, obj) TH_LOG("%s", out);
		EXPECT_EQ(1, c) TH_LOG("%s", out);
		EXPECT_TRUE(pg == 0 || pg == 2) TH_LOG("%s", out);
		seen |= 1 << pg;
	}
	EXPECT_EQ(5, seen) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
