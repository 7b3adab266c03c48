/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command names (comm) of the threads seen in records: looked up in /proc
 * while tracing live, stored in captures.
 */
#ifndef IVMA_COMMS_H
#define IVMA_COMMS_H

#include <stddef.h>
#include <stdint.h>

#include "htab.h"

#define COMM_LEN	16	/* TASK_COMM_LEN, NUL included */

struct comm_entry {
	uint32_t pid;
	uint32_t tid;
	char comm[COMM_LEN];	/* "" when unknown */
};

struct comm_table {
	struct comm_entry *v;
	size_t n, cap;
	struct htab index;	/* by tid */
};

/*
 * comm_set - records @comm (NULL or "" = unknown) for thread @tid of
 * process @pid; an existing known name is kept unless @comm is known.
 * Returns 0, or -1 when out of memory.
 */
int comm_set(struct comm_table *t, uint32_t pid, uint32_t tid,
	     const char *comm);
/* The entry of thread @tid, or NULL. */
const struct comm_entry *comm_find(const struct comm_table *t,
				   uint32_t tid);
/* The name of process @pid (its main thread's, else any of its threads'),
 * or NULL. */
const char *comm_process(const struct comm_table *t, uint32_t pid);
/*
 * comm_lookup_live - reads /proc/<pid>/task/<tid>/comm (else
 * /proc/<pid>/comm) into @buf; "" when the task is gone.
 */
void comm_lookup_live(uint32_t pid, uint32_t tid, char buf[COMM_LEN]);
void comm_free(struct comm_table *t);

#endif /* IVMA_COMMS_H */
