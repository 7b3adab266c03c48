// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the capture file: round trip, the header, a record layout
 * described by another field table, and every kind of bad capture.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "test.h"
#include "tutil.h"

/* Opens @path and reads all its records; returns cap_open/cap_read's
 * failure (-1, with @err) or the number of records. */
static long read_all(const char *path, struct ivma_record *out, size_t max,
		     char *err, size_t errsz, struct cap_meta *meta,
		     struct comm_table *comms)
{
	struct cap_reader r;
	struct ivma_record rec;
	FILE *f = fopen(path, "r");
	long n = 0;
	int rc;

	if (!f) {
		snprintf(err, errsz, "cannot open");
		return -1;
	}
	if (cap_open(&r, f, "cap", err, errsz)) {
		fclose(f);
		return -1;
	}
	if (meta)
		*meta = r.meta;
	while ((rc = cap_read(&r, &rec, err, errsz)) > 0) {
		if ((size_t)n < max)
			out[n] = rec;
		n++;
	}
	if (comms) {
		size_t i;

		for (i = 0; i < r.comms.n; i++)
			comm_set(comms, r.comms.v[i].pid, r.comms.v[i].tid,
				 r.comms.v[i].comm);
	}
	cap_close(&r);
	fclose(f);
	return rc < 0 ? -1 : n;
}

static void test_round_trip(void)
{
	struct ivma_record v[T_NSCENARIO], back[T_NSCENARIO + 1];
	struct comm_table comms = { 0 };
	struct cap_meta m;
	char err[256], *path = t_tmpname("cap");
	size_t n = t_scenario(v), i;

	REQUIRE(path);
	REQUIRE(t_write_capture(path, v, n, 1) == 0);
	CHECK(read_all(path, back, n + 1, err, sizeof(err), &m, &comms) ==
	      (long)n);
	for (i = 0; i < n; i++)
		t_check(memcmp(&v[i], &back[i], sizeof(v[i])) == 0, __FILE__,
			__LINE__, "record %zu differs", i);
	CHECK_U64(m.version, CAP_VERSION);
	CHECK_U64(m.record_size, 64);
	CHECK_U64(m.record_version, IVMA_RECORD_VERSION);
	CHECK_U64(m.start_ns, T_T0);
	CHECK_U64(m.nrecords, n);
	CHECK_U64(m.lost, 3);
	CHECK_U64(m.flags, CAP_FLAG_OBJECT);
	CHECK(m.page_size == (uint32_t)sysconf(_SC_PAGESIZE));
	CHECK_STR(m.comment, "ivma test");
	CHECK_STR(m.sysname, "Linux");
	CHECK(m.release[0] != '\0');
	CHECK(m.start_realtime_ns > 0);
	CHECK_STR(comm_process(&comms, 100), "writer");
	CHECK_STR(comm_find(&comms, 200)->comm, "reader");
	comm_free(&comms);
	unlink(path);
	free(path);
}

static void test_header_layout(void)
{
	/* the documented offsets (ivma(8), CAPTURE FILE FORMAT) */
	CHECK_U64(sizeof(struct cap_header), 512);
	CHECK_U64(offsetof(struct cap_header, byte_order), 8);
	CHECK_U64(offsetof(struct cap_header, version), 12);
	CHECK_U64(offsetof(struct cap_header, header_size), 16);
	CHECK_U64(offsetof(struct cap_header, record_size), 20);
	CHECK_U64(offsetof(struct cap_header, nfields), 28);
	CHECK_U64(offsetof(struct cap_header, page_size), 36);
	CHECK_U64(offsetof(struct cap_header, start_ns), 40);
	CHECK_U64(offsetof(struct cap_header, nrecords), 56);
	CHECK_U64(offsetof(struct cap_header, trailer_offset), 72);
	CHECK_U64(offsetof(struct cap_header, sysname), 104);
	CHECK_U64(offsetof(struct cap_header, release), 136);
	CHECK_U64(offsetof(struct cap_header, comment), 312);
	CHECK_U64(cap_nnative_fields, 13);
	CHECK_STR(cap_native_fields[CAP_F_KIND].name, "kind");
	CHECK_U64(cap_native_fields[CAP_F_KIND].offset, 60);
	CHECK_U64(cap_native_fields[CAP_F_LATENCY_NS].size, 4);
}

/* a capture whose field table describes another layout: 80-byte records,
 * fields in another order, pid as u64, an unknown field, no "version" */
static void test_other_layout(void)
{
	struct cap_header h;
	struct cap_field f[5] = {
		{ "kind", 0, 2 }, { "pgoff", 8, 8 }, { "pid", 16, 8 },
		{ "future", 24, 8 }, { "latency_ns", 32, 8 },
	};
	unsigned char rec[80], *buf;
	size_t len = sizeof(h) + sizeof(f) + 2 * sizeof(rec);
	struct ivma_record back[3];
	uint16_t kind = IVMA_EV_FILE_READ;
	uint64_t pgoff = 12345, pid = 77, lat = 5000000000ULL;
	char err[256], *path = t_tmpname("layout");

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, CAP_MAGIC, 8);
	h.byte_order = CAP_BYTE_ORDER;
	h.version = 1;
	h.header_size = sizeof(h) + sizeof(f);
	h.record_size = sizeof(rec);
	h.nfields = 5;
	h.fields_offset = sizeof(h);
	h.page_size = 4096;
	h.nrecords = CAP_UNKNOWN;
	buf = calloc(1, len);
	REQUIRE(buf && path);
	memset(rec, 0xee, sizeof(rec));
	memcpy(rec, &kind, 2);
	memcpy(rec + 8, &pgoff, 8);
	memcpy(rec + 16, &pid, 8);
	memcpy(rec + 32, &lat, 8);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), f, sizeof(f));
	memcpy(buf + sizeof(h) + sizeof(f), rec, sizeof(rec));
	memcpy(buf + sizeof(h) + sizeof(f) + sizeof(rec), rec, sizeof(rec));
	REQUIRE(t_write_bytes(path, buf, len) == 0);
	CHECK(read_all(path, back, 3, err, sizeof(err), NULL, NULL) == 2);
	CHECK_U64(back[1].kind, IVMA_EV_FILE_READ);
	CHECK_U64(back[1].pgoff, 12345);
	CHECK_U64(back[1].pid, 77);
	CHECK_U64(back[1].latency_ns, UINT32_MAX);	/* saturated */
	CHECK_U64(back[1].seq, 0);			/* missing: 0 */
	CHECK_U64(back[1].version, 0);
	unlink(path);
	free(path);
	free(buf);
}

/* the bytes of a good capture of the scenario */
static char *good_capture(size_t *len)
{
	struct ivma_record v[T_NSCENARIO];
	char *path = t_tmpname("good"), *buf;

	if (!path)
		return NULL;
	t_scenario(v);
	if (t_write_capture(path, v, T_NSCENARIO, 1)) {
		free(path);
		return NULL;
	}
	buf = t_read_file(path, len);
	unlink(path);
	free(path);
	return buf;
}

/* writes @len bytes of @buf to a file and reads it: the error, or "" */
static void bad(const char *buf, size_t len, const char *want, int line)
{
	char err[256] = "", *path = t_tmpname("bad");
	struct ivma_record out[16];
	long n;

	if (!path || t_write_bytes(path, buf, len)) {
		t_check(false, __FILE__, line, "cannot write the file");
		free(path);
		return;
	}
	n = read_all(path, out, 16, err, sizeof(err), NULL, NULL);
	t_check(n == -1, __FILE__, line, "read %ld records, want an error "
		"'%s'", n, want);
	t_check(strstr(err, want) != NULL, __FILE__, line, "'%s' contains "
		"'%s'", err, want);
	unlink(path);
	free(path);
}

static void test_bad_captures(void)
{
	size_t len, hsz = 512 + 13 * 24, trailer;
	char *good = good_capture(&len), *b;
	struct cap_header *h;

	REQUIRE(good);
	trailer = hsz + T_NSCENARIO * 64;
	CHECK(len > trailer);
	b = malloc(len);
	REQUIRE(b);
	h = (struct cap_header *)b;

	bad(good, 0, "cap: empty file: not an ivma capture", __LINE__);
	memcpy(b, good, len);
	memcpy(b, "IVMAREX", 7);
	bad(b, len, "cap: not an ivma capture (bad magic)", __LINE__);
	bad("{\"traceEvents\": []}", 19, "not an ivma capture (bad magic)",
	    __LINE__);
	bad(good, 5, "cap: truncated header (5 of 512 bytes)", __LINE__);
	bad(good, 100, "cap: truncated header (100 of 512 bytes)", __LINE__);
	bad(good, 600, "cap: truncated header (600 of 824 bytes)", __LINE__);

	memcpy(b, good, len);
	h->version = CAP_VERSION + 1;
	bad(b, len, "cap: capture format version 2 is newer than this ivma "
	    "reads (1): update ivma", __LINE__);
	/* a newer version is reported even when the header is cut short */
	bad(b, 100, "version 2 is newer", __LINE__);
	h->version = 0;
	bad(b, len, "bad header (format version 0)", __LINE__);

	memcpy(b, good, len);
	h->byte_order = 0x04030201;
	bad(b, len, "written on a machine of the other byte order",
	    __LINE__);

	/* a partial record at the end */
	memcpy(b, good, len);
	h->trailer_offset = 0;
	h->nrecords = CAP_UNKNOWN;
	bad(b, hsz + 2 * 64 + 10, "cap: truncated record at byte 952 (10 of "
	    "64 bytes)", __LINE__);
	/* whole records, but fewer than the header says */
	memcpy(b, good, len);
	bad(b, hsz + 5 * 64, "cap: truncated capture: 5 records where the "
	    "header says 12", __LINE__);
	/* the trailer cut */
	bad(b, trailer + 10, "cap: truncated trailer", __LINE__);

	/* bad field tables */
	memcpy(b, good, len);
	((struct cap_field *)(b + 512))[CAP_F_KIND].size = 3;
	bad(b, len, "bad field table: field 'kind' has size 3", __LINE__);
	memcpy(b, good, len);
	((struct cap_field *)(b + 512))[CAP_F_PID].offset = 62;
	bad(b, len, "field 'pid' lies past the record's 64 bytes", __LINE__);
	memcpy(b, good, len);
	memcpy(((struct cap_field *)(b + 512))[CAP_F_KIND].name, "kond", 4);
	bad(b, len, "bad field table: no 'kind' field", __LINE__);
	memcpy(b, good, len);
	memset(((struct cap_field *)(b + 512))[0].name, 'x', 16);
	bad(b, len, "bad field table: field 0 has no name", __LINE__);
	memcpy(b, good, len);
	h->record_size = 0;
	bad(b, len, "bad header (sizes", __LINE__);
	memcpy(b, good, len);
	h->trailer_offset = hsz + 10;
	bad(b, len, "bad header (trailer offset", __LINE__);

	free(b);
	free(good);
}

/* a capture written to a pipe: no trailer, counts unknown */
static void test_unseekable(void)
{
	struct ivma_record v[T_NSCENARIO], back[T_NSCENARIO];
	struct cap_writer w;
	struct cap_reader r;
	struct cap_meta m;
	char err[256];
	int pfd[2], rc;
	size_t i, n = t_scenario(v);
	FILE *wf, *rf;

	REQUIRE(pipe(pfd) == 0);
	wf = fdopen(pfd[1], "w");
	rf = fdopen(pfd[0], "r");
	REQUIRE(wf && rf);
	cap_meta_host(&m, "pipe");
	CHECK(cap_create(&w, wf, &m, err, sizeof(err)) == 0);
	for (i = 0; i < n; i++)
		CHECK(cap_write(&w, &v[i], err, sizeof(err)) == 0);
	CHECK(cap_add_comm(&w, 1, 1, "x") == 0);
	CHECK(cap_finish(&w, err, sizeof(err)) == 0);
	fclose(wf);		/* < 64 KiB: fits in the pipe */
	REQUIRE(cap_open(&r, rf, "pipe", err, sizeof(err)) == 0);
	CHECK_U64(r.meta.nrecords, CAP_UNKNOWN);
	for (i = 0; (rc = cap_read(&r, &back[i % n], err, sizeof(err))) > 0;
	     i++)
		;
	CHECK(rc == 0);
	CHECK_U64(i, n);
	CHECK(r.comms.n == 0);
	cap_close(&r);
	fclose(rf);
}

void suite_capture(void)
{
	RUN(test_round_trip);
	RUN(test_header_layout);
	RUN(test_other_layout);
	RUN(test_bad_captures);
	RUN(test_unseekable);
}
