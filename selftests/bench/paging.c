// SPDX-License-Identifier: GPL-2.0
/*
 * Paging: evict + refault under a 1-frame budget, against native
 * MADV_PAGEOUT with swap and ext2 on RAM disks (env.c).
 */
#include "bench.h"

/* --- paging --- */

int s_paging_ivma(struct bcase *c)
{
	int file = c->arg == PG_CLEAN_FILE || c->arg == PG_DIRTY_FILE;
	int wr = c->arg == PG_DIRTY_FILE || c->arg == PG_DIRTY_ANON;
	size_t len = 2 * psz, i, j;
	struct ivma_info a, b;
	int fd, ret;
	uint64_t t0;
	char *p;

	set_log(1);
	fd = ivma_open();
	if (fd < 0)
		return fail("open %s: %s", IVMA_DEV, strerror(-fd));
	ret = file ? ivma_configure_file(fd, len, ivma_file_fd, 0, len) :
		     ivma_configure_anon(fd, len);
	if (ret) {
		close(fd);
		return fail("IVMA_IOC_CONFIGURE: %s", strerror(-ret));
	}
	ret = ivma_set_budget(fd, 1, IVMA_POLICY_FIFO);
	if (ret) {
		close(fd);
		return fail("IVMA_IOC_SET_BUDGET: %s", strerror(-ret));
	}
	p = mmap(NULL, len, PROT_READ | (wr ? PROT_WRITE : 0), MAP_SHARED,
		 fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap: %s", strerror(errno));
	}
	/* steady state: each page has been in and out once */
	for (i = 0; i < 4; i++)
		touch(p, i & 1, 1, wr);
	ivma_query(fd, &a);
	for (i = 0; i < c->units; i += c->chunk) {
		t0 = now_ns();
		for (j = i; j < i + c->chunk; j++)
			touch(p, j & 1, 1, wr);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	if (ivma_query(fd, &b) == 0) {
		c->faults_per_unit = (double)(b.faults - a.faults) / c->units;
		c->extra_per_unit = (double)(b.events[IVMA_EV_EVICT] -
					     a.events[IVMA_EV_EVICT]) / c->units;
		if (b.sigbus != a.sigbus)
			ret = fail("SIGBUS answers: swap area full?");
	}
	munmap(p, len);
	close(fd);
	return ret;
}

static int page_resident(char *p)
{
	unsigned char v = 0;

	if (mincore(p, psz, &v))
		return -1;
	return v & 1;
}

/* native: touch the page, then evict it (msync first when dirty file) */
int s_paging_native(struct bcase *c)
{
	int file = c->arg != PG_DIRTY_ANON;
	int wr = c->arg != PG_CLEAN_FILE;
	char path[256];
	size_t i, j;
	int fd = -1, ret = 0;
	uint64_t t0;
	char *p;

	if (file && !ext2_dir[0])
		return skip(no_env ? "not set up (--quick or --no-native-paging)" :
			    "no ext2 on a RAM disk (see env)");
	if (!file && !have_swap)
		return skip(no_env ? "not set up (--quick or --no-native-paging)" :
			    "no swap on a RAM disk (see env)");
	if (file) {
		static char buf[65536];

		snprintf(path, sizeof(path), "%s/page-%d", ext2_dir, c->arg);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return fail("%s: %s", path, strerror(errno));
		memset(buf, 0x33, psz);
		if (write(fd, buf, psz) != psz || fsync(fd)) {
			close(fd);
			return fail("%s: write: %s", path, strerror(errno));
		}
		p = mmap(NULL, psz, PROT_READ | (wr ? PROT_WRITE : 0),
			 MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return fail("mmap: %s", strerror(errno));
		}
		madvise(p, psz, MADV_RANDOM);
	} else {
		p = map_anon(psz, PROT_READ | PROT_WRITE);
		if (!p)
			return fail("mmap: %s", strerror(errno));
	}
	/* check that MADV_PAGEOUT does evict here */
	touch(p, 0, 1, wr);
	if (wr && file)
		msync(p, psz, MS_SYNC);
	if (madvise(p, psz, MADV_PAGEOUT)) {
		ret = skip("MADV_PAGEOUT: %s", strerror(errno));
		goto out;
	}
	if (page_resident(p) != 0) {
		ret = skip("MADV_PAGEOUT did not evict the page");
		goto out;
	}
	for (i = 0; i < c->units; i += c->chunk) {
		t0 = now_ns();
		for (j = 0; j < c->chunk; j++) {
			touch(p, 0, 1, wr);
			if (wr && file)
				msync(p, psz, MS_SYNC);
			madvise(p, psz, MADV_PAGEOUT);
		}
		sample_push(c, now_ns() - t0, c->chunk);
	}
	c->extra_per_unit = page_resident(p) == 0;	/* still evicting */
out:
	munmap(p, psz);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return ret;
}
