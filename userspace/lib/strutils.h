/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing and formatting of numbers and sizes (pure functions).
 */
#ifndef IVMA_STRUTILS_H
#define IVMA_STRUTILS_H

#include <stddef.h>
#include <stdint.h>

/*
 * parse_u64 - a decimal or 0x-prefixed hexadecimal unsigned number, nothing
 * before or after it (no sign, no blanks).
 * Returns 0, or -1 with a message in @err.
 */
int parse_u64(const char *str, uint64_t *res, char *err, size_t errsz);

/*
 * parse_size - like parse_u64, optionally followed by a binary suffix:
 * K, M, G, T, P, E (any case, optionally followed by "iB"): powers of 1024.
 * Returns 0, or -1 with a message in @err.
 */
int parse_size(const char *str, uint64_t *res, char *err, size_t errsz);

/*
 * size_to_human - @bytes as "512 B", "64 KiB", "1.5 MiB" (one decimal,
 * rounded, only when not exact). Returns @buf.
 */
char *size_to_human(uint64_t bytes, char *buf, size_t bufsz);

/*
 * parse_seconds - a duration in seconds: "10", "0.5", "1.25s", "250ms"
 * (at most 9 decimals; ms, us and ns suffixes allowed) into ns.
 * Returns 0, or -1 with a message in @err.
 */
int parse_seconds(const char *str, uint64_t *ns, char *err, size_t errsz);

/* Human-readable size buffer large enough for any uint64_t. */
#define HUMAN_SIZE_LEN	32

#endif /* IVMA_STRUTILS_H */
