// SPDX-License-Identifier: GPL-2.0
/*
 * The fault logs of several objects.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "objlog.h"

int objlog_add(struct objlog *l, int object_fd)
{
	struct ivma_log_open req = { .flags = IVMA_LOG_NONBLOCK };
	int fd;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct objlog_reader *v = realloc(l->r, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return -1;
		}
		l->r = v;
		l->cap = cap;
	}
	fd = ioctl(object_fd, IVMA_IOC_LOG_OPEN, &req);
	if (fd < 0)
		return -1;
	memset(&l->r[l->n], 0, sizeof(l->r[l->n]));
	l->r[l->n++].fd = fd;
	l->open++;
	return 0;
}

static void push(struct objlog *l, const struct ivma_record *rec)
{
	if (!l->oom && rec_array_push(&l->recs, rec))
		l->oom = true;
}

/* A batch of reader @r: a gap that no LOST record explains is a loss. */
static void take(struct objlog *l, struct objlog_reader *r,
		 const struct ivma_record *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (r->seq_known && v[i].seq > r->next_seq) {
			struct ivma_record lost = {
				.seq = r->next_seq, .time_ns = v[i].time_ns,
				.object = v[i].object,
				.aux = v[i].seq - r->next_seq,
				.kind = IVMA_EV_LOST,
				.version = IVMA_RECORD_VERSION,
			};

			push(l, &lost);
		}
		r->next_seq = v[i].seq + (v[i].kind == IVMA_EV_LOST ?
					  v[i].aux : 1);
		r->seq_known = true;
		push(l, &v[i]);
	}
}

size_t objlog_drain(struct objlog *l)
{
	struct ivma_record buf[256];
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct objlog_reader *r = &l->r[i];

		while (r->fd >= 0) {
			ssize_t n = read(r->fd, buf, sizeof(buf));

			if (n > 0) {
				take(l, r, buf, (size_t)n / sizeof(buf[0]));
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n < 0 && !l->error)
				l->error = errno;
			/* the end: the object is gone (or a read failed) */
			close(r->fd);
			r->fd = -1;
			l->open--;
		}
	}
	return l->open;
}

int objlog_wait(struct objlog *l, int fd, int timeout_ms)
{
	struct pollfd *p = calloc(l->n + 1, sizeof(*p));
	size_t i, n = 0;
	int rc;

	if (!p)
		return -1;
	for (i = 0; i < l->n; i++) {
		if (l->r[i].fd < 0)
			continue;
		p[n].fd = l->r[i].fd;
		p[n++].events = POLLIN;
	}
	if (fd >= 0) {
		p[n].fd = fd;
		p[n++].events = POLLIN;
	}
	rc = poll(p, n, timeout_ms);
	if (rc < 0) {
		rc = errno == EINTR ? 0 : -1;
	} else {
		rc = fd >= 0 && p[n - 1].revents ? 1 : 0;
	}
	free(p);
	return rc;
}

void objlog_finish(struct objlog *l)
{
	uint64_t seq = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->r[i].fd >= 0)
			close(l->r[i].fd);
		l->r[i].fd = -1;
	}
	l->open = 0;
	qsort(l->recs.v, l->recs.n, sizeof(l->recs.v[0]), rec_cmp_time);
	for (i = 0; i < l->recs.n; i++) {
		struct ivma_record *r = &l->recs.v[i];

		r->seq = seq;
		seq += r->kind == IVMA_EV_LOST ? r->aux : 1;
	}
}

void objlog_free(struct objlog *l)
{
	objlog_finish(l);
	free(l->r);
	rec_array_free(&l->recs);
	memset(l, 0, sizeof(*l));
}

int objlog_write_capture(const char *path, const struct cap_meta *m,
			 const struct rec_array *recs,
			 const struct origin_table *origins, uint32_t pid,
			 const char *comm, char *err, size_t errsz)
{
	struct cap_writer w;
	char msg[256];
	FILE *f = fopen(path, "we");
	size_t i;

	if (!f) {
		snprintf(err, errsz, "%s: cannot create: %s", path,
			 strerror(errno));
		return -1;
	}
	if (cap_create(&w, f, m, msg, sizeof(msg))) {
		fclose(f);
		snprintf(err, errsz, "%s: %s", path, msg);
		return -1;
	}
	for (i = 0; i < origins->n; i++)
		if (cap_add_origin(&w, &origins->v[i]))
			goto oom;
	for (i = 0; i < recs->n; i++) {
		const struct ivma_record *r = &recs->v[i];

		if (cap_write(&w, r, msg, sizeof(msg)))
			goto failed;
		if (r->kind != IVMA_EV_LOST && r->pid == pid &&
		    cap_add_comm(&w, r->pid, r->tid, comm))
			goto oom;
	}
	if (cap_finish(&w, msg, sizeof(msg)))
		goto failed;
	if (fclose(f)) {
		snprintf(err, errsz, "%s: write error: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
oom:
	snprintf(msg, sizeof(msg), "out of memory");
failed:
	snprintf(err, errsz, "%s: %s", path, msg);
	comm_free(&w.comms);
	origin_table_free(&w.origins);
	fclose(f);
	return -1;
}
