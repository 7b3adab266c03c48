// SPDX-License-Identifier: GPL-2.0
/*
 * Memory that nothing takes back, and the limits on it
 * (Documentation/security.md, "Memory and swap per user"): the per-user
 * page cap (max_user_mb) and swap quota (swap_user_pct), as the users
 * nobody (65534) and 65533 and as root, who is not bound; finding and
 * killing the holders of an object's pages; and what a memory cgroup's
 * memory.max does to a fault (the memcg OOM killer, which picks by RSS).
 * Counters are read from the module: IVMA_IOC_QUERY, IVMA_IOC_SWAP_INFO
 * and the debugfs users, objects and stats tables.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define PARAMS "/sys/module/ivma/parameters/"
#define NOBODY 65534
#define OTHER 65533
#define CGROOT "/sys/fs/cgroup"

/* ---- the module's parameters and tables ---- */

static long param_get(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return ivma_read_long(path);
}

static int param_set(const char *name, long val)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	snprintf(buf, sizeof(buf), "%ld\n", val);
	return ivma_write_str(path, buf);
}

/*
 * Column @col of the row of debugfs table @table whose column @key is
 * @val: the number, -1 when there is no such row, -2 when the table or
 * the column cannot be read.
 */
static long long table_cell(const char *table, const char *key, long long val,
			    const char *col)
{
	char path[128], line[1024], *w, *save;
	int kc = -1, cc = -1, i;
	long long ret = -1, k = 0, v = 0;
	FILE *f;

	snprintf(path, sizeof(path), IVMA_DEBUGFS "/%s", table);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -2;
	}
	line[strcspn(line, "\n")] = '\0';
	for (i = 0, w = strtok_r(line, " ", &save); w;
	     i++, w = strtok_r(NULL, " ", &save)) {
		if (!strcmp(w, key))
			kc = i;
		if (!strcmp(w, col))
			cc = i;
	}
	if (kc < 0 || cc < 0) {
		fclose(f);
		return -2;
	}
	while (ret == -1 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0, w = strtok_r(line, " ", &save); w;
		     i++, w = strtok_r(NULL, " ", &save)) {
			if (i == kc)
				k = strtoll(w, NULL, 10);
			if (i == cc)
				v = strtoll(w, NULL, 10);
		}
		if (k == val)
			ret = v;
	}
	fclose(f);
	return ret;
}

static long long user_cell(uid_t uid, const char *col)
{
	return table_cell("users", "uid", uid, col);
}

/* a row of the stats table */
static long long stat_value(const char *name)
{
	return ivma_file_key(IVMA_DEBUGFS "/stats", name);
}

/*
 * The pages on the per-CPU free lists (the "count:" of each pageset in
 * /proc/zoneinfo), in kB: free, but not in MemAvailable until they are
 * drained. 6.7 and later tune those lists' size to the load (pcp high
 * auto-tuning): after 64 MiB are freed at once they can hold tens of MiB
 * for a while (seen on 6.12: 23 MiB 10 s after).
 */
static long pcp_free_kb(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long pages = 0, v;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &v) == 1)
			pages += v;
	fclose(f);
	return pages * (long)(PSZ / 1024);
}

/* MemAvailable and the per-CPU free lists */
static long mem_available_kb(void)
{
	long avail = ivma_file_key("/proc/meminfo", "MemAvailable:");

	return avail < 0 ? avail : avail + pcp_free_kb();
}

/*
 * MemAvailable once the memory freed by the tests before has settled:
 * two readings half a second apart within 2 MiB (vmstat folds the per-CPU
 * counters once a second), or the last reading after 5 s.
 */
static long mem_available_settled_kb(void)
{
	long prev = mem_available_kb(), cur = prev;
	unsigned int i;

	for (i = 0; i < 10 * ivma_time_scale(); i++) {
		usleep(500 * 1000);
		cur = mem_available_kb();
		if (cur < 0 || labs(cur - prev) <= 2 * 1024)
			break;
		prev = cur;
	}
	return cur;
}

/* pages per MiB */
static uint64_t mib_pages(void)
{
	return (1 << 20) / PSZ;
}

/* ---- another process, as another user ---- */

/*
 * A child running fn() as @uid (0: stays root), talking to the test
 * through two pipes: it sends reports (struct report) and waits for a
 * byte before it goes on.
 */
struct peer {
	pid_t pid;
	int rd;		/* parent: reports from the child */
	int wr;		/* parent: "go on" to the child */
};

struct report {
	int code;		/* a result the child passes on */
	int sigbus;		/* accesses that got SIGBUS (or a wrong value) */
	int ok;			/* accesses that did not */
	long aux;
	long long id;		/* an object id */
	pid_t h1, h2;		/* processes the child made */
	struct ivma_info info;
	struct ivma_info info2;
	struct ivma_swap sw;
};

struct link {
	int rd, wr;
	void *arg;
};

static int say(struct link *l, const struct report *r)
{
	return write(l->wr, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

static int wait_go(struct link *l)
{
	char c;

	return read(l->rd, &c, 1) == 1 ? 0 : -1;
}

static int peer_start(struct peer *p, uid_t uid, int (*fn)(struct link *),
		      void *arg)
{
	int down[2], up[2];

	if (pipe(down) || pipe(up))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		struct link l = { down[0], up[1], arg };

		close(down[1]);
		close(up[0]);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(100);
		_exit(fn(&l));
	}
	close(down[0]);
	close(up[1]);
	p->rd = up[0];
	p->wr = down[1];
	return 0;
}

static int peer_report(struct peer *p, struct report *r)
{
	memset(r, 0, sizeof(*r));
	return read(p->rd, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

static int peer_go(struct peer *p)
{
	return write(p->wr, "g", 1) == 1 ? 0 : -1;
}

/* wait for the child: its exit status, or 128 + the signal, or -1 */
static int peer_end(struct peer *p)
{
	int status;

	close(p->wr);
	close(p->rd);
	if (waitpid(p->pid, &status, 0) != p->pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* write @val to the first byte of pages [from, to) of @p, counting SIGBUS */
static void write_pages(volatile unsigned char *p, uint64_t from, uint64_t to,
			unsigned char val, struct report *r)
{
	uint64_t i;

	for (i = from; i < to; i++) {
		if (ivma_access_sigbus(p + i * PSZ, 1, val + i))
			r->sigbus++;
		else
			r->ok++;
	}
}

/* read pages [from, to) back, counting SIGBUS and wrong values in sigbus */
static void check_pages(volatile unsigned char *p, uint64_t from, uint64_t to,
			unsigned char val, struct report *r)
{
	uint64_t i;

	for (i = from; i < to; i++) {
		if (ivma_access_sigbus(p + i * PSZ, 0, 0) ||
		    p[i * PSZ] != (unsigned char)(val + i))
			r->sigbus++;
		else
			r->ok++;
	}
}

/* a shared writable mapping of a new anonymous object of @pages */
static volatile unsigned char *new_mapping(uint64_t pages, int *fdp)
{
	void *p;
	int fd = ivma_new_anon(pages * PSZ);

	*fdp = fd;
	if (fd < 0)
		return NULL;
	p = mmap(NULL, pages * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- the fixture: every test leaves the limits and the area as found ---- */

FIXTURE(limits)
{
	long max_user_mb;
	long swap_user_pct;
};

FIXTURE_SETUP(limits)
{
	self->max_user_mb = param_get("max_user_mb");
	self->swap_user_pct = param_get("swap_user_pct");
	ASSERT_LE(0, self->max_user_mb);
	ASSERT_LE(1, self->swap_user_pct);
	/* the reaper of the holders that outlive their parent */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

FIXTURE_TEARDOWN(limits)
{
	param_set("max_user_mb", self->max_user_mb);
	param_set("swap_user_pct", self->swap_user_pct);
	ivma_set_swap(64ULL << 20);
}

TEST_F(limits, defaults_and_errors)
{
	struct sysinfo si;
	uint64_t half_mb;
	int status, fd;

	ASSERT_EQ(0, sysinfo(&si));
	/* totalram_pages() / 2, in MiB */
	half_mb = (uint64_t)si.totalram * si.mem_unit / PSZ / 2 / mib_pages();
	EXPECT_EQ((long)half_mb, self->max_user_mb);
	EXPECT_EQ(50, self->swap_user_pct);

	EXPECT_EQ(-EINVAL, param_set("max_user_mb", 1048577));
	EXPECT_EQ(-EINVAL, param_set("max_user_mb", -1));
	EXPECT_EQ(-EINVAL, param_set("swap_user_pct", 0));
	EXPECT_EQ(-EINVAL, param_set("swap_user_pct", 101));
	EXPECT_EQ(self->max_user_mb, param_get("max_user_mb"));
	EXPECT_EQ(50, param_get("swap_user_pct"));
	EXPECT_EQ(0, param_set("max_user_mb", 0));	/* no limit */
	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, user_cell(0, "max_pages"));
	close(fd);
	EXPECT_EQ(0, param_set("swap_user_pct", 100));
	EXPECT_EQ(100, param_get("swap_user_pct"));

	/* anyone may read them, only root may change them */
	if (fork() == 0) {
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(10);
		if (param_get("swap_user_pct") != 100)
			_exit(11);
		_exit(param_set("swap_user_pct", 1) == -EACCES ? 0 : 12);
	}
	ASSERT_LT(0, wait(&status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * As nobody, with a cap of 1 MiB: fill it with one object; the next page
 * of that object and the first of a second object get SIGBUS (a user
 * cap, not an object cap); a kernel access gets EFAULT. A frame budget
 * gives pages back, and then the same accesses work.
 */
static int cap_user(struct link *l)
{
	uint64_t cap = *(uint64_t *)l->arg;
	volatile unsigned char *p, *q;
	struct report r = { 0 };
	int fd, fd2, pfd[2];

	p = new_mapping(cap + 8, &fd);
	q = new_mapping(4, &fd2);
	if (!p || !q || pipe(pfd))
		return 1;
	write_pages(p, 0, cap, 1, &r);
	r.aux = ivma_access_sigbus(p + cap * PSZ, 1, 2);
	/* write(2) from the page: the kernel's copy faults, EFAULT */
	if (write(pfd[1], (void *)(p + cap * PSZ), 1) != -1 || errno != EFAULT)
		return 3;
	if (ivma_query(fd, &r.info))
		return 2;
	r.aux += 2 * ivma_access_sigbus(q, 1, 3);
	if (ivma_query(fd2, &r.info2) || say(l, &r) || wait_go(l))
		return 4;

	/* 16 pages out to swap: room for 16 more */
	memset(&r, 0, sizeof(r));
	if (ivma_set_budget(fd, cap - 16, IVMA_POLICY_FIFO))
		return 5;
	write_pages(p, cap, cap + 8, 1, &r);
	write_pages(q, 0, 1, 3, &r);
	check_pages(p, cap - 16, cap + 8, 1, &r);
	if (ivma_query(fd, &r.info) || ivma_query(fd2, &r.info2) ||
	    say(l, &r) || wait_go(l))
		return 6;
	return 0;
}

/* As another user: its own cap, whatever nobody holds. */
static int cap_other(struct link *l)
{
	uint64_t cap = *(uint64_t *)l->arg;
	volatile unsigned char *p;
	struct report r = { 0 };
	int fd;

	p = new_mapping(cap + 1, &fd);
	if (!p)
		return 1;
	write_pages(p, 0, cap + 1, 1, &r);
	if (ivma_query(fd, &r.info) || say(l, &r) || wait_go(l))
		return 2;
	return 0;
}

TEST_F(limits, user_cap_is_sigbus_per_user)
{
	uint64_t cap = mib_pages();	/* max_user_mb=1 */
	long long pages_before = stat_value("pages");
	volatile unsigned char *p;
	struct peer a, b;
	struct report r;
	int fd;

	ASSERT_LE(0, pages_before);
	ASSERT_EQ(0, param_set("max_user_mb", 1));

	ASSERT_EQ(0, peer_start(&a, NOBODY, cap_user, &cap));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	EXPECT_EQ((int)cap, r.ok);
	EXPECT_EQ(0, r.sigbus);
	EXPECT_EQ(1 + 2, r.aux);	/* both accesses got SIGBUS */
	EXPECT_EQ(cap, r.info.resident);
	EXPECT_EQ(0, r.info2.resident);
	EXPECT_EQ(1, r.info2.events[IVMA_EV_USER_CAP]);
	EXPECT_EQ(1, r.info2.sigbus);
	/* the user access, then the kernel's copy (one fault or more) */
	EXPECT_LE(2, r.info.events[IVMA_EV_USER_CAP]);
	EXPECT_EQ(r.info.events[IVMA_EV_USER_CAP], r.info.sigbus);
	EXPECT_EQ(0, r.info.oom);
	/* the user's row: exactly the cap, and every refusal */
	EXPECT_EQ(2, user_cell(NOBODY, "objects"));
	EXPECT_EQ(0, user_cell(NOBODY, "unlimited"));
	EXPECT_EQ((long long)cap, user_cell(NOBODY, "pages"));
	EXPECT_EQ((long long)cap, user_cell(NOBODY, "max_pages"));
	EXPECT_EQ((long long)(r.info.events[IVMA_EV_USER_CAP] + 1),
		  user_cell(NOBODY, "ev_user-cap"));
	EXPECT_EQ(pages_before + (long long)cap, stat_value("pages"));

	/* another user has its own cap */
	ASSERT_EQ(0, peer_start(&b, OTHER, cap_other, &cap));
	ASSERT_EQ(0, peer_report(&b, &r)) TH_LOG("child code %d", peer_end(&b));
	EXPECT_EQ((int)cap, r.ok);
	EXPECT_EQ(1, r.sigbus);
	EXPECT_EQ(cap, r.info.resident);
	EXPECT_EQ(1, r.info.events[IVMA_EV_USER_CAP]);
	EXPECT_EQ((long long)cap, user_cell(OTHER, "pages"));
	EXPECT_EQ(0, peer_go(&b));
	EXPECT_EQ(0, peer_end(&b));
	EXPECT_EQ(-1, user_cell(OTHER, "pages"));	/* row gone */

	/* root (CAP_SYS_RESOURCE) is counted, not bound */
	p = new_mapping(2 * cap, &fd);
	ASSERT_NE(NULL, p);
	for (uint64_t i = 0; i < 2 * cap; i++)
		ASSERT_EQ(0, ivma_access_sigbus(p + i * PSZ, 1, 1));
	EXPECT_EQ(1, user_cell(0, "unlimited"));
	EXPECT_EQ((long long)(2 * cap), user_cell(0, "pages"));
	munmap((void *)p, 2 * cap * PSZ);
	close(fd);
	EXPECT_EQ(-1, user_cell(0, "pages"));

	/* nobody's budget gave 16 pages back: 8 + 1 more fit, 7 spare */
	ASSERT_EQ(0, peer_go(&a));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	EXPECT_EQ(0, r.sigbus);
	EXPECT_EQ(8 + 1 + 24, r.ok);
	EXPECT_EQ(cap - 16, r.info.frames);
	EXPECT_EQ(cap - 16, r.info.resident);
	EXPECT_EQ(1, r.info2.resident);
	EXPECT_EQ((long long)(cap - 15), user_cell(NOBODY, "pages"));
	EXPECT_EQ((long long)r.info.swapped, user_cell(NOBODY, "slots"));
	EXPECT_EQ(0, peer_go(&a));
	EXPECT_EQ(0, peer_end(&a));

	/* all given back */
	EXPECT_EQ(-1, user_cell(NOBODY, "pages"));
	EXPECT_EQ(pages_before, stat_value("pages"));
}

/*
 * The objects of a user whose processes are gone or hidden: nobody's P
 * makes an object, fills 64 MiB of it, unmaps it, hands it to H1 (its fd)
 * and H2 (a mapping only), and exits. The administrator finds the holders
 * through fdinfo and the object's vmas table, kills them, and the memory
 * comes back.
 */
#define HOLD_MIB 64

static int make_and_hand_over(struct link *l)
{
	const uint64_t n = HOLD_MIB * mib_pages();
	volatile unsigned char *p;
	struct report r = { 0 }, *h = &r;
	int fd, sync[2];
	char c;

	p = new_mapping(n, &fd);
	if (!p || pipe(sync))
		return 1;
	write_pages(p, 0, n, 1, &r);
	munmap((void *)p, n * PSZ);
	if (ivma_query(fd, &r.info))
		return 2;
	h->id = r.info.id;
	h->h1 = fork();
	if (h->h1 == 0) {
		for (;;)
			pause();
	}
	h->h2 = fork();
	if (h->h2 == 0) {
		if (mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
			_exit(1);
		close(fd);
		if (write(sync[1], "m", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	if (h->h1 < 0 || h->h2 < 0 || read(sync[0], &c, 1) != 1)
		return 3;
	close(fd);
	return say(l, &r) ? 4 : 0;
}

/* the pids whose fdinfo holds object @id, into @pids: how many */
static int fdinfo_holders(long long id, pid_t *pids, int max)
{
	char path[512], line[256], want[64];
	struct dirent *pe, *fe;
	DIR *proc, *fds;
	int n = 0;

	snprintf(want, sizeof(want), "ivma-object:\t%lld\n", id);
	proc = opendir("/proc");
	if (!proc)
		return -1;
	while ((pe = readdir(proc))) {
		pid_t pid = atoi(pe->d_name);
		int found = 0;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!found && (fe = readdir(fds))) {
			FILE *f;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid,
				 fe->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			while (!found && fgets(line, sizeof(line), f))
				found = !strcmp(line, want);
			fclose(f);
		}
		closedir(fds);
		if (found && n < max)
			pids[n++] = pid;
	}
	closedir(proc);
	return n;
}

TEST_F(limits, holders_found_and_killed)
{
	const uint64_t n = HOLD_MIB * mib_pages();
	long long pages_before = stat_value("pages");
	long avail_before = mem_available_settled_kb();
	long avail_held, avail_after = -1;
	unsigned int tenths;
	struct report r, *h = &r;
	struct peer p;
	char path[128];
	pid_t pids[4];
	int status;

	ASSERT_LE(0, pages_before);
	ASSERT_LT(0, avail_before);
	ASSERT_EQ(0, peer_start(&p, NOBODY, make_and_hand_over, NULL));
	ASSERT_EQ(0, peer_report(&p, &r)) TH_LOG("child code %d", peer_end(&p));
	ASSERT_EQ(0, peer_end(&p));	/* the creator is gone */
	EXPECT_EQ((int)n, r.ok);
	EXPECT_EQ(n, r.info.resident);

	/* debugfs names the creator (gone) and the user */
	EXPECT_EQ(p.pid, table_cell("objects", "id", h->id, "pid"));
	EXPECT_EQ(NOBODY, table_cell("objects", "id", h->id, "uid"));
	EXPECT_EQ((long long)n, table_cell("objects", "id", h->id, "resident"));
	EXPECT_EQ((long long)n, user_cell(NOBODY, "pages"));
	EXPECT_EQ(pages_before + (long long)n, stat_value("pages"));
	avail_held = mem_available_kb();

	/* the holders: the descriptor's in fdinfo, the mapping's in vmas */
	ASSERT_EQ(1, fdinfo_holders(h->id, pids, 4));
	EXPECT_EQ(h->h1, pids[0]);
	snprintf(path, sizeof(path), "obj/%lld/vmas", h->id);
	EXPECT_EQ(0, table_cell(path, "pid", h->h2, "pgoff"));
	EXPECT_EQ(-1, table_cell(path, "pid", h->h1, "pgoff"));

	ASSERT_EQ(0, kill(h->h1, SIGKILL));
	ASSERT_EQ(0, kill(h->h2, SIGKILL));
	ASSERT_EQ(h->h1, waitpid(h->h1, &status, 0));
	ASSERT_EQ(h->h2, waitpid(h->h2, &status, 0));

	EXPECT_EQ(-1, table_cell("objects", "id", h->id, "pid"));
	EXPECT_EQ(-1, user_cell(NOBODY, "pages"));
	EXPECT_EQ(pages_before, stat_value("pages"));
	/*
	 * 64 MiB went and came back. Other memory moves by a few MiB; freed
	 * pages waiting on the per-CPU free lists are counted with
	 * MemAvailable (mem_available_kb()): 16 MiB of slack either way, and
	 * up to 10 s.
	 */
	for (tenths = 0; tenths < 100 * ivma_time_scale(); tenths++) {
		avail_after = mem_available_kb();
		if (avail_after >= avail_before - 16 * 1024)
			break;
		usleep(100 * 1000);
	}
	TH_LOG("MemAvailable: %ld kB before, %ld held, %ld after %.1f s",
	       avail_before, avail_held, avail_after, tenths / 10.0);
	/*
	 * The 64 MiB are missing while held: at least half of them, measured
	 * against the higher of the two readings around it, since memory
	 * freed by an earlier test can still be coming back while this one
	 * runs (seen in CI: 27 MiB more after than before; and 1.4 MiB short
	 * of a 48 MiB bound on a loaded host). The exact count is the
	 * debugfs "pages" figures above; this only shows that the kernel's
	 * own view of free memory sees the object's pages.
	 */
	EXPECT_LE(avail_held,
		  (avail_after > avail_before ? avail_after : avail_before) -
		  HOLD_MIB / 2 * 1024);
	EXPECT_GE(avail_after, avail_before - 16 * 1024);
}

/* ---- swap quotas: two users ---- */

struct swap_job {
	uint64_t good;		/* pages written that must find room */
	int last_fails;		/* the next one gets SIGBUS */
};

/*
 * A 2 + good page object with a budget of 1: write pages 0..good-1 (all
 * but the first go to swap), then page good (SIGBUS if last_fails); report;
 * then read every value back and report again.
 */
static int swap_user(struct link *l)
{
	const struct swap_job *j = l->arg;
	volatile unsigned char *p;
	struct report r = { 0 };
	int fd;

	p = new_mapping(j->good + 2, &fd);
	if (!p || ivma_set_budget(fd, 1, IVMA_POLICY_FIFO))
		return 1;
	write_pages(p, 0, j->good, 10, &r);
	r.aux = ivma_access_sigbus(p + j->good * PSZ, 1, 10 + j->good);
	if (ivma_query(fd, &r.info) ||
	    ivma_ioctl(fd, IVMA_IOC_SWAP_INFO, &r.sw) || say(l, &r) ||
	    wait_go(l))
		return 2;
	memset(&r, 0, sizeof(r));
	check_pages(p, 0, j->good, 10, &r);
	if (ivma_query(fd, &r.info) || say(l, &r) || wait_go(l))
		return 3;
	return 0;
}

/*
 * The first report of swap_user(): @good pages written without a signal,
 * @swapped of them in swap (all swapped out), then one SIGBUS for the
 * limit @ev (IVMA_EV_SWAP_QUOTA or IVMA_EV_NO_SWAP).
 */
static void check_refused(struct __test_metadata *_metadata,
			  const struct report *r, int good, uint64_t swapped,
			  enum ivma_event_kind ev)
{
	EXPECT_EQ(good, r->ok);
	EXPECT_EQ(0, r->sigbus);
	EXPECT_EQ(1, r->aux);
	EXPECT_EQ(swapped, r->info.swapped);
	EXPECT_EQ(swapped, r->info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(1, r->info.resident);
	EXPECT_EQ(ev == IVMA_EV_SWAP_QUOTA, r->info.events[IVMA_EV_SWAP_QUOTA]);
	EXPECT_EQ(ev == IVMA_EV_NO_SWAP, r->info.events[IVMA_EV_NO_SWAP]);
	EXPECT_EQ(1, r->info.sigbus);
}

/* swap_user()'s second step: its @good values read back, then its end */
static void check_read_back(struct __test_metadata *_metadata,
			    struct peer *p, int good)
{
	struct report r;

	ASSERT_EQ(0, peer_go(p));
	ASSERT_EQ(0, peer_report(p, &r));
	EXPECT_EQ(good, r.ok);
	EXPECT_EQ(0, r.sigbus);
	EXPECT_EQ(0, peer_go(p));
	EXPECT_EQ(0, peer_end(p));
}

TEST_F(limits, swap_quota_two_users)
{
	struct swap_job four = { .good = 5 };	/* 4 in swap, 1 in a frame */
	struct peer a, b;
	struct report r;

	ASSERT_EQ(0, param_set("swap_user_pct", 50));
	ASSERT_EQ(0, ivma_set_swap(8 * PSZ));	/* 8 slots, 4 per user */

	/* A fills its quota: its fifth eviction is refused */
	ASSERT_EQ(0, peer_start(&a, NOBODY, swap_user, &four));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	check_refused(_metadata, &r, 5, 4, IVMA_EV_SWAP_QUOTA);
	EXPECT_EQ(8 * PSZ, r.sw.size);
	EXPECT_EQ(4 * PSZ, r.sw.used);		/* half the area is free */
	EXPECT_EQ(4, user_cell(NOBODY, "slots"));
	EXPECT_EQ(4, user_cell(NOBODY, "max_slots"));
	EXPECT_EQ(1, user_cell(NOBODY, "ev_swap-quota"));

	/* B still swaps its four, and only its sixth page is refused */
	ASSERT_EQ(0, peer_start(&b, OTHER, swap_user, &four));
	ASSERT_EQ(0, peer_report(&b, &r)) TH_LOG("child code %d", peer_end(&b));
	check_refused(_metadata, &r, 5, 4, IVMA_EV_SWAP_QUOTA);
	EXPECT_EQ(8 * PSZ, r.sw.used);
	EXPECT_EQ(4, user_cell(OTHER, "slots"));

	/* every value comes back, for both */
	check_read_back(_metadata, &a, 5);
	check_read_back(_metadata, &b, 5);
	EXPECT_EQ(-1, user_cell(NOBODY, "slots"));
	EXPECT_EQ(-1, user_cell(OTHER, "slots"));
}

TEST_F(limits, without_quota_one_user_starves_another)
{
	struct swap_job eight = { .good = 9 }, none = { .good = 1 };
	struct peer a, b;
	struct report r;

	/* swap_user_pct=100: the attack the quota is for */
	ASSERT_EQ(0, param_set("swap_user_pct", 100));
	ASSERT_EQ(0, ivma_set_swap(8 * PSZ));
	ASSERT_EQ(0, peer_start(&a, NOBODY, swap_user, &eight));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	check_refused(_metadata, &r, 9, 8, IVMA_EV_NO_SWAP);
	EXPECT_EQ(8 * PSZ, r.sw.used);
	/* B's first eviction fails: no slot is left */
	ASSERT_EQ(0, peer_start(&b, OTHER, swap_user, &none));
	ASSERT_EQ(0, peer_report(&b, &r)) TH_LOG("child code %d", peer_end(&b));
	check_refused(_metadata, &r, 1, 0, IVMA_EV_NO_SWAP);
	check_read_back(_metadata, &a, 9);
	check_read_back(_metadata, &b, 1);

	/* root is not bound by the quota, as before: all 8 slots */
	ASSERT_EQ(0, param_set("swap_user_pct", 50));
	ASSERT_EQ(0, peer_start(&a, 0, swap_user, &eight));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	check_refused(_metadata, &r, 9, 8, IVMA_EV_NO_SWAP);
	EXPECT_EQ(8, user_cell(0, "slots"));
	EXPECT_EQ(4, user_cell(0, "max_slots"));
	check_read_back(_metadata, &a, 9);
}

/* IVMA_IOC_SET_BUDGET that the quota stops: EDQUOT */
static int budget_at_quota(struct link *l)
{
	volatile unsigned char *p;
	struct report r = { 0 };
	int fd;

	p = new_mapping(6, &fd);
	if (!p)
		return 1;
	write_pages(p, 0, 6, 20, &r);
	r.code = ivma_set_budget(fd, 1, IVMA_POLICY_FIFO);
	if (ivma_query(fd, &r.info))
		return 2;
	check_pages(p, 0, 6, 20, &r);
	if (ivma_query(fd, &r.info2) || say(l, &r) || wait_go(l))
		return 3;
	return 0;
}

TEST_F(limits, budget_at_quota_is_edquot)
{
	struct peer a;
	struct report r;

	ASSERT_EQ(0, param_set("swap_user_pct", 50));
	ASSERT_EQ(0, ivma_set_swap(8 * PSZ));
	ASSERT_EQ(0, peer_start(&a, NOBODY, budget_at_quota, NULL));
	ASSERT_EQ(0, peer_report(&a, &r)) TH_LOG("child code %d", peer_end(&a));
	EXPECT_EQ(-EDQUOT, r.code);
	EXPECT_EQ(12, r.ok);	/* 6 written, 6 read back */
	EXPECT_EQ(0, r.sigbus);
	EXPECT_EQ(1, r.info.frames);	/* set all the same */
	EXPECT_EQ(4, r.info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(4, r.info.swapped);
	EXPECT_EQ(2, r.info.resident);
	EXPECT_EQ(0, r.info.events[IVMA_EV_SWAP_QUOTA]);	/* faults only */
	/* the read-back swapped in over the budget where it had to */
	EXPECT_EQ((long long)r.info2.swapped, user_cell(NOBODY, "slots"));
	EXPECT_EQ(0, peer_go(&a));
	EXPECT_EQ(0, peer_end(&a));
}

/* ---- memory cgroups ---- */

/*
 * A child memory cgroup /ivma-oom-@name with memory.max @max: 0, or a
 * reason to skip. The name is the one selftests/rig/vm-run knows: the OOM
 * reports of these cgroups are expected.
 */
static const char *cgroup_make(const char *name, long max, char *dir,
			       size_t len)
{
	char path[256], val[32];

	if (access(CGROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CGROOT, "cgroup2", 0, NULL))
		return "no cgroup2";
	if (ivma_write_str(CGROOT "/cgroup.subtree_control", "+memory"))
		return "no memory controller";
	snprintf(dir, len, CGROOT "/ivma-oom-%s", name);
	rmdir(dir);
	if (mkdir(dir, 0755))
		return "cannot make the cgroup";
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	snprintf(val, sizeof(val), "%ld", max);
	if (ivma_write_str(path, val))
		return "cannot set memory.max";
	return NULL;
}

static long cg_long(const char *dir, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return ivma_read_long(path);
}

/* a "key value" line of a cgroup file (memory.events, memory.stat) */
static long cg_key(const char *dir, const char *file, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return ivma_file_key(path, key);
}

static int cg_enter(const char *dir, pid_t pid)
{
	char path[256], val[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(val, sizeof(val), "%d", pid);
	return ivma_write_str(path, val);
}

/* a new anonymous object of @pages (its fd, or -1) and the pipe @go */
static int object_and_pipe(uint64_t pages, int go[2])
{
	int fd = ivma_new_anon(pages * PSZ);

	if (fd < 0 || pipe(go))
		return -1;
	return fd;
}

/* touch every page of the object @fd, as a child that waits on @go first */
static pid_t toucher(int fd, uint64_t pages, uint64_t chunk, int go)
{
	pid_t pid = fork();
	char c;

	if (pid)
		return pid;
	if (read(go, &c, 1) != 1)
		_exit(1);
	for (uint64_t i = 0; i < pages; i += chunk) {
		volatile unsigned char *p;

		p = mmap(NULL, chunk * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, i * PSZ);
		if (p == MAP_FAILED)
			_exit(2);
		ivma_touch(p, chunk, 1, 1);
		/* unmapped: in no RSS, where the OOM killer looks */
		if (chunk < pages)
			munmap((void *)p, chunk * PSZ);
	}
	_exit(0);
}

/*
 * memory.max 4 MiB, a 16 MiB object touched by one task of the cgroup:
 * the memcg OOM killer kills that task (SIGKILL); its last fault is one
 * VM_FAULT_OOM. The pages it got stay charged to the cgroup while the
 * object lives (the test holds its fd), and go when it goes.
 */
TEST_F(limits, memcg_limit_kills_the_faulting_task)
{
	const uint64_t n = 16 * mib_pages();
	const long max = 4 << 20;
	struct ivma_info info;
	const char *why;
	char dir[128];
	long held, freed;
	int fd, go[2], status;
	pid_t child;

	why = cgroup_make("fault", max, dir, sizeof(dir));
	if (why)
		SKIP(return, "%s", why);
	fd = object_and_pipe(n, go);
	ASSERT_LE(0, fd);
	child = toucher(fd, n, n, go[0]);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, cg_enter(dir, child));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));

	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	EXPECT_EQ(1, cg_key(dir, "memory.events", "oom_kill"));
	ASSERT_EQ(0, ivma_query(fd, &info));
	/*
	 * The charge that met the kill was this object's page (one
	 * VM_FAULT_OOM), or another allocation of the task's fault (a page
	 * table, charged too): every fault brought a page but that one.
	 */
	EXPECT_GE(1, info.oom);
	EXPECT_EQ(0, info.sigbus);
	EXPECT_EQ(info.resident + info.oom, info.faults);
	EXPECT_LT(0, info.resident);
	EXPECT_GE((uint64_t)max, info.resident * PSZ);
	/* charged as kernel memory, to the cgroup, while the object lives */
	held = cg_long(dir, "memory.current");
	EXPECT_LE((long)(info.resident * PSZ), held);
	EXPECT_LE((long)(info.resident * PSZ), cg_key(dir, "memory.stat", "kernel"));
	close(fd);
	freed = cg_long(dir, "memory.current");
	TH_LOG("resident %llu pages; memory.current %ld held, %ld after close",
	       (unsigned long long)info.resident, held, freed);
	EXPECT_LE(freed, held - (long)(info.resident * PSZ));
	EXPECT_EQ(0, rmdir(dir));
}

/*
 * Whom the memcg OOM killer picks: the task with the largest RSS, not the
 * one that holds unmapped object pages. memory.max 8 MiB; task A holds
 * 4 MiB of anonymous memory and sleeps, task B fills an object 64 pages
 * at a time, unmapping each chunk. A is killed first, then B, the last
 * task left. The order shows in who is left: had B been chosen first,
 * nothing would allocate in the cgroup any more and A would live on.
 * (B may go right after A, before A's memory is uncharged, or once it
 * has filled A's share too: how many pages B got is not checked.)
 */
TEST_F(limits, memcg_oom_picks_by_rss)
{
	const uint64_t n = 16 * mib_pages();
	const long max = 8 << 20;
	struct ivma_info info;
	const char *why;
	char dir[128], c;
	int fd, go[2], ready[2], status, i;
	pid_t a, b;

	why = cgroup_make("rss", max, dir, sizeof(dir));
	if (why)
		SKIP(return, "%s", why);
	fd = object_and_pipe(n, go);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(ready));
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		const size_t len = 4 << 20;
		unsigned char *m;

		if (read(go[0], &c, 1) != 1)
			_exit(1);
		m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(2);
		ivma_touch(m, len / PSZ, 1, 1);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	ASSERT_EQ(0, cg_enter(dir, a));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(ready[0], &c, 1));
	b = toucher(fd, n, 64, go[0]);
	ASSERT_LT(0, b);
	ASSERT_EQ(0, cg_enter(dir, b));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(b, waitpid(b, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* A was killed before B: it is dead or dying now */
	for (i = 0; i < 50 * (int)ivma_time_scale(); i++) {
		if (waitpid(a, &status, WNOHANG) == a)
			break;
		usleep(100 * 1000);
	}
	if (i == 50 * (int)ivma_time_scale()) {
		kill(a, SIGKILL);
		waitpid(a, &status, 0);
		TH_LOG("A outlived B: the OOM killer chose B first");
		EXPECT_FALSE(1);
	}
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	EXPECT_EQ(2, cg_key(dir, "memory.events", "oom_kill"));
	ASSERT_EQ(0, ivma_query(fd, &info));
	/* B's last charge: an object page, or its chunk's page table */
	EXPECT_GE(1, info.oom);
	EXPECT_EQ(info.resident + info.oom, info.faults);
	TH_LOG("object pages when B was killed: %llu",
	       (unsigned long long)info.resident);
	EXPECT_GE((uint64_t)max, info.resident * PSZ);
	close(fd);
	EXPECT_EQ(0, rmdir(dir));
}

TEST_HARNESS_MAIN
