// SPDX-License-Identifier: GPL-2.0
/*
 * The capture file: writing and reading.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"

_Static_assert(sizeof(struct cap_header) == 512, "cap_header is 512 bytes");
_Static_assert(sizeof(struct cap_field) == 24, "cap_field is 24 bytes");
_Static_assert(sizeof(struct ivma_record) == 64, "ivma_record is 64 bytes");

#define FIELD(f) { #f, offsetof(struct ivma_record, f), \
		   sizeof(((struct ivma_record *)0)->f) }

/* in the order of enum cap_fid */
const struct cap_field cap_native_fields[CAP_NF] = {
	FIELD(seq), FIELD(time_ns), FIELD(object), FIELD(address),
	FIELD(pgoff), FIELD(aux), FIELD(pid), FIELD(tid), FIELD(latency_ns),
	FIELD(kind), FIELD(access), FIELD(outcome), FIELD(version),
};
const size_t cap_nnative_fields = CAP_NF;

#define TRAILER_ENTRY	24	/* u32 pid, u32 tid, char comm[16] */
#define MAX_HEADER	(1U << 20)
#define MAX_FIELDS	256
#define MAX_RECORD	65536
#define MAX_COMMS	(1U << 22)
#define MAX_SECTION	(1U << 30)

/* @src: a string, or NULL; @srcsz: the size of its array, if known */
static void copy_str(char *dst, size_t dstsz, const char *src, size_t srcsz)
{
	size_t len = src ? strnlen(src, dstsz - 1 < srcsz ? dstsz - 1 : srcsz) : 0;

	memset(dst, 0, dstsz);
	if (len)
		memcpy(dst, src, len);
}

void cap_meta_host(struct cap_meta *m, const char *comment)
{
	struct utsname u;
	struct timespec ts;
	long psz = sysconf(_SC_PAGESIZE);

	memset(m, 0, sizeof(*m));
	m->page_size = psz > 0 ? (uint32_t)psz : 4096;
	m->start_ns = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	m->start_ns = (uint64_t)ts.tv_sec * 1000000000ULL +
		      (uint64_t)ts.tv_nsec;
	clock_gettime(CLOCK_REALTIME, &ts);
	m->start_realtime_ns = (uint64_t)ts.tv_sec * 1000000000ULL +
			       (uint64_t)ts.tv_nsec;
	if (!uname(&u)) {
		copy_str(m->sysname, sizeof(m->sysname), u.sysname,
			 sizeof(u.sysname));
		copy_str(m->release, sizeof(m->release), u.release,
			 sizeof(u.release));
		copy_str(m->machine, sizeof(m->machine), u.machine,
			 sizeof(u.machine));
		copy_str(m->hostname, sizeof(m->hostname), u.nodename,
			 sizeof(u.nodename));
	}
	copy_str(m->comment, sizeof(m->comment), comment, SIZE_MAX);
}

static int write_all(struct cap_writer *w, const void *buf, size_t len,
		     char *err, size_t errsz)
{
	if (len && fwrite(buf, 1, len, w->f) != len) {
		snprintf(err, errsz, "write error: %s",
			 strerror(errno ? errno : EIO));
		return -1;
	}
	w->pos += len;
	return 0;
}

int cap_create(struct cap_writer *w, FILE *f, const struct cap_meta *m,
	       char *err, size_t errsz)
{
	struct cap_header *h = &w->hdr;
	uint32_t fields_size = (uint32_t)(CAP_NF * sizeof(struct cap_field));

	memset(w, 0, sizeof(*w));
	w->f = f;
	memcpy(h->magic, CAP_MAGIC, sizeof(h->magic));
	h->byte_order = CAP_BYTE_ORDER;
	h->version = CAP_VERSION;
	h->flags = m->flags;
	h->fields_offset = sizeof(*h);
	h->nfields = CAP_NF;
	h->header_size = (h->fields_offset + fields_size + 7) & ~7U;
	h->record_size = sizeof(struct ivma_record);
	h->record_version = IVMA_RECORD_VERSION;
	h->page_size = m->page_size;
	h->start_ns = m->start_ns;
	h->start_realtime_ns = m->start_realtime_ns;
	h->nrecords = CAP_UNKNOWN;
	h->lost = CAP_UNKNOWN;
	copy_str(h->sysname, sizeof(h->sysname),
		 m->sysname, sizeof(m->sysname));
	copy_str(h->release, sizeof(h->release),
		 m->release, sizeof(m->release));
	copy_str(h->machine, sizeof(h->machine),
		 m->machine, sizeof(m->machine));
	copy_str(h->hostname, sizeof(h->hostname),
		 m->hostname, sizeof(m->hostname));
	copy_str(h->comment, sizeof(h->comment),
		 m->comment, sizeof(m->comment));

	errno = 0;
	if (write_all(w, h, sizeof(*h), err, errsz) ||
	    write_all(w, cap_native_fields, fields_size, err, errsz))
		return -1;
	while (w->pos < h->header_size) {
		static const char zero[8];

		if (write_all(w, zero, h->header_size - w->pos, err, errsz))
			return -1;
	}
	return 0;
}

int cap_write(struct cap_writer *w, const struct ivma_record *rec,
	      char *err, size_t errsz)
{
	errno = 0;
	if (write_all(w, rec, sizeof(*rec), err, errsz))
		return -1;
	w->nrecords++;
	if (rec->kind == IVMA_EV_LOST)
		w->lost += rec->aux;
	return 0;
}

int cap_add_comm(struct cap_writer *w, uint32_t pid, uint32_t tid,
		 const char *comm)
{
	return comm_set(&w->comms, pid, tid, comm);
}

int cap_add_origin(struct cap_writer *w, const struct origin *o)
{
	return origin_table_add(&w->origins, o);
}

/* The origins section: magic, u32 count, u32 bytes, the entries. */
static int write_origins(struct cap_writer *w, char *err, size_t errsz)
{
	char magic[8] = ORIGIN_SECTION_MAGIC;
	unsigned char buf[ORIGIN_ENTRY_MAX];
	uint32_t count = (uint32_t)w->origins.n, bytes = 0;
	size_t i;

	if (!count)
		return 0;
	for (i = 0; i < w->origins.n; i++)
		bytes += (uint32_t)origin_encoded_size(&w->origins.v[i]);
	if (write_all(w, magic, sizeof(magic), err, errsz) ||
	    write_all(w, &count, sizeof(count), err, errsz) ||
	    write_all(w, &bytes, sizeof(bytes), err, errsz))
		return -1;
	for (i = 0; i < w->origins.n; i++) {
		size_t n = origin_encode(&w->origins.v[i], buf, sizeof(buf));

		if (write_all(w, buf, n, err, errsz))
			return -1;
	}
	return 0;
}

static int write_trailer(struct cap_writer *w, char *err, size_t errsz)
{
	char magic[8] = CAP_TRAILER_MAGIC;
	uint32_t count = 0, esz = TRAILER_ENTRY;
	size_t i;

	for (i = 0; i < w->comms.n; i++)
		if (w->comms.v[i].comm[0])
			count++;
	if (write_all(w, magic, sizeof(magic), err, errsz) ||
	    write_all(w, &count, sizeof(count), err, errsz) ||
	    write_all(w, &esz, sizeof(esz), err, errsz))
		return -1;
	for (i = 0; i < w->comms.n; i++) {
		const struct comm_entry *e = &w->comms.v[i];
		unsigned char ent[TRAILER_ENTRY];

		if (!e->comm[0])
			continue;
		memset(ent, 0, sizeof(ent));
		memcpy(ent, &e->pid, 4);
		memcpy(ent + 4, &e->tid, 4);
		memcpy(ent + 8, e->comm, COMM_LEN);
		ent[8 + COMM_LEN - 1] = '\0';
		if (write_all(w, ent, sizeof(ent), err, errsz))
			return -1;
	}
	return write_origins(w, err, errsz);
}

int cap_finish(struct cap_writer *w, char *err, size_t errsz)
{
	struct stat st;
	uint64_t trailer = w->pos;
	int rc = 0;

	errno = 0;
	if (!fstat(fileno(w->f), &st) && S_ISREG(st.st_mode) &&
	    fflush(w->f) == 0 && ftello(w->f) == (off_t)w->pos) {
		rc = write_trailer(w, err, errsz);
		if (!rc) {
			w->hdr.nrecords = w->nrecords;
			w->hdr.lost = w->lost;
			if (w->lost)
				w->hdr.flags &= ~CAP_FLAG_COMPLETE;
			w->hdr.trailer_offset = trailer;
			if (fseeko(w->f, 0, SEEK_SET) ||
			    fwrite(&w->hdr, sizeof(w->hdr), 1, w->f) != 1 ||
			    fseeko(w->f, 0, SEEK_END)) {
				snprintf(err, errsz, "write error: %s",
					 strerror(errno ? errno : EIO));
				rc = -1;
			}
		}
	}
	if (!rc && fflush(w->f)) {
		snprintf(err, errsz, "write error: %s", strerror(errno));
		rc = -1;
	}
	comm_free(&w->comms);
	origin_table_free(&w->origins);
	return rc;
}

/* --- reading --- */

static uint64_t get_uint(const unsigned char *p, uint32_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

/* reads up to @len bytes; returns the count (short only at the end) */
static size_t read_some(FILE *f, void *buf, size_t len)
{
	return fread(buf, 1, len, f);
}

static int parse_fields(struct cap_reader *r, const unsigned char *hbuf,
			const struct cap_header *h, const char *name,
			char *err, size_t errsz)
{
	uint32_t i;
	int k;

	for (k = 0; k < CAP_NF; k++)
		r->off[k] = -1;
	r->native = h->record_size == sizeof(struct ivma_record) &&
		    h->nfields == CAP_NF &&
		    memcmp(hbuf + h->fields_offset, cap_native_fields,
			   sizeof(cap_native_fields)) == 0;
	for (i = 0; i < h->nfields; i++) {
		struct cap_field fl;

		memcpy(&fl, hbuf + h->fields_offset + i * sizeof(fl),
		       sizeof(fl));
		if (!memchr(fl.name, '\0', sizeof(fl.name))) {
			snprintf(err, errsz, "%s: bad field table: field %u "
				 "has no name", name, i);
			return -1;
		}
		if (fl.size != 1 && fl.size != 2 && fl.size != 4 &&
		    fl.size != 8) {
			snprintf(err, errsz, "%s: bad field table: field '%s' "
				 "has size %u", name, fl.name, fl.size);
			return -1;
		}
		if (fl.offset > h->record_size ||
		    fl.size > h->record_size - fl.offset) {
			snprintf(err, errsz, "%s: bad field table: field '%s' "
				 "lies past the record's %u bytes", name,
				 fl.name, h->record_size);
			return -1;
		}
		for (k = 0; k < CAP_NF; k++) {
			if (strcmp(fl.name, cap_native_fields[k].name) == 0) {
				r->off[k] = (int32_t)fl.offset;
				r->size[k] = fl.size;
			}
		}
	}
	if (r->off[CAP_F_KIND] < 0) {
		snprintf(err, errsz, "%s: bad field table: no 'kind' field",
			 name);
		return -1;
	}
	return 0;
}

static uint32_t bswap32(uint32_t x)
{
	return ((x & 0xff) << 24) | ((x & 0xff00) << 8) |
	       ((x >> 8) & 0xff00) | (x >> 24);
}

static int read_trailer(struct cap_reader *r, char *err, size_t errsz);

/*
 * The trailer of a seekable capture, read before the records. A bad
 * trailer is forgotten here: reading it again at the end reports it.
 */
static int read_ahead(struct cap_reader *r, char *err, size_t errsz)
{
	char msg[128];

	if (r->end == CAP_UNKNOWN || ftello(r->f) != (off_t)r->pos ||
	    fseeko(r->f, (off_t)r->end, SEEK_SET))
		return 0;
	if (read_trailer(r, msg, sizeof(msg)) == 0) {
		r->trailer_read = true;
	} else {
		comm_free(&r->comms);
		origin_table_free(&r->origins);
	}
	clearerr(r->f);
	if (fseeko(r->f, (off_t)r->pos, SEEK_SET)) {
		snprintf(err, errsz, "%s: cannot seek back to the records: "
			 "%s", r->name, strerror(errno));
		return -1;
	}
	return 0;
}

int cap_open(struct cap_reader *r, FILE *f, const char *name, char *err,
	     size_t errsz)
{
	struct cap_header h;
	unsigned char *hbuf = NULL;
	size_t got;

	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = name;
	memset(&h, 0, sizeof(h));
	got = read_some(f, &h, sizeof(h));
	if (ferror(f)) {
		snprintf(err, errsz, "%s: read error: %s", name,
			 strerror(errno));
		return -1;
	}
	if (got == 0) {
		snprintf(err, errsz, "%s: empty file: not an ivma capture",
			 name);
		return -1;
	}
	if (got < sizeof(h.magic) ||
	    memcmp(h.magic, CAP_MAGIC, sizeof(h.magic)) != 0) {
		if (got >= sizeof(h.magic) ||
		    memcmp(h.magic, CAP_MAGIC, got) != 0) {
			snprintf(err, errsz, "%s: not an ivma capture (bad "
				 "magic)", name);
			return -1;
		}
	}
	if (got < offsetof(struct cap_header, flags)) {
		snprintf(err, errsz, "%s: truncated header (%zu of %zu "
			 "bytes)", name, got, sizeof(h));
		return -1;
	}
	if (h.byte_order != CAP_BYTE_ORDER) {
		if (h.byte_order == bswap32(CAP_BYTE_ORDER))
			snprintf(err, errsz, "%s: written on a machine of "
				 "the other byte order: not supported", name);
		else
			snprintf(err, errsz, "%s: bad header (byte order mark "
				 "0x%08x)", name, h.byte_order);
		return -1;
	}
	if (h.version > CAP_VERSION) {
		snprintf(err, errsz, "%s: capture format version %u is newer "
			 "than this ivma reads (%u): update ivma", name,
			 h.version, CAP_VERSION);
		return -1;
	}
	if (h.version == 0) {
		snprintf(err, errsz, "%s: bad header (format version 0)",
			 name);
		return -1;
	}
	if (got < sizeof(h)) {
		snprintf(err, errsz, "%s: truncated header (%zu of %zu "
			 "bytes)", name, got, sizeof(h));
		return -1;
	}
	if (h.header_size < sizeof(h) || h.header_size > MAX_HEADER ||
	    h.nfields > MAX_FIELDS || h.fields_offset < sizeof(h) ||
	    h.fields_offset > h.header_size ||
	    h.nfields * sizeof(struct cap_field) >
	    h.header_size - h.fields_offset ||
	    h.record_size == 0 || h.record_size > MAX_RECORD) {
		snprintf(err, errsz, "%s: bad header (sizes: header %u, "
			 "%u fields at %u, record %u)", name, h.header_size,
			 h.nfields, h.fields_offset, h.record_size);
		return -1;
	}
	if (h.trailer_offset && (h.trailer_offset < h.header_size ||
	    (h.trailer_offset - h.header_size) % h.record_size)) {
		snprintf(err, errsz, "%s: bad header (trailer offset %" PRIu64
			 ")", name, h.trailer_offset);
		return -1;
	}
	hbuf = malloc(h.header_size);
	if (!hbuf) {
		snprintf(err, errsz, "%s: out of memory", name);
		return -1;
	}
	memcpy(hbuf, &h, sizeof(h));
	got = read_some(f, hbuf + sizeof(h), h.header_size - sizeof(h));
	if (got < h.header_size - sizeof(h)) {
		snprintf(err, errsz, "%s: truncated header (%zu of %u "
			 "bytes)", name, sizeof(h) + got, h.header_size);
		free(hbuf);
		return -1;
	}
	if (parse_fields(r, hbuf, &h, name, err, errsz)) {
		free(hbuf);
		return -1;
	}
	free(hbuf);

	r->buf = malloc(h.record_size);
	if (!r->buf) {
		snprintf(err, errsz, "%s: out of memory", name);
		return -1;
	}
	r->meta.flags = h.flags;
	r->meta.page_size = h.page_size;
	r->meta.start_ns = h.start_ns;
	r->meta.start_realtime_ns = h.start_realtime_ns;
	copy_str(r->meta.sysname, sizeof(r->meta.sysname),
		 h.sysname, sizeof(h.sysname));
	h.release[sizeof(h.release) - 1] = '\0';
	h.machine[sizeof(h.machine) - 1] = '\0';
	h.hostname[sizeof(h.hostname) - 1] = '\0';
	h.comment[sizeof(h.comment) - 1] = '\0';
	h.sysname[sizeof(h.sysname) - 1] = '\0';
	copy_str(r->meta.sysname, sizeof(r->meta.sysname),
		 h.sysname, sizeof(h.sysname));
	copy_str(r->meta.release, sizeof(r->meta.release),
		 h.release, sizeof(h.release));
	copy_str(r->meta.machine, sizeof(r->meta.machine),
		 h.machine, sizeof(h.machine));
	copy_str(r->meta.hostname, sizeof(r->meta.hostname),
		 h.hostname, sizeof(h.hostname));
	copy_str(r->meta.comment, sizeof(r->meta.comment),
		 h.comment, sizeof(h.comment));
	r->meta.version = h.version;
	r->meta.record_size = h.record_size;
	r->meta.record_version = h.record_version;
	r->meta.nrecords = h.nrecords;
	r->meta.lost = h.lost;
	r->pos = h.header_size;
	r->end = h.trailer_offset ? h.trailer_offset : CAP_UNKNOWN;
	return read_ahead(r, err, errsz);
}

static void convert(const struct cap_reader *r, struct ivma_record *rec)
{
	uint64_t v[CAP_NF];
	int k;

	if (r->native) {
		memcpy(rec, r->buf, sizeof(*rec));
		return;
	}
	for (k = 0; k < CAP_NF; k++)
		v[k] = r->off[k] < 0 ? 0 :
		       get_uint(r->buf + r->off[k], r->size[k]);
	memset(rec, 0, sizeof(*rec));
	rec->seq = v[CAP_F_SEQ];
	rec->time_ns = v[CAP_F_TIME_NS];
	rec->object = v[CAP_F_OBJECT];
	rec->address = v[CAP_F_ADDRESS];
	rec->pgoff = v[CAP_F_PGOFF];
	rec->aux = v[CAP_F_AUX];
	rec->pid = (uint32_t)v[CAP_F_PID];
	rec->tid = (uint32_t)v[CAP_F_TID];
	rec->latency_ns = v[CAP_F_LATENCY_NS] > UINT32_MAX ? UINT32_MAX :
			  (uint32_t)v[CAP_F_LATENCY_NS];
	rec->kind = v[CAP_F_KIND] > 255 ? 255 : (uint8_t)v[CAP_F_KIND];
	rec->access = (uint8_t)v[CAP_F_ACCESS];
	rec->outcome = v[CAP_F_OUTCOME] > 255 ? 255 :
		       (uint8_t)v[CAP_F_OUTCOME];
	rec->version = (uint8_t)v[CAP_F_VERSION];
}

/* The origins section's entries: @bytes bytes holding @count entries. */
static int read_origins(struct cap_reader *r, uint32_t count,
			uint32_t bytes, char *err, size_t errsz)
{
	unsigned char *buf;
	size_t pos = 0;
	uint32_t i;
	int rc = -1;

	if (count > ORIGIN_MAX_COUNT || bytes > MAX_SECTION) {
		snprintf(err, errsz, "bad origins section (%u entries, %u "
			 "bytes)", count, bytes);
		return -1;
	}
	buf = malloc(bytes ? bytes : 1);
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (read_some(r->f, buf, bytes) != bytes) {
		snprintf(err, errsz, "truncated origins section");
		goto out;
	}
	for (i = 0; i < count; i++) {
		struct origin o;
		char msg[128];
		size_t n = origin_decode(buf + pos, bytes - pos, &o, msg,
					 sizeof(msg));

		if (!n) {
			snprintf(err, errsz, "origins section, entry %u: %s",
				 i, msg);
			goto out;
		}
		pos += n;
		if (origin_table_add(&r->origins, &o)) {
			origin_free(&o);
			snprintf(err, errsz, "out of memory");
			goto out;
		}
		origin_free(&o);
	}
	if (pos != bytes) {
		snprintf(err, errsz, "bad origins section (%zu bytes of "
			 "entries where it says %u)", pos, bytes);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

/*
 * The sections after the command names, until the end of the file: each
 * a magic, a u32 count and the u32 bytes that follow. Sections this ivma
 * does not know (a magic starting with "IVMA") are skipped.
 */
static int read_sections(struct cap_reader *r, char *err, size_t errsz)
{
	for (;;) {
		unsigned char head[16];
		uint32_t count, bytes;
		size_t got = read_some(r->f, head, sizeof(head));

		if (got == 0 && !ferror(r->f))
			return 0;
		if (got < sizeof(head)) {
			snprintf(err, errsz, "truncated trailer section");
			return -1;
		}
		memcpy(&count, head + 8, 4);
		memcpy(&bytes, head + 12, 4);
		if (memcmp(head, ORIGIN_SECTION_MAGIC, 8) == 0) {
			if (read_origins(r, count, bytes, err, errsz))
				return -1;
			continue;
		}
		if (memcmp(head, "IVMA", 4) != 0) {
			snprintf(err, errsz, "bad trailer section (bad magic)");
			return -1;
		}
		while (bytes) {
			unsigned char junk[256];
			size_t n = bytes < sizeof(junk) ? bytes : sizeof(junk);

			if (read_some(r->f, junk, n) != n) {
				snprintf(err, errsz, "truncated trailer "
					 "section");
				return -1;
			}
			bytes -= (uint32_t)n;
		}
	}
}

static int read_trailer(struct cap_reader *r, char *err, size_t errsz)
{
	unsigned char head[16], ent[TRAILER_ENTRY];
	uint32_t count, esz, i;

	if (read_some(r->f, head, sizeof(head)) != sizeof(head)) {
		snprintf(err, errsz, "truncated trailer at byte %" PRIu64,
			 r->pos);
		return -1;
	}
	if (memcmp(head, CAP_TRAILER_MAGIC, 8) != 0) {
		snprintf(err, errsz, "bad trailer at byte %" PRIu64 " (bad "
			 "magic)", r->pos);
		return -1;
	}
	memcpy(&count, head + 8, 4);
	memcpy(&esz, head + 12, 4);
	if (esz < TRAILER_ENTRY || esz > 4096 || count > MAX_COMMS) {
		snprintf(err, errsz, "bad trailer at byte %" PRIu64, r->pos);
		return -1;
	}
	for (i = 0; i < count; i++) {
		uint32_t pid, tid;
		char comm[COMM_LEN];
		size_t skip = esz - TRAILER_ENTRY;

		if (read_some(r->f, ent, sizeof(ent)) != sizeof(ent)) {
			snprintf(err, errsz, "truncated trailer (entry %u of "
				 "%u)", i, count);
			return -1;
		}
		while (skip) {
			unsigned char junk[64];
			size_t n = skip < sizeof(junk) ? skip : sizeof(junk);

			if (read_some(r->f, junk, n) != n) {
				snprintf(err, errsz, "truncated trailer");
				return -1;
			}
			skip -= n;
		}
		memcpy(&pid, ent, 4);
		memcpy(&tid, ent + 4, 4);
		memcpy(comm, ent + 8, COMM_LEN);
		comm[COMM_LEN - 1] = '\0';
		if (comm_set(&r->comms, pid, tid, comm)) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
	}
	return read_sections(r, err, errsz);
}

static int read_one(struct cap_reader *r, struct ivma_record *rec,
		    char *err, size_t errsz)
{
	uint32_t rsz = r->meta.record_size;
	size_t got;

	if (r->done)
		return 0;
	if (r->end != CAP_UNKNOWN && r->pos >= r->end) {
		r->done = true;
		if (!r->trailer_read && read_trailer(r, err, errsz))
			return -1;
		if (r->meta.nrecords != CAP_UNKNOWN &&
		    r->meta.nrecords != r->count) {
			snprintf(err, errsz, "%" PRIu64 " records where the "
				 "header says %" PRIu64, r->count,
				 r->meta.nrecords);
			return -1;
		}
		return 0;
	}
	got = read_some(r->f, r->buf, rsz);
	if (got == 0) {
		r->done = true;
		if (ferror(r->f)) {
			snprintf(err, errsz, "read error: %s",
				 strerror(errno));
			return -1;
		}
		if (r->end != CAP_UNKNOWN ||
		    (r->meta.nrecords != CAP_UNKNOWN &&
		     r->meta.nrecords != r->count)) {
			snprintf(err, errsz, "truncated capture: %" PRIu64
				 " records where the header says %" PRIu64,
				 r->count, r->meta.nrecords);
			return -1;
		}
		return 0;
	}
	if (got < rsz) {
		r->done = true;
		snprintf(err, errsz, "truncated record at byte %" PRIu64
			 " (%zu of %u bytes)", r->pos, got, rsz);
		return -1;
	}
	r->pos += rsz;
	r->count++;
	convert(r, rec);
	return 1;
}

int cap_read(struct cap_reader *r, struct ivma_record *rec, char *err,
	     size_t errsz)
{
	char msg[200];
	int rc = read_one(r, rec, msg, sizeof(msg));

	if (rc < 0)
		snprintf(err, errsz, "%s: %s", r->name, msg);
	return rc;
}

void cap_close(struct cap_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	comm_free(&r->comms);
	origin_table_free(&r->origins);
}
