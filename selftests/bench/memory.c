// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: slab deltas per object and per resident page.
 */
#include "bench.h"

/* memory: slab deltas */

struct slab_ent {
	char name[64];
	long active, objsize;
};

struct slab_snap {
	int n;
	struct slab_ent e[1024];
};

/*
 * SLUB counts the free objects of per-CPU slabs as active: a slab's
 * "shrink" flushes them to the node lists first, so that the active counts
 * read next are the objects in use (the caches, not their aliases).
 */
static void slab_shrink_all(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 de->d_name);
		write_str(path, "1");
	}
	closedir(d);
}

static int slab_read(struct slab_snap *s)
{
	FILE *f;
	char line[512];

	slab_shrink_all();
	f = fopen("/proc/slabinfo", "r");
	s->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && s->n < 1024) {
		struct slab_ent *e = &s->e[s->n];
		long num;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %ld %ld", e->name, &e->active, &num,
			   &e->objsize) == 4)
			s->n++;
	}
	fclose(f);
	return s->n ? 0 : -ENODATA;
}

/* let the RCU-deferred frees of the previous steps happen first */
static void quiesce(void)
{
	sync();
	usleep(quick ? 200000 : 1000000);
}

static const struct slab_ent *slab_find(const struct slab_snap *s,
					const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].name, name))
			return &s->e[i];
	return NULL;
}

/* the caches that grew, biggest first; returns the total bytes per unit */
static double slab_diff(const struct slab_snap *a, const struct slab_snap *b,
			double units, struct slab_delta *out, int *nout,
			int max)
{
	double total = 0;
	int i, j, n = 0;

	for (i = 0; i < b->n; i++) {
		const struct slab_ent *x = slab_find(a, b->e[i].name);
		long d = b->e[i].active - (x ? x->active : 0);
		struct slab_delta sd;

		if (d == 0)
			continue;
		total += (double)d * b->e[i].objsize / units;
		if (d < 0)
			continue;
		memset(&sd, 0, sizeof(sd));
		snprintf(sd.name, sizeof(sd.name), "%s", b->e[i].name);
		sd.objsize = b->e[i].objsize;
		sd.objs = d / units;
		sd.bytes = (double)d * b->e[i].objsize / units;
		for (j = n; j > 0 && out[j - 1].bytes < sd.bytes; j--)
			if (j < max)
				out[j] = out[j - 1];
		if (j < max)
			out[j] = sd;
		if (n < max)
			n++;
	}
	*nout = n;
	return total;
}

struct mem_result mem;
static struct slab_snap snap_a, snap_b;

/* radix_tree_node bytes between two snapshots */
static double radix_bytes(const struct slab_snap *a, const struct slab_snap *b)
{
	const struct slab_ent *x = slab_find(a, "radix_tree_node");
	const struct slab_ent *y = slab_find(b, "radix_tree_node");

	if (!x || !y)
		return 0;
	mem.radix_objsize = y->objsize;
	return (double)(y->active - x->active) * y->objsize;
}

/* @pages pages of one object, every @stride-th page: slab deltas */
static int mem_pages(long pages, long stride, double *radix,
		     double *total, int top)
{
	size_t len = (size_t)pages * stride * psz;
	int fd, ret = 0;
	char *p;

	fd = ivma_new_anon(len);
	if (fd < 0)
		return fail("new object: %s", strerror(-fd));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap: %s", strerror(errno));
	}
	quiesce();
	if (slab_read(&snap_a)) {
		ret = fail("/proc/slabinfo: %s", strerror(errno));
		goto out;
	}
	if (stride == 1) {
		touch(p, 0, pages, 0);
	} else {
		long i;

		for (i = 0; i < pages; i++)
			touch(p, i * stride, 1, 0);
	}
	if (slab_read(&snap_b)) {
		ret = fail("/proc/slabinfo: %s", strerror(errno));
		goto out;
	}
	*radix = radix_bytes(&snap_a, &snap_b) / pages;
	if (total)
		*total = slab_diff(&snap_a, &snap_b, pages, mem.page_top,
				   &mem.page_ntop, top);
out:
	munmap(p, len);
	close(fd);
	return ret;
}

int run_memory(void)
{
	int k, nobj = quick ? 32 : 512, *fds, ret = 0;
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)nobj + 64) {
		rl.rlim_cur = nobj + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fds = calloc(nobj, sizeof(int));
	if (!fds)
		return fail("no memory");
	/* per object: open + handshake + configure (anonymous, 1 MiB) */
	quiesce();
	if (slab_read(&snap_a)) {
		free(fds);
		return fail("/proc/slabinfo: %s", strerror(errno));
	}
	for (k = 0; k < nobj; k++) {
		fds[k] = ivma_new_anon(1 << 20);
		if (fds[k] < 0) {
			ret = fail("object %d: %s", k, strerror(-fds[k]));
			break;
		}
	}
	if (!ret && slab_read(&snap_b))
		ret = fail("/proc/slabinfo: %s", strerror(errno));
	if (!ret) {
		mem.objects = nobj;
		mem.obj_total = slab_diff(&snap_a, &snap_b, nobj, mem.obj_top,
					  &mem.obj_ntop, 8);
	}
	while (--k >= 0)
		close(fds[k]);
	free(fds);
	if (ret)
		return ret;

	/* per resident page: dense, then one page in 64 (a leaf each) */
	mem.pages = quick ? 2048 : 32768;
	ret = mem_pages(mem.pages, 1, &mem.page_radix, &mem.page_total, 8);
	if (ret)
		return ret;
	mem.sparse_pages = quick ? 64 : 1024;
	ret = mem_pages(mem.sparse_pages, 64, &mem.sparse_radix, NULL, 0);
	if (!ret)
		mem.done = 1;
	return ret;
}
