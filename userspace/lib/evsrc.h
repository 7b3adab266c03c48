/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the records of trace, record, report, stat, heatmap and export
 * come from: a live system-wide log reader on a fresh /dev/ivma object,
 * or a capture file. The options that choose and filter them are shared
 * (evopts.c).
 */
#ifndef IVMA_EVSRC_H
#define IVMA_EVSRC_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

#include "capture.h"
#include "comms.h"
#include "dev.h"
#include "filter.h"

struct evsrc_opts {
	const char *input;	/* -i FILE ("-": stdin); NULL: live */
	uint64_t ring_size;	/* --size; 0: the module's default */
	struct filter filter;
	uint64_t count;		/* --count; 0: no limit */
	uint64_t duration_ns;	/* --duration; 0: none */
};

#define EVSRC_BATCH	256

struct evsrc {
	const struct evsrc_opts *o;
	bool live;
	struct cap_meta meta;	/* start_ns: the time origin */
	struct comm_table comms;

	/* live */
	struct ivma_dev dev;
	int lfd;
	struct ivma_record buf[EVSRC_BATCH];
	size_t nbuf, ibuf;
	uint64_t next_seq;
	bool seq_known;
	struct ivma_record pending;	/* after a synthesized loss */
	bool has_pending;
	bool draining;		/* stopping: read what is left, then end */
	bool gone;		/* end of stream */
	uint64_t deadline_ns;
	sigset_t oldmask;
	FILE *flush;		/* flushed before waiting */

	/* capture */
	FILE *f;
	struct cap_reader cap;

	/* counts */
	uint64_t nread;		/* records read, loss notices excluded */
	uint64_t nshown;	/* records that passed the filters */
	uint64_t nlost;		/* records lost (notices' counts) */
	bool ended;
	char errmsg[512];
};

/* Set by SIGINT and SIGTERM while a live source is open. */
extern volatile sig_atomic_t evsrc_stop;

/*
 * evsrc_open - opens the source of @o: exits with a message and the exit
 * status of ivma(8) on failure (no device, permission denied, a bad
 * capture header, ...). @comment goes into the header of a capture made
 * from a live source. @flush (stdout, or NULL) is flushed before the
 * source waits for records.
 */
void evsrc_open(struct evsrc *s, const struct evsrc_opts *o,
		const char *comment, FILE *flush);
/*
 * evsrc_next - the next record that passes the filters (loss notices
 * always pass, as IVMA_EV_LOST records; a gap in a live reader's sequence
 * numbers becomes one too). Returns 1, 0 at the end (end of the capture,
 * --count or --duration reached, SIGINT/SIGTERM), -1 on an error
 * described by s->errmsg (a truncated capture, a failed read).
 */
int evsrc_next(struct evsrc *s, struct ivma_record *rec);
/* The capture's command names (after the end), or the live lookups. */
const struct comm_table *evsrc_comms(const struct evsrc *s);
/*
 * The capture's object origins: known from the start when the capture
 * could be sought, else after the end; a live source has none.
 */
const struct origin_table *evsrc_origins(const struct evsrc *s);
void evsrc_close(struct evsrc *s);

/* "ivma trace: 12 records, 0 lost" on stderr (plus what was filtered). */
void evsrc_summary(const struct evsrc *s, const char *what);

#endif /* IVMA_EVSRC_H */
