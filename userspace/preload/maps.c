// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/self/maps, read with raw system calls into a static buffer: the
 * protections of the VMAs under a routed range, for fork, mremap and
 * madvise, which must copy or zero memory whose protections may have
 * changed (mprotect is not intercepted).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "preload.h"
#include "sys.h"

static char maps_buf[65536];

static int piece_of(const struct maps_line *l, uintptr_t a, uintptr_t b,
		    struct maps_piece *pc)
{
	size_t dl = strlen(ivp_conf.device);

	if (l->end <= a || l->start >= b)
		return 0;
	pc->start = l->start < a ? a : l->start;
	pc->end = l->end > b ? b : l->end;
	pc->prot = l->prot;
	pc->device = l->path_len == dl &&
		     memcmp(l->path, ivp_conf.device, dl) == 0;
	return 1;
}

int maps_pieces(uintptr_t a, uintptr_t b, struct maps_piece *out, int max)
{
	size_t have = 0;
	int fd, n = 0, eof = 0;

	fd = (int)rsys(SYS_open, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while (!eof || have) {
		char *nl;
		long r;

		if (!eof && have < sizeof(maps_buf)) {
			r = rsys(SYS_read, fd, maps_buf + have,
				 sizeof(maps_buf) - have);
			if (r == -EINTR)
				continue;
			if (r < 0) {
				sys_close(fd);
				return (int)r;
			}
			if (r == 0)
				eof = 1;
			have += (size_t)r;
		}
		while ((nl = memchr(maps_buf, '\n', have)) != NULL ||
		       (eof && have)) {
			size_t len = nl ? (size_t)(nl - maps_buf) : have;
			struct maps_line l;

			if (!maps_parse_line(maps_buf, len, &l) && n < max &&
			    piece_of(&l, a, b, &out[n]))
				n++;
			len = nl ? len + 1 : len;
			memmove(maps_buf, maps_buf + len, have - len);
			have -= len;
			if (!nl)
				break;
		}
		if (!eof && have == sizeof(maps_buf))
			have = 0;	/* a line longer than the buffer */
	}
	sys_close(fd);
	return n;
}
