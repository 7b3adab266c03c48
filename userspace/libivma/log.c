// SPDX-License-Identifier: GPL-2.0
/*
 * libivma: log readers and their records.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

IVMA_EXPORT int ivma_log_open(int fd, uint32_t flags, uint64_t size)
{
	struct ivma_log_open req = { .flags = flags, .size = size };

	return (int)ivma_lib_ioctl(fd, IVMA_IOC_LOG_OPEN, &req);
}

IVMA_EXPORT int ivma_log_stats(int reader, struct ivma_log_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return (int)ivma_lib_ioctl(reader, IVMA_IOC_LOG_STATS, stats);
}

IVMA_EXPORT ssize_t ivma_log_read(int reader, struct ivma_record *recs,
				  size_t n)
{
	int saved = errno;
	ssize_t r;

	if (n > SSIZE_MAX / sizeof(*recs))
		n = SSIZE_MAX / sizeof(*recs);
	do {
		r = read(reader, recs, n * sizeof(*recs));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		r = -errno;
	else if (r % (ssize_t)sizeof(*recs))
		r = -EPROTO;	/* the module reads whole records only */
	else
		r /= (ssize_t)sizeof(*recs);
	errno = saved;
	return r;
}

IVMA_EXPORT int ivma_record_decode(const void *buf, size_t len,
				   struct ivma_record *rec)
{
	struct ivma_record r;

	if (len != sizeof(r))
		return -EINVAL;
	memcpy(&r, buf, sizeof(r));
	if (r.version != IVMA_RECORD_VERSION)
		return -EPROTO;
	*rec = r;
	return 0;
}

IVMA_EXPORT uint64_t ivma_seq_check(struct ivma_seq *s,
				    const struct ivma_record *r,
				    struct ivma_record *lost)
{
	uint64_t gap = s->known && r->seq > s->next ? r->seq - s->next : 0;

	if (gap && lost) {
		memset(lost, 0, sizeof(*lost));
		lost->seq = s->next;
		lost->time_ns = r->time_ns;
		lost->object = r->object;
		lost->aux = gap;
		lost->kind = IVMA_EV_LOST;
		lost->version = IVMA_RECORD_VERSION;
	}
	s->next = r->seq + (r->kind == IVMA_EV_LOST ? r->aux : 1);
	s->known = 1;
	return gap;
}
