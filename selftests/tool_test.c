// SPDX-License-Identifier: GPL-2.0
/*
 * The ivma tool (build/ivma) against live objects: the trace of one's own
 * object (touch --trace) line by line, a fork sharing an object, record and
 * report round trips, stat JSON counts, the heat map PNG, the Perfetto
 * export, a live system-wide trace with filters and a clean SIGINT stop,
 * loss notices, and the permission message for an unprivileged user.
 * Each test runs the tool as a child process (fork and exec).
 */
#include <limits.h>
#include <libgen.h>
#include <signal.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ivma_test.h"
#include "ivma_tool.h"

/* the tests' JSON parser, shared with the tool's unit tests */
#include "../userspace/tests/tjson.c"

#define OUT	"/tmp/ivma-tool-out"
#define ERR	"/tmp/ivma-tool-err"

/*
 * The tool, for another user: the build tree may sit in a directory only
 * its owner can enter (a clone in a mktemp -d directory, mode 0700), so a
 * copy in the guest's /tmp, mode 0755, made once. NULL if it cannot be.
 */
#define SHARED_BIN	"/tmp/ivma-tool-bin"

static const char *ivma_shared_path(void)
{
	static int done;
	char buf[65536];
	int in, out = -1;
	ssize_t n = -1;

	if (done)
		return SHARED_BIN;
	in = open(ivma_path(), O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = open(SHARED_BIN, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			   0755);
	if (out >= 0)
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n) {
				n = -1;
				break;
			}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		n = -1;
	done = n == 0 && !chmod(SHARED_BIN, 0755);
	return done ? SHARED_BIN : NULL;
}

/*
 * Starts the tool with @argv (argv[0] is ignored) writing its stdout to
 * @out and stderr to @err, as user @uid (0: stay root). Returns the pid.
 */
static pid_t spawn(char *const argv[], const char *out, const char *err,
		   uid_t uid)
{
	const char *bin = uid ? ivma_shared_path() : ivma_path();

	return bin ? spawn_as(bin, argv, out, err, uid) : -1;
}

static int run_as(uid_t uid, char *const argv[])
{
	return wait_status(spawn(argv, OUT, ERR, uid));
}

#define IVMA(...) ((char *const[]){ "ivma", __VA_ARGS__, NULL })
#define RUN(...) run_as(0, IVMA(__VA_ARGS__))

/* One parsed text line of "ivma trace". */
struct tline {
	double time;
	unsigned int pid, tid;
	unsigned long long object, pgoff;
	char kind[16], access[8], outcome[16];
};

/* Parses the trace lines of @s up to the first empty line; "lost" lines
 * get the kind "lost" and the count in pgoff. Returns the count. */
static int parse_trace(const char *s, struct tline *v, int max)
{
	int n = 0;

	while (*s && *s != '\n' && n < max) {
		struct tline *t = &v[n];
		char rest[64];
		const char *eol = strchr(s, '\n');

		memset(t, 0, sizeof(*t));
		if (sscanf(s, "lost %llu records", &t->pgoff) == 1) {
			strcpy(t->kind, "lost");
		} else if (sscanf(s, "%lf %u/%u obj %llu %15s %7s %63s", &t->time,
				  &t->pid, &t->tid, &t->object, t->kind,
				  t->access, rest) != 7) {
			return -1 - n;
		} else if (strcmp(rest, "pgoff") == 0) {
			sscanf(strstr(s, " pgoff ") + 7, "%llu", &t->pgoff);
		} else {
			snprintf(t->outcome, sizeof(t->outcome), "%.15s", rest);
			sscanf(strstr(s, " pgoff ") + 7, "%llu", &t->pgoff);
		}
		n++;
		if (!eol)
			break;
		s = eol + 1;
	}
	return n;
}

/* Waits until @pid has a log reader open (its fd to [ivma-log]). */
static int wait_reader(pid_t pid)
{
	char dir[64], path[320], link[128];
	int tries;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	for (tries = 0; tries < 500; tries++) {
		int fd;

		for (fd = 0; fd < 16; fd++) {
			ssize_t n;

			snprintf(path, sizeof(path), "%s/%d", dir, fd);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				if (strstr(link, "ivma-log"))
					return 0;
			}
		}
		usleep(20 * 1000);
	}
	return -1;
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

TEST(touch_trace_exact_lines)
{
	static const struct {
		const char *kind, *access;
		unsigned long long pgoff;
	} want[] = {
		{ "mmap", "rw--s", 0 },
		{ "zero-fill", "r--u-", 0 },
		{ "dirty", "-w---", 0 },
		{ "zero-fill", "r--u-", 2 },
		{ "dirty", "-w---", 2 },
		{ "vma-close", "rw--s", 0 },
		{ "obj-destroy", "-----", 0 },
	};
	struct tline t[32];
	pid_t pid;
	char *out;
	int n, i;

	pid = spawn(IVMA("touch", "--size", "16K", "--pattern", "0,2",
			 "--mode", "rw", "--trace", "-r", "-n"), OUT, ERR, 0);
	ASSERT_EQ(0, wait_status(pid));
	out = slurp(OUT);
	n = parse_trace(out, t, 32);
	ASSERT_EQ(7, n) TH_LOG("%s", out);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ(want[i].kind, t[i].kind) TH_LOG("line %d", i);
		EXPECT_STREQ(want[i].access, t[i].access) TH_LOG("line %d", i);
		EXPECT_EQ(want[i].pgoff, t[i].pgoff) TH_LOG("line %d", i);
		EXPECT_STREQ("", t[i].outcome);
		EXPECT_EQ((unsigned int)pid, t[i].pid);
		EXPECT_EQ(t[0].object, t[i].object);
		EXPECT_LE(0.0, t[i].time);
		if (i)
			EXPECT_LE(t[i - 1].time, t[i].time);
	}
	/* then an empty line and the counters */
	EXPECT_NE(NULL, strstr(out, "\n\nid "));
	EXPECT_NE(NULL, strstr(out, "\nzero-fill 2 "));
	free(out);
}

TEST(touch_fork_shares_the_object)
{
	struct tline t[64];
	unsigned int parent, child = 0;
	int n, i, child_resident = 0, parent_dirty = 0;
	char *out, *err;
	pid_t pid;

	pid = spawn(IVMA("touch", "--size", "8K", "--mode", "w", "--fork",
			 "r", "--trace", "-n"), OUT, ERR, 0);
	ASSERT_EQ(0, wait_status(pid));
	parent = (unsigned int)pid;
	out = slurp(OUT);
	err = slurp(ERR);
	n = parse_trace(out, t, 64);
	ASSERT_LT(0, n) TH_LOG("%s", out);
	for (i = 0; i < n; i++) {
		if (t[i].pid != parent)
			child = t[i].pid;
		if (!strcmp(t[i].kind, "resident") && t[i].pid != parent)
			child_resident++;
		if (!strcmp(t[i].kind, "dirty") && t[i].pid == parent)
			parent_dirty++;
	}
	/* the parent wrote both pages, the child read them: no new page */
	EXPECT_EQ(2, parent_dirty);
	EXPECT_EQ(2, child_resident) TH_LOG("%s", out);
	EXPECT_NE(0, child);
	EXPECT_EQ(1, (int)count_str(out, " vma-open "));
	EXPECT_NE(NULL, strstr(err, "2 of 2 pages carry the parent's marker"))
		TH_LOG("%s", err);
	free(out);
	free(err);
}

TEST(record_report_round_trip)
{
	char rec[] = "/tmp/ivma-tool.rec";
	char *traced, *reported, *blank;

	ASSERT_EQ(0, RUN("touch", "--size", "32K", "--pattern", "rand",
			 "--mode", "rw", "--trace", "--record", rec));
	traced = slurp(OUT);
	blank = strstr(traced, "\n\n");
	ASSERT_NE(NULL, blank);
	blank[1] = '\0';	/* the trace lines only */
	ASSERT_EQ(0, RUN("report", "-i", rec));
	reported = slurp(OUT);
	EXPECT_STREQ(traced, reported);
	EXPECT_EQ(8 * 2 + 3, (int)count_str(reported, "\n"));
	free(reported);

	ASSERT_EQ(0, RUN("report", "-i", rec, "--header"));
	reported = slurp(OUT);
	EXPECT_NE(NULL, strstr(reported, "records: 19\nlost: 0\n"));
	EXPECT_NE(NULL, strstr(reported, "source: one object's reader\n"));
	free(reported);
	/* the same records as a JSON document (-J) */
	ASSERT_EQ(0, RUN("report", "-i", rec, "-J", "--kind", "dirty"));
	reported = slurp(OUT);
	EXPECT_EQ(8, (int)count_str(reported, "\"kind\":\"dirty\""));
	free(reported);
	free(traced);
}

TEST(stat_json_counts)
{
	char rec[] = "/tmp/ivma-tool-stat.rec";
	const struct jv *a;
	char *out, msg[128];
	struct jv *doc;
	size_t i;
	int zero_fill = -1, file_read = -1, zero_pad = -1;

	/* 2.5 pages of file in 6 pages: 3 file reads, 3 zero paddings */
	{
		char path[256];
		int fd = ivma_make_file("toolstat", 2, 2048, O_RDONLY, path,
					sizeof(path));

		ASSERT_LE(0, fd);
		close(fd);
		ASSERT_EQ(0, RUN("touch", "--file", path, "--size", "24K",
				 "--record", rec));
		unlink(path);
	}
	ASSERT_EQ(0, RUN("stat", "-i", rec, "-J"));
	out = slurp(OUT);
	doc = jv_parse(out, msg, sizeof(msg));
	ASSERT_NE(NULL, doc) TH_LOG("%s: %s", msg, out);
	a = jv_get(doc, "kinds");
	ASSERT_NE(NULL, a);
	for (i = 0; i < a->n; i++) {
		const char *k = jv_str(a->items[i], "kind");
		int c = (int)jv_num(a->items[i], "count");

		if (!strcmp(k, "zero-fill"))
			zero_fill = c;
		if (!strcmp(k, "file-read"))
			file_read = c;
		if (!strcmp(k, "zero-pad"))
			zero_pad = c;
	}
	EXPECT_EQ(-1, zero_fill);
	EXPECT_EQ(3, file_read);
	EXPECT_EQ(3, zero_pad);
	a = jv_get(doc, "summary");
	ASSERT_NE(NULL, a);
	EXPECT_STREQ("faults", jv_str(a->items[2], "name"));
	EXPECT_EQ(6, (int)jv_num(a->items[2], "value"));
	EXPECT_EQ(0, (int)jv_num(a->items[1], "value"));	/* lost */
	a = jv_get(doc, "pages");
	ASSERT_NE(NULL, a);
	EXPECT_EQ(6, (int)a->n);
	a = jv_get(doc, "processes");
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1, (int)a->n);
	EXPECT_STREQ("ivma", jv_str(a->items[0], "command"));
	EXPECT_EQ(6, (int)jv_num(a->items[0], "pages"));
	jv_free(doc);
	free(out);
	/* the text form has bcc-style histograms */
	ASSERT_EQ(0, RUN("stat", "-i", rec));
	out = slurp(OUT);
	EXPECT_NE(NULL, strstr(out, "kind = file-read\n     usecs        "));
	free(out);
}

TEST(heatmap_png_and_text)
{
	char rec[] = "/tmp/ivma-tool-heat.rec", png[] = "/tmp/ivma-tool.png";
	unsigned char hdr[24];
	char *out;
	FILE *f;

	ASSERT_EQ(0, RUN("touch", "--size", "256K", "--pattern", "stride:3",
			 "--repeat", "1", "--record", rec));
	ASSERT_EQ(0, RUN("heatmap", "-i", rec, "-O", png, "--width", "640",
			 "--height", "360"));
	f = fopen(png, "rb");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(sizeof(hdr), fread(hdr, 1, sizeof(hdr), f));
	fclose(f);
	EXPECT_EQ(0, memcmp(hdr, "\x89PNG\r\n\x1a\n", 8));
	EXPECT_EQ(0, memcmp(hdr + 12, "IHDR", 4));
	EXPECT_EQ(640, (hdr[16] << 24) | (hdr[17] << 16) | (hdr[18] << 8) |
		  hdr[19]);
	EXPECT_EQ(360, (hdr[20] << 24) | (hdr[21] << 16) | (hdr[22] << 8) |
		  hdr[23]);
	ASSERT_EQ(0, RUN("heatmap", "-i", rec, "--plain", "--width", "40"));
	out = slurp(OUT);
	EXPECT_NE(NULL, strstr(out, "ivma heat map: 22 faults, object "));
	/* 64 pages on the terminal's 20 rows: the title says they share */
	EXPECT_NE(NULL, strstr(out, "pages 0-63 (3.2 per row), log colour "
			       "scale\n")) TH_LOG("%s", out);
	/* and names the object by the origin touch --record wrote */
	EXPECT_NE(NULL, strstr(out, " (anonymous touch, 256 KiB), "))
		TH_LOG("%s", out);
	free(out);
}

TEST(export_perfetto_json)
{
	char rec[] = "/tmp/ivma-tool-pf.rec", js[] = "/tmp/ivma-tool.json";
	const struct jv *ev;
	char *out, msg[128];
	struct jv *doc;
	size_t i;
	int x = 0, c = 0, m = 0, last_resident = -1;

	int last_dirty = -1;
	char path[256];
	int fd = ivma_make_file("toolpf", 4, 0, O_RDWR, path, sizeof(path));

	ASSERT_LE(0, fd);
	close(fd);
	/* a file: 4 file reads, 4 first writes, 4 write-backs at msync */
	ASSERT_EQ(0, RUN("touch", "--file", path, "--mode", "w", "--msync",
			 "--record", rec));
	unlink(path);
	ASSERT_EQ(0, RUN("export", "--perfetto", "-i", rec, "-O", js));
	out = slurp(js);
	doc = jv_parse(out, msg, sizeof(msg));
	ASSERT_NE(NULL, doc) TH_LOG("%s", msg);
	ev = jv_get(doc, "traceEvents");
	ASSERT_NE(NULL, ev);
	for (i = 0; i < ev->n; i++) {
		const char *ph = jv_str(ev->items[i], "ph");

		if (!strcmp(ph, "X"))
			x++;
		if (!strcmp(ph, "C")) {
			const struct jv *args = jv_get(ev->items[i], "args");

			c++;
			/* after the write-backs, before the destroy */
			if (last_dirty < 0 && c == 13)
				last_dirty = (int)jv_num(args, "dirty");
			last_resident = (int)jv_num(args, "resident");
		}
		if (!strcmp(ph, "M"))
			m++;
	}
	/* 4 file-read + 4 dirty + 4 writeback have a latency */
	EXPECT_EQ(12, x);
	/* the first record, 4 + 4 up, 4 dirty down, the destroy */
	EXPECT_EQ(14, c);
	EXPECT_EQ(0, last_dirty);
	EXPECT_EQ(0, last_resident);	/* the object was destroyed */
	EXPECT_EQ(3, m);	/* process, thread, the objects' counters */
	jv_free(doc);
	free(out);
}

TEST(trace_live_with_filters_and_sigint)
{
	char tout[] = "/tmp/ivma-tool-trace.out";
	char terr[] = "/tmp/ivma-tool-trace.err";
	char *out, *err, want[64];
	pid_t tracer, toucher;

	tracer = spawn(IVMA("trace", "--kind", "zero-fill,obj-destroy"), tout,
		       terr, 0);
	ASSERT_LT(0, tracer);
	ASSERT_EQ(0, wait_reader(tracer));
	toucher = spawn(IVMA("touch", "--size", "16K"), OUT, ERR, 0);
	ASSERT_EQ(0, wait_status(toucher));
	usleep(200 * 1000);
	kill(tracer, SIGINT);
	EXPECT_EQ(0, wait_status(tracer));
	out = slurp(tout);
	err = slurp(terr);
	snprintf(want, sizeof(want), " %d/%d ", toucher, toucher);
	EXPECT_EQ(5, (int)count_str(out, want)) TH_LOG("%s", out);
	EXPECT_EQ(4, (int)count_str(out, " zero-fill "));
	EXPECT_EQ(1, (int)count_str(out, " obj-destroy "));
	EXPECT_EQ(0, (int)count_str(out, " mmap "));
	EXPECT_NE(NULL, strstr(err, "ivma trace: 5 records, 0 lost ("))
		TH_LOG("%s", err);
	free(out);
	free(err);
}

TEST(trace_reports_lost_records)
{
	char tout[] = "/tmp/ivma-tool-lost.out";
	char terr[] = "/tmp/ivma-tool-lost.err";
	unsigned long long lost = 0, summary_lost = 0, shown = 0;
	char *out, *err, *p;
	pid_t tracer;

	/* a 64-record ring, a stopped reader, 1 + 200 + 2 events */
	tracer = spawn(IVMA("trace", "--size", "4096"), tout, terr, 0);
	ASSERT_LT(0, tracer);
	ASSERT_EQ(0, wait_reader(tracer));
	kill(tracer, SIGSTOP);
	ASSERT_EQ(0, RUN("touch", "--size", "800K"));
	kill(tracer, SIGCONT);
	usleep(300 * 1000);
	kill(tracer, SIGTERM);
	EXPECT_EQ(0, wait_status(tracer));
	out = slurp(tout);
	err = slurp(terr);
	p = strstr(out, "lost ");
	ASSERT_NE(NULL, p) TH_LOG("%s", out);
	EXPECT_EQ(1, sscanf(p, "lost %llu records", &lost));
	EXPECT_LT(0, lost);
	p = strstr(err, "ivma trace: ");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(2, sscanf(p, "ivma trace: %llu records, %llu lost", &shown,
			    &summary_lost));
	EXPECT_EQ(lost, summary_lost);
	/* the object's events: create, mmap, 200 faults, vma-close,
	 * destroy; what was not lost was shown */
	EXPECT_EQ(204, shown + summary_lost) TH_LOG("%s", err);
	free(out);
	free(err);
}

TEST(record_count_and_stat_live)
{
	char rec[] = "/tmp/ivma-tool-count.rec";
	char *out, msg[128];
	struct jv *doc;
	pid_t recorder;

	recorder = spawn(IVMA("record", "-O", rec, "--count", "3", "--kind",
			      "zero-fill"), OUT, ERR, 0);
	ASSERT_LT(0, recorder);
	ASSERT_EQ(0, wait_reader(recorder));
	ASSERT_EQ(0, run_as(0, IVMA("touch", "--size", "40K")));
	EXPECT_EQ(0, wait_status(recorder));
	ASSERT_EQ(0, RUN("report", "-i", rec));
	out = slurp(OUT);
	EXPECT_EQ(3, (int)count_str(out, " zero-fill "));
	EXPECT_EQ(3, (int)count_str(out, "\n"));
	free(out);

	/* live stat: nothing happens for 0.3 s */
	ASSERT_EQ(0, RUN("stat", "--duration", "0.3", "-J", "--section", "summary"));
	out = slurp(OUT);
	doc = jv_parse(out, msg, sizeof(msg));
	ASSERT_NE(NULL, doc) TH_LOG("%s: %s", msg, out);
	EXPECT_EQ(0, (int)jv_num(jv_get(doc, "summary")->items[0], "value"));
	jv_free(doc);
	free(out);
}

TEST(unprivileged_user)
{
	char *err, *out;
	int n;

	/* every object: refused, with advice and exit status 4 */
	EXPECT_EQ(4, run_as(65534, IVMA("trace", "--count", "1")));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "tracing every object needs CAP_PERFMON "
			       "or CAP_SYS_ADMIN: run as root, or trace "
			       "your own object with 'ivma touch --trace'"))
		TH_LOG("%s", err);
	free(err);
	EXPECT_EQ(4, run_as(65534, IVMA("record", "-O", "/tmp/x.rec")));
	/* one's own object: fine */
	ASSERT_EQ(0, run_as(65534, IVMA("touch", "--size", "8K", "--trace",
					"-n")));
	out = slurp(OUT);
	{
		struct tline t[16];

		n = parse_trace(out, t, 16);
	}
	EXPECT_EQ(5, n) TH_LOG("%s", out);
	free(out);
}

/*
 * A size past the module's maximum is refused as such, before any page
 * index is made (it blamed --pattern, which was not given, when 2 GiB of
 * indices could not be allocated); the object is never configured.
 */
TEST(touch_size_past_the_module_maximum)
{
	char *err;

	EXPECT_EQ(2, RUN("touch", "--size", "1T"));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "the object size 1 TiB (1099511627776 "
			       "bytes) exceeds the module's maximum, "))
		TH_LOG("%s", err);
	EXPECT_EQ(NULL, strstr(err, "--pattern")) TH_LOG("%s", err);
	free(err);
	/* an explicit pattern past the object is still its own error */
	EXPECT_EQ(2, RUN("touch", "--size", "8K", "--pattern", "0,2"));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "--pattern: page 2 is past the end of "
			       "the object (the object has 2 pages: 0-1)"))
		TH_LOG("%s", err);
	free(err);
}

/*
 * "Swap bounds the virtual pages", in one command: 16 pages written under
 * a budget of 4 frames with a swap area of 4 slots; pages 0-7 fit (4
 * resident, 4 swapped out), the write of page 8 needs a ninth place and
 * gets SIGBUS. The area is put back as it was (64 MiB by default) after.
 */
TEST(touch_swap_bounds_virtual_pages)
{
	struct ivma_swap old = { .fd = -1 };
	char *err, *out;
	int fd, st;

	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SWAP_INFO, &old));
	close(fd);
	ASSERT_EQ(0, old.used);
	st = RUN("touch", "--size", "64K", "--frames", "4", "--swap", "16K",
		 "--mode", "w", "-r", "-n");
	EXPECT_EQ(0, ivma_set_swap(old.size));
	EXPECT_EQ(1, st);
	err = slurp(ERR);
	out = slurp(OUT);
	EXPECT_NE(NULL, strstr(err, "the module's swap area is now 16 KiB "
			       "(it was "))
		TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "SIGBUS while writing page 8: stopped "
			       "after 0 reads and 8 writes"))
		TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(out, "\nswap-out 4 ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nno-swap 1 ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nsigbus 1 ")) TH_LOG("%s", out);
	free(err);
	free(out);

	/* not for another user: the area is every object's */
	EXPECT_EQ(4, run_as(65534, IVMA("touch", "--size", "8K", "--frames",
					"1", "--swap", "16K")));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "--swap: the swap area is the module's, "
			       "for every object: replacing it needs "
			       "CAP_SYS_ADMIN"))
		TH_LOG("%s", err);
	free(err);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	memset(&old, 0, sizeof(old));
	old.fd = -1;
	ASSERT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SWAP_INFO, &old));
	close(fd);
	EXPECT_NE(16384, old.size);
}

TEST_HARNESS_MAIN
