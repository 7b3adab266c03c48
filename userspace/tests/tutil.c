// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the tests: synthetic records and captures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "test.h"
#include "tutil.h"

struct ivma_record t_rec(uint64_t seq, uint64_t time_ns, uint64_t object,
			 uint64_t pgoff, unsigned int kind,
			 unsigned int access, uint32_t pid,
			 uint32_t latency_ns)
{
	struct ivma_record r;

	memset(&r, 0, sizeof(r));
	r.seq = seq;
	r.time_ns = time_ns;
	r.object = object;
	r.pgoff = pgoff;
	r.address = 0x7f0000000000ULL + pgoff * 4096;
	r.pid = pid;
	r.tid = pid;
	r.latency_ns = latency_ns;
	r.kind = (uint8_t)kind;
	r.access = (uint8_t)access;
	r.version = IVMA_RECORD_VERSION;
	if (kind == IVMA_EV_MMAP || kind == IVMA_EV_VMA_CLOSE ||
	    kind == IVMA_EV_VMA_OPEN)
		r.aux = 16;
	if (kind == IVMA_EV_OBJ_CREATE || kind == IVMA_EV_OBJ_DESTROY) {
		r.address = 0;
		r.pgoff = 0;
	}
	return r;
}

/*
 * The scenario of the tests: object 7 of 16 pages, mapped shared by pid
 * 100; pages 0-3 read (zero-fill, 2 us each), page 1 written (dirty),
 * page 2 read again by pid 200 (resident), a write-back of page 1, a loss
 * of 3 records, then page 9 with SIGBUS, unmap, destroy. Times start at
 * T0 + 1 ms, 1 ms apart.
 */
size_t t_scenario(struct ivma_record *v)
{
	const unsigned int R = IVMA_ACCESS_READ | IVMA_ACCESS_USER;
	const unsigned int W = IVMA_ACCESS_WRITE;
	const unsigned int RWS = IVMA_ACCESS_READ | W | IVMA_ACCESS_SHARED;
	static const struct {
		uint64_t pgoff;
		unsigned int kind;
		int access;	/* 0: none, 1: R, 2: W, 3: RWS */
		uint32_t pid, lat;
	} s[T_NSCENARIO] = {
		{ 0, IVMA_EV_MMAP, 3, 100, 0 },
		{ 0, IVMA_EV_ZERO_FILL, 1, 100, 2000 },
		{ 1, IVMA_EV_ZERO_FILL, 1, 100, 2500 },
		{ 2, IVMA_EV_ZERO_FILL, 1, 100, 3000 },
		{ 3, IVMA_EV_ZERO_FILL, 1, 100, 9000 },
		{ 1, IVMA_EV_DIRTY, 2, 100, 500 },
		{ 2, IVMA_EV_RESIDENT, 1, 200, 1000 },
		{ 1, IVMA_EV_WRITEBACK, 0, 100, 40000 },
		{ 0, IVMA_EV_LOST, 0, 0, 0 },
		{ 9, IVMA_EV_FILE_READ, 1, 100, 70000 },
		{ 0, IVMA_EV_VMA_CLOSE, 3, 100, 0 },
		{ 0, IVMA_EV_OBJ_DESTROY, 0, 100, 0 },
	};
	const unsigned int acc[] = { 0, R, W, RWS };
	uint64_t seq = 0;
	size_t i;

	for (i = 0; i < T_NSCENARIO; i++) {
		v[i] = t_rec(seq, T_T0 + (i + 1) * 1000000, 7, s[i].pgoff,
			     s[i].kind, acc[s[i].access], s[i].pid, s[i].lat);
		seq++;
		if (s[i].kind == IVMA_EV_WRITEBACK)
			v[i].aux = 4096;
		if (s[i].kind == IVMA_EV_LOST) {
			v[i].address = 0;
			v[i].aux = 3;
			seq += 2;	/* the next record's seq: + 3 */
		}
		if (s[i].kind == IVMA_EV_FILE_READ)
			v[i].outcome = IVMA_OUTCOME_SIGBUS;
	}
	return T_NSCENARIO;
}

int t_write_capture(const char *path, const struct ivma_record *v,
		    size_t n, int with_comms)
{
	struct cap_writer w;
	struct cap_meta m;
	char err[256];
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		return -1;
	cap_meta_host(&m, "ivma test");
	m.start_ns = T_T0;
	m.flags = CAP_FLAG_OBJECT;
	if (cap_create(&w, f, &m, err, sizeof(err)))
		goto fail;
	for (i = 0; i < n; i++)
		if (cap_write(&w, &v[i], err, sizeof(err)))
			goto fail;
	if (with_comms && (cap_add_comm(&w, 100, 100, "writer") ||
			   cap_add_comm(&w, 200, 200, "reader")))
		goto fail;
	if (cap_finish(&w, err, sizeof(err)))
		goto fail;
	return fclose(f);
fail:
	fclose(f);
	return -1;
}

struct origin t_origin_sample(void)
{
	struct origin o = {
		.object = 7, .address = 0x555555554000ULL, .size = 0x1b000,
		.file_offset = 0x1000, .length = 0x19a20,
		.time_ns = T_T0 + 500, .pid = 4242, .kind = ORIGIN_ELF,
		.prot = ORIGIN_PROT_READ | ORIGIN_PROT_EXEC, .flags = 0,
		.comm = "ls", .program = "/usr/bin/ls", .path = "/usr/bin/ls",
		.label = "text", .note = NULL,
	};

	return o;
}

int t_write_origin_capture(const char *path, const void *extra,
			      size_t extra_len)
{
	struct ivma_record v[T_NSCENARIO];
	struct origin a = t_origin_sample(), b = t_origin_sample();
	struct cap_writer w;
	struct cap_meta m;
	char err[256];
	FILE *f = fopen(path, "w");
	size_t i, n = t_scenario(v);

	if (!f)
		return -1;
	a.kind = ORIGIN_FILE;
	a.path = "/tmp/data.bin";
	a.label = "touch";
	a.file_offset = 0x2000;
	a.length = 3 * 4096 + 100;	/* pages 0-3; page 9 is padding */
	b.object = 8;
	b.kind = ORIGIN_ANON;
	b.path = NULL;
	b.label = "stack";
	cap_meta_host(&m, "ivma test");
	m.start_ns = T_T0;
	if (cap_create(&w, f, &m, err, sizeof(err)) ||
	    cap_add_origin(&w, &a) || cap_add_origin(&w, &b) ||
	    cap_add_comm(&w, 100, 100, "writer"))
		goto fail;
	for (i = 0; i < n; i++)
		if (cap_write(&w, &v[i], err, sizeof(err)))
			goto fail;
	if (cap_finish(&w, err, sizeof(err)))
		goto fail;
	if (extra_len && fwrite(extra, 1, extra_len, f) != extra_len)
		goto fail;
	return fclose(f);
fail:
	fclose(f);
	return -1;
}

char *t_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc((size_t)sz + 1);
	if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		buf = NULL;
		goto out;
	}
	if (buf) {
		buf[sz] = '\0';
		if (len)
			*len = (size_t)sz;
	}
out:
	fclose(f);
	return buf;
}

int t_write_bytes(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (len && fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}
