// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the trace line formats: text, JSON Lines, CSV.
 */
#include <math.h>
#include <stdlib.h>

#include "rec.h"
#include "test.h"
#include "tjson.h"
#include "recfmt.h"
#include "tutil.h"

static void test_text_lines(void)
{
	struct ivma_record v[T_NSCENARIO];
	char line[TRACE_LINE_MAX];

	t_scenario(v);
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[1], T_T0, line,
				    sizeof(line)),
		  "    0.002000 100/100       obj 7   zero-fill   r--u- pgoff 0"
		  "      0x7f0000000000      2.0us");
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[0], T_T0, line,
				    sizeof(line)),
		  "    0.001000 100/100       obj 7   mmap        rw--s pgoff 0"
		  "      0x7f0000000000          - 16 pages");
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[7], T_T0, line,
				    sizeof(line)),
		  "    0.008000 100/100       obj 7   writeback   ----- pgoff 1"
		  "      0x7f0000001000     40.0us 4096 bytes");
	{
		struct ivma_record e = v[1];

		e.kind = IVMA_EV_SWAP_OUT;
		e.aux = 17;
		CHECK_CONTAINS(trace_format_line(TRACE_TEXT, &e, T_T0, line,
						 sizeof(line)), "2.0us slot 17");
		e.kind = IVMA_EV_EVICT;
		e.aux = 1;
		CHECK_CONTAINS(trace_format_line(TRACE_TEXT, &e, T_T0, line,
						 sizeof(line)), "2.0us was dirty");
		e.kind = IVMA_EV_RESIDENT;
		e.aux = 5;
		CHECK_CONTAINS(trace_format_line(TRACE_TEXT, &e, T_T0, line,
						 sizeof(line)), "2.0us aux 5");
	}
	/* a loss: exactly this line */
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[8], T_T0, line,
				    sizeof(line)), "lost 3 records");
	/* the outcome when not ok, after the access */
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[9], T_T0, line,
				    sizeof(line)),
		  "    0.010000 100/100       obj 7   file-read   r--u- SIGBUS "
		  "pgoff 9      0x7f0000009000     70.0us");
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[11], T_T0, line,
				    sizeof(line)),
		  "    0.012000 100/100       obj 7   obj-destroy ----- pgoff 0"
		  "      -                       -");
	/* before the start: negative; unknown kinds and outcomes by number */
	v[1].kind = 15;
	v[1].outcome = 9;
	CHECK_STR(trace_format_line(TRACE_TEXT, &v[1], T_T0 + 3000000, line,
				    sizeof(line)),
		  "   -0.001000 100/100       obj 7   event-15    r--u- "
		  "OUTCOME-9 pgoff 0      0x7f0000000000      2.0us");
}

/* The -J line of @rec (trace_print(), newline removed), to be freed. */
static char *json_line(const struct ivma_record *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (trace_print(f, TRACE_JSON, rec, T_T0)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

static void test_json_lines(void)
{
	struct ivma_record v[T_NSCENARIO];
	char *line, err[128];
	struct jv *j;
	size_t i;

	t_scenario(v);
	for (i = 0; i < T_NSCENARIO; i++) {
		line = json_line(&v[i]);
		REQUIRE(line);
		j = jv_parse(line, err, sizeof(err));
		t_check(j && j->type == J_OBJECT, __FILE__, __LINE__,
			"line %zu: %s: %s", i, line, err);
		jv_free(j);
		free(line);
	}
	line = json_line(&v[9]);
	REQUIRE(line);
	/* byte for byte what trace -J printed before the JSON writer */
	CHECK_STR(line, "{\"time\":0.010000000,\"seq\":11,\"pid\":100,"
		  "\"tid\":100,\"object\":7,\"kind\":\"file-read\","
		  "\"access\":\"r--u-\",\"outcome\":\"sigbus\",\"pgoff\":9,"
		  "\"address\":139637976764416,\"latency_ns\":70000,"
		  "\"aux\":0}");
	j = jv_parse(line, err, sizeof(err));
	free(line);
	REQUIRE(j);
	CHECK(fabs(jv_num(j, "time") - 0.010) < 1e-9);
	CHECK(jv_num(j, "seq") == 11);
	CHECK(jv_num(j, "pid") == 100);
	CHECK(jv_num(j, "object") == 7);
	CHECK_STR(jv_str(j, "kind"), "file-read");
	CHECK_STR(jv_str(j, "access"), "r--u-");
	CHECK_STR(jv_str(j, "outcome"), "sigbus");
	CHECK(jv_num(j, "pgoff") == 9);
	CHECK(jv_num(j, "address") == (double)0x7f0000009000ULL);
	CHECK(jv_num(j, "latency_ns") == 70000);
	jv_free(j);
	line = json_line(&v[8]);
	REQUIRE(line);
	CHECK_STR(line, "{\"time\":0.009000000,\"seq\":8,\"object\":7,"
		  "\"kind\":\"lost\",\"lost\":3}");
	j = jv_parse(line, err, sizeof(err));
	free(line);
	REQUIRE(j);
	CHECK_STR(jv_str(j, "kind"), "lost");
	CHECK(jv_num(j, "lost") == 3);
	jv_free(j);
}

static void test_csv_lines(void)
{
	struct ivma_record v[T_NSCENARIO];
	char line[TRACE_LINE_MAX];

	t_scenario(v);
	CHECK_STR(trace_csv_header(), "time,seq,pid,tid,object,kind,access,"
		  "outcome,pgoff,address,latency_ns,aux");
	CHECK_STR(trace_format_line(TRACE_CSV, &v[7], T_T0, line,
				    sizeof(line)),
		  "0.008000000,7,100,100,7,writeback,-----,ok,1,"
		  "0x7f0000001000,40000,4096");
	CHECK_STR(trace_format_line(TRACE_CSV, &v[8], T_T0, line,
				    sizeof(line)),
		  "0.009000000,8,0,0,7,lost,-----,ok,0,0x0,0,3");
}

static void test_names_and_quoting(void)
{
	char buf[64], acc[ACCESS_STR_LEN];

	CHECK_STR(access_to_str(0x1f, acc), "rwxus");
	CHECK_STR(access_to_str(IVMA_ACCESS_EXEC | IVMA_ACCESS_USER, acc),
		  "--xu-");
	CHECK_STR(outcome_name(IVMA_OUTCOME_IO_ERROR), "io-error");
	CHECK(outcome_name(5) == NULL);
	CHECK_STR(outcome_str(5, buf, sizeof(buf)), "outcome-5");
	CHECK_STR(kind_str(IVMA_EV_COW, buf, sizeof(buf)), "cow");
	CHECK_STR(kind_str(30, buf, sizeof(buf)), "event-30");
	CHECK(kind_counts_as_fault(IVMA_EV_DIRTY));
	CHECK(!kind_counts_as_fault(IVMA_EV_COW));
	CHECK(kind_is_fault(IVMA_EV_RESIDENT));
	CHECK(kind_is_vma(IVMA_EV_VMA_OPEN));
	CHECK_STR(latency_to_str(999, buf, sizeof(buf)), "999ns");
	CHECK_STR(latency_to_str(1500, buf, sizeof(buf)), "1.5us");
	CHECK_STR(latency_to_str(2500000, buf, sizeof(buf)), "2.50ms");
	CHECK_STR(latency_to_str(4000000000U, buf, sizeof(buf)), "4.000s");
}

void suite_recfmt(void)
{
	RUN(test_text_lines);
	RUN(test_json_lines);
	RUN(test_csv_lines);
	RUN(test_names_and_quoting);
}
