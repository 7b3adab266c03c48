// SPDX-License-Identifier: GPL-2.0
/*
 * Command names of the threads seen in records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comms.h"

int comm_set(struct comm_table *t, uint32_t pid, uint32_t tid,
	     const char *comm)
{
	struct htab_key key = { tid, 0, 0 };
	int inserted;
	size_t i = htab_get(&t->index, key, 1, &inserted);

	if (i == SIZE_MAX)
		return -1;
	if (inserted) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 16;
			struct comm_entry *v = realloc(t->v, cap * sizeof(*v));

			if (!v) {
				/* keep the index consistent: forget all */
				htab_free(&t->index);
				t->n = 0;
				return -1;
			}
			t->v = v;
			t->cap = cap;
		}
		memset(&t->v[i], 0, sizeof(t->v[i]));
		t->v[i].pid = pid;
		t->v[i].tid = tid;
		t->n++;
	}
	if (comm && *comm)
		snprintf(t->v[i].comm, COMM_LEN, "%s", comm);
	return 0;
}

const struct comm_entry *comm_find(const struct comm_table *t, uint32_t tid)
{
	struct htab_key key = { tid, 0, 0 };
	size_t i = htab_get((struct htab *)&t->index, key, 0, NULL);

	return i == SIZE_MAX ? NULL : &t->v[i];
}

const char *comm_process(const struct comm_table *t, uint32_t pid)
{
	const struct comm_entry *e = comm_find(t, pid);
	size_t i;

	if (e && e->pid == pid && e->comm[0])
		return e->comm;
	for (i = 0; i < t->n; i++)
		if (t->v[i].pid == pid && t->v[i].comm[0])
			return t->v[i].comm;
	return NULL;
}

static int read_comm(const char *path, char buf[COMM_LEN])
{
	FILE *f = fopen(path, "re");
	size_t len;

	if (!f)
		return -1;
	if (!fgets(buf, COMM_LEN, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

void comm_lookup_live(uint32_t pid, uint32_t tid, char buf[COMM_LEN])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pid, tid);
	if (!read_comm(path, buf))
		return;
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	if (!read_comm(path, buf))
		return;
	buf[0] = '\0';
}

void comm_free(struct comm_table *t)
{
	free(t->v);
	htab_free(&t->index);
	memset(t, 0, sizeof(*t));
}
