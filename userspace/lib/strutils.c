// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and formatting of numbers and sizes.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutils.h"

/* Parses the leading number of @str; *@end points past it. */
static int parse_number(const char *str, uint64_t *res, const char **end,
			char *err, size_t errsz)
{
	const char *p = str;
	int base = 10;
	unsigned long long v;
	char *e;

	if (!*str) {
		snprintf(err, errsz, "empty number");
		return -1;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	/* strtoull() would accept blanks, a sign and an empty hex number */
	if (!(base == 16 ? isxdigit((unsigned char)*p)
			 : isdigit((unsigned char)*p))) {
		snprintf(err, errsz, "'%s' is not a number", str);
		return -1;
	}
	errno = 0;
	v = strtoull(p, &e, base);
	if (errno == ERANGE) {
		snprintf(err, errsz, "'%s' is too large", str);
		return -1;
	}
	*res = v;
	*end = e;
	return 0;
}

int parse_u64(const char *str, uint64_t *res, char *err, size_t errsz)
{
	const char *end;
	uint64_t v;

	if (parse_number(str, &v, &end, err, errsz))
		return -1;
	if (*end) {
		snprintf(err, errsz, "'%s' is not a number", str);
		return -1;
	}
	*res = v;
	return 0;
}

int parse_size(const char *str, uint64_t *res, char *err, size_t errsz)
{
	static const char suffixes[] = "KMGTPE";
	const char *end, *s;
	unsigned int shift = 0;
	uint64_t v;

	if (parse_number(str, &v, &end, err, errsz))
		return -1;
	if (*end) {
		s = strchr(suffixes, toupper((unsigned char)*end));
		if (!s || (end[1] && strcmp(end + 1, "iB") != 0)) {
			snprintf(err, errsz, "'%s': unknown suffix '%s' "
				 "(use K, M, G, T, P or E, or KiB, MiB, ...: "
				 "powers of 1024)", str, end);
			return -1;
		}
		shift = 10 * (unsigned int)(s - suffixes + 1);
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		snprintf(err, errsz, "'%s' is too large", str);
		return -1;
	}
	*res = v << shift;
	return 0;
}

char *size_to_human(uint64_t bytes, char *buf, size_t bufsz)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	unsigned int i = 0;
	uint64_t whole, rem, tenths, unit;

	while (i + 1 < sizeof(units) / sizeof(units[0]) &&
	       bytes >= (UINT64_C(1) << (10 * (i + 1))))
		i++;

	unit = UINT64_C(1) << (10 * i);
	whole = bytes >> (10 * i);
	rem = bytes & (unit - 1);
	if (!rem) {
		snprintf(buf, bufsz, "%" PRIu64 " %s", whole, units[i]);
		return buf;
	}
	/* rem < unit <= 2^60: rem * 10 does not overflow */
	tenths = (rem * 10 + unit / 2) / unit;
	if (tenths == 10) {
		whole++;
		tenths = 0;
		if (whole == 1024 && i + 1 < sizeof(units) / sizeof(units[0])) {
			whole = 1;
			i++;
		}
	}
	snprintf(buf, bufsz, "%" PRIu64 ".%" PRIu64 " %s", whole, tenths,
		 units[i]);
	return buf;
}

int parse_seconds(const char *str, uint64_t *ns, char *err, size_t errsz)
{
	static const struct {
		const char *suffix;
		uint64_t scale;		/* ns per unit */
	} units[] = {
		{ "", 1000000000ULL }, { "s", 1000000000ULL },
		{ "ms", 1000000ULL }, { "us", 1000ULL }, { "ns", 1ULL },
	};
	uint64_t whole = 0, frac = 0, fscale = 1, scale = 0;
	const char *p = str;
	size_t i, nd = 0;

	if (!isdigit((unsigned char)*p)) {
		snprintf(err, errsz, "'%s' is not a duration", str);
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10) {
			snprintf(err, errsz, "'%s' is too large", str);
			return -1;
		}
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++, nd++) {
			if (nd >= 9) {
				snprintf(err, errsz, "'%s': too many decimals",
					 str);
				return -1;
			}
			frac = frac * 10 + (uint64_t)(*p - '0');
			fscale *= 10;
		}
		if (!nd) {
			snprintf(err, errsz, "'%s' is not a duration", str);
			return -1;
		}
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].suffix) == 0)
			scale = units[i].scale;
	if (!scale) {
		snprintf(err, errsz, "'%s': unknown unit '%s' (s, ms, us, ns)",
			 str, p);
		return -1;
	}
	if (whole > UINT64_MAX / scale) {
		snprintf(err, errsz, "'%s' is too large", str);
		return -1;
	}
	*ns = whole * scale + frac * scale / fscale;
	return 0;
}
