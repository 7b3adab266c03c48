// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the object origins: the entry encoding (round trip, older and
 * newer writers, every truncation), descriptions, file pages, the table,
 * and the captures' origins section (read ahead, from a pipe, old
 * captures without one, unknown and bad sections).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "objlog.h"
#include "origin.h"
#include "originfmt.h"
#include "test.h"
#include "tutil.h"

static bool same(const struct origin *a, const struct origin *b)
{
	const char *sa[5] = { a->comm, a->program, a->path, a->label, a->note };
	const char *sb[5] = { b->comm, b->program, b->path, b->label, b->note };
	int i;

	if (a->object != b->object || a->address != b->address ||
	    a->size != b->size || a->file_offset != b->file_offset ||
	    a->length != b->length || a->time_ns != b->time_ns ||
	    a->pid != b->pid || a->kind != b->kind || a->prot != b->prot ||
	    a->flags != b->flags)
		return false;
	for (i = 0; i < 5; i++)
		if (strcmp(sa[i] ? sa[i] : "", sb[i] ? sb[i] : ""))
			return false;
	return true;
}

/* A copy of @n bytes in a buffer of exactly that size (ASan: overreads). */
static unsigned char *exact(const unsigned char *p, size_t n)
{
	unsigned char *b = malloc(n ? n : 1);

	if (b)
		memcpy(b, p, n);
	return b;
}

static void test_round_trip(void)
{
	struct origin o = t_origin_sample(), back;
	unsigned char buf[ORIGIN_ENTRY_MAX], *b;
	char err[128];
	size_t n = origin_encode(&o, buf, sizeof(buf));

	CHECK_U64(n, origin_encoded_size(&o));
	/* 8 head + 64 fixed + 5 lengths + "ls" "/usr/bin/ls" x2 "text" */
	CHECK_U64(n, 8 + 64 + 10 + 2 + 11 + 11 + 4);
	b = exact(buf, n);
	REQUIRE(b);
	CHECK_U64(origin_decode(b, n, &back, err, sizeof(err)), n);
	CHECK(same(&o, &back));
	CHECK(back.note == NULL);	/* empty strings stay NULL */
	origin_free(&back);
	free(b);
	/* too small a buffer: nothing written */
	CHECK_U64(origin_encode(&o, buf, n - 1), 0);
}

static void test_every_truncation(void)
{
	struct origin o = t_origin_sample(), back;
	unsigned char buf[ORIGIN_ENTRY_MAX];
	char err[128];
	size_t n = origin_encode(&o, buf, sizeof(buf)), len;

	for (len = 0; len < n; len++) {
		unsigned char *b = exact(buf, len);

		REQUIRE(b);
		t_check(origin_decode(b, len, &back, err, sizeof(err)) == 0,
			__FILE__, __LINE__, "a %zu-byte prefix decoded", len);
		CHECK_CONTAINS(err, "truncated origin entry");
		free(b);
	}
}

/* A hand-made entry: @fsize bytes of fixed part, @nstr strings. */
static size_t handmade(unsigned char *buf, uint16_t fsize, uint16_t nstr,
		       const char *const *strs)
{
	uint32_t esize;
	uint64_t object = 9, size = 8192;
	uint32_t pid = 77;
	uint16_t kind = ORIGIN_ANON, i;
	size_t pos = 8;

	memset(buf + 8, 0xee, fsize);	/* unknown fields: junk */
	if (fsize >= 8)
		memcpy(buf + 8, &object, 8);
	if (fsize >= 24)
		memcpy(buf + 8 + 16, &size, 8);
	if (fsize >= 52)
		memcpy(buf + 8 + 48, &pid, 4);
	if (fsize >= 54)
		memcpy(buf + 8 + 52, &kind, 2);
	if (fsize >= 64)
		memset(buf + 8 + 54, 0, 10);
	pos += fsize;
	for (i = 0; i < nstr; i++) {
		uint16_t len = (uint16_t)strlen(strs[i]);

		memcpy(buf + pos, &len, 2);
		memcpy(buf + pos + 2, strs[i], len);
		pos += 2 + len;
	}
	esize = (uint32_t)pos;
	memcpy(buf, &esize, 4);
	memcpy(buf + 4, &fsize, 2);
	memcpy(buf + 6, &nstr, 2);
	return pos;
}

static void test_older_and_newer_writers(void)
{
	static const char *const strs[7] = {
		"sh", "/bin/sh", "", "stack", "", "future", "more",
	};
	unsigned char buf[512];
	struct origin o;
	char err[128];
	size_t n;

	/* older: a 52-byte fixed part, 4 strings: the rest reads as 0, "" */
	n = handmade(buf, 52, 4, strs);
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), n);
	CHECK_U64(o.object, 9);
	CHECK_U64(o.size, 8192);
	CHECK_U64(o.pid, 77);
	CHECK_U64(o.kind, 0);
	CHECK_U64(o.prot, 0);
	CHECK_STR(o.label, "stack");
	CHECK(o.note == NULL);
	origin_free(&o);

	/* newer: 80 bytes of fixed part and 7 strings: the extra skipped */
	n = handmade(buf, 80, 7, strs);
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), n);
	CHECK_U64(o.object, 9);
	CHECK_U64(o.kind, ORIGIN_ANON);
	CHECK_U64(o.flags, 0);
	CHECK_STR(o.program, "/bin/sh");
	CHECK(o.path == NULL);
	CHECK_STR(o.label, "stack");
	origin_free(&o);
}

static void test_bad_entries(void)
{
	static const char *const strs[1] = { "abc" };
	unsigned char buf[256];
	struct origin o;
	char err[128];
	uint32_t esize;
	size_t n;

	n = handmade(buf, 64, 1, strs);
	/* an entry size below its head */
	esize = 4;
	memcpy(buf, &esize, 4);
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), 0);
	CHECK_CONTAINS(err, "bad origin entry (size 4");
	/* one that does not hold its fixed part */
	esize = 8 + 63;
	memcpy(buf, &esize, 4);
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), 0);
	CHECK_CONTAINS(err, "bad origin entry (size 71, fixed part 64)");
	/* a string longer than what is left of the entry */
	esize = (uint32_t)n - 1;
	memcpy(buf, &esize, 4);
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), 0);
	CHECK_CONTAINS(err, "string 0 past its end");
	/* a string count past the end */
	esize = (uint32_t)n;
	memcpy(buf, &esize, 4);
	buf[6] = 2;
	CHECK_U64(origin_decode(buf, n, &o, err, sizeof(err)), 0);
	CHECK_CONTAINS(err, "string 1 past its end");
	CHECK(o.comm == NULL);		/* freed on failure */
}

static void test_describe(void)
{
	struct origin o = t_origin_sample();
	char buf[256];

	CHECK_STR(origin_describe(&o, buf, sizeof(buf)),
		  "/usr/bin/ls text [0x1000, 0x1aa20) r-x");
	CHECK_STR(origin_title(&o, buf, sizeof(buf)),
		  "object 7 = /usr/bin/ls text [0x1000, 0x1aa20) r-x");
	o.kind = ORIGIN_ANON;
	o.label = "stack";
	o.path = NULL;
	o.size = 8388608;
	o.prot = ORIGIN_PROT_READ | ORIGIN_PROT_WRITE;
	CHECK_STR(origin_describe(&o, buf, sizeof(buf)),
		  "anonymous stack, 8388608 bytes rw-");
	o.kind = ORIGIN_NATIVE;
	o.object = 0;
	o.path = "/data/x.bin";
	o.label = NULL;
	o.file_offset = 0;
	o.length = 4096;
	o.note = "shared writable, the file is written with write(2)";
	CHECK_STR(origin_title(&o, buf, sizeof(buf)),
		  "native /data/x.bin [0x0, 0x1000) rw-: shared writable, "
		  "the file is written with write(2)");
	o.kind = 99;
	CHECK_STR(origin_describe(&o, buf, sizeof(buf)), "origin of kind 99");
	CHECK_STR(origin_kind_name(ORIGIN_FILE), "file");
	CHECK_STR(origin_kind_name(99), "unknown");
}

/* The -J line of @o (origin_print(), no newline) into @buf. */
static const char *origin_json(const struct origin *o, char *buf,
			       size_t bufsz)
{
	FILE *f = fmemopen(buf, bufsz, "w");

	if (!f)
		return "(fmemopen failed)";
	if (origin_print(f, TRACE_JSON, o, T_T0) || fclose(f))
		return "(origin_print failed)";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void test_lines(void)
{
	struct origin o = t_origin_sample();
	char buf[ORIGIN_LINE_MAX];

	CHECK_STR(origin_format_line(TRACE_TEXT, &o, T_T0, buf, sizeof(buf)),
		  "object 7 = /usr/bin/ls text [0x1000, 0x1aa20) r-x, pid 4242 "
		  "(ls), at 0x555555554000");
	CHECK_STR(origin_json(&o, buf, sizeof(buf)),
		  "{\"time\":0.000000500,\"object\":7,\"pid\":4242,\"comm\":"
		  "\"ls\",\"program\":\"/usr/bin/ls\",\"kind\":\"elf\","
		  "\"label\":\"text\",\"path\":\"/usr/bin/ls\",\"file_offset\":"
		  "4096,\"length\":104992,\"size\":110592,\"address\":"
		  "93824992231424,\"prot\":\"r-x\",\"shared\":false,\"note\":"
		  "\"\"}");
	o.path = "/tmp/a,\"b\"";
	CHECK_STR(origin_format_line(TRACE_CSV, &o, T_T0, buf, sizeof(buf)),
		  "0.000000500,7,4242,ls,/usr/bin/ls,elf,text,\"/tmp/a,\"\"b\"\""
		  "\",4096,104992,110592,0x555555554000,r-x,0,");
	CHECK_STR(origin_csv_header(), "time,object,pid,comm,program,kind,"
		  "label,path,file_offset,length,size,address,prot,shared,note");
}

static void test_file_page(void)
{
	struct origin o = t_origin_sample();	/* [0x1000, 0x1aa20): 26 pages */
	uint64_t page = 0;

	CHECK(origin_file_page(&o, 0, 4096, &page) == 1 && page == 1);
	CHECK(origin_file_page(&o, 25, 4096, &page) == 1 && page == 26);
	CHECK(origin_file_page(&o, 26, 4096, &page) == 0);	/* padding */
	o.kind = ORIGIN_FILE;
	CHECK(origin_file_page(&o, 3, 4096, &page) == 1 && page == 4);
	o.kind = ORIGIN_ANON;
	CHECK(origin_file_page(&o, 0, 4096, &page) == 0);
	o.kind = ORIGIN_ELF;
	CHECK(origin_file_page(&o, 0, 0, &page) == 0);
}

static void test_table(void)
{
	struct origin_table t = { 0 };
	struct origin o = t_origin_sample();
	size_t i;

	CHECK(origin_find(&t, 7) == NULL);
	for (i = 1; i <= 100; i++) {
		o.object = i;
		o.pid = (uint32_t)i;
		REQUIRE(origin_table_add(&t, &o) == 0);
	}
	o.object = 50;
	o.label = "data";		/* a later entry of object 50 */
	REQUIRE(origin_table_add(&t, &o) == 0);
	o.object = 0;			/* native: not an object */
	REQUIRE(origin_table_add(&t, &o) == 0);
	CHECK_U64(t.n, 102);
	CHECK_U64(origin_find(&t, 7)->pid, 7);
	CHECK_STR(origin_find(&t, 50)->label, "data");
	CHECK_STR(origin_find(&t, 51)->label, "text");
	CHECK(origin_find(&t, 0) == NULL);
	CHECK(origin_find(&t, 101) == NULL);
	/* the table holds copies */
	CHECK(origin_find(&t, 7)->path != o.path);
	origin_table_free(&t);
	CHECK_U64(t.n, 0);
}

/* --- the capture's origins section --- */

/* Reads @f to its end; the records' count, or -1 with @err. */
static long drain(struct cap_reader *r, char *err, size_t errsz)
{
	struct ivma_record rec;
	long n = 0;
	int rc;

	while ((rc = cap_read(r, &rec, err, errsz)) > 0)
		n++;
	return rc < 0 ? -1 : n;
}

static void test_capture_read_ahead(void)
{
	char err[256], *path = t_tmpname("org");
	struct cap_reader r;
	FILE *f;

	REQUIRE(path);
	REQUIRE(t_write_origin_capture(path, NULL, 0) == 0);
	f = fopen(path, "r");
	REQUIRE(f);
	REQUIRE(cap_open(&r, f, "cap", err, sizeof(err)) == 0);
	/* known before the first record */
	CHECK_U64(r.origins.n, 2);
	CHECK_STR(origin_find(&r.origins, 7)->path, "/tmp/data.bin");
	CHECK_STR(origin_find(&r.origins, 8)->label, "stack");
	CHECK_STR(comm_process(&r.comms, 100), "writer");
	CHECK(drain(&r, err, sizeof(err)) == T_NSCENARIO);
	CHECK_U64(r.origins.n, 2);	/* not read twice */
	cap_close(&r);
	fclose(f);
	unlink(path);
	free(path);
}

static void test_capture_from_pipe(void)
{
	char err[256], *path = t_tmpname("orgp"), *data;
	struct cap_reader r;
	size_t len;
	int pfd[2];
	pid_t pid;
	FILE *f;

	REQUIRE(path);
	REQUIRE(t_write_origin_capture(path, NULL, 0) == 0);
	data = t_read_file(path, &len);
	REQUIRE(data && pipe(pfd) == 0);
	fflush(stdout);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		_exit(write(pfd[1], data, len) == (ssize_t)len ? 0 : 1);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	REQUIRE(f);
	REQUIRE(cap_open(&r, f, "pipe", err, sizeof(err)) == 0);
	CHECK_U64(r.origins.n, 0);	/* a pipe: only at the end */
	CHECK(drain(&r, err, sizeof(err)) == T_NSCENARIO);
	CHECK_U64(r.origins.n, 2);
	CHECK_U64(origin_find(&r.origins, 7)->length, 3 * 4096 + 100);
	cap_close(&r);
	fclose(f);
	waitpid(pid, NULL, 0);
	free(data);
	unlink(path);
	free(path);
}

static void test_capture_without_origins(void)
{
	struct ivma_record v[T_NSCENARIO];
	char err[256], *path = t_tmpname("orgold");
	struct cap_reader r;
	FILE *f;

	REQUIRE(path);
	t_scenario(v);
	REQUIRE(t_write_capture(path, v, T_NSCENARIO, 1) == 0);
	f = fopen(path, "r");
	REQUIRE(f);
	REQUIRE(cap_open(&r, f, "cap", err, sizeof(err)) == 0);
	CHECK(drain(&r, err, sizeof(err)) == T_NSCENARIO);
	CHECK_U64(r.origins.n, 0);
	CHECK(origin_find(&r.origins, 7) == NULL);
	cap_close(&r);
	fclose(f);
	unlink(path);
	free(path);
}

/* Opens @path and reads it all: 0, or -1 with @err. */
static int read_path(const char *path, size_t *norigins, char *err,
		     size_t errsz)
{
	struct cap_reader r;
	FILE *f = fopen(path, "r");
	long n;

	if (!f)
		return -1;
	if (cap_open(&r, f, "cap", err, errsz)) {
		fclose(f);
		return -1;
	}
	n = drain(&r, err, errsz);
	*norigins = r.origins.n;
	cap_close(&r);
	fclose(f);
	return n == T_NSCENARIO ? 0 : -1;
}

static void test_capture_sections(void)
{
	/* a section of a later ivma: skipped by its byte count */
	static const unsigned char future[24] = {
		'I', 'V', 'M', 'A', 'N', 'E', 'W', 0, 1, 0, 0, 0, 8, 0, 0, 0,
		1, 2, 3, 4, 5, 6, 7, 8,
	};
	static const unsigned char alien[16] = "JUNKJUNK\1\0\0\0\0\0\0";
	char err[256], *path = t_tmpname("orgsec"), *data;
	size_t n = 0, len;

	REQUIRE(path);
	REQUIRE(t_write_origin_capture(path, future, sizeof(future)) == 0);
	CHECK(read_path(path, &n, err, sizeof(err)) == 0);
	CHECK_U64(n, 2);
	/* a truncated future section */
	REQUIRE(t_write_origin_capture(path, future, sizeof(future) - 1) == 0);
	CHECK(read_path(path, &n, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cap: truncated trailer section");
	/* not a section */
	REQUIRE(t_write_origin_capture(path, alien, sizeof(alien)) == 0);
	CHECK(read_path(path, &n, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "bad trailer section (bad magic)");
	/* the origins section cut short: every record is still read first */
	REQUIRE(t_write_origin_capture(path, NULL, 0) == 0);
	data = t_read_file(path, &len);
	REQUIRE(data);
	REQUIRE(t_write_bytes(path, data, len - 5) == 0);
	CHECK(read_path(path, &n, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cap: truncated origins section");
	{
		char *sec = memmem(data, len, ORIGIN_SECTION_MAGIC, 8), *e1;
		uint32_t bytes, e0size, huge = 1U << 20;

		REQUIRE(sec);
		/* entries that do not fill the section's byte count */
		memcpy(&bytes, sec + 12, 4);
		bytes++;
		memcpy(sec + 12, &bytes, 4);
		data = realloc(data, len + 1);
		REQUIRE(data);
		sec = memmem(data, len, ORIGIN_SECTION_MAGIC, 8);
		data[len] = 0;
		REQUIRE(t_write_bytes(path, data, len + 1) == 0);
		CHECK(read_path(path, &n, err, sizeof(err)) == -1);
		CHECK_CONTAINS(err, "bytes of entries where it says");
		bytes--;
		memcpy(sec + 12, &bytes, 4);
		/* the second entry says it is larger than what is left */
		memcpy(&e0size, sec + 16, 4);
		e1 = sec + 16 + e0size;
		memcpy(e1, &huge, 4);
		REQUIRE(t_write_bytes(path, data, len) == 0);
		CHECK(read_path(path, &n, err, sizeof(err)) == -1);
		CHECK_CONTAINS(err, "origins section, entry 1: truncated "
			       "origin entry");
	}
	free(data);
	unlink(path);
	free(path);
}

/* objlog_finish(): the records of several readers in time order, one
 * sequence with gaps only where records were lost */
static void test_objlog_merge(void)
{
	struct objlog l;
	struct ivma_record r;
	char err[256], *path = t_tmpname("objlog");
	struct origin_table none = { 0 };
	struct cap_meta m;
	struct cap_reader rd;
	FILE *f;
	/* (time, object, seq, kind, aux): two readers' batches, a loss */
	static const uint64_t in[][5] = {
		{ 30, 2, 0, IVMA_EV_MMAP, 0 },
		{ 10, 1, 0, IVMA_EV_MMAP, 0 },
		{ 40, 1, 1, IVMA_EV_LOST, 5 },
		{ 40, 1, 6, IVMA_EV_FILE_READ, 0 },
		{ 20, 2, 1, IVMA_EV_ZERO_FILL, 0 },
	};
	static const uint64_t want[][3] = {	/* object, kind, seq */
		{ 1, IVMA_EV_MMAP, 0 }, { 2, IVMA_EV_ZERO_FILL, 1 },
		{ 2, IVMA_EV_MMAP, 2 }, { 1, IVMA_EV_LOST, 3 },
		{ 1, IVMA_EV_FILE_READ, 8 },
	};
	size_t i;

	REQUIRE(path);
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 5; i++) {
		memset(&r, 0, sizeof(r));
		r.time_ns = in[i][0];
		r.object = in[i][1];
		r.seq = in[i][2];
		r.kind = (uint8_t)in[i][3];
		r.aux = in[i][4];
		r.pid = 42;
		REQUIRE(rec_array_push(&l.recs, &r) == 0);
	}
	objlog_finish(&l);
	REQUIRE(l.recs.n == 5);
	for (i = 0; i < 5; i++) {
		CHECK_U64(l.recs.v[i].object, want[i][0]);
		CHECK_U64(l.recs.v[i].kind, want[i][1]);
		CHECK_U64(l.recs.v[i].seq, want[i][2]);
	}
	/* and the capture of them: the loss counted, the comm stored */
	cap_meta_host(&m, "ivma exec test");
	REQUIRE(objlog_write_capture(path, &m, &l.recs, &none, 42, "prog",
				     err, sizeof(err)) == 0);
	f = fopen(path, "r");
	REQUIRE(f);
	REQUIRE(cap_open(&rd, f, "cap", err, sizeof(err)) == 0);
	CHECK_U64(rd.meta.nrecords, 5);
	CHECK_U64(rd.meta.lost, 5);
	CHECK_STR(comm_process(&rd.comms, 42), "prog");
	cap_close(&rd);
	fclose(f);
	CHECK(objlog_write_capture("/nonexistent/x.rec", &m, &l.recs, &none,
				   42, "prog", err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "/nonexistent/x.rec: cannot create");
	objlog_free(&l);
	unlink(path);
	free(path);
}

void suite_origin(void)
{
	RUN(test_objlog_merge);
	RUN(test_round_trip);
	RUN(test_every_truncation);
	RUN(test_older_and_newer_writers);
	RUN(test_bad_entries);
	RUN(test_describe);
	RUN(test_lines);
	RUN(test_file_page);
	RUN(test_table);
	RUN(test_capture_read_ahead);
	RUN(test_capture_from_pipe);
	RUN(test_capture_without_origins);
	RUN(test_capture_sections);
}
