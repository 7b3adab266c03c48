// SPDX-License-Identifier: GPL-2.0
/*
 * The options that choose and filter records.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "evopts.h"
#include "strutils.h"

const char evopt_usage_filters[] =
"Filters (a record passes when it matches all; loss notices always pass):\n"
"     --pid <list>      processes or threads, e.g. 1234,1240\n"
"     --object <list>   object ids\n"
"     --kind <list>     kinds, e.g. zero-fill,file-read,dirty\n"
"     --pages <range>   page offsets A-B, A, A- or -B\n"
"     --addr <range>    addresses, e.g. 0x7f0000000000-0x7f00000fffff\n"
"     --count <n>       stop after <n> records\n"
"     --duration <secs> stop after that long (e.g. 10, 0.5, 250ms)\n";

const char evopt_usage_live[] =
"     --size <bytes>    ring size of the live reader (a power of two,\n"
"                       4K to 64M; default: the module's)\n";

int evopt_parse(int c, const char *arg, struct evsrc_opts *o,
		bool allow_input)
{
	char msg[512];
	uint64_t v;

	switch (c) {
	case 'i':
		if (!allow_input)
			return 0;
		o->input = arg;
		return 1;
	case EVOPT_PID:
		if (parse_u64_list(arg, &o->filter.pids, &o->filter.npids,
				   msg, sizeof(msg)))
			errarg("--pid: %s", msg);
		return 1;
	case EVOPT_OBJECT:
		if (parse_u64_list(arg, &o->filter.objects,
				   &o->filter.nobjects, msg, sizeof(msg)))
			errarg("--object: %s", msg);
		return 1;
	case EVOPT_KIND:
		if (parse_kind_list(arg, &o->filter.kinds, msg, sizeof(msg)))
			errarg("--kind: %s", msg);
		return 1;
	case EVOPT_PAGES:
		if (parse_range(arg, &o->filter.pages, msg, sizeof(msg)))
			errarg("--pages: %s", msg);
		o->filter.has_pages = true;
		return 1;
	case EVOPT_ADDR:
		if (parse_range(arg, &o->filter.addr, msg, sizeof(msg)))
			errarg("--addr: %s", msg);
		o->filter.has_addr = true;
		return 1;
	case EVOPT_COUNT:
		if (parse_u64(arg, &v, msg, sizeof(msg)))
			errarg("--count: %s", msg);
		if (!v)
			errarg("--count: must be at least 1");
		o->count = v;
		return 1;
	case EVOPT_DURATION:
		if (parse_seconds(arg, &v, msg, sizeof(msg)))
			errarg("--duration: %s", msg);
		if (!v)
			errarg("--duration: must be more than 0");
		o->duration_ns = v;
		return 1;
	case EVOPT_SIZE:
		if (parse_size(arg, &v, msg, sizeof(msg)))
			errarg("--size: %s", msg);
		if (v < IVMA_LOG_SIZE_MIN || v > IVMA_LOG_SIZE_MAX ||
		    (v & (v - 1)))
			errarg("--size: '%s': the ring size must be a power "
			       "of two from 4 KiB to 64 MiB", arg);
		o->ring_size = v;
		return 1;
	}
	return 0;
}

void evopt_check(const struct evsrc_opts *o)
{
	if (o->input && o->ring_size)
		errusage("--size applies to live tracing only, not to -i");
}

char *command_line(int argc, char **argv, char *buf, size_t bufsz)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	len = (size_t)snprintf(buf, bufsz, "ivma");
	for (i = 0; i < argc && len < bufsz; i++)
		len += (size_t)snprintf(buf + len, bufsz - len, " %s",
					argv[i]);
	return buf;
}
