// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the Chrome trace-event JSON for Perfetto: structure, complete
 * events, counters reconstructed from the records, metadata.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfetto.h"
#include "test.h"
#include "tjson.h"
#include "tutil.h"

static char *export(const struct ivma_record *v, size_t n,
		    const struct comm_table *comms)
{
	struct pf_writer w;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	pf_begin(&w, f, T_T0);
	for (i = 0; i < n; i++)
		if (pf_add(&w, &v[i]))
			break;
	pf_end(&w, comms);
	fclose(f);
	return buf;
}

/* the events of @ph ("X", "C", ...) named @name (or any when NULL) */
static size_t events(const struct jv *ev, const char *ph, const char *name,
		     const struct jv **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ev->n; i++) {
		const struct jv *e = ev->items[i];

		if (jv_str(e, "ph") && strcmp(jv_str(e, "ph"), ph) == 0 &&
		    (!name || (jv_str(e, "name") &&
			       strcmp(jv_str(e, "name"), name) == 0))) {
			if (n < max)
				out[n] = e;
			n++;
		}
	}
	return n;
}

static void test_perfetto_structure(void)
{
	struct ivma_record v[T_NSCENARIO];
	struct comm_table comms = { 0 };
	const struct jv *e[16], *ev, *args;
	char err[128], *json;
	struct jv *doc;
	size_t n = t_scenario(v), i;

	comm_set(&comms, 100, 100, "writer");
	json = export(v, n, &comms);
	REQUIRE(json);
	doc = jv_parse(json, err, sizeof(err));
	t_check(doc != NULL, __FILE__, __LINE__, "%s", err);
	REQUIRE(doc);
	CHECK_STR(jv_str(doc, "displayTimeUnit"), "ns");
	CHECK_CONTAINS(jv_str(jv_get(doc, "otherData"), "counters"),
		       "approximate");
	ev = jv_get(doc, "traceEvents");
	REQUIRE(ev && ev->type == J_ARRAY);
	for (i = 0; i < ev->n; i++) {
		const struct jv *x = ev->items[i];

		t_check(x->type == J_OBJECT && jv_str(x, "ph") &&
			jv_str(x, "name") && !isnan(jv_num(x, "pid")),
			__FILE__, __LINE__, "event %zu", i);
	}

	/* complete events: the faults with their latency */
	CHECK_U64(events(ev, "X", NULL, e, 16), 8);
	CHECK_U64(events(ev, "X", "zero-fill", e, 16), 4);
	CHECK(fabs(jv_num(e[0], "ts") - (2000.0 - 2.0)) < 1e-6);
	CHECK(fabs(jv_num(e[0], "dur") - 2.0) < 1e-6);
	CHECK(jv_num(e[0], "pid") == 100 && jv_num(e[0], "tid") == 100);
	CHECK_STR(jv_str(e[0], "cat"), "fault");
	args = jv_get(e[0], "args");
	CHECK(jv_num(args, "object") == 7 && jv_num(args, "pgoff") == 0);
	CHECK_STR(jv_str(args, "address"), "0x7f0000000000");
	CHECK_STR(jv_str(args, "outcome"), "ok");
	CHECK_STR(jv_str(args, "access"), "r--u-");
	CHECK_U64(events(ev, "X", "file-read", e, 16), 1);
	CHECK_STR(jv_str(jv_get(e[0], "args"), "outcome"), "sigbus");
	CHECK_U64(events(ev, "X", "writeback", e, 16), 1);
	CHECK(jv_num(jv_get(e[0], "args"), "bytes") == 4096);

	/* instants: mmap, vma-close, obj-destroy; the loss, global */
	CHECK_U64(events(ev, "i", "mmap", e, 16), 1);
	CHECK_STR(jv_str(e[0], "s"), "t");
	CHECK_U64(events(ev, "i", "lost 3 records", e, 16), 1);
	CHECK_STR(jv_str(e[0], "s"), "g");

	/* counters: 0, then resident 1..4, dirty 1, dirty 0, all 0 */
	REQUIRE(events(ev, "C", "object 7", e, 16) == 8);
	{
		static const double want[8][2] = {
			{ 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 },
			{ 4, 1 }, { 4, 0 }, { 0, 0 },
		};

		for (i = 0; i < 8; i++) {
			args = jv_get(e[i], "args");
			t_check(jv_num(args, "resident") == want[i][0] &&
				jv_num(args, "dirty") == want[i][1], __FILE__,
				__LINE__, "counter %zu: %g %g", i,
				jv_num(args, "resident"),
				jv_num(args, "dirty"));
			CHECK(jv_num(e[i], "pid") == PF_OBJECTS_PID);
		}
	}

	/* metadata: names from the command names, else numbers */
	CHECK_U64(events(ev, "M", "process_name", e, 16), 3);
	CHECK_STR(jv_str(jv_get(e[0], "args"), "name"), "writer (pid 100)");
	CHECK_STR(jv_str(jv_get(e[1], "args"), "name"), "pid 200");
	CHECK_U64(events(ev, "M", "thread_name", e, 16), 2);
	CHECK_STR(jv_str(jv_get(e[0], "args"), "name"), "writer (tid 100)");
	jv_free(doc);
	free(json);
	comm_free(&comms);
}

static void test_perfetto_evict(void)
{
	struct ivma_record v[6];
	const struct jv *e[8];
	struct comm_table comms = { 0 };
	char err[128], *json;
	struct jv *doc;

	v[0] = t_rec(0, T_T0 + 10, 3, 5, IVMA_EV_FILE_READ, 1, 9, 100);
	v[1] = t_rec(1, T_T0 + 20, 3, 5, IVMA_EV_DIRTY, 2, 9, 100);
	v[2] = t_rec(2, T_T0 + 30, 3, 5, IVMA_EV_DIRTY, 2, 9, 100);
	v[3] = t_rec(3, T_T0 + 40, 3, 5, IVMA_EV_EVICT, 0, 9, 100);
	v[4] = t_rec(4, T_T0 + 50, 3, 5, IVMA_EV_WRITEBACK, 0, 9, 100);
	v[5] = t_rec(5, T_T0 + 60, 3, 6, IVMA_EV_ZERO_PAD, 1, 9, 100);
	v[5].outcome = IVMA_OUTCOME_OOM;	/* not resident */
	json = export(v, 6, &comms);
	REQUIRE(json);
	doc = jv_parse(json, err, sizeof(err));
	REQUIRE(doc);
	/* file-read (the first), dirty, evict (both down); nothing after:
	 * a second dirty, a write-back of a clean page, a failed fault */
	REQUIRE(events(jv_get(doc, "traceEvents"), "C", "object 3", e, 8) ==
		3);
	CHECK(jv_num(jv_get(e[0], "args"), "resident") == 1);
	CHECK(jv_num(jv_get(e[1], "args"), "dirty") == 1);
	CHECK(jv_num(jv_get(e[2], "args"), "resident") == 0);
	CHECK(jv_num(jv_get(e[2], "args"), "dirty") == 0);
	jv_free(doc);
	free(json);
}

void suite_perfetto(void)
{
	RUN(test_perfetto_structure);
	RUN(test_perfetto_evict);
}
