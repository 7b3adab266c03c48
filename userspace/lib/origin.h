/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object origins: where each object of a capture came from, written by the
 * command that created the object (exec, run, touch) and read by report,
 * stat, heatmap and export, so that they can say "object 7 = /usr/bin/ls
 * text [0x0, 0x1a000)" and draw a file's pages by file offset.
 *
 * An origin is encoded as one self-describing entry (see origin_encode()):
 *
 *	u32 entry size (bytes, this field included)
 *	u16 fixed size (bytes of the fixed part that follows; 64 now)
 *	u16 number of strings
 *	the fixed part: object, address, size, file_offset, length, time_ns
 *	(u64 each), pid (u32), kind (u16), prot (u16), flags (u32), reserved
 *	(u32)
 *	the strings, each a u16 length and that many bytes (no NUL): comm,
 *	program, path, label, note
 *
 * A reader takes the fields it knows: a shorter fixed part reads as zeros,
 * missing strings as "", a longer fixed part or more strings are skipped,
 * so that both older and newer writers can be read. Numbers are in the byte
 * order of the writer (like the rest of a capture). Pure functions.
 */
#ifndef IVMA_ORIGIN_H
#define IVMA_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"

/* origin.kind */
enum origin_kind {
	ORIGIN_NONE	= 0,	/* unknown (an older or newer writer's kind) */
	ORIGIN_ANON	= 1,	/* an anonymous object */
	ORIGIN_FILE	= 2,	/* a section of a regular file */
	ORIGIN_ELF	= 3,	/* an ELF segment: a section of an executable */
	ORIGIN_NATIVE	= 4,	/* a mapping left native: not an object (0) */
	ORIGIN_NKINDS
};

/* origin.prot: the protections of the mapping */
#define ORIGIN_PROT_READ	(1U << 0)
#define ORIGIN_PROT_WRITE	(1U << 1)
#define ORIGIN_PROT_EXEC	(1U << 2)

/* origin.flags */
#define ORIGIN_F_SHARED		(1U << 0)	/* MAP_SHARED, else private */

#define ORIGIN_FIXED_SIZE	64	/* the fixed part written now */
#define ORIGIN_NSTRINGS		5
#define ORIGIN_STR_MAX		4096	/* bytes of one string, at most */
#define ORIGIN_ENTRY_MAX	(8 + ORIGIN_FIXED_SIZE + \
				 ORIGIN_NSTRINGS * (2 + ORIGIN_STR_MAX))

struct origin {
	uint64_t object;	/* the object's id; 0 for ORIGIN_NATIVE */
	uint64_t address;	/* where it was first mapped; 0: unknown */
	uint64_t size;		/* object (or mapping) size, bytes */
	uint64_t file_offset;	/* FILE, ELF: the section's offset */
	uint64_t length;	/* FILE, ELF: the section's length, bytes */
	uint64_t time_ns;	/* CLOCK_MONOTONIC when created; 0: unknown */
	uint32_t pid;		/* the process that created it */
	uint16_t kind;		/* enum origin_kind */
	uint16_t prot;		/* ORIGIN_PROT_* */
	uint32_t flags;		/* ORIGIN_F_* */
	/* NUL-terminated; NULL reads as "" (owned by a table's copy) */
	char *comm;		/* the process's command name */
	char *program;		/* its executable's path */
	char *path;		/* FILE, ELF, NATIVE: the file */
	char *label;		/* "text", "data", "stack", "interp text" */
	char *note;		/* free text: why a mapping stayed native */
};

/* "anon", "file", "elf", "native", or "unknown" */
const char *origin_kind_name(unsigned int kind);

/*
 * origin_encoded_size - the bytes origin_encode() writes for @o (strings
 * longer than ORIGIN_STR_MAX are cut there).
 */
size_t origin_encoded_size(const struct origin *o);
/*
 * origin_encode - writes @o as one entry into @buf. Returns the bytes
 * written, or 0 when @bufsz is too small.
 */
size_t origin_encode(const struct origin *o, unsigned char *buf,
		     size_t bufsz);
/*
 * origin_decode - reads one entry from @buf (@len bytes available) into
 * @o, whose strings are allocated (origin_free()). Returns the entry's
 * size, or 0 with a message in @err: truncated, a bad entry size, a string
 * past the entry, out of memory.
 */
size_t origin_decode(const unsigned char *buf, size_t len, struct origin *o,
		     char *err, size_t errsz);
/* Frees the strings of @o. */
void origin_free(struct origin *o);

/*
 * origin_describe - "/usr/bin/ls text [0x0, 0x1a000)", "anonymous stack,
 * 8392704 bytes", "/data/x.bin [0x0, 0x1000000)", "native /data/x.bin
 * [0x0, 0x1000): shared writable, written with write(2)". Returns @buf.
 */
char *origin_describe(const struct origin *o, char *buf, size_t bufsz);

/*
 * origin_file_page - the page of the backing file that page @pgoff of an
 * object of origin @o holds: 1 and *@page set when the page lies in the
 * file section (FILE, ELF), else 0 (anonymous, zero padding past the
 * section, bss).
 */
int origin_file_page(const struct origin *o, uint64_t pgoff,
		     uint32_t page_size, uint64_t *page);

/* A table of origins, in the order they were added. */
struct origin_table {
	struct origin *v;
	size_t n, cap;
	size_t *latest;		/* by distinct object id: its latest entry */
	struct htab index;	/* object id -> its number among the ids */
};

/*
 * origin_table_add - appends a copy of @o (strings copied). A later entry
 * of the same object id replaces the earlier one for origin_find().
 * Returns 0, or -1 when out of memory.
 */
int origin_table_add(struct origin_table *t, const struct origin *o);
/* The latest entry of object @object (not 0), or NULL. */
const struct origin *origin_find(const struct origin_table *t,
				 uint64_t object);
void origin_table_free(struct origin_table *t);

/*
 * The capture's trailer section of origins (capture.c): magic, u32 count,
 * u32 bytes of the entries that follow.
 */
#define ORIGIN_SECTION_MAGIC	"IVMAORG"
#define ORIGIN_MAX_COUNT	(1U << 22)

#endif /* IVMA_ORIGIN_H */
