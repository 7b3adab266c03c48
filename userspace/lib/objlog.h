/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault logs of several objects at once, as a command that creates
 * them reads them (exec, run): one reader per object (no privilege
 * needed), drained without blocking from a poll() loop, merged into one
 * time-ordered list of records at the end, and written to a capture with
 * the objects' origins.
 */
#ifndef IVMA_OBJLOG_H
#define IVMA_OBJLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ivma.h>

#include "capture.h"
#include "origin.h"
#include "rec.h"

struct objlog_reader {
	int fd;			/* -1 once the object is gone */
	uint64_t next_seq;
	bool seq_known;
};

struct objlog {
	struct objlog_reader *r;
	size_t n, cap;
	size_t open;		/* readers not at their end yet */
	struct rec_array recs;
	int error;		/* errno of a failed read */
	bool oom;
};

/*
 * objlog_add - opens a non-blocking reader on the object @object_fd.
 * Returns 0, or -1 with errno set (the ioctl's).
 */
int objlog_add(struct objlog *l, int object_fd);
/*
 * objlog_drain - reads every record the readers have now (a gap in a
 * reader's sequence numbers becomes an IVMA_EV_LOST record). Returns the
 * number of readers whose object is not gone yet.
 */
size_t objlog_drain(struct objlog *l);
/*
 * objlog_wait - polls the open readers and @fd (-1: none) for up to
 * @timeout_ms (-1: no limit). Returns 1 when @fd is readable (or hung
 * up), else 0; -1 on a poll error other than EINTR.
 */
int objlog_wait(struct objlog *l, int fd, int timeout_ms);
/*
 * objlog_finish - after the objects are gone and drained: the records
 * in time order (a loss notice stays before the record that followed it),
 * numbered again from 0 so that the sequence numbers of the one capture
 * have no gap but the losses. Closes the readers.
 */
void objlog_finish(struct objlog *l);
void objlog_free(struct objlog *l);

/*
 * objlog_write_capture - writes @recs to the capture @path (header from
 * @m), with @origins and, for the records of process @pid, the command
 * name @comm. Returns 0, or -1 with a message in @err.
 */
int objlog_write_capture(const char *path, const struct cap_meta *m,
			 const struct rec_array *recs,
			 const struct origin_table *origins, uint32_t pid,
			 const char *comm, char *err, size_t errsz);

#endif /* IVMA_OBJLOG_H */
