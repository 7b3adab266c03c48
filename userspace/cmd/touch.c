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
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access.h"
#include "capture.h"
#include "common.h"
#include "dev.h"
#include "holdsock.h"
#include "apitables.h"
#include "pattern.h"
#include "plan.h"
#include "rec.h"
#include "strutils.h"
#include "recfmt.h"

struct touch_opts {
	struct plan_args plan;
	const char *file;		/* --file */
	bool private_map;		/* --map private */
	int mode;			/* --mode: ACCESS_* */
	struct pattern pattern;		/* --pattern */
	uint64_t seed;			/* --seed */
	uint64_t repeat;		/* --repeat */
	unsigned int hold;		/* --hold */
	const char *hold_socket;	/* --hold-socket */
	bool msync;			/* --msync */
	bool trace;			/* --trace */
	const char *record;		/* --record */
	int fork_mode;			/* --fork: ACCESS_*, or 0 */
	uint64_t frames;		/* --frames, 0: unlimited */
	int policy;			/* --policy: enum ivma_policy */
	bool refs;			/* --refs */
	uint64_t swap;			/* --swap, 0: leave the area */
	const char *policy_arg;		/* --policy as given, or NULL */
	bool pattern_given;		/* --pattern */
	bool verbose;			/* -v */
	char *record_comment;		/* the command line */
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
	OPT_TRACE,
	OPT_RECORD,
	OPT_FORK,
	OPT_FRAMES,
	OPT_POLICY,
	OPT_REFS,
	OPT_SWAP,
	OPT_HOLD_SOCKET,
};

void usage_touch(void)
{
	print_usage(
"Usage:\n"
" ivma touch [options]\n"
"\n"
"Create an object, map it, touch its pages in a pattern, unmap it and\n"
"print its counters.\n"
"\n"
"Options:\n"
" -s, --size <size>     object size in bytes (suffixes K, M, G, T: KiB, ...)\n"
" -f, --file <path>     back the object with a section of a file\n"
"     --offset <off>    page-aligned offset of the section (default 0)\n"
"     --length <len>    section length (default: file size - offset)\n"
"     --map <type>      shared or private (default shared)\n"
"     --mode <mode>     r, w or rw: read, write, or read then write each\n"
"                       page (default r)\n"
" -p, --pattern <pat>   seq, rand, stride:<n>, or a 0-based page list such\n"
"                       as 1,2,3,1,5-7 (default seq)\n"
"     --seed <n>        seed of the rand pattern (default 1)\n"
"     --repeat <n>      run the pattern <n> times (default 1)\n"
"     --msync           msync(MS_SYNC) the mapping after touching\n"
"     --fork <mode>     then fork a child that touches the same pages of\n"
"                       the same mapping with <mode> (r, w, rw) and checks\n"
"                       what the parent wrote\n"
"     --frames <n>      a budget of <n> resident frames: a fault past it\n"
"                       evicts a page (without it: no budget)\n"
"     --policy <p>      replacement policy: fifo, clock or lru\n"
"                       (default fifo)\n"
"     --refs            reference tracing: only the most recently used page\n"
"                       stays mapped, every change of page is a record,\n"
"                       nothing is evicted (not with --frames)\n"
SWAP_USAGE
"     --hold <seconds>  keep the mapping that long after touching\n"
"     --hold-socket <path>\n"
"                       while holding (without --hold: until SIGINT or\n"
"                       SIGTERM), send the object's fd to every process\n"
"                       that connects to the Unix socket <path>\n"
"     --trace           print the object's fault log (all its records,\n"
"                       until it is destroyed) before the counters\n"
"     --record <file>   write the object's fault log to a capture file\n"
" -v, --verbose         print each access to stderr\n"
"\n"
"Output options:\n"
" -J, --json            use JSON output format (not with --trace)\n"
" -r, --raw             use raw output format\n"
" -n, --noheadings      don't print headings\n"
ROWS_OUTPUT_USAGE
" -a, --all             print zero event counters too\n"
" -d, --device <path>   the device\n"
" -h, --help            display this help\n");
}

static void parse_options(int argc, char **argv, struct touch_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		OUTPUT_LONGOPTS,
		ROWS_OUTPUT_LONGOPT,
		ROWS_BYTES_LONGOPT,
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
		TRACE_LONGOPTS(OPT_TRACE, OPT_RECORD),
		{ "fork",	required_argument,	NULL, OPT_FORK },
		BUDGET_LONGOPTS(OPT_FRAMES, OPT_POLICY),
		{ "refs",	no_argument,		NULL, OPT_REFS },
		SWAP_LONGOPT(OPT_SWAP),
		{ "hold-socket", required_argument,	NULL, OPT_HOLD_SOCKET },
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
	while ((c = getopt_long(argc, argv, ":d:hVJrnas:f:p:vo:b",
				longopts, NULL)) != -1) {
		if (common_option(c, optarg, &o->out))
			continue;
		switch (c) {
		case 'o':
			rows_output_option(&o->out, optarg);
			break;
		case 'b':
			o->out.bytes = 1;
			break;
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
		case OPT_TRACE:
			o->trace = true;
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_FORK:
			o->fork_mode = access_mode_parse(optarg);
			if (o->fork_mode < 0)
				errarg("--fork: '%s': expected r, w or rw",
				       optarg);
			break;
		case OPT_FRAMES:
			o->frames = arg_frames(optarg);
			break;
		case OPT_POLICY:
			o->policy = ivma_policy_parse(optarg);
			o->policy_arg = optarg;
			if (o->policy < 0)
				errarg("--policy: '%s': expected fifo, clock or lru",
				       optarg);
			break;
		case OPT_REFS:
			o->refs = true;
			break;
		case OPT_SWAP:
			o->swap = arg_swap(optarg);
			break;
		case OPT_HOLD_SOCKET:
			if (holdsock_check_path(optarg, msg, sizeof(msg)))
				errarg("--hold-socket: %s", msg);
			o->hold_socket = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	check_budget_options(o->frames, o->policy_arg, o->refs, o->swap);
	if (o->trace && o->out.json)
		errusage("--trace prints text lines: it cannot be combined "
			 "with --json (use --record <file> and 'ivma report "
			 "-J')");

	if (!has_pattern)
		o->pattern.kind = PATTERN_SEQ;
	o->pattern_given = has_pattern;
}

/* The object's log reader and the thread that drains it. */
struct touch_log {
	int fd;
	pthread_t thread;
	struct rec_array recs;
	uint64_t start_ns;
	uint64_t next_seq;
	bool seq_known;
	int error;		/* errno of a failed read */
	bool oom;
	struct origin origin;	/* the object's, for --record */
};

static void log_push(struct touch_log *l, const struct ivma_record *rec)
{
	if (!l->oom && rec_array_push(&l->recs, rec))
		l->oom = true;
}

/* Reads until the object is gone (end of file). */
static void *log_thread(void *arg)
{
	struct touch_log *l = arg;
	struct ivma_record buf[128];
	ssize_t n, i;

	for (;;) {
		n = read(l->fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			l->error = errno;
			break;
		}
		for (i = 0; i < n / (ssize_t)sizeof(buf[0]); i++) {
			const struct ivma_record *r = &buf[i];
			struct ivma_record lost;

			/* a gap no LOST record explains is a loss too */
			if (rec_seq_gap(&l->next_seq, &l->seq_known, r, &lost))
				log_push(l, &lost);
			log_push(l, r);
		}
	}
	return NULL;
}

static void log_start(struct touch_log *l, struct ivma_dev *dev,
		      const struct ivma_api *api)
{
	struct ivma_log_open req = { 0 };
	int e;

	memset(l, 0, sizeof(*l));
	if (!(api->features & IVMA_FEATURE_LOG))
		errx(IVMA_EXIT_FAILURE, "%s: the module has no fault log "
		     "(feature 'log'): update the module", dev->path);
	l->fd = ioctl(dev->fd, IVMA_IOC_LOG_OPEN, &req);
	if (l->fd < 0)
		err(ivma_errno_status(errno), "%s: IVMA_IOC_LOG_OPEN",
		    dev->path);
	l->start_ns = monotonic_ns();
	e = pthread_create(&l->thread, NULL, log_thread, l);
	if (e)
		errx(IVMA_EXIT_FAILURE, "cannot start the log reader: %s",
		     strerror(e));
}

/* After the object is gone: the thread has read everything. */
static int log_finish(struct touch_log *l, const struct touch_opts *o,
		      pid_t child)
{
	int status = IVMA_EXIT_OK;
	size_t i;

	pthread_join(l->thread, NULL);
	close(l->fd);
	if (l->error) {
		warnx("reading the fault log: %s", strerror(l->error));
		status = IVMA_EXIT_FAILURE;
	}
	if (l->oom) {
		warnx("out of memory: the trace is incomplete");
		status = IVMA_EXIT_FAILURE;
	}
	if (o->trace) {
		for (i = 0; i < l->recs.n; i++)
			trace_print(stdout, TRACE_TEXT, &l->recs.v[i],
				    l->start_ns);
		putchar('\n');
	}
	if (o->record) {
		struct cap_writer w;
		struct cap_meta m;
		char msg[256], comm[COMM_LEN];
		FILE *f = fopen(o->record, "we");

		if (!f) {
			warn("%s: cannot create", o->record);
			return ivma_errno_status(errno);
		}
		cap_meta_host(&m, o->record_comment);
		m.start_ns = l->start_ns;
		m.flags = CAP_FLAG_OBJECT |
			  CAP_COMPLETE_IF(o->refs, o->frames, o->policy);
		comm_lookup_live((uint32_t)getpid(), (uint32_t)getpid(), comm);
		if (cap_create(&w, f, &m, msg, sizeof(msg)))
			goto failed;
		l->origin.comm = comm;
		if (cap_add_origin(&w, &l->origin)) {
			snprintf(msg, sizeof(msg), "out of memory");
			goto failed;
		}
		for (i = 0; i < l->recs.n; i++)
			if (cap_write(&w, &l->recs.v[i], msg, sizeof(msg)))
				goto failed;
		for (i = 0; i < l->recs.n; i++) {
			const struct ivma_record *r = &l->recs.v[i];

			if (r->kind != IVMA_EV_LOST && r->pid &&
			    ((pid_t)r->pid == getpid() ||
			     (pid_t)r->pid == child) &&
			    cap_add_comm(&w, r->pid, r->tid, comm)) {
				snprintf(msg, sizeof(msg), "out of memory");
				goto failed;
			}
		}
		if (cap_finish(&w, msg, sizeof(msg)))
			goto failed;
		if (fclose(f)) {
			warn("%s: write error", o->record);
			status = IVMA_EXIT_FAILURE;
		}
		goto done;
failed:
		warnx("%s: %s", o->record, msg);
		fclose(f);
		status = IVMA_EXIT_FAILURE;
	}
done:
	rec_array_free(&l->recs);
	return status;
}

/*
 * --fork: a child touches the same pages of the inherited mapping and
 * checks the parent's markers. Returns its pid; *@status gets a failure.
 */
static pid_t fork_child(const struct touch_opts *o, void *map,
			size_t page_size, const uint64_t *pages, size_t n,
			int *status)
{
	struct access_result res;
	int wstatus;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		warn("fork failed");
		*status = IVMA_EXIT_FAILURE;
		return -1;
	}
	if (pid == 0) {
		uint64_t marked = 0, checked = 0;
		size_t i;
		int rc = 0;

		/* what the parent wrote, seen through the shared mapping */
		if ((o->fork_mode & ACCESS_READ) && (o->mode & ACCESS_WRITE)) {
			for (i = 0; i < n; i++) {
				char want[32];
				size_t len = access_marker(pages[i], want,
							   sizeof(want));

				checked++;
				if (memcmp((char *)map + pages[i] * page_size,
					   want, len) == 0)
					marked++;
			}
		}
		if (access_run(map, page_size, pages, n, o->repeat,
			       o->fork_mode, o->verbose ? stderr : NULL,
			       &res)) {
			fprintf(stderr, "%s: child %d: %s at page %" PRIu64
				"\n", program_invocation_short_name,
				(int)getpid(), res.signo == SIGBUS ? "SIGBUS"
				: "SIGSEGV", res.fault_page);
			rc = IVMA_EXIT_FAILURE;
		}
		fprintf(stderr, "%s: child %d: %" PRIu64 " reads, %" PRIu64
			" writes", program_invocation_short_name,
			(int)getpid(), res.reads, res.writes);
		if (checked)
			fprintf(stderr, "; %" PRIu64 " of %" PRIu64 " pages "
				"carry the parent's marker%s", marked,
				checked, o->private_map ? " (private: the "
				"parent's copies)" : "");
		fputc('\n', stderr);
		if (checked && marked != checked)
			rc = IVMA_EXIT_FAILURE;
		_exit(rc);
	}
	if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus)) {
		warnx("the child process %d failed", (int)pid);
		*status = IVMA_EXIT_FAILURE;
	}
	return pid;
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

static char *command_line_str(int argc, char **argv)
{
	char buf[200];
	size_t len;
	int i;

	len = (size_t)snprintf(buf, sizeof(buf), "ivma");
	for (i = 0; i < argc && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s",
					argv[i]);
	return strdup(buf);
}

static void hold_mapping(const struct touch_opts *o, struct ivma_dev *dev,
			 const void *map, int *status)
{
	struct ivma_info info;
	unsigned int left = o->hold;
	uint64_t served;
	int st;

	ivma_dev_query(dev, &info);
	if (o->hold_socket) {
		char howlong[32] = "until SIGINT or SIGTERM";

		if (o->hold)
			snprintf(howlong, sizeof(howlong), "for %u s", o->hold);
		fprintf(stderr, "%s: object %" PRIu64 " mapped at %p in "
			"process %d: its fd on the socket %s %s\n",
			program_invocation_short_name, (uint64_t)info.id, map,
			(int)getpid(), o->hold_socket, howlong);
		st = holdsock_run(o->hold_socket, dev->fd, o->hold, &served);
		fprintf(stderr, "%s: %s: the fd went to %" PRIu64 " "
			"process%s\n", program_invocation_short_name,
			o->hold_socket, served, served == 1 ? "" : "es");
		if (st && !*status)
			*status = st;
		return;
	}
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
	struct touch_log log;
	uint64_t *pages;
	size_t npages;
	int fd = -1, status = IVMA_EXIT_OK;
	pid_t child = -1;
	long page_size;
	void *map;

	parse_options(argc, argv, &o);
	o.record_comment = command_line_str(argc, argv);

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
	/* the pattern's pages are made once the module allows the size */
	if (pattern_count(&o.pattern, cfg.size / o.plan.page_size, &npages,
			  msg, sizeof(msg)))
		errarg("--pattern: %s", msg);
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
	if (pattern_expand(&o.pattern, cfg.size / o.plan.page_size, o.seed,
			   &pages, &npages, msg, sizeof(msg))) {
		if (o.pattern_given)
			errx(IVMA_EXIT_FAILURE, "--pattern: %s", msg);
		errx(IVMA_EXIT_FAILURE, "--size %s: every page once: %s",
		     size_to_human(cfg.size, h1, sizeof(h1)), msg);
	}
	pattern_free(&o.pattern);
	if (o.swap)
		ivma_dev_set_swap(&dev, o.swap);
	ivma_dev_configure(&dev, &cfg);
	if (o.frames)
		ivma_dev_set_budget(&dev, o.frames, (uint32_t)o.policy);
	if (o.refs)
		ivma_dev_set_refs(&dev);
	if (o.trace || o.record)
		log_start(&log, &dev, &api);

	map = mmap(NULL, (size_t)cfg.size,
		   o.mode == ACCESS_READ ? PROT_READ : PROT_READ | PROT_WRITE,
		   o.private_map ? MAP_PRIVATE : MAP_SHARED, dev.fd, 0);
	if (map == MAP_FAILED)
		err(ivma_errno_status(errno), "%s: mmap failed", dev.path);
	if (o.record) {
		ivma_dev_query(&dev, &info);
		log.origin = (struct origin){
			.object = info.id, .address = (uintptr_t)map,
			.size = cfg.size, .time_ns = monotonic_ns(),
			.file_offset = cfg.file_offset,
			.length = cfg.section_len, .pid = (uint32_t)getpid(),
			.kind = o.file ? ORIGIN_FILE : ORIGIN_ANON,
			.prot = ORIGIN_PROT_READ | (o.mode == ACCESS_READ ? 0 :
						    ORIGIN_PROT_WRITE),
			.flags = o.private_map ? 0 : ORIGIN_F_SHARED,
			.path = (char *)o.file, .label = "touch",
		};
	}

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

	if (o.msync && msync(map, (size_t)cfg.size, MS_SYNC)) {
		int e = errno;

		warn("%s: msync failed", dev.path);
		status = ivma_errno_status(e);
	}
	if (o.fork_mode)
		child = fork_child(&o, map, (size_t)page_size, pages, npages,
				   &status);
	free(pages);
	if (o.hold || o.hold_socket)
		hold_mapping(&o, &dev, map, &status);
	if (munmap(map, (size_t)cfg.size)) {
		warn("%s: munmap failed", dev.path);
		status = IVMA_EXIT_FAILURE;
	}

	ivma_dev_query(&dev, &info);
	ivma_dev_close(&dev);	/* the object goes: the log ends */
	if (fd >= 0)
		close(fd);
	if (o.trace || o.record) {
		int st = log_finish(&log, &o, child);

		if (st && !status)
			status = st;
	}
	free(o.record_comment);

	if (print_rows(stdout, "object", rows, info_rows(&info, o.out.all, rows),
		       &o.out))
		err(IVMA_EXIT_FAILURE, "cannot print the table");
	return status;
}
