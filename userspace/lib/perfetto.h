/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chrome trace-event JSON (the JSON format that the Perfetto UI and
 * chrome://tracing open), written as the records come:
 *  - a complete event ("ph":"X") per record with a latency, named by
 *    its kind, on the track of its thread (pid/tid), lasting the latency;
 *    an instant event ("ph":"i") per record without one;
 *  - counter events ("ph":"C") "object N" (with its origin when known:
 *    "object 7: /usr/bin/ls text [0x0, 0x1a000) r-x") with the object's
 *    resident and dirty pages reconstructed from the records (approximate);
 *  - a global instant event per loss notice;
 *  - process_name / thread_name metadata ("ph":"M").
 */
#ifndef IVMA_PERFETTO_H
#define IVMA_PERFETTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

#include "comms.h"
#include "htab.h"
#include "jsonw.h"
#include "origin.h"

/* The pseudo process of the object counters: above any real pid. */
#define PF_OBJECTS_PID	4194305U

struct pf_object {
	uint64_t object;
	uint64_t resident, dirty;
};

struct pf_writer {
	FILE *out;
	struct jsonw j;
	uint64_t start_ns;
	uint64_t events;	/* trace events written */
	struct htab threads;	/* (pid, tid) */
	uint32_t (*tv)[2];	/* their pid, tid */
	size_t ntv, captv;
	struct htab objects;	/* object -> pf_object */
	struct pf_object *ov;
	size_t nov, capov;
	struct htab pages;	/* (object, pgoff) -> state */
	uint8_t *pv;
	size_t npv, cappv;
	/* set after pf_begin() to name the object tracks by their origin */
	const struct origin_table *origins;
};

/* Starts the JSON document. Returns 0, or -1 when out of memory. */
int pf_begin(struct pf_writer *w, FILE *out, uint64_t start_ns);
/* The events of one record. Returns 0, or -1 when out of memory. */
int pf_add(struct pf_writer *w, const struct ivma_record *rec);
/* The metadata events (names from @comms, else "pid N" / "tid N"), the
 * end of the document; frees @w. Returns 0, or -1 on a write error. */
int pf_end(struct pf_writer *w, const struct comm_table *comms);

#endif /* IVMA_PERFETTO_H */
