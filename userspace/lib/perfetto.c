// SPDX-License-Identifier: GPL-2.0
/*
 * Chrome trace-event JSON for the Perfetto UI, through the JSON writer.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfetto.h"
#include "rec.h"
#include "jsonw.h"

#define PAGE_RESIDENT	1
#define PAGE_DIRTY	2

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

int pf_begin(struct pf_writer *w, FILE *out, uint64_t start_ns)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->start_ns = start_ns;
	jsonw_init(&w->j, out);
	jsonw_obj_lines(&w->j);
	jsonw_kstr(&w->j, "displayTimeUnit", "ns");
	jsonw_key(&w->j, "otherData");
	jsonw_obj(&w->j);
	jsonw_kstr(&w->j, "tool", "ivma " IVMA_VERSION);
	jsonw_kstr(&w->j, "counters", "resident and dirty pages per object "
		   "are reconstructed from the records: approximate");
	jsonw_close(&w->j);
	jsonw_key(&w->j, "traceEvents");
	jsonw_arr_lines(&w->j);
	return 0;
}

/* Microseconds since the start, for "ts" (never negative). */
static double us(const struct pf_writer *w, uint64_t t)
{
	return t > w->start_ns ? (double)(t - w->start_ns) / 1e3 : 0.0;
}

/* "ts" (and "dur"): microseconds, three decimals */
static void put_us(struct pf_writer *w, const char *key, double v)
{
	jsonw_key(&w->j, key);
	jsonw_fmt(&w->j, "%.3f", v);
}

/* An event's opening members: name, cat (unless NULL), ph. */
static void event(struct pf_writer *w, const char *name, const char *cat,
		  const char *ph)
{
	w->events++;
	jsonw_obj(&w->j);
	jsonw_kstr(&w->j, "name", name);
	if (cat)
		jsonw_kstr(&w->j, "cat", cat);
	jsonw_kstr(&w->j, "ph", ph);
}

static int note_thread(struct pf_writer *w, uint32_t pid, uint32_t tid)
{
	struct htab_key key = { pid, tid, 0 };
	int added;

	if (htab_get(&w->threads, key, 1, &added) == SIZE_MAX)
		return -1;
	if (!added)
		return 0;
	if (grow((void **)&w->tv, &w->captv, w->ntv, sizeof(*w->tv)))
		return -1;
	w->tv[w->ntv][0] = pid;
	w->tv[w->ntv][1] = tid;
	w->ntv++;
	return 0;
}

static struct pf_object *object(struct pf_writer *w, uint64_t id,
				bool *is_new)
{
	struct htab_key key = { id, 0, 0 };
	int added;
	size_t i = htab_get(&w->objects, key, 1, &added);

	*is_new = added;
	if (i == SIZE_MAX)
		return NULL;
	if (added) {
		if (grow((void **)&w->ov, &w->capov, w->nov, sizeof(*w->ov)))
			return NULL;
		memset(&w->ov[i], 0, sizeof(w->ov[i]));
		w->ov[i].object = id;
		w->nov++;
	}
	return &w->ov[i];
}

static uint8_t *page(struct pf_writer *w, uint64_t obj, uint64_t pgoff)
{
	struct htab_key key = { obj, pgoff, 0 };
	int added;
	size_t i = htab_get(&w->pages, key, 1, &added);

	if (i == SIZE_MAX)
		return NULL;
	if (added) {
		if (grow((void **)&w->pv, &w->cappv, w->npv, 1))
			return NULL;
		w->pv[i] = 0;
		w->npv++;
	}
	return &w->pv[i];
}

static int counter(struct pf_writer *w, const struct pf_object *o,
		   uint64_t t)
{
	const struct origin *or = w->origins ?
				  origin_find(w->origins, o->object) : NULL;
	char d[ORIGIN_STR_MAX + 256], *name;

	/* the track's name: "object 7", or "object 7: /usr/bin/ls text ..." */
	if ((or ? asprintf(&name, "object %" PRIu64 ": %s", o->object,
			   origin_describe(or, d, sizeof(d))) :
		  asprintf(&name, "object %" PRIu64, o->object)) < 0)
		return -1;
	event(w, name, "pages", "C");
	free(name);
	put_us(w, "ts", us(w, t));
	jsonw_ku64(&w->j, "pid", PF_OBJECTS_PID);
	jsonw_key(&w->j, "args");
	jsonw_obj(&w->j);
	jsonw_ku64(&w->j, "resident", o->resident);
	jsonw_ku64(&w->j, "dirty", o->dirty);
	jsonw_close(&w->j);
	jsonw_close(&w->j);
	return 0;
}

/* Applies @rec to the object's counters; 1 when they changed. */
static int update_counters(struct pf_writer *w, struct pf_object *o,
			   const struct ivma_record *rec)
{
	uint64_t r = o->resident, d = o->dirty;
	uint8_t *st;

	if (rec->kind == IVMA_EV_OBJ_DESTROY) {
		o->resident = o->dirty = 0;
		return r || d;
	}
	if (rec->outcome != IVMA_OUTCOME_OK || kind_is_vma(rec->kind) ||
	    kind_is_object(rec->kind))
		return 0;
	switch (rec->kind) {
	case IVMA_EV_ZERO_FILL:
	case IVMA_EV_FILE_READ:
	case IVMA_EV_ZERO_PAD:
	case IVMA_EV_DIRTY:
	case IVMA_EV_WRITEBACK:
	case IVMA_EV_EVICT:
		break;
	default:
		return 0;
	}
	st = page(w, rec->object, rec->pgoff);
	if (!st)
		return -1;
	switch (rec->kind) {
	case IVMA_EV_ZERO_FILL:
	case IVMA_EV_FILE_READ:
	case IVMA_EV_ZERO_PAD:
		if (!(*st & PAGE_RESIDENT)) {
			*st |= PAGE_RESIDENT;
			o->resident++;
		}
		break;
	case IVMA_EV_DIRTY:
		if (!(*st & PAGE_DIRTY)) {
			*st |= PAGE_DIRTY;
			o->dirty++;
		}
		break;
	case IVMA_EV_WRITEBACK:
		if (*st & PAGE_DIRTY) {
			*st &= (uint8_t)~PAGE_DIRTY;
			o->dirty--;
		}
		break;
	case IVMA_EV_EVICT:
		/* aux 1: the page was dirty (written back or swapped out) */
		if (o->resident)
			o->resident--;
		if (((*st & PAGE_DIRTY) || rec->aux == 1) && o->dirty)
			o->dirty--;
		*st = 0;
		break;
	}
	return r != o->resident || d != o->dirty;
}

static const char *category(unsigned int kind)
{
	if (kind_counts_as_fault(kind) || kind == IVMA_EV_COW)
		return "fault";
	if (kind_is_vma(kind))
		return "vma";
	if (kind_is_object(kind))
		return "object";
	return "paging";
}

int pf_add(struct pf_writer *w, const struct ivma_record *rec)
{
	char kb[16], ob[16], acc[ACCESS_STR_LEN], *name;
	struct pf_object *o;
	bool is_new;
	int changed;

	if (rec->kind == IVMA_EV_LOST) {
		if (asprintf(&name, "lost %" PRIu64 " records",
			     (uint64_t)rec->aux) < 0)
			return -1;
		event(w, name, "log", "i");
		free(name);
		jsonw_kstr(&w->j, "s", "g");
		put_us(w, "ts", us(w, rec->time_ns));
		jsonw_ku64(&w->j, "pid", PF_OBJECTS_PID);
		jsonw_ku64(&w->j, "tid", PF_OBJECTS_PID);
		jsonw_close(&w->j);
		return 0;
	}
	if (note_thread(w, rec->pid, rec->tid))
		return -1;
	if (rec->latency_ns) {
		uint64_t start = rec->time_ns > rec->latency_ns ?
				 rec->time_ns - rec->latency_ns : 0;

		event(w, kind_str(rec->kind, kb, sizeof(kb)),
		      category(rec->kind), "X");
		put_us(w, "ts", us(w, start));
		put_us(w, "dur", (double)rec->latency_ns / 1e3);
	} else {
		event(w, kind_str(rec->kind, kb, sizeof(kb)),
		      category(rec->kind), "i");
		jsonw_kstr(&w->j, "s", "t");
		put_us(w, "ts", us(w, rec->time_ns));
	}
	jsonw_ku64(&w->j, "pid", (uint32_t)rec->pid);
	jsonw_ku64(&w->j, "tid", (uint32_t)rec->tid);
	jsonw_key(&w->j, "args");
	jsonw_obj(&w->j);
	jsonw_ku64(&w->j, "object", rec->object);
	jsonw_ku64(&w->j, "pgoff", rec->pgoff);
	jsonw_key(&w->j, "address");
	jsonw_fmt_str(&w->j, "0x%" PRIx64, (uint64_t)rec->address);
	jsonw_kstr(&w->j, "access", access_to_str(rec->access, acc));
	jsonw_kstr(&w->j, "outcome", outcome_str(rec->outcome, ob, sizeof(ob)));
	jsonw_ku64(&w->j, "seq", rec->seq);
	if (kind_is_vma(rec->kind))
		jsonw_ku64(&w->j, "pages", rec->aux);
	else if (rec->kind == IVMA_EV_WRITEBACK)
		jsonw_ku64(&w->j, "bytes", rec->aux);
	jsonw_close(&w->j);
	jsonw_close(&w->j);

	o = object(w, rec->object, &is_new);
	if (!o)
		return -1;
	changed = update_counters(w, o, rec);
	if (changed < 0)
		return -1;
	if (changed || is_new)
		return counter(w, o, rec->time_ns);
	return 0;
}

static void meta(struct pf_writer *w, const char *what, uint32_t pid,
		 uint32_t tid, const char *name)
{
	event(w, what, NULL, "M");
	jsonw_ku64(&w->j, "pid", pid);
	jsonw_ku64(&w->j, "tid", tid);
	jsonw_key(&w->j, "args");
	jsonw_obj(&w->j);
	jsonw_kstr(&w->j, "name", name);
	jsonw_close(&w->j);
	jsonw_close(&w->j);
}

int pf_end(struct pf_writer *w, const struct comm_table *comms)
{
	struct htab seen = { 0 };
	char name[64];
	size_t i;
	int rc = 0;

	for (i = 0; i < w->ntv; i++) {
		uint32_t pid = w->tv[i][0], tid = w->tv[i][1];
		const struct comm_entry *e = comm_find(comms, tid);
		const char *pc = comm_process(comms, pid);
		struct htab_key key = { pid, 0, 0 };
		int added;

		if (htab_get(&seen, key, 1, &added) == SIZE_MAX) {
			rc = -1;
			break;
		}
		if (added) {
			if (pc)
				snprintf(name, sizeof(name), "%s (pid %" PRIu32
					 ")", pc, pid);
			else
				snprintf(name, sizeof(name), "pid %" PRIu32,
					 pid);
			meta(w, "process_name", pid, pid, name);
		}
		if (e && e->comm[0])
			snprintf(name, sizeof(name), "%s (tid %" PRIu32 ")",
				 e->comm, tid);
		else
			snprintf(name, sizeof(name), "tid %" PRIu32, tid);
		meta(w, "thread_name", pid, tid, name);
	}
	htab_free(&seen);
	meta(w, "process_name", PF_OBJECTS_PID, PF_OBJECTS_PID,
	     "ivma objects (pages, approximate)");
	jsonw_close(&w->j);	/* traceEvents */
	jsonw_close(&w->j);
	putc('\n', w->out);
	if (jsonw_end(&w->j))
		rc = -1;
	htab_free(&w->threads);
	htab_free(&w->objects);
	htab_free(&w->pages);
	free(w->tv);
	free(w->ov);
	free(w->pv);
	return rc;
}
