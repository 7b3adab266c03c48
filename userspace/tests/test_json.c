// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the tests' JSON parser, so that its verdicts can be trusted.
 */
#include <math.h>
#include <stdlib.h>

#include "test.h"
#include "tjson.h"

static bool valid(const char *s)
{
	char err[128];
	struct jv *v = jv_parse(s, err, sizeof(err));

	jv_free(v);
	return v != NULL;
}

static void test_json_valid(void)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-1.5e+3", "\"a\\u00e9\\n\"", "true",
		"null", " { \"a\" : [1, 2, {\"b\": false}] } ",
		"[\"\\\"\\\\\\/\\b\\f\\r\\t\"]",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.",
		".5", "+1", "[1 2]", "{\"a\" 1}", "\"\t\"", "\"\\x\"",
		"tru", "nul", "[] []", "{\"a\":1}}", "\"abc", "-",
		"1e", "[\"\\u12g4\"]", "NaN",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		t_check(valid(good[i]), __FILE__, __LINE__, "valid: %s",
			good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		t_check(!valid(bad[i]), __FILE__, __LINE__, "invalid: %s",
			bad[i]);
}

static void test_json_tree(void)
{
	char err[128];
	struct jv *v = jv_parse("{\"n\": 42, \"s\": \"x\\\"y\", \"a\": "
				"[1, [2], {}], \"o\": {\"k\": null}}", err,
				sizeof(err));
	const struct jv *a;

	REQUIRE(v);
	CHECK(v->type == J_OBJECT && v->n == 4);
	CHECK(jv_num(v, "n") == 42);
	CHECK_STR(jv_str(v, "s"), "x\"y");
	a = jv_get(v, "a");
	CHECK(a && a->type == J_ARRAY && a->n == 3);
	CHECK(a && a->items[1]->type == J_ARRAY);
	CHECK(jv_get(jv_get(v, "o"), "k")->type == J_NULL);
	CHECK(jv_get(v, "missing") == NULL);
	CHECK(isnan(jv_num(v, "s")));
	jv_free(v);

	v = jv_parse("[1,", err, sizeof(err));
	CHECK(v == NULL);
	CHECK_CONTAINS(err, "at offset");
}

void suite_json(void)
{
	RUN(test_json_valid);
	RUN(test_json_tree);
}
