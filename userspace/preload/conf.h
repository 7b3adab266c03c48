/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma run: the configuration that the parent hands to the preload library
 * in the environment variable IVMA_RUN, and the path patterns of --file.
 * Pure functions, without malloc: the library parses the variable in its
 * constructor into static storage, the tool's unit tests check both ends.
 *
 * The text is one "key=value" per line:
 *
 *	version=1
 *	sock=FD,INODE	the socket to the parent: its fd and inode number
 *	device=PATH	the ivma device
 *	anon=0|1	route anonymous mappings (--anon)
 *	anon_min=BYTES	of at least this size (--anon-min)
 *	frames=N	each object's frame budget, 0: none (--frames)
 *	policy=N	enum ivma_policy (--policy)
 *	refs=0|1	reference tracing, no budget (--refs)
 *	shared_write=0|1	route MAP_SHARED+PROT_WRITE file mappings
 *	children=0|1	leave the variables to exec'd children
 *	file=PATTERN	one per --file, absolute
 *
 * Unknown keys are an error (both sides come from one build).
 */
#ifndef IVMA_RUN_CONF_H
#define IVMA_RUN_CONF_H

#include <stddef.h>
#include <stdint.h>

#define RUNC_ENV		"IVMA_RUN"
#define RUNC_VERSION		1
#define RUNC_TEXT_MAX		32768	/* bytes of the variable, at most */
#define RUNC_MAX_FILES		64
#define RUNC_DEVICE_MAX		256

struct runc {
	int sock;			/* -1: none */
	uint64_t sock_ino;
	char device[RUNC_DEVICE_MAX];
	int anon;
	uint64_t anon_min;
	uint64_t frames;
	uint32_t policy;
	int refs;			/* IVMA_BUDGET_REFS (--refs) */
	int shared_write;
	int children;
	unsigned int nfiles;
	const char *files[RUNC_MAX_FILES];	/* into text[] */
	char text[RUNC_TEXT_MAX];		/* the patterns, NUL-separated */
};

/*
 * runc_parse - parses the text of $IVMA_RUN into @c. Returns 0, or -1 with
 * a message in @err (an unknown key, a bad number, too many patterns, a
 * relative pattern, a text too long).
 */
int runc_parse(const char *text, struct runc *c, char *err, size_t errsz);

/*
 * runc_format - the text of @c into @buf. Returns its length, or -1 when
 * @bufsz is too small or a pattern or the device holds a newline.
 */
long runc_format(const struct runc *c, char *buf, size_t bufsz);

/*
 * runc_match - does @path match @pat? '*' matches any characters but '/',
 * '**' any characters including '/', '?' one character but '/', "[...]" a
 * class ("[!...]" or "[^...]" its complement, "a-z" ranges), '\' quotes
 * the next character; anything else matches itself. Async-signal-safe.
 */
int runc_match(const char *pat, const char *path);

/* @v in decimal, in @buf; returns where it starts. Async-signal-safe. */
#define RUNC_U64_LEN	24
const char *runc_u64(uint64_t v, char buf[RUNC_U64_LEN]);

/* Does @pat contain a character that runc_match() treats specially? */
int runc_is_glob(const char *pat);

struct maps_line {
	uintptr_t start, end;
	int prot;		/* PROT_* */
	int shared;		/* 's' */
	uint64_t offset;
	uint64_t inode;
	const char *path;	/* into the line; "" when none */
	size_t path_len;
};

/* Parses one line (without its newline). Returns 0, or -1 if malformed. */
int maps_parse_line(const char *line, size_t len, struct maps_line *m);

#endif /* IVMA_RUN_CONF_H */
