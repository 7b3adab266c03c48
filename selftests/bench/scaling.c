// SPDX-License-Identifier: GPL-2.0
/*
 * Scaling: 256 pages touched in runs of 64, spread over objects of 1 MiB
 * to 1 GiB.
 */
#include "bench.h"

/* --- scaling: arg = object size in MiB; write = 1; native when !fn arg --- */

/*
 * units pages in runs of 64 aligned pages (one xarray leaf node, one page
 * table), spread evenly over the object; each run is timed on its own
 */
static void touch_spread(struct bcase *c, char *p, size_t obj_pages)
{
	size_t runs = c->units / 64, r;

	for (r = 0; r < runs; r++) {
		size_t first = (obj_pages / runs * r) & ~(size_t)63;

		timed_touch(c, p, first, 64, 1);
	}
}

int s_scale_ivma(struct bcase *c)
{
	size_t len = (size_t)c->arg << 20, obj_pages = len / psz;
	struct ivma_info info;
	int fd;
	char *p;

	set_log(1);
	fd = ivma_new_anon(len);
	if (fd < 0)
		return fail("new object of %d MiB: %s", c->arg, strerror(-fd));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap of %d MiB: %s", c->arg, strerror(errno));
	}
	touch_spread(c, p, obj_pages);
	if (ivma_query(fd, &info) == 0)
		c->faults_per_unit = (double)info.faults / c->units;
	munmap(p, len);
	close(fd);
	return 0;
}

int s_scale_native(struct bcase *c)
{
	size_t len = (size_t)c->arg << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);

	if (!p)
		return fail("mmap of %d MiB: %s", c->arg, strerror(errno));
	touch_spread(c, p, len / psz);
	munmap(p, len);
	return 0;
}
