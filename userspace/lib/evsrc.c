// SPDX-License-Identifier: GPL-2.0
/*
 * The source of records: a live reader or a capture file.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "evsrc.h"
#include "rec.h"
#include "strutils.h"

volatile sig_atomic_t evsrc_stop;

static void on_stop(int signo)
{
	(void)signo;
	evsrc_stop = 1;
}

static void open_capture(struct evsrc *s)
{
	const char *name = s->o->input;
	char msg[512];

	if (strcmp(name, "-") == 0) {
		s->f = stdin;
		name = "<stdin>";
	} else {
		s->f = fopen(name, "re");
		if (!s->f)
			err(errno == ENOENT ? IVMA_EXIT_FAILURE :
			    ivma_errno_status(errno), "%s: cannot open", name);
	}
	if (cap_open(&s->cap, s->f, name, msg, sizeof(msg)))
		errx(IVMA_EXIT_FAILURE, "%s", msg);
	s->meta = s->cap.meta;
}

static void open_live(struct evsrc *s, const char *comment)
{
	struct ivma_log_open req = { 0 };
	struct ivma_api api;
	struct sigaction sa;
	sigset_t block;
	char h[HUMAN_SIZE_LEN];
	int fd;

	ivma_dev_open(&s->dev, ivma_device_path(ivma_global_device));
	ivma_dev_api(&s->dev, 0, &api);
	if (!(api.features & IVMA_FEATURE_LOG))
		errx(IVMA_EXIT_FAILURE, "%s: the module has no fault log "
		     "(feature 'log'): update the module", s->dev.path);

	req.flags = IVMA_LOG_SYSTEM | IVMA_LOG_NONBLOCK;
	req.size = s->o->ring_size;
	fd = ioctl(s->dev.fd, IVMA_IOC_LOG_OPEN, &req);
	if (fd < 0) {
		int e = errno;

		if (e == EPERM || e == EACCES)
			errx(IVMA_EXIT_PERM, "%s: tracing every object needs "
			     "CAP_PERFMON or CAP_SYS_ADMIN: run as root, or "
			     "trace your own object with 'ivma touch --trace'",
			     s->dev.path);
		if (e == EINVAL && req.size)
			errx(IVMA_EXIT_USAGE, "--size: the module refused a "
			     "ring of %s", size_to_human(req.size, h,
							 sizeof(h)));
		errno = e;
		err(ivma_errno_status(e), "%s: IVMA_IOC_LOG_OPEN", s->dev.path);
	}
	s->lfd = fd;

	cap_meta_host(&s->meta, comment);
	s->meta.flags = CAP_FLAG_SYSTEM;
	if (api.page_size)
		s->meta.page_size = api.page_size;
	if (s->o->duration_ns)
		s->deadline_ns = s->meta.start_ns + s->o->duration_ns;

	/* SIGINT, SIGTERM: stop cleanly; only delivered while waiting */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &s->oldmask);
}

void evsrc_open(struct evsrc *s, const struct evsrc_opts *o,
		const char *comment, FILE *flush)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->lfd = -1;
	s->dev.fd = -1;
	s->flush = flush;
	evsrc_stop = 0;
	if (o->input) {
		open_capture(s);
	} else {
		s->live = true;
		open_live(s, comment);
	}
	if (filter_active(&o->filter))
		s->meta.flags |= CAP_FLAG_FILTERED;
}

/* Waits for records until the deadline. Returns 0, or -1 on an error. */
static int wait_records(struct evsrc *s)
{
	struct pollfd pfd = { .fd = s->lfd, .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	int n;

	if (s->flush)
		fflush(s->flush);
	if (s->deadline_ns) {
		uint64_t now = monotonic_ns();
		uint64_t left = s->deadline_ns > now ? s->deadline_ns - now : 0;

		if (!left) {
			s->draining = true;
			return 0;
		}
		ts.tv_sec = (time_t)(left / 1000000000ULL);
		ts.tv_nsec = (long)(left % 1000000000ULL);
		tsp = &ts;
	}
	n = ppoll(&pfd, 1, tsp, &s->oldmask);
	if (n < 0 && errno != EINTR) {
		snprintf(s->errmsg, sizeof(s->errmsg), "poll: %s",
			 strerror(errno));
		return -1;
	}
	if (evsrc_stop)
		s->draining = true;
	return 0;
}

/* The next record of the live reader, unfiltered. 1, 0 or -1. */
static int live_next(struct evsrc *s, struct ivma_record *rec)
{
	for (;;) {
		ssize_t n;

		if (s->has_pending) {
			*rec = s->pending;
			s->has_pending = false;
			return 1;
		}
		if (s->ibuf < s->nbuf) {
			*rec = s->buf[s->ibuf++];
			/* a gap that no LOST record explains is a loss too */
			if (s->seq_known && rec->seq > s->next_seq) {
				s->pending = *rec;
				s->has_pending = true;
				memset(rec, 0, sizeof(*rec));
				rec->kind = IVMA_EV_LOST;
				rec->version = IVMA_RECORD_VERSION;
				rec->seq = s->next_seq;
				rec->aux = s->pending.seq - s->next_seq;
				rec->time_ns = s->pending.time_ns;
				s->next_seq = s->pending.seq;
				return 1;
			}
			s->next_seq = rec->seq + (rec->kind == IVMA_EV_LOST ?
						  rec->aux : 1);
			s->seq_known = true;
			return 1;
		}
		if (s->gone)
			return 0;
		n = read(s->lfd, s->buf, sizeof(s->buf));
		if (n > 0) {
			s->nbuf = (size_t)n / sizeof(s->buf[0]);
			s->ibuf = 0;
			continue;
		}
		if (n == 0) {
			s->gone = true;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			snprintf(s->errmsg, sizeof(s->errmsg), "read of the "
				 "log: %s", strerror(errno));
			return -1;
		}
		if (s->draining || evsrc_stop)
			return 0;
		if (wait_records(s))
			return -1;
	}
}

static int raw_next(struct evsrc *s, struct ivma_record *rec)
{
	if (s->live)
		return live_next(s, rec);
	return cap_read(&s->cap, rec, s->errmsg, sizeof(s->errmsg));
}

int evsrc_next(struct evsrc *s, struct ivma_record *rec)
{
	int rc;

	if (s->ended)
		return 0;
	for (;;) {
		if (s->o->count && s->nshown >= s->o->count)
			break;
		rc = raw_next(s, rec);
		if (rc <= 0) {
			s->ended = true;
			return rc;
		}
		if (s->o->duration_ns &&
		    rec->time_ns > s->meta.start_ns + s->o->duration_ns) {
			/*
			 * A capture's window from its start, which can hold
			 * nothing when the program came later: say where
			 * the records are rather than print 0 alone.
			 */
			if (!s->live && !s->nread)
				warnx("--duration: no record in the first "
				      "%.6g s of the capture; its first is at "
				      "%.6f s", (double)s->o->duration_ns / 1e9,
				      (double)(rec->time_ns - s->meta.start_ns) /
				      1e9);
			break;
		}
		if (rec->kind == IVMA_EV_LOST) {
			s->nlost += rec->aux;
			return 1;
		}
		s->nread++;
		if (!filter_match(&s->o->filter, rec))
			continue;
		s->nshown++;
		if (s->live && !comm_find(&s->comms, rec->tid)) {
			char comm[COMM_LEN];

			comm_lookup_live(rec->pid, rec->tid, comm);
			if (comm_set(&s->comms, rec->pid, rec->tid, comm))
				errx(IVMA_EXIT_FAILURE, "out of memory");
		}
		return 1;
	}
	s->ended = true;
	return 0;
}

const struct comm_table *evsrc_comms(const struct evsrc *s)
{
	return s->live ? &s->comms : &s->cap.comms;
}

const struct origin_table *evsrc_origins(const struct evsrc *s)
{
	static const struct origin_table none;

	return s->live ? &none : &s->cap.origins;
}

void evsrc_close(struct evsrc *s)
{
	if (s->live) {
		if (s->lfd >= 0)
			close(s->lfd);
		s->lfd = -1;
		ivma_dev_close(&s->dev);
		sigprocmask(SIG_SETMASK, &s->oldmask, NULL);
	} else {
		cap_close(&s->cap);
		if (s->f && s->f != stdin)
			fclose(s->f);
		s->f = NULL;
	}
	comm_free(&s->comms);
}

void evsrc_summary(const struct evsrc *s, const char *what)
{
	fprintf(stderr, "%s: %" PRIu64 " record%s, %" PRIu64 " lost", what,
		s->nshown, s->nshown == 1 ? "" : "s", s->nlost);
	if (s->nread > s->nshown)
		fprintf(stderr, " (%" PRIu64 " more filtered out)",
			s->nread - s->nshown);
	fputc('\n', stderr);
}
