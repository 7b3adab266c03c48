// SPDX-License-Identifier: GPL-2.0
/*
 * ivma exec - run an unmodified x86-64 program from ivma objects: every
 * PT_LOAD segment of the program and of its interpreter is a private
 * mapping of an object backed by that section of the ELF file (the data
 * segment's object covers p_memsz, so .bss is its zero padding), the
 * stack a private mapping of an anonymous object. See elfload.h for the
 * loader and Documentation/programs.md for what differs from execve(2).
 */
#include <elf.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "dev.h"
#include "elfload.h"
#include "evopts.h"
#include "objlog.h"
#include "originfmt.h"
#include "strutils.h"
#include "tables.h"
#include "recfmt.h"

#define STACK_MIN	(128U << 10)
#define STACK_MAX	(1ULL << 30)
#define STACK_GUARD	(1U << 20)	/* below the stack, as stack_guard_gap */
#define FRAMES_MIN	2
/* where a position-independent program goes: low, with room for brk */
#define DYN_HINT	0x100000000000ULL
#define DYN_RANDOM_PAGES	0x10000ULL

struct exec_opts {
	uint64_t frames;		/* --frames, 0: unlimited */
	int policy;			/* --policy */
	bool refs;			/* --refs */
	uint64_t swap;			/* --swap, 0: leave the area */
	bool trace;			/* --trace */
	const char *record;		/* --record */
	bool counters;			/* --counters */
	bool verbose;			/* -v */
	uint64_t stack_size;		/* --stack, 0: from RLIMIT_STACK */
	struct out_opts out;
	char **prog_argv;		/* PROG [ARGS...] */
	int prog_argc;
	char comment[200];		/* the command line */
};

/* One object of the program. */
struct xobj {
	struct ivma_dev dev;
	struct ivma_config cfg;
	uint64_t id;
	uint64_t addr;			/* where it is mapped */
	int prot;
	const struct elf_file *file;	/* NULL: the stack */
	const struct elf_seg *seg;
	char label[32];
	struct ivma_info info;		/* at the end (--counters) */
};

struct xprog {
	struct exec_opts o;
	uint64_t page_size;
	struct elf_file prog, interp;
	bool has_interp;
	uint64_t prog_bias, interp_bias;
	uint64_t stack_lo, stack_size;	/* the stack object's mapping */
	struct xobj *obj;
	size_t nobj;
	char comm[COMM_LEN];
	struct origin_table origins;
	struct objlog log;
	uint64_t start_ns;
};

enum {
	OPT_FRAMES = CHAR_MAX + 1,
	OPT_POLICY,
	OPT_TRACE,
	OPT_RECORD,
	OPT_COUNTERS,
	OPT_REFS,
	OPT_SWAP,
	OPT_STACK,
};

void usage_exec(void)
{
	print_usage(
"Usage:\n"
" ivma exec [options] [--] <program> [<argument>...]\n"
"\n"
"Run an x86-64 program from ivma objects, as execve(2) would run it: each\n"
"PT_LOAD segment of the program and of its interpreter (ld.so) is mapped\n"
"from an object backed by that section of the ELF file (text read and\n"
"execute; data private, with .bss the zero padding past its section),\n"
"the stack from an anonymous object. The program's output and exit\n"
"status are its own. Shared libraries that ld.so maps stay native.\n"
"\n"
"Options:\n"
" -d, --device <path>   the device\n"
" -h, --help            display this help\n"
"     --frames <n>      a budget of <n> resident frames for each object\n"
"                       (each segment, the stack): at least 2\n"
"     --policy <p>      replacement policy: fifo or clock (default fifo;\n"
"                       lru cannot run code, see ivma(8))\n"
"     --refs            reference tracing: each object keeps only its most\n"
"                       recently used page mapped, every change of page\n"
"                       is a record, nothing is evicted (not with\n"
"                       --frames); a --record capture is complete\n"
SWAP_USAGE
"     --stack <size>    the stack object's size (default: RLIMIT_STACK,\n"
"                       128K to 1G)\n"
"     --trace           when the program has ended, print the objects'\n"
"                       origins and fault log on stderr\n"
"     --record <file>   write the objects' fault log and origins to a\n"
"                       capture file\n"
"     --counters        when the program has ended, print each object's\n"
"                       counters on stderr\n"
" -v, --verbose         print each object's origin before starting\n"
"\n"
"     --counters -J, -r, -n: JSON, raw output, no headings\n"
"\n"
"With --trace, --record or --counters the program runs in a child process\n"
"and ivma waits for it (and exits with its status, or dies of its\n"
"signal); otherwise ivma becomes the program, in the same process.\n"
"A program ivma cannot run (not an x86-64 ELF executable, a bad segment,\n"
"no execute permission, a bad interpreter) gets a message and status 2.\n");
}

/* The options, then PROG [ARGS...]: the first non-option ends them. */
static void exec_options(struct exec_opts *o, int argc, char **argv)
{
#define ARG(name, val)	{ name, required_argument, NULL, val }
#define FLAG(name, val)	{ name, no_argument, NULL, val }
	static const struct option longopts[] = {
		ARG("stack", OPT_STACK), ARG("frames", OPT_FRAMES),
		ARG("policy", OPT_POLICY), ARG("record", OPT_RECORD),
		FLAG("counters", OPT_COUNTERS), FLAG("trace", OPT_TRACE),
		FLAG("verbose", 'v'), FLAG("refs", OPT_REFS),
		SWAP_LONGOPT(OPT_SWAP),
		OUTPUT_LONGOPTS,
		COMMON_LONGOPTS,
		{ 0 }
	};
	const char *policy_arg = NULL;
	char msg[IVMA_ERRSZ];
	int c;

	command_line(argc, argv, o->comment, sizeof(o->comment));
	o->policy = IVMA_POLICY_FIFO;
	opterr = 0;
	/* "+": the options end at the program's name */
	while ((c = getopt_long(argc, argv, "+:d:hVJrnv", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, &o->out))
			continue;
		switch (c) {
		case OPT_FRAMES:
			o->frames = arg_frames(optarg);
			if (o->frames < FRAMES_MIN)
				errarg("--frames: at least %d: an instruction "
				       "that spans two pages of one segment "
				       "needs both", FRAMES_MIN);
			break;
		case OPT_POLICY:
			policy_arg = optarg;
			if (!strcmp(optarg, "fifo"))
				o->policy = IVMA_POLICY_FIFO;
			else if (!strcmp(optarg, "clock"))
				o->policy = IVMA_POLICY_CLOCK;
			else if (!strcmp(optarg, "lru"))
				errarg("--policy lru: exact LRU keeps one page "
				       "of an object mapped, so an instruction "
				       "that spans two pages of a segment would "
				       "fault forever: use fifo or clock");
			else
				errarg("--policy: '%s': expected fifo or clock",
				       optarg);
			break;
		case OPT_STACK:
			if (parse_size(optarg, &o->stack_size, msg,
				       sizeof(msg)))
				errarg("--stack: %s", msg);
			if (o->stack_size < STACK_MIN ||
			    o->stack_size > STACK_MAX)
				errarg("--stack: '%s': expected 128K to 1G",
				       optarg);
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_TRACE:
		case OPT_COUNTERS:
		case 'v':	/* the flags */
			*(c == OPT_TRACE ? &o->trace : c == OPT_COUNTERS ?
			  &o->counters : &o->verbose) = true;
			break;
		case OPT_REFS:
			o->refs = true;
			break;
		case OPT_SWAP:
			o->swap = arg_swap(optarg);
			break;
		default:
			bad_option(c, argv);
		}
	}
	check_budget_options(o->frames, policy_arg, o->refs, o->swap);
	if (optind >= argc)
		errusage("no program given");
	o->prog_argv = argv + optind;
	o->prog_argc = argc - optind;
}

/* --- before anything is mapped: the files, the objects --- */

static void open_files(struct xprog *x)
{
	char msg[IVMA_ERRSZ], *path;
	int rc;

	path = elf_find_program(x->o.prog_argv[0], msg, sizeof(msg));
	if (!path)
		errx(IVMA_EXIT_USAGE, "%s: %s", x->o.prog_argv[0], msg);
	rc = elf_file_open(&x->prog, path, x->page_size, msg, sizeof(msg));
	if (rc)
		errx(rc == ELF_ERR_BAD ? IVMA_EXIT_USAGE : IVMA_EXIT_FAILURE,
		     "%s: %s", path, msg);
	free(path);
	if (!x->prog.img.has_interp)
		return;
	rc = elf_file_open(&x->interp, x->prog.interp, x->page_size, msg,
			   sizeof(msg));
	if (rc)
		errx(rc == ELF_ERR_BAD ? IVMA_EXIT_USAGE : IVMA_EXIT_FAILURE,
		     "%s: its interpreter %s: %s", x->prog.path,
		     x->prog.interp, msg);
	x->has_interp = true;
}

static uint64_t stack_size(const struct exec_opts *o, uint64_t page_size)
{
	struct rlimit rl;
	uint64_t s = o->stack_size;

	if (!s) {
		s = 8ULL << 20;
		if (!getrlimit(RLIMIT_STACK, &rl) &&
		    rl.rlim_cur != RLIM_INFINITY)
			s = rl.rlim_cur;
		if (s < STACK_MIN)
			s = STACK_MIN;
		if (s > STACK_MAX)
			s = STACK_MAX;
	}
	return (s + page_size - 1) & ~(page_size - 1);
}

/* The object of segment @seg of @f, or of the stack (@f NULL). */
static void create_object(struct xprog *x, struct xobj *ob,
			  const struct elf_file *f, const struct elf_seg *seg)
{
	uint64_t pm = x->page_size - 1;
	struct ivma_api api;
	char h[HUMAN_SIZE_LEN];

	ob->file = f;
	ob->seg = seg;
	memset(&ob->cfg, 0, sizeof(ob->cfg));
	ob->cfg.fd = -1;
	if (seg) {
		ob->cfg.size = elf_seg_end(seg, x->page_size) -
			       elf_seg_start(seg, x->page_size);
		/* the section: the segment's file bytes from their page */
		if ((seg->offset & pm) + seg->filesz) {
			ob->cfg.flags = IVMA_CONFIG_FILE;
			ob->cfg.fd = f->fd;
			ob->cfg.file_offset = seg->offset & ~pm;
			ob->cfg.section_len = (seg->offset & pm) + seg->filesz;
		}
		ob->prot = elf_seg_prot(seg);
		snprintf(ob->label, sizeof(ob->label), "%s%s",
			 f == &x->interp ? "interp " : "", elf_seg_label(seg));
	} else {
		ob->cfg.size = x->stack_size;
		ob->prot = PROT_READ | PROT_WRITE |
			   (x->prog.img.exec_stack ? PROT_EXEC : 0);
		snprintf(ob->label, sizeof(ob->label), "stack");
	}
	ivma_dev_open(&ob->dev, ivma_device_path(ivma_global_device));
	ivma_dev_api(&ob->dev, seg ? IVMA_FEATURE_FILE_BACKED : 0, &api);
	if (api.page_size != x->page_size)
		errx(IVMA_EXIT_FAILURE, "%s: the module's page size (%" PRIu32
		     ") is not the system's", ob->dev.path, api.page_size);
	if (ob->cfg.size > api.max_size)
		errx(IVMA_EXIT_USAGE, "%s: its %s needs an object of %s, more "
		     "than the module's maximum, %s (module parameter "
		     "max_object_mb)", x->prog.path, ob->label,
		     size_to_human(ob->cfg.size, h, sizeof(h)),
		     size_to_human(api.max_size, h, sizeof(h)));
	/* once, on the first object: the area is the module's */
	if (x->o.swap && ob == x->obj)
		ivma_dev_set_swap(&ob->dev, x->o.swap);
	ivma_dev_configure(&ob->dev, &ob->cfg);
	if (x->o.frames)
		ivma_dev_set_budget(&ob->dev, x->o.frames,
				    (uint32_t)x->o.policy);
	if (x->o.refs)
		ivma_dev_set_refs(&ob->dev);
	ivma_dev_query(&ob->dev, &ob->info);
	ob->id = ob->info.id;
	if ((x->o.trace || x->o.record) && objlog_add(&x->log, ob->dev.fd))
		err(ivma_errno_status(errno), "%s: IVMA_IOC_LOG_OPEN",
		    ob->dev.path);
}

static void create_objects(struct xprog *x)
{
	size_t n = x->prog.img.nseg + 1, i, k = 0;

	if (x->has_interp)
		n += x->interp.img.nseg;
	x->obj = calloc(n, sizeof(*x->obj));
	if (!x->obj)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	for (i = 0; i < x->prog.img.nseg; i++)
		create_object(x, &x->obj[k++], &x->prog, &x->prog.img.seg[i]);
	for (i = 0; x->has_interp && i < x->interp.img.nseg; i++)
		create_object(x, &x->obj[k++], &x->interp,
			      &x->interp.img.seg[i]);
	create_object(x, &x->obj[k++], NULL, NULL);
	x->nobj = k;
}

/* The program's address ranges, reserved in this process (and a child). */
static void reserve(struct xprog *x)
{
	uint64_t hint = DYN_HINT, rnd = 0;
	char msg[IVMA_ERRSZ];
	size_t i;
	void *p;
	int rc;

	if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE) &&
	    getrandom(&rnd, sizeof(rnd), 0) == sizeof(rnd))
		hint += (rnd % DYN_RANDOM_PAGES) * x->page_size;
	rc = elf_reserve(&x->prog.img, x->page_size, hint, &x->prog_bias, msg,
			 sizeof(msg));
	if (rc)
		errx(rc == ELF_ERR_BAD ? IVMA_EXIT_USAGE : IVMA_EXIT_FAILURE,
		     "%s: %s", x->prog.path, msg);
	if (x->has_interp) {
		rc = elf_reserve(&x->interp.img, x->page_size, 0,
				 &x->interp_bias, msg, sizeof(msg));
		if (rc)
			errx(rc == ELF_ERR_BAD ? IVMA_EXIT_USAGE :
			     IVMA_EXIT_FAILURE, "%s: %s", x->interp.path, msg);
	}
	p = mmap(NULL, STACK_GUARD + x->stack_size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		err(IVMA_EXIT_FAILURE, "cannot reserve the stack");
	x->stack_lo = (uintptr_t)p + STACK_GUARD;
	for (i = 0; i < x->nobj; i++) {
		struct xobj *ob = &x->obj[i];

		if (!ob->seg)
			ob->addr = x->stack_lo;
		else
			ob->addr = elf_seg_start(ob->seg, x->page_size) +
				   (ob->file == &x->prog ? x->prog_bias :
				    x->interp_bias);
	}
}

static void unreserve(struct xprog *x)
{
	elf_unreserve(&x->prog.img, x->page_size, x->prog_bias);
	if (x->has_interp)
		elf_unreserve(&x->interp.img, x->page_size, x->interp_bias);
	munmap((void *)(uintptr_t)(x->stack_lo - STACK_GUARD),
	       STACK_GUARD + x->stack_size);
}

static void make_origins(struct xprog *x, uint32_t pid)
{
	uint64_t now = monotonic_ns();
	size_t i;

	origin_table_free(&x->origins);
	for (i = 0; i < x->nobj; i++) {
		const struct xobj *ob = &x->obj[i];
		struct origin o = {
			.object = ob->id, .address = ob->addr,
			.size = ob->cfg.size, .time_ns = now, .pid = pid,
			.kind = ob->file ? ORIGIN_ELF : ORIGIN_ANON,
			.prot = (uint16_t)(((ob->prot & PROT_READ) ?
					    ORIGIN_PROT_READ : 0) |
					   ((ob->prot & PROT_WRITE) ?
					    ORIGIN_PROT_WRITE : 0) |
					   ((ob->prot & PROT_EXEC) ?
					    ORIGIN_PROT_EXEC : 0)),
			.comm = x->comm, .program = x->prog.path,
			.path = ob->file ? ob->file->path : NULL,
			.label = (char *)ob->label,
		};

		if (ob->file) {
			o.file_offset = ob->cfg.file_offset;
			o.length = ob->cfg.section_len;
		}
		if (origin_table_add(&x->origins, &o))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	}
}

/* --- the program's side: map, build the stack, jump --- */

static void map_objects(struct xprog *x)
{
	size_t i;

	for (i = 0; i < x->nobj; i++) {
		struct xobj *ob = &x->obj[i];
		void *p = mmap((void *)(uintptr_t)ob->addr, ob->cfg.size,
			       ob->prot, MAP_PRIVATE | MAP_FIXED, ob->dev.fd,
			       0);

		if (p == MAP_FAILED) {
			if ((errno == EPERM || errno == EACCES) &&
			    (ob->prot & PROT_EXEC))
				err(IVMA_EXIT_PERM, "%s: mmap of the %s with "
				    "PROT_EXEC refused (%s on a noexec mount, "
				    "or a security module or IMA refusing %s)",
				    ob->dev.path, ob->label, ob->dev.path,
				    ob->file ? ob->file->path : "it");
			err(IVMA_EXIT_FAILURE, "%s: mmap of the %s at 0x%" PRIx64
			    " failed", ob->dev.path, ob->label, ob->addr);
		}
	}
	elf_unmap_holes(&x->prog.img, x->page_size, x->prog_bias);
	if (x->has_interp)
		elf_unmap_holes(&x->interp.img, x->page_size, x->interp_bias);
}

static size_t count(char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

IVMA_NORETURN static void start_program(struct xprog *x)
{
	const struct elf_image *pi = &x->prog.img;
	struct elf_stack_in in;
	struct elf_handover h;
	struct elf_auxv av[64], self_av[64];
	struct elf_aux_prog prog;
	char msg[IVMA_ERRSZ];
	size_t n, nself, i;
	uint64_t b = x->prog_bias;
	const char *platform = (const char *)getauxval(AT_PLATFORM);

	map_objects(x);
	memset(&in, 0, sizeof(in));
	in.argv = x->o.prog_argv;
	in.argc = (size_t)x->o.prog_argc;
	in.envp = environ;
	in.envc = count(environ);
	in.execfn = x->prog.path;
	in.platform = platform;
	if (getrandom(in.random, sizeof(in.random), 0) != sizeof(in.random))
		err(IVMA_EXIT_FAILURE, "getrandom failed");
	/* the loader's own, with the program's entries (elfstack.h) */
	nself = elf_self_auxv(self_av, ARRAY_SIZE(self_av));
	if (!nself)
		errx(IVMA_EXIT_FAILURE, "cannot read /proc/self/auxv");
	prog.phdr = pi->phdr_vaddr + b;
	prog.phnum = pi->phnum;
	prog.base = x->has_interp ? x->interp_bias : 0;
	prog.entry = pi->entry + b;
	prog.page_size = x->page_size;
	n = elf_auxv_for(self_av, nself, &prog, av, ARRAY_SIZE(av));
	in.auxv = av;
	in.nauxv = n;

	memset(&h, 0, sizeof(h));
	if (elf_build_stack((unsigned char *)(uintptr_t)x->stack_lo,
			    x->stack_lo, x->stack_size, &in, &h.stack, msg,
			    sizeof(msg)))
		errx(IVMA_EXIT_FAILURE, "%s: %s", x->prog.path, msg);
	h.comm = x->comm;
	h.entry = x->has_interp ? x->interp.img.entry + x->interp_bias :
		  pi->entry + b;
	h.start_code = UINT64_MAX;
	for (i = 0; i < pi->nseg; i++) {
		const struct elf_seg *s = &pi->seg[i];

		if ((s->flags & PF_X) && s->vaddr + b < h.start_code)
			h.start_code = s->vaddr + b;
		if ((s->flags & PF_X) && s->vaddr + s->filesz + b > h.end_code)
			h.end_code = s->vaddr + s->filesz + b;
		if (s->vaddr + b > h.start_data)
			h.start_data = s->vaddr + b;
		if (s->vaddr + s->filesz + b > h.end_data)
			h.end_data = s->vaddr + s->filesz + b;
	}
	h.start_brk = pi->hi + b;
	h.set_mm = true;
	h.exe_path = x->prog.path;
	elf_handover(&h);
}

/* --- ivma's side, when it stays: wait, report, record --- */

static pid_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Waits for the child, draining the logs; returns its wait status. */
static int monitor(struct xprog *x, pid_t child)
{
	struct sigaction sa;
	int pidfd, status = 0, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* the terminal sends these to the whole process group */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	for (;;) {
		pid_t w;

		objlog_drain(&x->log);
		rc = objlog_wait(&x->log, pidfd, pidfd >= 0 ? -1 : 20);
		if (rc < 0)
			err(IVMA_EXIT_FAILURE, "poll failed");
		if (pidfd >= 0 && !rc)
			continue;
		w = waitpid(child, &status, pidfd >= 0 ? 0 : WNOHANG);
		if (w == child)
			break;
		if (w < 0 && errno != EINTR)
			err(IVMA_EXIT_FAILURE, "waitpid failed");
	}
	if (pidfd >= 0)
		close(pidfd);
	return status;
}

/* The objects' counters now, then the objects go: the logs end. */
static void release_objects(struct xprog *x)
{
	size_t i;

	for (i = 0; i < x->nobj; i++) {
		ivma_dev_query(&x->obj[i].dev, &x->obj[i].info);
		ivma_dev_close(&x->obj[i].dev);
	}
	/* the files' descriptors: the objects have their own references */
	close(x->prog.fd);
	x->prog.fd = -1;
	if (x->has_interp) {
		close(x->interp.fd);
		x->interp.fd = -1;
	}
	/* every process that inherited the mappings has to end first */
	while (objlog_drain(&x->log))
		if (objlog_wait(&x->log, -1, 1000) < 0)
			err(IVMA_EXIT_FAILURE, "poll failed");
	objlog_finish(&x->log);
}

#define NUM_COL(name, help)		{ name, 0, TCOL_NUM, help }
#define TEXT_COL(name, help, flags)	{ name, 0, flags, help }
static const struct tcol counters_cols[] = {
	NUM_COL("OBJECT", "object id"),
	TEXT_COL("LABEL", "what it holds", 0),
	TEXT_COL("ADDRESS", "where it was mapped", 0),
	NUM_COL("SIZE", "bytes"),
	NUM_COL("FAULTS", "fault handler calls"),
	NUM_COL("FILE-READ", "pages read from the file"),
	NUM_COL("ZERO-FILL", "anonymous pages zero-filled"),
	NUM_COL("ZERO-PAD", "pages past the section (zeros)"),
	NUM_COL("RESIDENT", "faults of resident pages"),
	NUM_COL("COW", "copy-on-write faults"),
	NUM_COL("EVICT", "evictions"),
	NUM_COL("EXEC", "faults of an instruction fetch"),
	NUM_COL("BYTES-READ", "bytes read from the file"),
	TEXT_COL("FILE", "the backing file", TCOL_WRAP),
};
static const struct tsection counters_sec = {
	"objects", "Objects", counters_cols, ARRAY_SIZE(counters_cols),
	"OBJECT,LABEL,ADDRESS,SIZE,FAULTS,FILE-READ,ZERO-FILL,ZERO-PAD,"
	"RESIDENT,COW,EVICT,EXEC,BYTES-READ,FILE",
};

static char *u64_str(char *buf, uint64_t v)
{
	snprintf(buf, 48, "%" PRIu64, v);
	return buf;
}

static int print_counters(const struct xprog *x)
{
	const struct tdata *tp[1];
	struct tdata t;
	struct tsel sel;
	char msg[IVMA_ERRSZ];
	size_t i;
	int rc;

	if (tsel_parse(&counters_sec, NULL, &sel, msg, sizeof(msg)))
		errx(IVMA_EXIT_FAILURE, "%s", msg);
	tdata_init(&t, &counters_sec);
	for (i = 0; i < x->nobj; i++) {
		const struct xobj *ob = &x->obj[i];
		const struct ivma_info *in = &ob->info;
		char c[12][48];
		const char *cells[ARRAY_SIZE(counters_cols)] = {
			u64_str(c[0], ob->id), ob->label, c[1],
			u64_str(c[2], in->size), u64_str(c[3], in->faults),
			u64_str(c[4], in->events[IVMA_EV_FILE_READ]),
			u64_str(c[5], in->events[IVMA_EV_ZERO_FILL]),
			u64_str(c[6], in->events[IVMA_EV_ZERO_PAD]),
			u64_str(c[7], in->events[IVMA_EV_RESIDENT]),
			u64_str(c[8], in->events[IVMA_EV_COW]),
			u64_str(c[9], in->events[IVMA_EV_EVICT]),
			u64_str(c[10], in->exec_faults),
			u64_str(c[11], in->bytes_read),
			ob->file ? ob->file->path : NULL,
		};

		snprintf(c[1], sizeof(c[1]), "0x%" PRIx64, ob->addr);
		if (tdata_add(&t, cells))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	}
	tp[0] = &t;
	rc = tables_print(stderr, tp, &sel, 1, &x->o.out, 0);
	tdata_free(&t);
	return rc;
}

static void print_trace(const struct xprog *x)
{
	char line[ORIGIN_LINE_MAX];
	size_t i;

	for (i = 0; i < x->origins.n; i++)
		fprintf(stderr, "%s\n", origin_format_line(TRACE_TEXT,
			&x->origins.v[i], x->start_ns, line, sizeof(line)));
	for (i = 0; i < x->log.recs.n; i++)
		trace_print(stderr, TRACE_TEXT, &x->log.recs.v[i],
			    x->start_ns);
	fprintf(stderr, "%s exec: %zu records\n",
		program_invocation_short_name, x->log.recs.n);
}

/* ivma ends as the program did: its exit status, or its signal. */
IVMA_NORETURN static void end_like(int status, int ivma_status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit none = { 0, 0 };
		sigset_t set;

		fflush(NULL);
		setrlimit(RLIMIT_CORE, &none);	/* its core is the program's */
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		exit(128 + sig);
	}
	exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) :
	     ivma_status);
}

static void set_comm(struct xprog *x)
{
	const char *base = strrchr(x->prog.path, '/');

	snprintf(x->comm, sizeof(x->comm), "%s", base ? base + 1 :
		 x->prog.path);
}

int cmd_exec(int argc, char **argv)
{
	struct xprog x;
	bool stay;
	int status, ivma_status = IVMA_EXIT_OK;
	pid_t child;
	long psz = sysconf(_SC_PAGESIZE);

	memset(&x, 0, sizeof(x));
	x.prog.fd = x.interp.fd = -1;
	exec_options(&x.o, argc, argv);
	if (psz <= 0)
		err(IVMA_EXIT_FAILURE, "cannot get the page size");
	x.page_size = (uint64_t)psz;
	stay = x.o.trace || x.o.record || x.o.counters;

	/* everything checked before anything is mapped */
	open_files(&x);
	set_comm(&x);
	x.stack_size = stack_size(&x.o, x.page_size);
	create_objects(&x);
	reserve(&x);
	x.start_ns = monotonic_ns();
	if (x.o.verbose) {
		char line[ORIGIN_LINE_MAX];
		size_t i;

		make_origins(&x, (uint32_t)getpid());
		for (i = 0; i < x.origins.n; i++)
			fprintf(stderr, "%s: %s\n",
				program_invocation_short_name,
				origin_title(&x.origins.v[i], line,
					     sizeof(line)));
	}
	if (!stay)
		start_program(&x);

	fflush(NULL);
	child = fork();
	if (child < 0)
		err(IVMA_EXIT_FAILURE, "fork failed");
	if (child == 0)
		start_program(&x);
	child_pid = child;
	unreserve(&x);
	make_origins(&x, (uint32_t)child);
	status = monitor(&x, child);
	release_objects(&x);

	if (x.log.error) {
		warnx("reading the fault log: %s", strerror(x.log.error));
		ivma_status = IVMA_EXIT_FAILURE;
	}
	if (x.log.oom) {
		warnx("out of memory: the fault log is incomplete");
		ivma_status = IVMA_EXIT_FAILURE;
	}
	if (x.o.trace)
		print_trace(&x);
	if (x.o.counters && print_counters(&x)) {
		warn("cannot print the counters");
		ivma_status = IVMA_EXIT_FAILURE;
	}
	if (x.o.record) {
		struct cap_meta m;
		char msg[512];

		cap_meta_host(&m, x.o.comment);
		m.start_ns = x.start_ns;
		m.flags = CAP_FLAG_OBJECT | CAP_COMPLETE_IF(x.o.refs, 0, 0);
		m.page_size = (uint32_t)x.page_size;
		if (objlog_write_capture(x.o.record, &m, &x.log.recs,
					 &x.origins, (uint32_t)child, x.comm,
					 msg, sizeof(msg))) {
			warnx("%s", msg);
			ivma_status = IVMA_EXIT_FAILURE;
		}
	}
	objlog_free(&x.log);
	origin_table_free(&x.origins);
	elf_file_close(&x.prog);
	elf_file_close(&x.interp);
	free(x.obj);
	end_like(status, ivma_status);
}
