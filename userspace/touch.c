// SPDX-License-Identifier: GPL-2.0
/*
 * ivma touch - create an object, map it, touch its pages, print its counters.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "common.h"
#include "dev.h"
#include "output.h"
#include "pattern.h"
#include "plan.h"
#include "strutils.h"

struct touch_opts {
	struct plan_args plan;
	const char *file;		/* --file */
	bool private_map;		/* --map private */
	int mode;			/* --mode: ACCESS_* */
	struct pattern pattern;		/* --pattern */
	uint64_t seed;			/* --seed */
	uint64_t repeat;		/* --repeat */
	unsigned int hold;		/* --hold */
	bool msync;			/* --msync */
	bool verbose;			/* -v */
	struct out_opts out;
};

static uint64_t arg_size(const char *opt, const char *arg)
{
	char msg[IVMA_ERRSZ];
	uint64_t v;

	if (parse_size(arg, &v, msg, sizeof(msg)))
		errarg("%s: %s", opt, msg);
	return v;
}

static uint64_t arg_u64(const char *opt, const char *arg)
{
	char msg[IVMA_ERRSZ];
	uint64_t v;

	if (parse_u64(arg, &v, msg, sizeof(msg)))
		errarg("%s: %s", opt, msg);
	return v;
}

enum {
	OPT_OFFSET = CHAR_MAX + 1,
	OPT_LENGTH,
	OPT_MAP,
	OPT_MODE,
	OPT_SEED,
	OPT_REPEAT,
	OPT_HOLD,
	OPT_MSYNC,
};

static void parse_options(int argc, char **argv, struct touch_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		OUTPUT_LONGOPTS,
		{ "all",	no_argument,		NULL, 'a' },
		{ "size",	required_argument,	NULL, 's' },
		{ "file",	required_argument,	NULL, 'f' },
		{ "offset",	required_argument,	NULL, OPT_OFFSET },
		{ "length",	required_argument,	NULL, OPT_LENGTH },
		{ "map",	required_argument,	NULL, OPT_MAP },
		{ "mode",	required_argument,	NULL, OPT_MODE },
		{ "pattern",	required_argument,	NULL, 'p' },
		{ "seed",	required_argument,	NULL, OPT_SEED },
		{ "repeat",	required_argument,	NULL, OPT_REPEAT },
		{ "hold",	required_argument,	NULL, OPT_HOLD },
		{ "msync",	no_argument,		NULL, OPT_MSYNC },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	char msg[IVMA_ERRSZ];
	bool has_pattern = false;
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = ACCESS_READ;
	o->seed = 1;
	o->repeat = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVJrnas:f:p:v",
				longopts, NULL)) != -1) {
		if (common_option(c, optarg, &o->out))
			continue;
		switch (c) {
		case 's':
			o->plan.has_size = true;
			o->plan.size = arg_size("--size", optarg);
			break;
		case 'f':
			o->file = optarg;
			break;
		case OPT_OFFSET:
			o->plan.has_offset = true;
			o->plan.offset = arg_size("--offset", optarg);
			break;
		case OPT_LENGTH:
			o->plan.has_length = true;
			o->plan.length = arg_size("--length", optarg);
			break;
		case OPT_MAP:
			if (strcmp(optarg, "shared") == 0)
				o->private_map = false;
			else if (strcmp(optarg, "private") == 0)
				o->private_map = true;
			else
				errarg("--map: '%s': expected shared or "
				       "private", optarg);
			break;
		case OPT_MODE:
			o->mode = access_mode_parse(optarg);
			if (o->mode < 0)
				errarg("--mode: '%s': expected r, w or rw",
				       optarg);
			break;
		case 'p':
			if (has_pattern)
				pattern_free(&o->pattern);
			if (pattern_parse(optarg, &o->pattern, msg,
					  sizeof(msg)))
				errarg("--pattern: %s", msg);
			has_pattern = true;
			break;
		case OPT_SEED:
			o->seed = arg_u64("--seed", optarg);
			break;
		case OPT_REPEAT:
			o->repeat = arg_u64("--repeat", optarg);
			if (!o->repeat)
				errarg("--repeat: must be at least 1");
			break;
		case OPT_HOLD:
			v = arg_u64("--hold", optarg);
			if (v > UINT_MAX)
				errarg("--hold: '%s' is too large", optarg);
			o->hold = (unsigned int)v;
			break;
		case OPT_MSYNC:
			o->msync = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);

	if (!has_pattern)
		o->pattern.kind = PATTERN_SEQ;
}

/* Opens the backing file; fills in o->plan.file_size. Returns its fd. */
static int open_file(struct touch_opts *o)
{
	bool writable = !o->private_map && (o->mode & ACCESS_WRITE);
	struct stat st;
	int fd;

	fd = open(o->file, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		err(ivma_errno_status(errno), "%s: cannot open", o->file);
	if (fstat(fd, &st))
		err(IVMA_EXIT_FAILURE, "%s: stat failed", o->file);
	if (!S_ISREG(st.st_mode))
		errarg("%s: not a regular file", o->file);
	o->plan.file = true;
	o->plan.file_size = (uint64_t)st.st_size;
	return fd;
}

static void hold_mapping(const struct touch_opts *o, struct ivma_dev *dev,
			 const void *map)
{
	struct ivma_info info;
	unsigned int left = o->hold;

	ivma_dev_query(dev, &info);
	fprintf(stderr, "%s: object %" PRIu64 " mapped at %p in process %d: "
		"holding it for %u s\n", program_invocation_short_name,
		(uint64_t)info.id, map, (int)getpid(), o->hold);
	while (left)
		left = sleep(left);
}

int cmd_touch(int argc, char **argv)
{
	struct out_row rows[OUT_MAX_ROWS];
	struct access_result res;
	struct ivma_config cfg;
	struct ivma_info info;
	struct ivma_api api;
	struct touch_opts o;
	struct ivma_dev dev;
	char msg[IVMA_ERRSZ];
	char h1[HUMAN_SIZE_LEN], h2[HUMAN_SIZE_LEN];
	uint64_t *pages;
	size_t npages;
	int fd = -1, status = IVMA_EXIT_OK;
	long page_size;
	void *map;

	parse_options(argc, argv, &o);

	/* everything that the device does not tell, checked before it */
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		err(IVMA_EXIT_FAILURE, "cannot get the page size");
	o.plan.page_size = (uint64_t)page_size;
	if (o.file)
		fd = open_file(&o);
	if (plan_object(&o.plan, &cfg, msg, sizeof(msg)))
		errarg("%s", msg);
	if (cfg.size > SIZE_MAX)
		errarg("--size: %s is too large for this system",
		       size_to_human(cfg.size, h1, sizeof(h1)));
	if (pattern_expand(&o.pattern, cfg.size / o.plan.page_size, o.seed,
			   &pages, &npages, msg, sizeof(msg)))
		errarg("--pattern: %s", msg);
	pattern_free(&o.pattern);
	cfg.fd = fd;

	ivma_dev_open(&dev, ivma_device_path(ivma_global_device));
	ivma_dev_api(&dev, o.file ? IVMA_FEATURE_FILE_BACKED : 0, &api);
	if (api.page_size != o.plan.page_size)
		errx(IVMA_EXIT_FAILURE, "%s: the module's page size (%" PRIu32
		     ") is not the system's (%ld)", dev.path,
		     (uint32_t)api.page_size, page_size);
	if (cfg.size > api.max_size)
		errarg("the object size %s (%" PRIu64 " bytes) exceeds the "
		       "module's maximum, %s (module parameter max_object_mb)",
		       size_to_human(cfg.size, h1, sizeof(h1)),
		       (uint64_t)cfg.size,
		       size_to_human(api.max_size, h2, sizeof(h2)));
	ivma_dev_configure(&dev, &cfg);

	map = mmap(NULL, (size_t)cfg.size,
		   o.mode == ACCESS_READ ? PROT_READ : PROT_READ | PROT_WRITE,
		   o.private_map ? MAP_PRIVATE : MAP_SHARED, dev.fd, 0);
	if (map == MAP_FAILED)
		err(ivma_errno_status(errno), "%s: mmap failed", dev.path);

	if (access_run(map, (size_t)page_size, pages, npages, o.repeat, o.mode,
		       o.verbose ? stderr : NULL, &res)) {
		warnx("%s while %s page %" PRIu64 ": stopped after %" PRIu64
		      " reads and %" PRIu64 " writes",
		      res.signo == SIGBUS ? "SIGBUS" : "SIGSEGV",
		      res.fault_write ? "writing" : "reading",
		      res.fault_page, res.reads, res.writes);
		status = IVMA_EXIT_FAILURE;
	} else if (o.verbose) {
		fprintf(stderr, "%s: %" PRIu64 " reads, %" PRIu64 " writes\n",
			program_invocation_short_name, res.reads, res.writes);
	}
	free(pages);

	if (o.msync && msync(map, (size_t)cfg.size, MS_SYNC)) {
		int e = errno;

		warn("%s: msync failed", dev.path);
		status = ivma_errno_status(e);
	}
	if (o.hold)
		hold_mapping(&o, &dev, map);
	if (munmap(map, (size_t)cfg.size)) {
		warn("%s: munmap failed", dev.path);
		status = IVMA_EXIT_FAILURE;
	}

	ivma_dev_query(&dev, &info);
	ivma_dev_close(&dev);
	if (fd >= 0)
		close(fd);

	if (print_rows(stdout, "object", rows, info_rows(&info, o.out.all, rows),
		       &o.out))
		err(IVMA_EXIT_FAILURE, "cannot print the table");
	return status;
}
