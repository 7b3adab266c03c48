// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the JSON writer (jsonw.c): escaping, nesting, long strings,
 * and that every misuse makes jsonw_end() fail.
 */
#include <stdio.h>
#include <stdlib.h>

#include "jsonw.h"
#include "test.h"
#include "tjson.h"

/* A writer into memory: open with mem_open(), read with mem_close(). */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
	struct jsonw w;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	jsonw_init(&m->w, m->f);
}

/* jsonw_end()'s result; the text is in m->buf (to be freed) */
static int mem_close(struct mem *m)
{
	int rc = jsonw_end(&m->w);

	fclose(m->f);
	return rc;
}

static void test_jsonw_escaping(void)
{
	struct mem m;

	mem_open(&m);
	jsonw_str(&m.w, "a\"b\\c\n\t\x01\x1f /\x7f");
	CHECK(mem_close(&m) == 0);
	CHECK_STR(m.buf, "\"a\\\"b\\\\c\\u000a\\u0009\\u0001\\u001f /\x7f\"");
	free(m.buf);

	/* UTF-8 passes through untouched, and parses back to itself */
	mem_open(&m);
	jsonw_str(&m.w, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK(mem_close(&m) == 0);
	CHECK_STR(m.buf, "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"");
	free(m.buf);

	mem_open(&m);
	jsonw_str(&m.w, "");
	CHECK(mem_close(&m) == 0);
	CHECK_STR(m.buf, "\"\"");
	free(m.buf);
}

static void test_jsonw_long_strings(void)
{
	size_t n = 5000, i;
	char *s = malloc(n + 1), err[128];
	const struct jv *v;
	struct jv *doc;
	struct mem m;

	REQUIRE(s);
	for (i = 0; i < n; i++)	/* every 7th a quote: escaped, not cut */
		s[i] = i % 7 == 3 ? '"' : (char)('a' + i % 26);
	s[n] = '\0';
	mem_open(&m);
	jsonw_obj(&m.w);
	jsonw_kstr(&m.w, "path", s);
	jsonw_close(&m.w);
	CHECK(mem_close(&m) == 0);
	CHECK(m.len > n);
	doc = jv_parse(m.buf, err, sizeof(err));
	t_check(doc != NULL, __FILE__, __LINE__, "%s", err);
	if (doc) {
		v = jv_get(doc, "path");
		CHECK(v && v->type == J_STRING && strcmp(v->str, s) == 0);
	}
	jv_free(doc);
	free(m.buf);
	free(s);
}

static void test_jsonw_nesting(void)
{
	char err[128];
	struct jv *doc;
	struct mem m;
	int i;

	mem_open(&m);
	jsonw_obj(&m.w);
	jsonw_ku64(&m.w, "a", UINT64_MAX);
	jsonw_key(&m.w, "b");
	jsonw_arr(&m.w);
	jsonw_i64(&m.w, -5);
	jsonw_bool(&m.w, true);
	jsonw_null(&m.w);
	jsonw_fmt(&m.w, "%.3f", 1.5);
	jsonw_obj(&m.w);
	jsonw_close(&m.w);
	jsonw_arr(&m.w);
	jsonw_close(&m.w);
	jsonw_close(&m.w);
	jsonw_key(&m.w, "c");
	jsonw_fmt_str(&m.w, "0x%x", 255);
	jsonw_close(&m.w);
	CHECK(mem_close(&m) == 0);
	CHECK_STR(m.buf, "{\"a\":18446744073709551615,\"b\":[-5,true,null,"
		  "1.500,{},[]],\"c\":\"0xff\"}");
	free(m.buf);

	/* one member per line, and deeper than the first allocation */
	mem_open(&m);
	jsonw_obj_lines(&m.w);
	jsonw_key(&m.w, "x");
	for (i = 0; i < 40; i++)
		jsonw_arr(&m.w);
	for (i = 0; i < 40; i++)
		jsonw_close(&m.w);
	jsonw_key(&m.w, "y");
	jsonw_arr_lines(&m.w);
	jsonw_u64(&m.w, 1);
	jsonw_u64(&m.w, 2);
	jsonw_close(&m.w);
	jsonw_close(&m.w);
	CHECK(mem_close(&m) == 0);
	CHECK_CONTAINS(m.buf, "\n\"y\":[\n1,\n2\n]\n}");
	doc = jv_parse(m.buf, err, sizeof(err));
	t_check(doc != NULL, __FILE__, __LINE__, "%s: %s", err, m.buf);
	jv_free(doc);
	free(m.buf);
}

/* Misuses: each must make jsonw_end() fail. */
static void no_key(struct jsonw *w)
{
	jsonw_obj(w);
	jsonw_u64(w, 1);
	jsonw_close(w);
}

static void left_open(struct jsonw *w)
{
	jsonw_arr(w);
}

static void close_unopened(struct jsonw *w)
{
	jsonw_close(w);
}

static void key_in_array(struct jsonw *w)
{
	jsonw_arr(w);
	jsonw_key(w, "k");
	jsonw_close(w);
}

static void key_without_value(struct jsonw *w)
{
	jsonw_obj(w);
	jsonw_key(w, "k");
	jsonw_close(w);
}

static void not_numbers(struct jsonw *w)
{
	jsonw_arr(w);
	jsonw_fmt(w, "%f", 1.0 / 0.0);
	jsonw_num(w, "-");
	jsonw_close(w);
}

static void test_jsonw_misuse(void)
{
	static void (*const cases[])(struct jsonw *) = {
		no_key, left_open, close_unopened, key_in_array,
		key_without_value, not_numbers,
	};
	struct mem m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mem_open(&m);
		cases[i](&m.w);
		t_check(mem_close(&m) == -1, __FILE__, __LINE__,
			"case %zu: %s", i, m.buf);
		/* not a number: null in its place, never the bad text */
		if (cases[i] == not_numbers)
			CHECK_STR(m.buf, "[null,null]");
		free(m.buf);
	}
}

static void test_jsonw_is_number(void)
{
	CHECK(jsonw_is_number("0"));
	CHECK(jsonw_is_number("-12.5e+3"));
	CHECK(jsonw_is_number("0.000000500"));
	CHECK(!jsonw_is_number(""));
	CHECK(!jsonw_is_number("-"));
	CHECK(!jsonw_is_number("01"));
	CHECK(!jsonw_is_number("1."));
	CHECK(!jsonw_is_number("nan"));
	CHECK(!jsonw_is_number("4K"));
}

void suite_jsonw(void)
{
	RUN(test_jsonw_escaping);
	RUN(test_jsonw_long_strings);
	RUN(test_jsonw_nesting);
	RUN(test_jsonw_misuse);
	RUN(test_jsonw_is_number);
}
