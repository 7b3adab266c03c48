/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capture file of "ivma record" (and "ivma touch --record"):
 *
 *	header (struct cap_header, then the field table)
 *	records, raw, header.record_size bytes each
 *	optional trailer, at header.trailer_offset: the command names,
 *	then optional sections (the object origins, origin.h)
 *
 * Every number is in the byte order of the machine that wrote it
 * (header.byte_order tells which). The field table names each field of
 * the record with its offset and size, so that a reader can adapt to a
 * record layout it does not know (fields it lacks read as 0; unknown
 * fields are skipped). See ivma(8), CAPTURE FILE FORMAT.
 */
#ifndef IVMA_CAPTURE_H
#define IVMA_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

#include "comms.h"
#include "origin.h"

#define CAP_MAGIC		"IVMAREC"	/* 8 bytes with the NUL */
#define CAP_TRAILER_MAGIC	"IVMANAM"
#define CAP_VERSION		1
#define CAP_BYTE_ORDER		0x01020304U
#define CAP_UNKNOWN		UINT64_MAX	/* nrecords, lost: not known */

/* header.flags */
#define CAP_FLAG_SYSTEM		(1U << 0)	/* a system-wide reader */
#define CAP_FLAG_OBJECT		(1U << 1)	/* one object's reader */
#define CAP_FLAG_OBJECTS	(1U << 3)	/* the readers of the objects
						 * of one command (run) */
#define CAP_FLAG_FILTERED	(1U << 2)	/* records were filtered out */
#define CAP_FLAG_COMPLETE	(1U << 4)	/* every object's whole reference
						 * string: made with --refs, or
						 * under exact LRU, nothing lost
						 * (cleared by cap_finish() if
						 * records were lost) */

/* One field of the record layout (24 bytes). */
struct cap_field {
	char name[16];		/* NUL-terminated */
	uint32_t offset;	/* in the record */
	uint32_t size;		/* 1, 2, 4 or 8 (an unsigned integer) */
};

/* The fixed part of the header (512 bytes), version 1. */
struct cap_header {
	char magic[8];			/* CAP_MAGIC */
	uint32_t byte_order;		/* CAP_BYTE_ORDER as written */
	uint16_t version;		/* CAP_VERSION */
	uint16_t flags;			/* CAP_FLAG_* */
	uint32_t header_size;		/* bytes before the first record */
	uint32_t record_size;		/* bytes per record */
	uint32_t record_version;	/* IVMA_RECORD_VERSION of the writer */
	uint32_t nfields;		/* entries of the field table */
	uint32_t fields_offset;		/* where the field table starts */
	uint32_t page_size;		/* bytes */
	uint64_t start_ns;		/* CLOCK_MONOTONIC at the start */
	uint64_t start_realtime_ns;	/* CLOCK_REALTIME at the start */
	uint64_t nrecords;		/* records, or CAP_UNKNOWN */
	uint64_t lost;			/* records lost, or CAP_UNKNOWN */
	uint64_t trailer_offset;	/* the trailer, or 0: none */
	uint64_t reserved[3];
	char sysname[32];		/* uname(2) */
	char release[72];
	char machine[32];
	char hostname[72];
	char comment[200];		/* the command line */
};

/* What a capture says about itself. */
struct cap_meta {
	uint16_t flags;
	uint32_t page_size;
	uint64_t start_ns;
	uint64_t start_realtime_ns;
	char sysname[32];
	char release[72];
	char machine[32];
	char hostname[72];
	char comment[200];
	/* reading only */
	uint16_t version;
	uint32_t record_size;
	uint32_t record_version;
	uint64_t nrecords;
	uint64_t lost;
};

/* The field table of this ivma's struct ivma_record. */
extern const struct cap_field cap_native_fields[];
extern const size_t cap_nnative_fields;

/* cap_meta_host - @m for this machine now: uname, page size, clocks. */
void cap_meta_host(struct cap_meta *m, const char *comment);

struct cap_writer {
	FILE *f;
	struct cap_header hdr;
	uint64_t nrecords;
	uint64_t lost;
	uint64_t pos;		/* bytes written */
	struct comm_table comms;
	struct origin_table origins;
};

/*
 * cap_create - writes the header to @f. Returns 0, or -1 with a message
 * in @err.
 */
int cap_create(struct cap_writer *w, FILE *f, const struct cap_meta *m,
	       char *err, size_t errsz);
/* Appends @rec (counting IVMA_EV_LOST aux as lost). Returns 0 or -1. */
int cap_write(struct cap_writer *w, const struct ivma_record *rec,
	      char *err, size_t errsz);
/* Remembers a command name for the trailer. Returns 0 or -1. */
int cap_add_comm(struct cap_writer *w, uint32_t pid, uint32_t tid,
		 const char *comm);
/* Remembers the origin of an object for the trailer. Returns 0 or -1. */
int cap_add_origin(struct cap_writer *w, const struct origin *o);
/*
 * cap_finish - when @f is seekable: writes the trailer and the final
 * counts into the header. Flushes @f (does not close it). Frees @w.
 * Returns 0 or -1.
 */
int cap_finish(struct cap_writer *w, char *err, size_t errsz);

/* Where each field this ivma knows is in the file's record. */
enum cap_fid {
	CAP_F_SEQ, CAP_F_TIME_NS, CAP_F_OBJECT, CAP_F_ADDRESS, CAP_F_PGOFF,
	CAP_F_AUX, CAP_F_PID, CAP_F_TID, CAP_F_LATENCY_NS, CAP_F_KIND,
	CAP_F_ACCESS, CAP_F_OUTCOME, CAP_F_VERSION, CAP_NF
};

struct cap_reader {
	FILE *f;
	const char *name;	/* for messages */
	struct cap_meta meta;
	bool native;		/* the layout is this ivma's: memcpy */
	int32_t off[CAP_NF];	/* -1: not in the file */
	uint32_t size[CAP_NF];
	unsigned char *buf;	/* one record */
	uint64_t pos;		/* byte offset in the file */
	uint64_t end;		/* the trailer's offset, or CAP_UNKNOWN */
	uint64_t count;		/* records read */
	bool done;
	bool trailer_read;	/* read ahead by cap_open() (a seekable file) */
	struct comm_table comms; /* from the trailer, once read */
	struct origin_table origins; /* idem */
};

/*
 * cap_open - reads and checks the header of the capture @f. @name is
 * used in messages. Returns 0, or -1 with a message in @err: not a
 * capture (bad magic), truncated header, a newer format version, another
 * byte order, a bad field table. When @f can be sought, the trailer
 * (command names, origins) is read ahead, so that r->comms and r->origins
 * are known before the first record; otherwise, and if that read fails
 * (the error is then reported at the end), they are read at the end.
 */
int cap_open(struct cap_reader *r, FILE *f, const char *name, char *err,
	     size_t errsz);
/*
 * cap_read - the next record, converted to this ivma's layout.
 * Returns 1, 0 at the end (the trailer read, if any), or -1 with a
 * message in @err (a truncated record, a short capture).
 */
int cap_read(struct cap_reader *r, struct ivma_record *rec, char *err,
	     size_t errsz);
/* Frees @r (does not close the file). */
void cap_close(struct cap_reader *r);

#endif /* IVMA_CAPTURE_H */
