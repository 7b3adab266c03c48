// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs tables (objects, users, obj/<id>/pages, obj/<id>/vmas, log,
 * stats):
 * their exact formats, cross-checked against IVMA_IOC_QUERY, the fault log,
 * IVMA_IOC_LOG_STATS and each other after scripted scenarios; their modes;
 * per-object directories that come and go with their object; and reading
 * every table while other processes create, map and destroy objects.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define REC sizeof(struct ivma_record)

#define OBJECTS_HDR "id pid comm uid kind offset length size resident dirty " \
	"swapped vmas faults ev_zero-fill ev_file-read ev_zero-pad " \
	"ev_swap-in ev_resident ev_cow ev_dirty ev_writeback frames policy path"
#define PAGES_HDR "pgoff state mapcount"
#define VMAS_HDR "pid start-end flags prot pgoff"
#define LOG_HDR "pid object size used produced delivered lost state"
#define STATS_HDR "name value"
#define USERS_HDR "uid objects unlimited pages max_pages slots max_slots " \
	"ev_user-cap ev_swap-quota"

/* objects columns that are event counts, and their kinds */
static const struct {
	const char *col;
	enum ivma_event_kind kind;
} fault_cols[] = {
	{ "ev_zero-fill",	IVMA_EV_ZERO_FILL },
	{ "ev_file-read",	IVMA_EV_FILE_READ },
	{ "ev_zero-pad",	IVMA_EV_ZERO_PAD },
	{ "ev_swap-in",		IVMA_EV_SWAP_IN },
	{ "ev_resident",	IVMA_EV_RESIDENT },
	{ "ev_cow",		IVMA_EV_COW },
	{ "ev_dirty",		IVMA_EV_DIRTY },
	{ "ev_writeback",	IVMA_EV_WRITEBACK },
};

/* the rows of stats, in order, after objects_live, objects_ever, pages */
static const struct {
	const char *name;
	enum ivma_event_kind kind;
} stat_kinds[] = {
	{ "ev_zero-fill", IVMA_EV_ZERO_FILL },	{ "ev_file-read", IVMA_EV_FILE_READ },
	{ "ev_zero-pad", IVMA_EV_ZERO_PAD },	{ "ev_resident", IVMA_EV_RESIDENT },
	{ "ev_cow", IVMA_EV_COW },		{ "ev_dirty", IVMA_EV_DIRTY },
	{ "ev_writeback", IVMA_EV_WRITEBACK },	{ "ev_evict", IVMA_EV_EVICT },
	{ "ev_swap-out", IVMA_EV_SWAP_OUT },	{ "ev_swap-in", IVMA_EV_SWAP_IN },
	{ "ev_skip-pinned", IVMA_EV_SKIP_PINNED }, { "ev_no-swap", IVMA_EV_NO_SWAP },
	{ "ev_user-cap", IVMA_EV_USER_CAP },	{ "ev_swap-quota", IVMA_EV_SWAP_QUOTA },
	{ "ev_obj-create", IVMA_EV_OBJ_CREATE }, { "ev_obj-destroy", IVMA_EV_OBJ_DESTROY },
	{ "ev_mmap", IVMA_EV_MMAP },		{ "ev_vma-open", IVMA_EV_VMA_OPEN },
	{ "ev_vma-close", IVMA_EV_VMA_CLOSE },
};

#define NSTAT_KINDS ARRAY_SIZE(stat_kinds)
#define NFAULT_COLS ARRAY_SIZE(fault_cols)

/* ---- reading and parsing the tables ---- */

#define MAX_COLS 32

struct row {
	char *col[MAX_COLS];
};

/*
 * A table as read: the header line, its column names, the rows. A row
 * whose number of words differs from the header's, an empty word (two
 * spaces in a row) or a last line without '\n' counts in bad.
 */
struct table {
	char *buf;
	char *header;
	char *hdr[MAX_COLS];
	int ncols;
	int nrows;
	struct row *rows;
	int bad;
};

static void table_free(struct table *t)
{
	free(t->buf);
	free(t->header);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* The whole file at @path into a NUL-terminated buffer: length or -errno. */
static ssize_t slurp(const char *path, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;
	int fd, err;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	for (;;) {
		if (cap - len < 2) {
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		/* small reads: a table is read in many calls */
		n = read(fd, buf + len, cap - len - 1 < 1000 ? cap - len - 1 : 1000);
		if (n < 0) {
			err = -errno;
			goto fail;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return len;
fail:
	close(fd);
	free(buf);
	return err;
}

static int split_words(char *line, char **words)
{
	int n = 0, bad = 0;
	char *w;

	while ((w = strsep(&line, " "))) {
		if (!*w)
			bad = 1;
		if (n < MAX_COLS)
			words[n] = w;
		n++;
	}
	return bad || n > MAX_COLS ? -1 : n;
}

static int table_parse(struct table *t, char *buf, size_t len)
{
	char *line, *p = buf;
	int n;

	memset(t, 0, sizeof(*t));
	t->buf = buf;
	if (!len || buf[len - 1] != '\n')
		t->bad++;
	else
		buf[len - 1] = '\0';
	line = strsep(&p, "\n");
	t->header = strdup(line ? line : "");
	if (!t->header)
		return -ENOMEM;
	t->ncols = split_words(line, t->hdr);
	if (t->ncols < 0)
		return -EINVAL;
	t->rows = calloc(len / 2 + 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	while ((line = strsep(&p, "\n"))) {
		struct row *r = &t->rows[t->nrows];

		n = split_words(line, r->col);
		if (n != t->ncols) {
			t->bad++;
			continue;
		}
		t->nrows++;
	}
	return 0;
}

/* IVMA_DEBUGFS/@name, parsed: 0 or -errno (reading or parsing) */
static int table_read(const char *name, struct table *t)
{
	char path[256], *buf = NULL;
	ssize_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	len = slurp(path, &buf);
	if (len < 0) {
		memset(t, 0, sizeof(*t));
		return len;
	}
	ret = table_parse(t, buf, len);
	if (ret)
		table_free(t);
	return ret;
}

static int col_of(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->hdr[i], name))
			return i;
	return -1;
}

/* The cell of row @r in column @name ("" when there is no such column). */
static const char *cell(const struct table *t, int r, const char *name)
{
	int c = col_of(t, name);

	if (c < 0 || r < 0 || r >= t->nrows)
		return "";
	return t->rows[r].col[c];
}

/* a decimal cell; ~0 when it is not a whole decimal number */
static uint64_t ucell(const struct table *t, int r, const char *name)
{
	const char *s = cell(t, r, name);
	char *end;
	uint64_t v;

	if (!*s || *s == '-')
		return ~0ULL;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno || *end ? ~0ULL : v;
}

/* the first row whose column @name is @value, or -1 */
static int find_row(const struct table *t, const char *name, const char *value)
{
	int r;

	for (r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, name), value))
			return r;
	return -1;
}

static int find_row_u64(const struct table *t, const char *name, uint64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	return find_row(t, name, s);
}

/* a stats value by name, or ~0 */
static uint64_t stat_of(const struct table *t, const char *name)
{
	return ucell(t, find_row(t, "name", name), "value");
}

/* undo the \ooo escapes of a comm or path column ("-" is empty) */
static void unescape(const char *in, char *out, size_t size)
{
	size_t n = 0;

	if (!strcmp(in, "-"))
		in = "";
	while (*in && n + 1 < size) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[n++] = (in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0');
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	out[n] = '\0';
}

static void obj_file(char *buf, size_t size, uint64_t id, const char *file)
{
	snprintf(buf, size, "obj/%llu%s%s", (unsigned long long)id,
		 file ? "/" : "", file ? file : "");
}

static uint64_t object_id(int fd)
{
	struct ivma_info info;

	if (ivma_query(fd, &info))
		return 0;
	return info.id;
}

static void self_comm(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/comm", "r");

	buf[0] = '\0';
	if (f) {
		if (fgets(buf, size, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static uint64_t count_kind(const struct ivma_record *rec, size_t n,
			   unsigned int kind)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += rec[i].kind == kind;
	return c;
}

/* ---- checks shared by the scenarios ---- */

/* Every column of objects row @r that IVMA_IOC_QUERY also reports. */
static void check_row_vs_query(struct __test_metadata *_metadata,
			       const struct table *t, int r,
			       const struct ivma_info *info)
{
	static const char * const policies[] = {
		[IVMA_POLICY_FIFO] = "fifo", [IVMA_POLICY_CLOCK] = "clock",
		[IVMA_POLICY_LRU] = "lru",
	};
	const char *kind = !(info->state & IVMA_STATE_CONFIGURED) ? "none" :
			   info->flags & IVMA_CONFIG_FILE ? "file" : "anon";
	size_t i;

	ASSERT_LE(0, r);
	EXPECT_EQ(info->id, ucell(t, r, "id"));
	EXPECT_STREQ(kind, cell(t, r, "kind"));
	EXPECT_EQ(info->file_offset, ucell(t, r, "offset"));
	EXPECT_EQ(info->section_len, ucell(t, r, "length"));
	EXPECT_EQ(info->size, ucell(t, r, "size"));
	EXPECT_EQ(info->resident, ucell(t, r, "resident"));
	EXPECT_EQ(info->dirty, ucell(t, r, "dirty"));
	EXPECT_EQ(info->swapped, ucell(t, r, "swapped"));
	EXPECT_EQ(info->vmas, ucell(t, r, "vmas"));
	EXPECT_EQ(info->faults, ucell(t, r, "faults"));
	for (i = 0; i < NFAULT_COLS; i++)
		EXPECT_EQ(info->events[fault_cols[i].kind],
			  ucell(t, r, fault_cols[i].col))
			TH_LOG("column %s", fault_cols[i].col);
	EXPECT_EQ(info->frames, ucell(t, r, "frames"));
	ASSERT_GT(IVMA_POLICY_NR, info->policy);
	EXPECT_STREQ(info->frames ? policies[info->policy] : "none",
		     cell(t, r, "policy"));
}

static int is_decimal(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int is_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* an escaped string: printable ASCII, no space */
static int is_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static int cell_ok(const char *col, const char *v)
{
	static const char *const kinds[] = { "none", "anon", "file", NULL };
	static const char *const policies[] = { "none", "fifo", "clock", "lru",
						NULL };
	static const char *const states[] = { "clean", "dirty", "swapped",
					      "live", "gone", "system", NULL };
	static const char *const flags[] = { "shared", "private", NULL };
	unsigned long start, end;
	int n = 0;

	if (!strcmp(col, "comm") || !strcmp(col, "path"))
		return is_word(v);
	if (!strcmp(col, "kind"))
		return is_one_of(v, kinds);
	if (!strcmp(col, "policy"))
		return is_one_of(v, policies);
	if (!strcmp(col, "state"))
		return is_one_of(v, states);
	if (!strcmp(col, "flags"))
		return is_one_of(v, flags);
	if (!strcmp(col, "name"))
		return is_word(v);
	if (!strcmp(col, "prot"))
		return strlen(v) == 3 && (v[0] == 'r' || v[0] == '-') &&
		       (v[1] == 'w' || v[1] == '-') && (v[2] == 'x' || v[2] == '-');
	if (!strcmp(col, "start-end"))
		return sscanf(v, "%lx-%lx%n", &start, &end, &n) == 2 &&
		       !v[n] && start < end;
	if (!strcmp(col, "pid") && !strcmp(v, "-1"))
		return 1;
	return is_decimal(v);
}

/* 0 when every cell of @t has the form of its column, else 1 + its row */
static int rows_malformed(const struct table *t)
{
	int r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (!cell_ok(t->hdr[c], t->rows[r].col[c]))
				return r + 1;
	return 0;
}

/* the pages table of object @id, checked for form */
static void read_pages(struct __test_metadata *_metadata, uint64_t id,
		       struct table *t)
{
	char name[64];

	obj_file(name, sizeof(name), id, "pages");
	ASSERT_EQ(0, table_read(name, t));
	EXPECT_STREQ(PAGES_HDR, t->header);
	EXPECT_EQ(0, t->bad);
	EXPECT_EQ(0, rows_malformed(t));
}

static void read_vmas(struct __test_metadata *_metadata, uint64_t id,
		      struct table *t)
{
	char name[64];

	obj_file(name, sizeof(name), id, "vmas");
	ASSERT_EQ(0, table_read(name, t));
	EXPECT_STREQ(VMAS_HDR, t->header);
	EXPECT_EQ(0, t->bad);
	EXPECT_EQ(0, rows_malformed(t));
}

static void read_objects(struct __test_metadata *_metadata, struct table *t)
{
	ASSERT_EQ(0, table_read("objects", t));
	EXPECT_STREQ(OBJECTS_HDR, t->header);
	EXPECT_EQ(0, t->bad);
	EXPECT_EQ(0, rows_malformed(t));
}

static void read_stats(struct __test_metadata *_metadata, struct table *t)
{
	size_t i;

	ASSERT_EQ(0, table_read("stats", t));
	EXPECT_STREQ(STATS_HDR, t->header);
	EXPECT_EQ(0, t->bad);
	EXPECT_EQ(0, rows_malformed(t));
	ASSERT_EQ(3 + NSTAT_KINDS + 2, t->nrows);
	/* the rows, in their documented order, each a number */
	EXPECT_STREQ("objects_live", cell(t, 0, "name"));
	EXPECT_STREQ("objects_ever", cell(t, 1, "name"));
	EXPECT_STREQ("pages", cell(t, 2, "name"));
	for (i = 0; i < NSTAT_KINDS; i++)
		EXPECT_STREQ(stat_kinds[i].name, cell(t, 3 + i, "name"));
	EXPECT_STREQ("bytes_read", cell(t, 3 + NSTAT_KINDS, "name"));
	EXPECT_STREQ("bytes_written", cell(t, 4 + NSTAT_KINDS, "name"));
	for (i = 0; i < (size_t)t->nrows; i++)
		EXPECT_NE(~0ULL, ucell(t, i, "value"));
}

/* the row of pages table @t for page @pgoff, or -1 */
static int page_row(const struct table *t, uint64_t pgoff)
{
	return find_row_u64(t, "pgoff", pgoff);
}

/* the vmas row for [start, start + pages) */
static int vma_row(const struct table *t, const void *start, uint64_t pages)
{
	char s[64];

	snprintf(s, sizeof(s), "%lx-%lx", (unsigned long)start,
		 (unsigned long)start + (unsigned long)(pages * PSZ));
	return find_row(t, "start-end", s);
}

static int no_tables(void)
{
	return access(IVMA_DEBUGFS "/objects", F_OK) != 0;
}

/* ---- the tests ---- */

TEST(modes)
{
	static const struct { const char *name; mode_t mode; } files[] = {
		{ "objects", 0400 }, { "users", 0400 }, { "stats", 0400 },
		{ "log", 0400 },
		{ "fail_alloc", 0600 }, { "fail_read", 0600 },
		{ "fail_write", 0600 }, { "log_enabled", 0600 },
		{ "log_default_size", 0600 },
	};
	char path[256], name[64];
	struct stat st;
	uint64_t id;
	size_t i;
	int fd;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(S_IFREG | files[i].mode, st.st_mode) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
		EXPECT_EQ(0, st.st_gid);
	}
	ASSERT_EQ(0, stat(IVMA_DEBUGFS "/obj", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));

	fd = ivma_open();
	ASSERT_LE(0, fd);
	id = object_id(fd);
	ASSERT_NE(0, id);
	obj_file(name, sizeof(name), id, NULL);
	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	for (i = 0; i < 2; i++) {
		obj_file(name, sizeof(name), id, i ? "vmas" : "pages");
		snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(S_IFREG | 0400, st.st_mode) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
	close(fd);
}

static int open_as_nobody(void *arg)
{
	const char *path = arg;
	int fd;

	if (setgid(65534) || setuid(65534))
		return 2;
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		return 1;
	return errno == EACCES ? 0 : 3;
}

TEST(root_only)
{
	char path[256], name[64];
	int fd, status;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_open();
	ASSERT_LE(0, fd);
	status = ivma_in_child(open_as_nobody, IVMA_DEBUGFS "/objects");
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	status = ivma_in_child(open_as_nobody, IVMA_DEBUGFS "/stats");
	EXPECT_EQ(0, WEXITSTATUS(status));
	obj_file(name, sizeof(name), object_id(fd), "pages");
	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	status = ivma_in_child(open_as_nobody, path);
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

/*
 * An anonymous object: 8 pages, 6 touched through a shared mapping, 2 of
 * them written; a private read-only mapping of pages 2-3 reads both. Every
 * table against the query and the object's log.
 */
TEST(anon_object_tables)
{
	const uint64_t n = 8;
	struct ivma_record rec[256];
	struct table objs, pages, vmas;
	struct ivma_info info;
	char comm[32], word[64];
	unsigned char *p, *q;
	int fd, lfd, r;
	uint64_t i, dirty = 0;
	ssize_t nrec;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(n * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, n * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 6, 0, 0);			/* zero-fill 0-5 */
	p[PSZ] = 1;				/* dirty 1 */
	p[3 * PSZ] = 3;				/* dirty 3 */
	q = mmap(NULL, 2 * PSZ, PROT_READ, MAP_PRIVATE, fd, 2 * PSZ);
	ASSERT_NE(MAP_FAILED, q);
	ivma_touch(q, 2, 0, 0);			/* resident 2, 3 */

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(6, info.resident);
	EXPECT_EQ(2, info.dirty);
	EXPECT_EQ(2, info.vmas);
	EXPECT_EQ(8, info.faults);
	EXPECT_EQ(6, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(2, info.events[IVMA_EV_RESIDENT]);
	EXPECT_EQ(2, info.events[IVMA_EV_DIRTY]);

	/* objects: the row is the query */
	read_objects(_metadata, &objs);
	r = find_row_u64(&objs, "id", info.id);
	check_row_vs_query(_metadata, &objs, r, &info);
	EXPECT_EQ((uint64_t)getpid(), ucell(&objs, r, "pid"));
	self_comm(comm, sizeof(comm));
	unescape(cell(&objs, r, "comm"), word, sizeof(word));
	EXPECT_STREQ(comm, word);
	EXPECT_EQ((uint64_t)geteuid(), ucell(&objs, r, "uid"));
	EXPECT_STREQ("anon", cell(&objs, r, "kind"));
	EXPECT_STREQ("-", cell(&objs, r, "path"));
	EXPECT_EQ(n * PSZ, ucell(&objs, r, "size"));

	/* pages: 6 rows, 1 and 3 dirty, 2 and 3 in both mappings */
	read_pages(_metadata, info.id, &pages);
	EXPECT_EQ(6, pages.nrows);
	EXPECT_EQ(info.resident, (uint64_t)pages.nrows);
	for (i = 0; i < 6; i++) {
		r = page_row(&pages, i);
		ASSERT_LE(0, r) TH_LOG("page %llu", (unsigned long long)i);
		EXPECT_EQ((uint64_t)r, i);	/* in order */
		EXPECT_STREQ(i == 1 || i == 3 ? "dirty" : "clean",
			     cell(&pages, r, "state"));
		EXPECT_EQ(i == 2 || i == 3 ? 2 : 1, ucell(&pages, r, "mapcount"))
			TH_LOG("page %llu", (unsigned long long)i);
		dirty += !strcmp(cell(&pages, r, "state"), "dirty");
	}
	EXPECT_EQ(info.dirty, dirty);

	/* vmas: exactly the two mappings */
	read_vmas(_metadata, info.id, &vmas);
	EXPECT_EQ(2, vmas.nrows);
	r = vma_row(&vmas, p, n);
	ASSERT_LE(0, r);
	EXPECT_EQ((uint64_t)getpid(), ucell(&vmas, r, "pid"));
	EXPECT_STREQ("shared", cell(&vmas, r, "flags"));
	EXPECT_STREQ("rw-", cell(&vmas, r, "prot"));
	EXPECT_EQ(0, ucell(&vmas, r, "pgoff"));
	r = vma_row(&vmas, q, 2);
	ASSERT_LE(0, r);
	EXPECT_EQ((uint64_t)getpid(), ucell(&vmas, r, "pid"));
	EXPECT_STREQ("private", cell(&vmas, r, "flags"));
	EXPECT_STREQ("r--", cell(&vmas, r, "prot"));
	EXPECT_EQ(2, ucell(&vmas, r, "pgoff"));

	/* the log: the same counts, pages and VMAs */
	nrec = ivma_log_drain(lfd, rec, 256);
	ASSERT_LT(0, nrec);
	for (i = 0; i < NFAULT_COLS; i++)
		EXPECT_EQ(info.events[fault_cols[i].kind],
			  count_kind(rec, nrec, fault_cols[i].kind));
	EXPECT_EQ((uint64_t)vmas.nrows,
		  count_kind(rec, nrec, IVMA_EV_MMAP) +
		  count_kind(rec, nrec, IVMA_EV_VMA_OPEN) -
		  count_kind(rec, nrec, IVMA_EV_VMA_CLOSE));
	for (i = 0; i < (uint64_t)nrec; i++) {
		if (rec[i].kind == IVMA_EV_ZERO_FILL)
			EXPECT_LE(0, page_row(&pages, rec[i].pgoff));
		if (rec[i].kind == IVMA_EV_DIRTY)
			EXPECT_STREQ("dirty", cell(&pages, page_row(&pages, rec[i].pgoff),
						   "state"));
	}

	table_free(&objs);
	table_free(&pages);
	table_free(&vmas);
	munmap(q, 2 * PSZ);
	munmap(p, n * PSZ);
	close(lfd);
	close(fd);
}

/*
 * A file-backed object whose file has a space in its name: section from
 * file page 1, two pages and 100 bytes; six object pages, five touched,
 * two written, msync. Then the stats deltas of the whole life.
 */
TEST(file_object_tables_and_stats)
{
	const uint64_t len = 2 * PSZ + 100;
	struct table objs, pages, before, during, after;
	struct ivma_info info, done;
	char path[256], word[512];
	unsigned char *p;
	int file, fd, r;
	uint64_t i, id;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	file = ivma_make_file("dbg fs", 4, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	read_stats(_metadata, &before);

	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 6 * PSZ, file, PSZ, len));
	p = mmap(NULL, 6 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 5, 0, 0);		/* file-read 0-2, zero-pad 3-4 */
	p[0] = 0xa0;			/* section: written back below */
	p[4 * PSZ] = 0xa4;		/* padding: stays dirty */
	ASSERT_EQ(0, msync(p, 6 * PSZ, MS_SYNC));
	ASSERT_EQ(0, ivma_query(fd, &info));
	id = info.id;
	EXPECT_EQ(5, info.resident);
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(3, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(2, info.events[IVMA_EV_ZERO_PAD]);
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(len, info.bytes_read);
	EXPECT_EQ(PSZ, info.bytes_written);

	read_objects(_metadata, &objs);
	r = find_row_u64(&objs, "id", id);
	check_row_vs_query(_metadata, &objs, r, &info);
	EXPECT_STREQ("file", cell(&objs, r, "kind"));
	EXPECT_EQ(PSZ, ucell(&objs, r, "offset"));
	EXPECT_EQ(len, ucell(&objs, r, "length"));
	/* the path is the last column, escaped: one word */
	EXPECT_EQ(NULL, strchr(cell(&objs, r, "path"), ' '));
	EXPECT_NE(NULL, strstr(cell(&objs, r, "path"), "dbg\\040fs"));
	unescape(cell(&objs, r, "path"), word, sizeof(word));
	EXPECT_STREQ(path, word);

	/* page 0 was written back: clean, and its PTE zapped */
	read_pages(_metadata, id, &pages);
	EXPECT_EQ(5, pages.nrows);
	for (i = 0; i < 5; i++) {
		r = page_row(&pages, i);
		ASSERT_LE(0, r);
		EXPECT_STREQ(i == 4 ? "dirty" : "clean", cell(&pages, r, "state"));
		EXPECT_EQ(i == 0 ? 0 : 1, ucell(&pages, r, "mapcount"))
			TH_LOG("page %llu", (unsigned long long)i);
	}

	/* stats while the object lives */
	read_stats(_metadata, &during);
	EXPECT_EQ(stat_of(&before, "objects_live") + 1,
		  stat_of(&during, "objects_live"));
	EXPECT_EQ(id, stat_of(&during, "objects_ever"));
	EXPECT_EQ(stat_of(&before, "objects_ever") + 1,
		  stat_of(&during, "objects_ever"));
	EXPECT_EQ(stat_of(&before, "pages") + 5, stat_of(&during, "pages"));

	/* page 1 written now goes back when the object does */
	p[PSZ] = 0xa1;
	ASSERT_EQ(0, ivma_query(fd, &done));
	ASSERT_EQ(0, munmap(p, 6 * PSZ));
	ASSERT_EQ(0, close(fd));	/* the last reference */
	read_stats(_metadata, &after);
	EXPECT_EQ(stat_of(&before, "objects_live"),
		  stat_of(&after, "objects_live"));
	EXPECT_EQ(stat_of(&before, "pages"), stat_of(&after, "pages"));
	EXPECT_EQ(stat_of(&before, "objects_ever") + 1,
		  stat_of(&after, "objects_ever"));
	for (i = 0; i < NSTAT_KINDS; i++) {
		uint64_t want = done.events[stat_kinds[i].kind];

		/* after the last query: a VMA close, a write-back, the end */
		if (stat_kinds[i].kind == IVMA_EV_VMA_CLOSE ||
		    stat_kinds[i].kind == IVMA_EV_WRITEBACK ||
		    stat_kinds[i].kind == IVMA_EV_OBJ_DESTROY)
			want++;
		EXPECT_EQ(want, stat_of(&after, stat_kinds[i].name) -
				stat_of(&before, stat_kinds[i].name))
			TH_LOG("%s", stat_kinds[i].name);
	}
	EXPECT_EQ(1, stat_of(&after, "ev_obj-create") -
		     stat_of(&before, "ev_obj-create"));
	EXPECT_EQ(len, stat_of(&after, "bytes_read") -
		       stat_of(&before, "bytes_read"));
	EXPECT_EQ(2 * PSZ, stat_of(&after, "bytes_written") -
			   stat_of(&before, "bytes_written"));

	table_free(&objs);
	table_free(&pages);
	table_free(&before);
	table_free(&during);
	table_free(&after);
	close(file);
	unlink(path);
}

TEST(unconfigured_and_escaped_comm)
{
	struct table objs;
	struct ivma_info info;
	int fd, fd2, r;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	ASSERT_EQ(0, prctl(PR_SET_NAME, "dbg t\\x\ty"));
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, prctl(PR_SET_NAME, ""));
	fd2 = ivma_open();
	ASSERT_LE(0, fd2);

	read_objects(_metadata, &objs);
	ASSERT_EQ(0, ivma_query(fd, &info));
	r = find_row_u64(&objs, "id", info.id);
	check_row_vs_query(_metadata, &objs, r, &info);
	EXPECT_STREQ("none", cell(&objs, r, "kind"));
	EXPECT_EQ(0, ucell(&objs, r, "size"));
	EXPECT_STREQ("-", cell(&objs, r, "path"));
	EXPECT_STREQ("dbg\\040t\\134x\\011y", cell(&objs, r, "comm"));
	r = find_row_u64(&objs, "id", object_id(fd2));
	ASSERT_LE(0, r);
	EXPECT_STREQ("-", cell(&objs, r, "comm"));
	table_free(&objs);
	close(fd2);
	close(fd);
}

/* mapcount counts the PTEs of every process; vmas lists every process */
TEST(fork_mapcount_and_vmas)
{
	struct ivma_record rec[64];
	struct table pages, vmas;
	struct ivma_info info;
	int fd, lfd, r, status, go[2], ready[2];
	unsigned char *p;
	uint64_t i, id;
	ssize_t nrec;
	pid_t child;
	char c;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	id = object_id(fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 4, 0, 0);
	p[0] = 1;
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		/* shared mappings are not copied: fault pages 0 and 1 in */
		ivma_touch(p, 2, 0, 0);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));

	read_pages(_metadata, id, &pages);
	EXPECT_EQ(4, pages.nrows);
	for (i = 0; i < 4; i++) {
		r = page_row(&pages, i);
		ASSERT_LE(0, r);
		EXPECT_EQ(i < 2 ? 2 : 1, ucell(&pages, r, "mapcount"))
			TH_LOG("page %llu", (unsigned long long)i);
		EXPECT_STREQ(i == 0 ? "dirty" : "clean", cell(&pages, r, "state"));
	}
	read_vmas(_metadata, id, &vmas);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.vmas);
	EXPECT_EQ(2, vmas.nrows);
	r = find_row_u64(&vmas, "pid", getpid());
	ASSERT_LE(0, r);
	EXPECT_EQ(r, vma_row(&vmas, p, 4));
	r = find_row_u64(&vmas, "pid", child);
	ASSERT_LE(0, r);
	EXPECT_STREQ(cell(&vmas, 0, "start-end"), cell(&vmas, r, "start-end"));
	EXPECT_STREQ("shared", cell(&vmas, r, "flags"));
	EXPECT_STREQ("rw-", cell(&vmas, r, "prot"));
	EXPECT_EQ(0, ucell(&vmas, r, "pgoff"));
	table_free(&pages);
	table_free(&vmas);

	/* the child goes: its PTEs and its VMA with it */
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	read_pages(_metadata, id, &pages);
	EXPECT_EQ(4, pages.nrows);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(1, ucell(&pages, page_row(&pages, i), "mapcount"));
	read_vmas(_metadata, id, &vmas);
	EXPECT_EQ(1, vmas.nrows);
	EXPECT_EQ((uint64_t)getpid(), ucell(&vmas, 0, "pid"));

	nrec = ivma_log_drain(lfd, rec, 64);
	ASSERT_LT(0, nrec);
	EXPECT_EQ(1, count_kind(rec, nrec, IVMA_EV_MMAP));
	EXPECT_EQ(1, count_kind(rec, nrec, IVMA_EV_VMA_OPEN));	/* fork */
	EXPECT_EQ(1, count_kind(rec, nrec, IVMA_EV_VMA_CLOSE));	/* exit */
	EXPECT_EQ(2, count_kind(rec, nrec, IVMA_EV_RESIDENT));	/* child */
	table_free(&pages);
	table_free(&vmas);
	munmap(p, 4 * PSZ);
	close(lfd);
	close(fd);
}

/* splits by mprotect and munmap, a move by mremap: exactly those VMAs */
TEST(vmas_after_split_and_move)
{
	struct ivma_record rec[64];
	struct table vmas, pages;
	struct ivma_info info;
	unsigned char *p, *hole, *moved;
	int fd, lfd, r;
	uint64_t id;
	ssize_t nrec;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(6 * PSZ);
	ASSERT_LE(0, fd);
	id = object_id(fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 6 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	hole = mmap(NULL, 2 * PSZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);

	ASSERT_EQ(0, mprotect(p + 2 * PSZ, PSZ, PROT_READ));	/* 0-1 | 2 | 3-5 */
	ASSERT_EQ(0, munmap(p + 5 * PSZ, PSZ));			/* 0-1 | 2 | 3-4 */
	moved = mremap(p, 2 * PSZ, 2 * PSZ, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, moved);				/* 0-1 moved */
	moved[PSZ] = 1;
	p[3 * PSZ] = 3;

	read_vmas(_metadata, id, &vmas);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(3, info.vmas);
	ASSERT_EQ(3, vmas.nrows);
	r = vma_row(&vmas, moved, 2);
	ASSERT_LE(0, r);
	EXPECT_STREQ("rw-", cell(&vmas, r, "prot"));
	EXPECT_EQ(0, ucell(&vmas, r, "pgoff"));
	r = vma_row(&vmas, p + 2 * PSZ, 1);
	ASSERT_LE(0, r);
	EXPECT_STREQ("r--", cell(&vmas, r, "prot"));
	EXPECT_EQ(2, ucell(&vmas, r, "pgoff"));
	r = vma_row(&vmas, p + 3 * PSZ, 2);
	ASSERT_LE(0, r);
	EXPECT_STREQ("rw-", cell(&vmas, r, "prot"));
	EXPECT_EQ(3, ucell(&vmas, r, "pgoff"));
	for (r = 0; r < vmas.nrows; r++) {
		EXPECT_EQ((uint64_t)getpid(), ucell(&vmas, r, "pid"));
		EXPECT_STREQ("shared", cell(&vmas, r, "flags"));
	}
	/* rows in object page order */
	EXPECT_EQ(0, ucell(&vmas, 0, "pgoff"));
	EXPECT_EQ(2, ucell(&vmas, 1, "pgoff"));
	EXPECT_EQ(3, ucell(&vmas, 2, "pgoff"));

	read_pages(_metadata, id, &pages);
	EXPECT_EQ(2, pages.nrows);
	EXPECT_STREQ("dirty", cell(&pages, page_row(&pages, 1), "state"));
	EXPECT_STREQ("dirty", cell(&pages, page_row(&pages, 3), "state"));

	nrec = ivma_log_drain(lfd, rec, 64);
	ASSERT_LT(0, nrec);
	EXPECT_EQ(3, count_kind(rec, nrec, IVMA_EV_MMAP) +
		     count_kind(rec, nrec, IVMA_EV_VMA_OPEN) -
		     count_kind(rec, nrec, IVMA_EV_VMA_CLOSE));
	table_free(&vmas);
	table_free(&pages);

	munmap(moved, 2 * PSZ);
	munmap(p + 2 * PSZ, 3 * PSZ);
	read_vmas(_metadata, id, &vmas);
	EXPECT_EQ(0, vmas.nrows);
	table_free(&vmas);
	close(lfd);
	close(fd);
}

/* a private write copies: the object's page is resident but unmapped */
TEST(cow_page_is_not_mapped)
{
	struct table pages, objs;
	struct ivma_info info;
	unsigned char *p;
	int fd;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(2 * PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_COW]);
	read_pages(_metadata, info.id, &pages);
	ASSERT_EQ(1, pages.nrows);
	EXPECT_EQ(0, ucell(&pages, 0, "pgoff"));
	EXPECT_STREQ("clean", cell(&pages, 0, "state"));
	EXPECT_EQ(0, ucell(&pages, 0, "mapcount"));
	read_objects(_metadata, &objs);
	check_row_vs_query(_metadata, &objs,
			   find_row_u64(&objs, "id", info.id), &info);
	table_free(&pages);
	table_free(&objs);
	munmap(p, 2 * PSZ);
	close(fd);
}

static int obj_dir_exists(uint64_t id)
{
	char name[64], path[256];

	obj_file(name, sizeof(name), id, NULL);
	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	return access(path, F_OK) == 0;
}

static int objects_has(struct __test_metadata *_metadata, uint64_t id)
{
	struct table objs;
	int r;

	read_objects(_metadata, &objs);
	r = find_row_u64(&objs, "id", id);
	table_free(&objs);
	return r >= 0;
}

/* the directory and the row live exactly as long as the object */
TEST(entries_follow_object)
{
	unsigned char *p;
	uint64_t id;
	int fd;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	id = object_id(fd);
	EXPECT_TRUE(obj_dir_exists(id));
	EXPECT_TRUE(objects_has(_metadata, id));
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	ASSERT_EQ(0, close(fd));	/* the mapping keeps the object */
	EXPECT_TRUE(obj_dir_exists(id));
	EXPECT_TRUE(objects_has(_metadata, id));
	ASSERT_EQ(0, munmap(p, PSZ));	/* the last reference */
	EXPECT_FALSE(obj_dir_exists(id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_FALSE(objects_has(_metadata, id));
}

/* an open file of obj/<id>/ neither keeps the object nor sees it freed */
TEST(open_files_of_destroyed_object)
{
	char name[64], path[256], buf[256];
	struct table before, after;
	int fd, pfd, vfd;
	uint64_t id;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	read_stats(_metadata, &before);
	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	id = object_id(fd);
	obj_file(name, sizeof(name), id, "pages");
	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	pfd = open(path, O_RDONLY);
	ASSERT_LE(0, pfd);
	obj_file(name, sizeof(name), id, "vmas");
	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	vfd = open(path, O_RDONLY);
	ASSERT_LE(0, vfd);

	ASSERT_EQ(0, close(fd));	/* destroyed now, files open or not */
	read_stats(_metadata, &after);
	EXPECT_EQ(stat_of(&before, "objects_live"),
		  stat_of(&after, "objects_live"));
	EXPECT_EQ(1, stat_of(&after, "ev_obj-destroy") -
		     stat_of(&before, "ev_obj-destroy"));
	EXPECT_FALSE(obj_dir_exists(id));

	EXPECT_EQ(-1, read(pfd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, read(vfd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, open(path, O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
	close(pfd);
	close(vfd);
	table_free(&before);
	table_free(&after);
}

/*
 * Two frames, FIFO: four pages written, the first two swapped out; page 0
 * read again swaps page 2 out and page 0 in. Every table and the log.
 */
TEST(swapped_pages_and_budget)
{
	static const char * const state[] = { "dirty", "swapped", "swapped",
					      "dirty" };
	struct ivma_record rec[64];
	struct table objs, pages, before, after;
	struct ivma_info info;
	unsigned char *p;
	int fd, lfd, r;
	uint64_t i;
	ssize_t nrec;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	read_stats(_metadata, &before);
	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 4, 1, 7);		/* 0 and 1 swapped out */
	EXPECT_EQ(7, *(volatile unsigned char *)p);	/* 2 out, 0 in */

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(2, info.swapped);
	EXPECT_EQ(2, info.frames);
	EXPECT_EQ(3, info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(1, info.events[IVMA_EV_SWAP_IN]);

	read_objects(_metadata, &objs);
	r = find_row_u64(&objs, "id", info.id);
	check_row_vs_query(_metadata, &objs, r, &info);
	EXPECT_EQ(2, ucell(&objs, r, "swapped"));
	EXPECT_EQ(2, ucell(&objs, r, "frames"));
	EXPECT_STREQ("fifo", cell(&objs, r, "policy"));
	EXPECT_EQ(1, ucell(&objs, r, "ev_swap-in"));

	read_pages(_metadata, info.id, &pages);
	ASSERT_EQ(4, pages.nrows);
	for (i = 0; i < 4; i++) {
		r = page_row(&pages, i);
		ASSERT_LE(0, r);
		EXPECT_STREQ(state[i], cell(&pages, r, "state"))
			TH_LOG("page %llu", (unsigned long long)i);
		EXPECT_EQ(i == 1 || i == 2 ? 0 : 1, ucell(&pages, r, "mapcount"))
			TH_LOG("page %llu", (unsigned long long)i);
	}

	/* the log saw the same: swap-outs of 0, 1, 2 and the swap-in of 0 */
	nrec = ivma_log_drain(lfd, rec, 64);
	ASSERT_LT(0, nrec);
	EXPECT_EQ(3, count_kind(rec, nrec, IVMA_EV_SWAP_OUT));
	EXPECT_EQ(1, count_kind(rec, nrec, IVMA_EV_SWAP_IN));
	for (i = 0; i < (uint64_t)nrec; i++)
		if (rec[i].kind == IVMA_EV_SWAP_OUT)
			EXPECT_LE(0, page_row(&pages, rec[i].pgoff));

	/* the whole life in stats: swap slots freed, events counted */
	munmap(p, 4 * PSZ);
	close(lfd);
	close(fd);
	read_stats(_metadata, &after);
	EXPECT_EQ(info.events[IVMA_EV_SWAP_OUT],
		  stat_of(&after, "ev_swap-out") - stat_of(&before, "ev_swap-out"));
	EXPECT_EQ(info.events[IVMA_EV_SWAP_IN],
		  stat_of(&after, "ev_swap-in") - stat_of(&before, "ev_swap-in"));
	EXPECT_EQ(info.events[IVMA_EV_EVICT],
		  stat_of(&after, "ev_evict") - stat_of(&before, "ev_evict"));
	EXPECT_EQ(stat_of(&before, "pages"), stat_of(&after, "pages"));
	table_free(&objs);
	table_free(&pages);
	table_free(&before);
	table_free(&after);
}

/* the log table against IVMA_IOC_LOG_STATS, for each kind of reader */
/*
 * users: one row per user with live objects, its pages and slots those of
 * its objects; root's objects are counted and not bound (unlimited).
 */
TEST(users_table_sums_objects)
{
	volatile unsigned char *p;
	struct ivma_info a, b;
	struct table t;
	int fa, fb, r;
	long mb;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fa = ivma_new_anon(8 * PSZ);
	fb = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, ivma_set_budget(fb, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fa, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 3, 1, 1);
	munmap((void *)p, 8 * PSZ);
	p = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 4, 1, 2);		/* 3 swapped, 1 resident */
	munmap((void *)p, 8 * PSZ);
	ASSERT_EQ(0, ivma_query(fa, &a));
	ASSERT_EQ(0, ivma_query(fb, &b));

	ASSERT_EQ(0, table_read("users", &t));
	EXPECT_STREQ(USERS_HDR, t.header);
	EXPECT_EQ(0, t.bad);
	EXPECT_EQ(0, rows_malformed(&t));
	r = find_row_u64(&t, "uid", geteuid());
	ASSERT_LE(0, r);
	EXPECT_EQ(2, ucell(&t, r, "objects"));
	EXPECT_EQ(2, ucell(&t, r, "unlimited"));
	EXPECT_EQ(a.resident + b.resident, ucell(&t, r, "pages"));
	EXPECT_EQ(4, a.resident + b.resident);
	EXPECT_EQ(b.swapped, ucell(&t, r, "slots"));
	EXPECT_EQ(3, b.swapped);
	mb = ivma_read_long("/sys/module/ivma/parameters/max_user_mb");
	EXPECT_EQ((uint64_t)mb * ((1 << 20) / PSZ), ucell(&t, r, "max_pages"));
	/* the default area, 64 MiB, at swap_user_pct 50 */
	EXPECT_EQ((64ULL << 20) / PSZ / 2, ucell(&t, r, "max_slots"));
	EXPECT_EQ(0, ucell(&t, r, "ev_user-cap"));
	EXPECT_EQ(0, ucell(&t, r, "ev_swap-quota"));
	table_free(&t);

	close(fa);
	close(fb);
	ASSERT_EQ(0, table_read("users", &t));
	EXPECT_EQ(-1, find_row_u64(&t, "uid", geteuid()));
	table_free(&t);
}

TEST(log_table_matches_reader_stats)
{
	struct ivma_record rec[16];
	struct ivma_log_stats st, sst;
	struct table log;
	unsigned char *p;
	int fd, lfd, sfd, r;
	uint64_t id;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	fd = ivma_new_anon(100 * PSZ);
	ASSERT_LE(0, fd);
	id = object_id(fd);
	lfd = ivma_log_open(fd, 0, 4096);		/* 64 records */
	ASSERT_LE(0, lfd);
	sfd = ivma_log_open(fd, IVMA_LOG_SYSTEM, 8192);
	ASSERT_LE(0, sfd);
	p = mmap(NULL, 100 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 100, 0, 0);		/* 101 events: some lost */
	ASSERT_EQ(10, ivma_log_drain(lfd, rec, 10));

	ASSERT_EQ(0, ivma_ioctl(lfd, IVMA_IOC_LOG_STATS, &st));
	ASSERT_EQ(0, ivma_ioctl(sfd, IVMA_IOC_LOG_STATS, &sst));
	EXPECT_EQ(101, st.produced);
	EXPECT_LT(0, st.lost);
	EXPECT_EQ(10, st.delivered);

	ASSERT_EQ(0, table_read("log", &log));
	EXPECT_STREQ(LOG_HDR, log.header);
	EXPECT_EQ(0, log.bad);
	EXPECT_EQ(0, rows_malformed(&log));
	EXPECT_EQ(2, log.nrows);
	r = find_row(&log, "state", "live");
	ASSERT_LE(0, r);
	EXPECT_EQ((uint64_t)getpid(), ucell(&log, r, "pid"));
	EXPECT_EQ(id, ucell(&log, r, "object"));
	EXPECT_EQ(st.size, ucell(&log, r, "size"));
	EXPECT_EQ(st.used, ucell(&log, r, "used"));
	EXPECT_EQ(st.produced, ucell(&log, r, "produced"));
	EXPECT_EQ(st.delivered, ucell(&log, r, "delivered"));
	EXPECT_EQ(st.lost, ucell(&log, r, "lost"));
	r = find_row(&log, "state", "system");
	ASSERT_LE(0, r);
	EXPECT_EQ(0, ucell(&log, r, "object"));
	EXPECT_EQ(8192, ucell(&log, r, "size"));
	EXPECT_EQ(sst.used, ucell(&log, r, "used"));
	EXPECT_EQ(sst.produced, ucell(&log, r, "produced"));
	EXPECT_EQ(sst.lost, ucell(&log, r, "lost"));
	table_free(&log);

	/* the object goes: its reader is "gone", the system one stays */
	munmap(p, 100 * PSZ);
	close(fd);
	ASSERT_EQ(0, table_read("log", &log));
	EXPECT_EQ(2, log.nrows);
	EXPECT_LE(0, find_row(&log, "state", "gone"));
	EXPECT_LE(0, find_row(&log, "state", "system"));
	table_free(&log);
	close(lfd);
	close(sfd);
	ASSERT_EQ(0, table_read("log", &log));
	EXPECT_EQ(0, log.nrows);
	table_free(&log);
}

/* ---- reading everything while objects come and go ---- */

/* at least this long and this many objects; never longer than the limit */
#define STRESS_SECONDS		2
#define STRESS_MIN_OBJECTS	20
#define STRESS_LIMIT_SECONDS	15

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Create, configure, map, touch, split, fork, msync and destroy objects
 * for STRESS_SECONDS and at least STRESS_MIN_OBJECTS objects (unless that
 * takes STRESS_LIMIT_SECONDS, times ivma_time_scale() under the debug
 * kernel), with one object mapped throughout. Writes the number of objects
 * it created to @out; exits non-zero on any error. The test fails when
 * fewer than STRESS_MIN_OBJECTS were made in that time: with the tables
 * read in a loop beside it, the churn must still make progress.
 */
static void churn(int out, double start)
{
	unsigned char *keep, *p;
	char path[256];
	double limit = start + STRESS_LIMIT_SECONDS * ivma_time_scale();
	uint64_t created = 0, i;
	int file, kfd, fd, lfd;
	pid_t pid;

	file = ivma_make_file("churn", 4, 0, O_RDWR, path, sizeof(path));
	if (file < 0)
		_exit(10);
	unlink(path);
	kfd = ivma_new_anon(8 * PSZ);
	if (kfd < 0)
		_exit(11);
	created++;
	keep = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0);
	if (keep == MAP_FAILED)
		_exit(12);

	for (i = 0; (created < STRESS_MIN_OBJECTS ||
		     now_s() < start + STRESS_SECONDS) &&
		    now_s() < limit; i++) {
		keep[(i % 8) * PSZ] = i;
		fd = ivma_open();
		if (fd < 0)
			_exit(13);
		created++;
		if (i % 5 == 4) {		/* never configured */
			close(fd);
			continue;
		}
		if (i & 1) {
			if (ivma_configure_file(fd, 6 * PSZ, file, 0, 4 * PSZ))
				_exit(14);
		} else if (ivma_configure_anon(fd, 6 * PSZ)) {
			_exit(15);
		}
		/* some under a budget: eviction, write-back and swap meanwhile */
		if (i % 3 == 2 && ivma_set_budget(fd, 2, i % IVMA_POLICY_NR))
			_exit(21);
		lfd = i % 3 == 0 ? ivma_log_open(fd, 0, 4096) : -1;
		p = mmap(NULL, 6 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(16);
		ivma_touch(p, 6, 0, 0);
		ivma_touch(p, 3, 1, i);
		if (i % 4 == 1 && mprotect(p + PSZ, PSZ, PROT_READ))
			_exit(17);
		if (i % 7 == 0) {
			pid = fork();
			if (pid < 0)
				_exit(18);
			if (pid == 0) {
				ivma_touch(p, 6, 0, 0);
				_exit(0);
			}
			waitpid(pid, NULL, 0);
		}
		if ((i & 1) && msync(p, 6 * PSZ, MS_SYNC))
			_exit(19);
		if (i & 2) {
			close(fd);
			munmap(p, 6 * PSZ);
		} else {
			munmap(p, 6 * PSZ);
			close(fd);
		}
		if (lfd >= 0)
			close(lfd);
	}
	munmap(keep, 8 * PSZ);
	close(kfd);
	close(file);
	if (write(out, &created, sizeof(created)) != sizeof(created))
		_exit(20);
	_exit(0);
}

struct stress_counts {
	unsigned long tables;		/* objects, stats, log read */
	unsigned long obj_files;	/* pages and vmas read whole */
	unsigned long gone;		/* ... that went away meanwhile */
	unsigned long rows;		/* rows seen in all tables */
};

/* One well-formed table (or -ENOENT/-EIO for a file of obj/): 0 or -1. */
static int check_table(const char *name, const char *hdr, int may_go,
		       struct stress_counts *c)
{
	struct table t;
	int ret = table_read(name, &t);

	if (ret == -ENOENT || ret == -EIO) {
		if (!may_go)
			return -1;
		c->gone++;
		return 0;
	}
	if (ret)
		return -1;
	if (strcmp(t.header, hdr) || t.bad || rows_malformed(&t)) {
		fprintf(stderr, "# %s: bad table (%d bad rows, row %d malformed)\n%s\n",
			name, t.bad, rows_malformed(&t), t.header);
		table_free(&t);
		return -1;
	}
	c->rows += t.nrows;
	if (may_go)
		c->obj_files++;
	else
		c->tables++;
	table_free(&t);
	return 0;
}

static int read_everything(struct stress_counts *c)
{
	char name[300];
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	if (check_table("objects", OBJECTS_HDR, 0, c) ||
	    check_table("users", USERS_HDR, 0, c) ||
	    check_table("stats", STATS_HDR, 0, c) ||
	    check_table("log", LOG_HDR, 0, c))
		return -1;
	dir = opendir(IVMA_DEBUGFS "/obj");
	if (!dir)
		return -1;
	while (!ret && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "obj/%s/pages", de->d_name);
		ret = check_table(name, PAGES_HDR, 1, c);
		snprintf(name, sizeof(name), "obj/%s/vmas", de->d_name);
		if (!ret)
			ret = check_table(name, VMAS_HDR, 1, c);
	}
	closedir(dir);
	return ret;
}

TEST(read_all_while_objects_churn)
{
	struct stress_counts c = { 0 };
	struct table before, after;
	uint64_t created = 0;
	int pfd[2], status;
	double start;
	pid_t child;

	if (no_tables())
		SKIP(return, "no " IVMA_DEBUGFS "/objects");
	read_stats(_metadata, &before);
	ASSERT_EQ(0, pipe(pfd));
	start = now_s();
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(pfd[0]);
		churn(pfd[1], start);
	}
	close(pfd[1]);

	while (waitpid(child, &status, WNOHANG) == 0) {
		if (read_everything(&c)) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			ASSERT_TRUE(0) TH_LOG("a table was malformed or missing");
		}
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(sizeof(created), read(pfd[0], &created, sizeof(created)));
	close(pfd[0]);
	TH_LOG("%llu objects; %lu tables, %lu object files read whole, %lu gone, %lu rows",
	       (unsigned long long)created, c.tables, c.obj_files, c.gone, c.rows);
	EXPECT_LE(STRESS_MIN_OBJECTS, created);
	EXPECT_LT(0, c.tables);
	EXPECT_LT(0, c.obj_files);

	/* everything went, and the counters saw each object once */
	read_stats(_metadata, &after);
	EXPECT_EQ(stat_of(&before, "objects_live"),
		  stat_of(&after, "objects_live"));
	EXPECT_EQ(stat_of(&before, "pages"), stat_of(&after, "pages"));
	EXPECT_EQ(created, stat_of(&after, "objects_ever") -
			   stat_of(&before, "objects_ever"));
	EXPECT_EQ(created, stat_of(&after, "ev_obj-create") -
			   stat_of(&before, "ev_obj-create"));
	EXPECT_EQ(created, stat_of(&after, "ev_obj-destroy") -
			   stat_of(&before, "ev_obj-destroy"));
	EXPECT_EQ(stat_of(&after, "ev_mmap") + stat_of(&after, "ev_vma-open") -
		  stat_of(&before, "ev_mmap") - stat_of(&before, "ev_vma-open"),
		  stat_of(&after, "ev_vma-close") - stat_of(&before, "ev_vma-close"));
	{
		DIR *dir = opendir(IVMA_DEBUGFS "/obj");
		struct dirent *de;
		int n = 0;

		ASSERT_NE(NULL, dir);
		while ((de = readdir(dir)))
			n += de->d_name[0] != '.';
		closedir(dir);
		EXPECT_EQ(stat_of(&after, "objects_live"), (uint64_t)n);
	}
	table_free(&before);
	table_free(&after);
}

TEST_HARNESS_MAIN
