// SPDX-License-Identifier: GPL-2.0
/*
 * ivma run: unmodified programs with their mmaps routed through ivma
 * objects by the preload library. Every test runs "build/ivma run --record
 * CAPTURE ... -- PROGRAM" and checks the program's output (native
 * semantics kept) and the capture: the records the module produced and the
 * objects' origins.
 *
 * PROGRAM is this binary in "prog" mode (run_prog.h: one case of mmap per
 * mode), or a program of the guest's Debian system: iconv (glibc's, reads
 * its input through mmap), git (reads its packfiles through mmap), sort (a
 * large malloc buffer, for --anon with a frame budget).
 */
#include <limits.h>
#include <libgen.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

/* the capture reader of the tool itself (cap_meta_host()'s copies of
 * uname fields trip a false -Wstringop-overread once inlined here) */
#include "../userspace/lib/htab.c"
#include "../userspace/lib/comms.c"
#include "../userspace/lib/origin.c"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#include "../userspace/lib/capture.c"
#pragma GCC diagnostic pop

#include "run_prog.h"

#define OUT	"/tmp/ivma-run-out"
#define ERR	"/tmp/ivma-run-err"
#define CAP	"/tmp/ivma-run.rec"

static char self_bin[PATH_MAX], ivma_bin[PATH_MAX];
static uid_t run_uid;	/* not 0: ivma run runs as this user */

static void find_bins(void)
{
	char exe[PATH_MAX];
	ssize_t n;

	if (self_bin[0])
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(self_bin, sizeof(self_bin), "%s", exe);
	snprintf(ivma_bin, sizeof(ivma_bin), "%s/../ivma", dirname(exe));
}

/*
 * Starts "ivma run --record CAP ARGS..." with stdout and stderr in OUT and
 * ERR; the program inherits @keep (else only fds 0-2). Returns the pid.
 */
static pid_t ivma_run_start(char *const args[], const int *keep, int nkeep)
{
	char *argv[64];
	int i, n = 0;
	pid_t pid;

	find_bins();
	argv[n++] = "ivma";
	argv[n++] = "run";
	argv[n++] = "--record";
	argv[n++] = CAP;
	for (i = 0; args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	unlink(CAP);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int o = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(ERR, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fd;

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(121);
		if (run_uid && (setgid(run_uid) || setuid(run_uid)))
			_exit(120);
		for (fd = 3; fd < 64; fd++) {
			for (i = 0; i < nkeep && keep[i] != fd; i++)
				;
			if (i == nkeep)
				close(fd);
		}
		execv(ivma_bin, argv);
		_exit(122);
	}
	return pid;
}

/* Its exit status, or 128 + the signal that ended it; -1 on error. */
static int ivma_run_wait(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define RUN(...) \
	ivma_run_wait(ivma_run_start((char *const[]){ __VA_ARGS__, NULL }, \
				     NULL, 0))

/* the whole file, NUL-terminated (to be freed) */
static char *file_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t n;

	while (fd >= 0 && buf && (n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	if (fd >= 0)
		close(fd);
	if (buf)
		buf[len] = '\0';
	return buf ? buf : strdup("");
}

/* A value after "key " in the program's output; -1 when missing. */
static long out_val(const char *out, const char *key)
{
	const char *p = out;
	size_t kl = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == out || p[-1] == '\n') && p[kl] == ' ')
			return strtol(p + kl + 1, NULL, 0);
		p += kl;
	}
	return -1;
}

/* A capture, read with the tool's reader. */
struct cap {
	struct ivma_record *r;
	size_t n;
	struct cap_reader rd;
	int ok;
};

static void cap_load(struct cap *c, const char *path)
{
	char err[512];
	FILE *f = fopen(path, "r");
	struct ivma_record rec;
	size_t cap = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!f || cap_open(&c->rd, f, path, err, sizeof(err))) {
		fprintf(stderr, "# %s: %s\n", path, f ? err : "missing");
		if (f)
			fclose(f);
		return;
	}
	while ((rc = cap_read(&c->rd, &rec, err, sizeof(err))) > 0) {
		if (c->n == cap) {
			cap = cap ? 2 * cap : 1024;
			c->r = realloc(c->r, cap * sizeof(rec));
		}
		c->r[c->n++] = rec;
	}
	if (rc < 0)
		fprintf(stderr, "# %s: %s\n", path, err);
	c->ok = rc == 0;
	fclose(f);
}

static void cap_drop(struct cap *c)
{
	free(c->r);
	cap_close(&c->rd);
}

/* records of @kind (IVMA_EV_NONE: any) of @obj (0: any) */
static size_t count(const struct cap *c, unsigned int kind, uint64_t obj)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		if ((!kind || c->r[i].kind == kind) &&
		    (!obj || c->r[i].object == obj))
			n++;
	return n;
}

/* VMA records of @kind for @pages pages at object page @pgoff (and at
 * @address, unless 0) */
static size_t count_vma(const struct cap *c, unsigned int kind,
			uint64_t pgoff, uint64_t pages, uint64_t address)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->r[i].kind == kind && c->r[i].pgoff == pgoff &&
		    c->r[i].aux == pages &&
		    (!address || c->r[i].address == address))
			n++;
	return n;
}

static uint64_t lost(const struct cap *c)
{
	size_t i;
	uint64_t n = 0;

	for (i = 0; i < c->n; i++)
		if (c->r[i].kind == IVMA_EV_LOST)
			n += c->r[i].aux;
	return n;
}

/* the @k-th origin (0-based) of @kind whose path is @path (NULL: any) */
static const struct origin *origin_nth(const struct cap *c, unsigned int kind,
				       const char *path, int k)
{
	const struct origin_table *t = &c->rd.origins;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == kind &&
		    (!path || !strcmp(t->v[i].path ? t->v[i].path : "", path)) &&
		    k-- == 0)
			return &t->v[i];
	return NULL;
}

static int norigins(const struct cap *c, unsigned int kind, const char *path)
{
	int k = 0;

	while (origin_nth(c, kind, path, k))
		k++;
	return k;
}

/*
 * The pages with FILE_READ records of object @obj as a sorted list in
 * @pages; each page at most once, else -1. Returns how many.
 */
static int read_pages(const struct cap *c, uint64_t obj, uint64_t *pages,
		      int max)
{
	int n = 0, i, j;
	size_t k;

	for (k = 0; k < c->n; k++) {
		const struct ivma_record *r = &c->r[k];

		if (r->kind != IVMA_EV_FILE_READ || r->object != obj)
			continue;
		for (i = 0; i < n; i++)
			if (pages[i] == r->pgoff)
				return -1;
		if (n == max)
			return -1;
		for (i = n; i > 0 && pages[i - 1] > r->pgoff; i--)
			pages[i] = pages[i - 1];
		pages[i] = r->pgoff;
		n++;
	}
	for (j = 1; j < n; j++)
		if (pages[j - 1] >= pages[j])
			return -1;
	return n;
}

/* One run: its status, output and capture. */
struct res {
	int status;
	char *out, *err;
	struct cap c;
};

static void res_run(struct res *r, char *const args[])
{
	r->status = ivma_run_wait(ivma_run_start(args, NULL, 0));
	r->out = file_text(OUT);
	r->err = file_text(ERR);
	cap_load(&r->c, CAP);
}

static void res_free(struct res *r)
{
	free(r->out);
	free(r->err);
	cap_drop(&r->c);
}

#define RUNR(r, ...) res_run((r), (char *const[]){ __VA_ARGS__, NULL })

/* /tmp/ivma-run-TAG: @len bytes of rp_byte() */
static const char *make_data(const char *tag, size_t len)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];
	unsigned char *buf = malloc(len ? len : 1);
	size_t i;
	int fd;

	snprintf(p, 128, "/tmp/ivma-run-%s", tag);
	for (i = 0; i < len; i++)
		buf[i] = rp_byte(i);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		p = NULL;
	if (fd >= 0)
		close(fd);
	free(buf);
	return p;
}

static long psz(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* ------------------------------------------------------------------ */
/* file mappings */

/* The pages a program touches, and only those, are read from the file. */
/*
 * Every test runs whole programs, some many times, under TCG on a host
 * that may be busy: 120 s each (the harness's default is 30 s).
 */
FIXTURE(run) {
	int unused;
};

FIXTURE_SETUP(run)
{
	(void)self;
}

FIXTURE_TEARDOWN(run)
{
	(void)self;
}

/*
 * Whole programs under TCG: git and sort take 20-60 s on a quiet host and
 * more than 120 s on a busy one; the limit ends a hang, it times nothing.
 */
#define RUN_TEST(name) TEST_F_TIMEOUT(run, name, 400)

RUN_TEST(file_pages_touched)
{
	const char *f = make_data("touch", 16 * psz());
	const struct origin *g;
	uint64_t pages[32];
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog", "touch",
	     (char *)f, "0", "3", "7", "15", "3");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "sum "));
	ASSERT_TRUE(r.c.ok);
	ASSERT_EQ(1, norigins(&r.c, ORIGIN_FILE, f));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	EXPECT_EQ(0, g->file_offset);
	EXPECT_EQ(16 * psz(), g->length);
	EXPECT_EQ(16 * psz(), g->size);
	EXPECT_NE(0, g->address);
	EXPECT_STREQ("run_test", g->comm);
	EXPECT_STREQ(self_bin, g->program);
	ASSERT_EQ(4, read_pages(&r.c, g->object, pages, 32));
	EXPECT_EQ(0, pages[0]);
	EXPECT_EQ(3, pages[1]);
	EXPECT_EQ(7, pages[2]);
	EXPECT_EQ(15, pages[3]);
	EXPECT_EQ(1, count(&r.c, IVMA_EV_MMAP, g->object));
	EXPECT_EQ(1, count(&r.c, IVMA_EV_VMA_CLOSE, g->object));
	EXPECT_EQ(1, count(&r.c, IVMA_EV_OBJ_DESTROY, g->object));
	EXPECT_EQ(0, lost(&r.c));
	res_free(&r);
}

/* A mapping at a file offset is an object of that section. */
RUN_TEST(file_offset_section)
{
	const char *f = make_data("offset", 10 * psz());
	const struct origin *g;
	uint64_t pages[8];
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "offset", (char *)f, "4", "3");
	ASSERT_EQ(0, r.status);
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(4 * psz(), g->file_offset);
	EXPECT_EQ(3 * psz(), g->length);
	EXPECT_EQ(ORIGIN_F_SHARED, g->flags);
	ASSERT_EQ(3, read_pages(&r.c, g->object, pages, 8));
	EXPECT_EQ(2, pages[2]);	/* object pages: 0, 1, 2 = file pages 4-6 */
	res_free(&r);
}

/* A file that is not chosen stays native, without a word. */
RUN_TEST(unchosen_file_native)
{
	const char *f = make_data("chosen", 4 * psz());
	const char *g = make_data("other", 4 * psz());
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog", "touch",
	     (char *)g, "0", "1");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, r.c.rd.origins.n);
	EXPECT_EQ(0, r.c.n);
	EXPECT_EQ(NULL, strstr(r.err, "(run_test): native"));
	res_free(&r);
}

/* A glob chooses files too; ** crosses directories. */
RUN_TEST(file_glob)
{
	const char *f = make_data("glob.dat", 4 * psz());
	struct res r;

	RUNR(&r, "--file", "/tmp/**-glob.d?t", "--", self_bin, "prog",
	     "touch", (char *)f, "1");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(1, norigins(&r.c, ORIGIN_FILE, f));
	res_free(&r);
	RUNR(&r, "--file", "/*-glob.dat", "--", self_bin, "prog",
	     "touch", (char *)f, "1");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, r.c.rd.origins.n);
	res_free(&r);
}

/* MAP_SHARED + PROT_WRITE stays native without --shared-write: read(2)
 * sees the mapping's writes at once, as natively; reported. */
RUN_TEST(shared_write_native)
{
	const char *f = make_data("sharedw", 4 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "sharedw", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "read(2) right after coherent"));
	EXPECT_NE(NULL, strstr(r.err, "shared writable"));
	EXPECT_EQ(0, norigins(&r.c, ORIGIN_FILE, f));
	g = origin_nth(&r.c, ORIGIN_NATIVE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_NE(NULL, strstr(g->note, "--shared-write"));
	EXPECT_EQ(ORIGIN_F_SHARED, g->flags);
	res_free(&r);
}

/* With --shared-write it is an object: its writes reach the file when
 * written back (msync MS_ASYNC is made synchronous); read(2) before that
 * does not see them, which is why it needs the option. */
RUN_TEST(shared_write_routed)
{
	const char *f = make_data("sharedw2", 4 * psz());
	const struct origin *g;
	char buf[8] = "";
	struct res r;
	int fd;

	RUNR(&r, "--file", (char *)f, "--shared-write", "--",
	     self_bin, "prog", "sharedw", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "read(2) right after stale"));
	EXPECT_NE(NULL, strstr(r.out, "read(2) after MS_ASYNC coherent"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(ORIGIN_PROT_READ | ORIGIN_PROT_WRITE, g->prot);
	EXPECT_EQ(1, count(&r.c, IVMA_EV_DIRTY, g->object));
	EXPECT_LE(1, count(&r.c, IVMA_EV_WRITEBACK, g->object));
	fd = open(f, O_RDONLY);
	ASSERT_EQ(7, pread(fd, buf, 7, 0));
	close(fd);
	EXPECT_EQ(0, memcmp(buf, "written", 7));
	res_free(&r);
}

/* Past the end of the file: the last partial page reads zeros after the
 * end, pages wholly past it get SIGBUS, as natively (they stay native). */
RUN_TEST(past_eof_sigbus)
{
	const char *f = make_data("eof", psz() + 100);
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog", "eof",
	     (char *)f, "4");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(rp_byte(psz() - 1), out_val(r.out, "page 0 last byte"));
	EXPECT_EQ(0, out_val(r.out, "page 1 last byte"));
	EXPECT_NE(NULL, strstr(r.out, "page 2 SIGBUS"));
	EXPECT_NE(NULL, strstr(r.out, "page 3 SIGBUS"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(2 * psz(), g->size);
	EXPECT_EQ(psz() + 100, g->length);
	EXPECT_EQ(2, count(&r.c, IVMA_EV_FILE_READ, g->object));
	res_free(&r);
	/* wholly past the end: native (SIGBUS at the first touch), said */
	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "offset", (char *)f, "3", "1");
	ASSERT_EQ(128 + SIGBUS, r.status);
	g = origin_nth(&r.c, ORIGIN_NATIVE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_NE(NULL, strstr(g->note, "past the end"));
	res_free(&r);
}

/* A chosen path that is not a regular file stays native, and is said. */
RUN_TEST(not_regular_native)
{
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", "/dev/zero", "--", self_bin, "prog",
	     "devzero");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "zero 1 0"));
	g = origin_nth(&r.c, ORIGIN_NATIVE, "/dev/zero", 0);
	ASSERT_NE(NULL, g);
	EXPECT_NE(NULL, strstr(g->note, "not a regular file"));
	res_free(&r);
}

/* MAP_FIXED maps the object exactly there, over a reservation. */
RUN_TEST(map_fixed)
{
	const char *f = make_data("fixed", 8 * psz());
	const struct origin *g;
	struct res r;
	size_t i;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog", "fixed",
	     (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(1, out_val(r.out, "byte"));
	EXPECT_EQ(-SIGSEGV, out_val(r.out, "before"));
	EXPECT_EQ(-SIGSEGV, out_val(r.out, "after"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(psz(), g->file_offset);
	EXPECT_EQ((uint64_t)out_val(r.out, "address"), g->address);
	for (i = 0; i < r.c.n; i++)
		if (r.c.r[i].kind == IVMA_EV_FILE_READ)
			EXPECT_EQ(g->address + psz(), r.c.r[i].address);
	res_free(&r);
}

/* MAP_POPULATE reads every page at mmap time. */
RUN_TEST(map_populate)
{
	const char *f = make_data("populate", 6 * psz());
	const struct origin *g;
	uint64_t pages[8];
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "populate", (char *)f, "6");
	ASSERT_EQ(0, r.status);
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(6, read_pages(&r.c, g->object, pages, 8));
	res_free(&r);
}

/* MAP_NORESERVE, private and writable: a write is the program's copy. */
RUN_TEST(map_noreserve_cow)
{
	const char *f = make_data("noreserve", 2 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "noreserve", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "mine ! file 1"));
	ASSERT_EQ(2, norigins(&r.c, ORIGIN_FILE, f));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	EXPECT_EQ(1, count(&r.c, IVMA_EV_COW, g->object));
	res_free(&r);
}

/* What the module refuses, and what an object's mapping cannot keep,
 * stays native and is reported. */
RUN_TEST(refused_native)
{
	const struct origin *g;
	struct res r;

	RUNR(&r, "--anon", "--", self_bin, "prog", "refused");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "big 0 locked 0"));
	EXPECT_EQ(0, norigins(&r.c, ORIGIN_ANON, NULL));
	ASSERT_EQ(2, norigins(&r.c, ORIGIN_NATIVE, NULL));
	g = origin_nth(&r.c, ORIGIN_NATIVE, NULL, 0);
	EXPECT_NE(NULL, strstr(g->note, "max_object_mb"));
	EXPECT_EQ((uint64_t)32 << 30, g->size);
	g = origin_nth(&r.c, ORIGIN_NATIVE, NULL, 1);
	EXPECT_NE(NULL, strstr(g->note, "MAP_LOCKED"));
	EXPECT_NE(NULL, strstr(r.err, "max_object_mb"));
	res_free(&r);
}

/* A file that grows under a mapping: reported at the end. */
RUN_TEST(file_changed_reported)
{
	const char *f = make_data("grow", 2 * psz() + 50);
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog", "grow",
	     (char *)f);
	ASSERT_EQ(0, r.status);
	/* the object's last page was read before the append: zeros, where
	 * a native mapping shows the appended bytes */
	EXPECT_EQ(0, out_val(r.out, "tail"));
	EXPECT_NE(NULL, strstr(r.err, "changed while it was mapped"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_NE(NULL, strstr(g->note, "changed while it was mapped"));
	res_free(&r);
}

/* ------------------------------------------------------------------ */
/* mremap and munmap */

RUN_TEST(mremap_shrink)
{
	const char *f = make_data("shrink", 8 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "mremap-shrink", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, out_val(r.out, "pages"));
	EXPECT_EQ(-SIGSEGV, out_val(r.out, "gone"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	/* the 4 pages cut off */
	EXPECT_EQ(1, count_vma(&r.c, IVMA_EV_VMA_CLOSE, 4, 4, 0));
	res_free(&r);
}

RUN_TEST(mremap_move)
{
	const char *f = make_data("move", 8 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "mremap-move", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, out_val(r.out, "pages"));
	EXPECT_EQ(-SIGSEGV, out_val(r.out, "old"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(1, count_vma(&r.c, IVMA_EV_VMA_OPEN, 0, 8,
			       (uint64_t)out_val(r.out, "address")));
	EXPECT_EQ(8, count(&r.c, IVMA_EV_FILE_READ, g->object));
	res_free(&r);
}

/* Growing an anonymous mapping keeps it routed: a second object in place,
 * then a copy into a new object when it has to move. */
RUN_TEST(mremap_grow_anon)
{
	const struct origin *g;
	struct res r;

	RUNR(&r, "--anon", "--anon-min", "64K", "--", self_bin,
	     "prog", "mremap-grow-anon", "262144");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(1, out_val(r.out, "blocked"));
	EXPECT_EQ(1, out_val(r.out, "in-place fails"));
	EXPECT_EQ(1, out_val(r.out, "moved"));
	/* 256K, its 256K extension, then 768K moved */
	ASSERT_EQ(3, norigins(&r.c, ORIGIN_ANON, NULL));
	g = origin_nth(&r.c, ORIGIN_ANON, NULL, 0);
	EXPECT_STREQ("mmap", g->label);
	EXPECT_EQ(262144, g->size);
	g = origin_nth(&r.c, ORIGIN_ANON, NULL, 1);
	EXPECT_STREQ("mremap", g->label);
	g = origin_nth(&r.c, ORIGIN_ANON, NULL, 2);
	EXPECT_STREQ("mremap", g->label);
	EXPECT_EQ(3 * 262144, g->size);
	res_free(&r);
}

/* Growing a file mapping makes it native, the private change kept. */
RUN_TEST(mremap_grow_file)
{
	const char *f = make_data("growf", 6 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "mremap-grow-file", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "kept !"));
	EXPECT_EQ(0, out_val(r.out, "pages"));
	ASSERT_EQ(1, norigins(&r.c, ORIGIN_FILE, f));
	g = origin_nth(&r.c, ORIGIN_NATIVE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_NE(NULL, strstr(g->note, "mremap"));
	res_free(&r);
}

RUN_TEST(munmap_part)
{
	const char *f = make_data("part", 8 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "munmap-part", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(-SIGSEGV, out_val(r.out, "hole"));
	EXPECT_NE(NULL, strstr(r.out, "rest 0 0"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(1, count_vma(&r.c, IVMA_EV_VMA_CLOSE, 2, 2, 0));
	EXPECT_LE(1, count(&r.c, IVMA_EV_VMA_OPEN, g->object));
	res_free(&r);
}

/* ------------------------------------------------------------------ */
/* fork and exec */

RUN_TEST(fork_private_file)
{
	const char *f = make_data("forkf", 2 * psz());
	const struct origin *g;
	struct res r;
	size_t i, child_faults = 0;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "fork-file", (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "child 0 parent P"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	for (i = 0; i < r.c.n; i++)
		if (r.c.r[i].pid == (uint32_t)out_val(r.out, "childpid") &&
		    r.c.r[i].object == g->object)
			child_faults++;
	EXPECT_LE(1, child_faults);	/* the child's read of page 1 */
	res_free(&r);
}

/* Private anonymous memory: the child gets a native copy at fork (the
 * parent's later writes do not reach it, its writes not the parent). */
RUN_TEST(fork_anon_private)
{
	const struct origin *g;
	struct res r;

	RUNR(&r, "--anon", "--anon-min", "64K", "--", self_bin,
	     "prog", "fork-anon", "131072", "private");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "child 0 parent A"));
	ASSERT_EQ(1, norigins(&r.c, ORIGIN_ANON, NULL));
	g = origin_nth(&r.c, ORIGIN_NATIVE, NULL, 0);
	ASSERT_NE(NULL, g);
	EXPECT_STREQ("fork", g->label);
	EXPECT_EQ((uint32_t)out_val(r.out, "childpid"), g->pid);
	EXPECT_NE(NULL, strstr(g->note, "pages of object"));
	res_free(&r);
}

/* Shared anonymous memory stays shared with the child, as natively. */
RUN_TEST(fork_anon_shared)
{
	struct res r;

	RUNR(&r, "--anon", "--anon-min", "64K", "--", self_bin,
	     "prog", "fork-anon", "131072", "shared");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "child 0 parent C"));
	EXPECT_EQ(1, norigins(&r.c, ORIGIN_ANON, NULL));
	EXPECT_EQ(0, norigins(&r.c, ORIGIN_NATIVE, NULL));
	res_free(&r);
}

/* MADV_WIPEONFORK: the child's copy is zero. */
RUN_TEST(madvise_wipeonfork)
{
	char *out;

	ASSERT_EQ(0, RUN("--anon", "--anon-min", "64K", "--", self_bin,
			 "prog", "wipeonfork", "131072"));
	out = file_text(OUT);
	EXPECT_EQ(0, out_val(out, "madvise"));
	EXPECT_NE(NULL, strstr(out, "child 0 parent w"));
	free(out);
}

/* An exec'd child loads the library too: its objects are in the
 * capture under its pid; with --no-children it runs natively. */
RUN_TEST(exec_child)
{
	const char *f = make_data("exec", 4 * psz());
	const struct origin *g;
	struct res r;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "exec-child", self_bin, (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "child 0"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ((uint32_t)out_val(r.out, "childpid"), g->pid);
	EXPECT_EQ(2, count(&r.c, IVMA_EV_FILE_READ, g->object));
	res_free(&r);

	RUNR(&r, "--file", (char *)f, "--no-children", "--",
	     self_bin, "prog", "exec-child", self_bin, (char *)f);
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, norigins(&r.c, ORIGIN_FILE, f));
	res_free(&r);
}

/* ------------------------------------------------------------------ */
/* anonymous memory, malloc, madvise */

/* A budget smaller than the memory: evictions, swap-outs, swap-ins, and
 * the data intact. */
RUN_TEST(anon_budget_swap)
{
	const struct origin *g;
	struct res r;

	RUNR(&r, "--anon", "--frames", "16", "--", self_bin, "prog",
	     "anon", "1048576");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "pages 256 ok"));
	g = origin_nth(&r.c, ORIGIN_ANON, NULL, 0);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(256, count(&r.c, IVMA_EV_ZERO_FILL, g->object));
	EXPECT_LE(240, count(&r.c, IVMA_EV_EVICT, g->object));
	EXPECT_LE(240, count(&r.c, IVMA_EV_SWAP_OUT, g->object));
	EXPECT_LE(240, count(&r.c, IVMA_EV_SWAP_IN, g->object));
	res_free(&r);
}

/* glibc's malloc maps large blocks by itself, out of reach of an mmap
 * hook: the library serves them, one object per block, freed by free(). */
RUN_TEST(malloc_block)
{
	const struct origin *g;
	struct res r;
	int i, n;

	RUNR(&r, "--anon", "--anon-min", "1M", "--", self_bin, "prog",
	     "malloc", "2097152");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(1, out_val(r.out, "usable"));
	EXPECT_NE(NULL, strstr(r.out, "malloc ok"));
	/* malloc, realloc's new block, calloc, posix_memalign */
	n = norigins(&r.c, ORIGIN_ANON, NULL);
	EXPECT_EQ(4, n);
	for (i = 0; i < n; i++) {
		g = origin_nth(&r.c, ORIGIN_ANON, NULL, i);
		EXPECT_STREQ("malloc", g->label);
		EXPECT_EQ(1, count(&r.c, IVMA_EV_OBJ_DESTROY, g->object));
	}
	res_free(&r);
}

/* MADV_DONTNEED of private memory: zeros afterwards, as natively. */
RUN_TEST(madvise_dontneed)
{
	char *out;

	ASSERT_EQ(0, RUN("--anon", "--anon-min", "64K", "--", self_bin,
			 "prog", "dontneed", "131072"));
	out = file_text(OUT);
	EXPECT_EQ(4, out_val(out, "zero pages"));
	EXPECT_EQ(0, out_val(out, "free"));
	EXPECT_NE(NULL, strstr(out, "after free d"));
	EXPECT_EQ(1, out_val(out, "prot kept"));
	free(out);
}

/* ------------------------------------------------------------------ */
/* threads, signals, losses */

RUN_TEST(threads)
{
	const char *f = make_data("threads", 2 * psz());
	struct res r;

	RUNR(&r, "--file", (char *)f, "--anon", "--", self_bin, "prog",
	     "threads", (char *)f, "4", "25");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "maps 100 errors 0"));
	EXPECT_EQ(100, norigins(&r.c, ORIGIN_FILE, f));
	EXPECT_EQ(100, norigins(&r.c, ORIGIN_ANON, NULL));
	EXPECT_EQ(0, norigins(&r.c, ORIGIN_NATIVE, NULL));
	EXPECT_EQ(200, count(&r.c, IVMA_EV_OBJ_DESTROY, 0));
	res_free(&r);
}

/* mmap from a signal handler that interrupts mmap in the main flow. */
RUN_TEST(signal_handler_mmap)
{
	const char *f = make_data("signal", 2 * psz());
	struct res r;
	long maps, handler;

	RUNR(&r, "--file", (char *)f, "--", self_bin, "prog",
	     "signal", (char *)f, "60");
	ASSERT_EQ(0, r.status);
	maps = out_val(r.out, "maps");
	EXPECT_EQ(60, maps);
	handler = strstr(r.out, "handler ") ? strtol(strstr(r.out, "handler ") + 8,
						   NULL, 10) : -1;
	EXPECT_LE(1, handler);
	EXPECT_EQ(maps + handler, norigins(&r.c, ORIGIN_FILE, f));
	res_free(&r);
}

/* A ring that overflows: the loss is in the capture, exactly. */
RUN_TEST(lost_records)
{
	const char *f = make_data("lossy", 512 * psz());
	int ready[2], go[2], keep[2];
	char rs[16], gs[16], ch;
	struct cap c;
	pid_t pid;
	size_t i, delivered = 0;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	snprintf(rs, sizeof(rs), "%d", ready[1]);
	snprintf(gs, sizeof(gs), "%d", go[0]);
	keep[0] = ready[1];
	keep[1] = go[0];
	find_bins();
	pid = ivma_run_start((char *const[]){ "--file", (char *)f, "--size",
		"4K", "--", self_bin, "prog", "lossy", (char *)f, "512", rs,
		gs, NULL }, keep, 2);
	ASSERT_LT(0, pid);
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &ch, 1));
	/* ivma run stops reading while the program faults: a 64-record
	 * ring cannot hold 512 faults */
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(ready[0], &ch, 1));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(0, ivma_run_wait(pid));
	cap_load(&c, CAP);
	EXPECT_LT(0, lost(&c));
	for (i = 0; i < c.n; i++)
		if (c.r[i].kind != IVMA_EV_LOST)
			delivered++;
	/* mmap, 512 file reads, vma-close, obj-destroy */
	EXPECT_EQ(515, delivered + lost(&c));
	cap_drop(&c);
}

/* ------------------------------------------------------------------ */
/* the command itself */

/* /tmp/ivma-run-bin/NAME: a copy of @src, mode 0755 (the build tree may
 * be out of another user's reach) */
static int copy_bin(const char *src, const char *name, char *dst, size_t n)
{
	char cmd[4 * PATH_MAX + 256];

	snprintf(dst, n, "/tmp/ivma-run-bin/%s", name);
	snprintf(cmd, sizeof(cmd), "mkdir -p -m 0755 /tmp/ivma-run-bin && "
		 "cp '%s' '%s' && chmod 0755 '%s'", src, dst, dst);
	return system(cmd);
}

/* An unprivileged user runs a program under ivma run: no capability is
 * needed (the objects are its own; the rings count against ivma run's
 * RLIMIT_MEMLOCK). */
RUN_TEST(unprivileged_user)
{
	char ivma[PATH_MAX], lib[PATH_MAX], prog[PATH_MAX], saved[PATH_MAX];
	char src[PATH_MAX + 32];
	const struct origin *g;
	struct res r;

	find_bins();
	snprintf(src, sizeof(src), "%s/libivma-preload.so",
		 dirname(strcpy(saved, ivma_bin)));
	ASSERT_EQ(0, copy_bin(src, "libivma-preload.so", lib, sizeof(lib)));
	ASSERT_EQ(0, copy_bin(ivma_bin, "ivma", ivma, sizeof(ivma)));
	ASSERT_EQ(0, copy_bin(self_bin, "run_test", prog, sizeof(prog)));
	unlink(OUT);
	unlink(ERR);
	snprintf(saved, sizeof(saved), "%s", ivma_bin);
	snprintf(ivma_bin, sizeof(ivma_bin), "%s", ivma);
	run_uid = 65534;
	RUNR(&r, "--anon", "--anon-min", "64K", "--frames", "8", "--", prog,
	     "prog", "anon",
	     "262144");
	run_uid = 0;
	snprintf(ivma_bin, sizeof(ivma_bin), "%s", saved);
	ASSERT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "pages 64 ok"));
	g = origin_nth(&r.c, ORIGIN_ANON, NULL, 0);
	ASSERT_NE(NULL, g);
	EXPECT_LT(0, count(&r.c, IVMA_EV_SWAP_OUT, g->object));
	{
		struct stat st;

		ASSERT_EQ(0, stat(CAP, &st));	/* written by that user */
		EXPECT_EQ(65534, st.st_uid);
	}
	res_free(&r);
}

RUN_TEST(exit_status_and_signal)
{
	const char *f = make_data("status", psz());

	EXPECT_EQ(7, RUN("--file", (char *)f, "--", self_bin, "prog", "exit",
			 "7"));
	EXPECT_EQ(128 + SIGUSR1, RUN("--file", (char *)f, "--", self_bin,
				     "prog", "kill", "10"));
	EXPECT_EQ(127, RUN("--file", (char *)f, "--", "/nonexistent/prog"));
	EXPECT_EQ(2, RUN("--", self_bin, "prog", "exit", "0"));
	EXPECT_EQ(2, RUN("--file", (char *)f));
	EXPECT_EQ(2, RUN("--file", (char *)f, "--size", "5000", "--", "true"));
}

/* ------------------------------------------------------------------ */
/* programs of the Debian system */

/* cmp of two files, byte for byte */
static int same_file(const char *a, const char *b)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", a, b);
	return system(cmd) == 0;
}

/* glibc's iconv maps its input and reads all of it: every page once. */
RUN_TEST(iconv_whole_file)
{
	const char *f = make_data("iconv", 40 * psz() + 123);
	const struct origin *g;
	uint64_t pages[64];
	struct res r;
	char cmd[256];
	int i;

	RUNR(&r, "--file", (char *)f, "--", "iconv", "-f", "LATIN1",
	     "-t", "UTF-8", (char *)f);
	ASSERT_EQ(0, r.status);
	snprintf(cmd, sizeof(cmd), "iconv -f LATIN1 -t UTF-8 %s > %s.native",
		 f, OUT);
	ASSERT_EQ(0, system(cmd));
	EXPECT_TRUE(same_file(OUT, OUT ".native"));
	g = origin_nth(&r.c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	EXPECT_STREQ("iconv", g->comm);
	ASSERT_EQ(41, read_pages(&r.c, g->object, pages, 64));
	for (i = 0; i < 41; i++)
		EXPECT_EQ(i, pages[i]);
	res_free(&r);
}

/* iconv stops at an invalid byte: the pages after it are never read. */
RUN_TEST(iconv_stops_early)
{
	const char *f = make_data("iconv-bad", 32 * psz());
	const struct origin *g;
	uint64_t pages[64];
	struct cap c;
	char cmd[256];
	int fd, i, st;

	fd = open(f, O_WRONLY);
	ASSERT_EQ(1, pwrite(fd, "\xff", 1, 9 * psz() + 2000));
	close(fd);
	st = RUN("--file", (char *)f, "--", "iconv", "-f", "UTF-8", "-t",
		 "UTF-16", (char *)f);
	snprintf(cmd, sizeof(cmd), "iconv -f UTF-8 -t UTF-16 %s > %s.native "
		 "2>/dev/null", f, OUT);
	EXPECT_EQ(WEXITSTATUS(system(cmd)), st);
	EXPECT_EQ(1, st);
	EXPECT_TRUE(same_file(OUT, OUT ".native"));
	cap_load(&c, CAP);
	g = origin_nth(&c, ORIGIN_FILE, f, 0);
	ASSERT_NE(NULL, g);
	ASSERT_EQ(10, read_pages(&c, g->object, pages, 64));
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i, pages[i]);
	cap_drop(&c);
}

/* git reads its packfiles and index through mmap: same output. */
RUN_TEST(git_unchanged)
{
	char cmd[1024];
	struct res r;
	int packs;

	if (system("command -v git >/dev/null"))
		SKIP(return, "git is not installed (selftests/rig/install-deps)");
	ASSERT_EQ(0, system(
		"set -e; rm -rf /tmp/ivma-git; mkdir /tmp/ivma-git; "
		"cd /tmp/ivma-git; git init -q .; "
		"for i in $(seq 1 40); do seq $i 3000 > f$i; done; "
		"git add .; git -c user.name=t -c user.email=t@t commit -qm one; "
		"for i in $(seq 1 40 | sed -n 'p;n'); do echo x >> f$i; done; "
		"git -c user.name=t -c user.email=t@t commit -qam two; "
		"git gc -q; ls .git/objects/pack/*.pack >/dev/null"));
	RUNR(&r, "--file", "/tmp/ivma-git/.git/objects/pack/*",
	     "--file", "/tmp/ivma-git/.git/index", "--", "git",
	     "-C", "/tmp/ivma-git", "log", "-p", "--stat");
	ASSERT_EQ(0, r.status);
	snprintf(cmd, sizeof(cmd), "git -C /tmp/ivma-git log -p --stat > "
		 "%s.native", OUT);
	ASSERT_EQ(0, system(cmd));
	EXPECT_TRUE(same_file(OUT, OUT ".native"));
	packs = 0;
	while (origin_nth(&r.c, ORIGIN_FILE, NULL, packs))
		packs++;
	EXPECT_LE(2, packs);	/* at least the .idx and the .pack */
	EXPECT_LT(0, count(&r.c, IVMA_EV_FILE_READ, 0));
	EXPECT_EQ(0, lost(&r.c));
	res_free(&r);
}

/* sort's buffer is one large malloc block: with --anon and a budget far
 * smaller, the output is the same and the buffer pages in and out. */
RUN_TEST(sort_anon_budget)
{
	const char *f = "/tmp/ivma-run-sort";
	const struct origin *g;
	struct res r;
	char cmd[256];
	int i;

	snprintf(cmd, sizeof(cmd), "seq 1 60000 | sed 's/$/ line/' | tac > %s", f);
	ASSERT_EQ(0, system(cmd));
	RUNR(&r, "--anon", "--frames", "64", "--", "sort",
	     (char *)f);
	ASSERT_EQ(0, r.status);
	snprintf(cmd, sizeof(cmd), "sort %s > %s.native", f, OUT);
	ASSERT_EQ(0, system(cmd));
	EXPECT_TRUE(same_file(OUT, OUT ".native"));
	ASSERT_LE(1, norigins(&r.c, ORIGIN_ANON, NULL));
	for (i = 0; (g = origin_nth(&r.c, ORIGIN_ANON, NULL, i)); i++)
		if (count(&r.c, IVMA_EV_SWAP_OUT, g->object))
			break;
	ASSERT_NE(NULL, g);
	EXPECT_STREQ("sort", g->comm);
	EXPECT_LT(0, count(&r.c, IVMA_EV_EVICT, g->object));
	EXPECT_LT(0, count(&r.c, IVMA_EV_SWAP_IN, g->object));
	EXPECT_EQ(0, lost(&r.c));
	res_free(&r);
}

#define main run_test_harness_main
TEST_HARNESS_MAIN
#undef main

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "prog"))
		return rp_main(argc - 2, argv + 2);
	return run_test_harness_main(argc, argv);
}
