// SPDX-License-Identifier: GPL-2.0
/*
 * ivma run - run an unmodified program with its mmaps of chosen files (and,
 * with --anon, its large anonymous memory) routed through ivma objects by
 * the preload library (userspace/preload/), and merge the events of all
 * its objects, in all its processes, into one trace or capture with the
 * objects' origins. Documentation/programs-run.md tells the design.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "common.h"
#include "dev.h"
#include "evopts.h"
#include "origin.h"
#include "originfmt.h"
#include "rec.h"
#include "strutils.h"
#include "recfmt.h"
#include "preload/conf.h"
#include "preload/proto.h"

#define RUN_PRELOAD_NAME	"libivma-preload.so"
#define RUN_PRELOAD_ENV		"IVMA_PRELOAD"
#define RUN_RING_DEFAULT	(256 * 1024)
#define RUN_RING_MIN		(16 * 1024)
#define RUN_ANON_MIN_DEFAULT	(1024 * 1024)
#define RUN_BATCH		256

struct run_opts {
	struct runc conf;		/* what the library gets */
	char *patterns[RUNC_MAX_FILES];	/* absolute, owned */
	bool trace;			/* --trace */
	const char *record;		/* --record */
	uint64_t ring;			/* --size */
	uint64_t swap;			/* --swap, 0: leave the area */
	bool verbose;			/* -v */
	char **argv;			/* PROG ARGS... */
	struct rlimit nofile;		/* RLIMIT_NOFILE as given */
	char comment[200];
};

/* One routed object: its log reader and origin. */
struct run_obj {
	uint64_t id;
	int rfd;			/* the log reader */
	int filefd;			/* FILE: the program's file, or -1 */
	struct stat st0;		/* of the file when it was mapped */
	struct origin origin;		/* strings owned */
	size_t slot;			/* its place in run_state.ord */
	uint64_t next_seq;
	bool seq_known;
	bool addr_known;
	uint64_t records, lost;
};

struct run_state {
	struct run_opts *o;
	int ep, sock;
	pid_t child;
	int pidfd;
	bool child_done, sock_done;
	int wstatus;
	size_t live;			/* readers not at their end */
	uint64_t start_ns;
	struct cap_writer w;
	FILE *capf;
	bool capture_failed;
	struct comm_table comms;
	struct origin *ord;		/* every origin, in creation order */
	size_t nord, cord;
	uint64_t nobjects, nnative, nrecords, nlost, nchanged;
	struct ivma_record batch[4 * RUN_BATCH];
	size_t nbatch;
	uint64_t ring;			/* the ring size in use */
};

enum {
	OPT_ANON = CHAR_MAX + 1,
	OPT_ANON_MIN,
	OPT_SHARED_WRITE,
	OPT_FRAMES,
	OPT_POLICY,
	OPT_TRACE,
	OPT_RECORD,
	OPT_NO_CHILDREN,
	OPT_REFS,
	OPT_SWAP,
};

void usage_run(void)
{
	print_usage(
"Usage:\n"
" ivma run [options] [--] <program> [<argument>...]\n"
"\n"
"Run <program> with the mmaps of the chosen files routed through ivma\n"
"objects (an LD_PRELOAD library), and, with --anon, its anonymous\n"
"mappings and malloc blocks of at least --anon-min bytes; trace or record\n"
"the events of all its objects, in all its processes, with each object's\n"
"origin. Mappings whose semantics ivma cannot keep stay native and are\n"
"reported. Exits with the program's status.\n"
"\n"
"Options:\n"
" -f, --file <path>     route mappings of this file; a pattern with * (not\n"
"                       across /), ** (across /), ? or [...]; repeatable\n"
"     --anon            route anonymous mappings and malloc blocks\n"
"     --anon-min <size> of at least <size> bytes (default 1M)\n"
"     --shared-write    route MAP_SHARED+PROT_WRITE file mappings too (the\n"
"                       program must not also write(2) the file)\n"
"     --frames <n>      a budget of <n> frames for each object\n"
"     --policy <p>      fifo, clock or lru (default fifo)\n"
"     --refs            reference tracing: each object keeps only its most\n"
"                       recently used page mapped, every change of page\n"
"                       is a record, nothing is evicted (not with\n"
"                       --frames); a --record capture is complete\n"
SWAP_USAGE
"     --no-children     programs exec'd by <program> run natively\n"
"     --trace           print every record on stderr as 'ivma trace' does\n"
"     --record <file>   write a capture with the objects' origins\n"
"     --size <bytes>    each object's log ring (default 256K)\n"
" -v, --verbose         report each object on stderr\n"
" -d, --device <path>   the device\n"
" -h, --help            display this help\n");
}

/* A size in [@min, @max]; exits with status 2 otherwise. */
static uint64_t arg_size(const char *opt, const char *arg, uint64_t min,
			 uint64_t max)
{
	char msg[IVMA_ERRSZ];
	uint64_t v;

	if (parse_size(arg, &v, msg, sizeof(msg)))
		errarg("%s: %s", opt, msg);
	if (v < min)
		errarg("%s: must be at least %" PRIu64, opt, min);
	if (v > max)
		errarg("%s: '%s': too large", opt, arg);
	return v;
}

/* An absolute pattern: a plain path is resolved (symlinks, "..") when it
 * exists; a glob gets the current directory in front when relative. */
static char *absolute_pattern(const char *pat)
{
	char *res, cwd[PATH_MAX];

	if (!*pat)
		errarg("--file: empty path");
	if (strchr(pat, '\n'))
		errarg("--file: '%s': a path with a newline", pat);
	if (!runc_is_glob(pat) && (res = realpath(pat, NULL)))
		return res;
	if (pat[0] == '/')
		return strdup(pat);
	if (!getcwd(cwd, sizeof(cwd)))
		err(IVMA_EXIT_FAILURE, "cannot get the current directory");
	if (asprintf(&res, "%s/%s", strcmp(cwd, "/") ? cwd : "", pat) < 0)
		return NULL;
	return res;
}

static void parse_options(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "file",	required_argument,	NULL, 'f' },
		{ "anon",	no_argument,		NULL, OPT_ANON },
		{ "anon-min",	required_argument,	NULL, OPT_ANON_MIN },
		{ "shared-write", no_argument,		NULL, OPT_SHARED_WRITE },
		BUDGET_LONGOPTS(OPT_FRAMES, OPT_POLICY),
		{ "refs",	no_argument,		NULL, OPT_REFS },
		SWAP_LONGOPT(OPT_SWAP),
		{ "no-children", no_argument,		NULL, OPT_NO_CHILDREN },
		TRACE_LONGOPTS(OPT_TRACE, OPT_RECORD),
		{ "size",	required_argument,	NULL, EVOPT_SIZE },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *policy_arg = NULL;
	int c, policy;

	memset(o, 0, sizeof(*o));
	o->conf.sock = -1;
	o->conf.anon_min = RUN_ANON_MIN_DEFAULT;
	o->conf.children = 1;
	o->ring = RUN_RING_DEFAULT;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:hVf:v", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, NULL))
			continue;
		switch (c) {
		case 'f':
			if (o->conf.nfiles == RUNC_MAX_FILES)
				errarg("--file: at most %d", RUNC_MAX_FILES);
			o->patterns[o->conf.nfiles] = absolute_pattern(optarg);
			if (!o->patterns[o->conf.nfiles])
				errx(IVMA_EXIT_FAILURE, "out of memory");
			o->conf.files[o->conf.nfiles] =
				o->patterns[o->conf.nfiles];
			o->conf.nfiles++;
			break;
		case OPT_ANON:
			o->conf.anon = 1;
			break;
		case OPT_ANON_MIN:
			o->conf.anon_min = arg_size("--anon-min", optarg, 1,
						    UINT64_MAX);
			break;
		case OPT_SHARED_WRITE:
			o->conf.shared_write = 1;
			break;
		case OPT_FRAMES:
			o->conf.frames = arg_frames(optarg);
			break;
		case OPT_POLICY:
			policy = ivma_policy_parse(optarg);
			if (policy < 0)
				errarg("--policy: '%s': expected fifo, clock "
				       "or lru", optarg);
			o->conf.policy = (uint32_t)policy;
			policy_arg = optarg;
			break;
		case OPT_REFS:
			o->conf.refs = 1;
			break;
		case OPT_SWAP:
			o->swap = arg_swap(optarg);
			break;
		case OPT_NO_CHILDREN:
			o->conf.children = 0;
			break;
		case OPT_TRACE:
			o->trace = true;
			break;
		case OPT_RECORD:
			if (!strcmp(optarg, "-"))
				errarg("--record: not to standard output, "
				       "which is the program's");
			o->record = optarg;
			break;
		case EVOPT_SIZE:
			o->ring = arg_size("--size", optarg, 0, UINT64_MAX);
			if (o->ring < IVMA_LOG_SIZE_MIN ||
			    o->ring > IVMA_LOG_SIZE_MAX ||
			    (o->ring & (o->ring - 1)))
				errarg("--size: '%s': a power of two from 4K "
				       "to 64M", optarg);
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	check_budget_options(o->conf.frames, policy_arg, o->conf.refs,
			     o->swap);
	if (optind >= argc)
		errusage("no program given");
	if (!o->conf.nfiles && !o->conf.anon)
		errusage("nothing to route: give --file or --anon");
	o->argv = argv + optind;
	command_line(argc, argv, o->comment, sizeof(o->comment));
}

/* The library: $IVMA_PRELOAD, else next to the tool (the build tree),
 * else ../lib/ivma/ from it (installed). */
static char *find_preload(void)
{
	const char *env = getenv(RUN_PRELOAD_ENV);
	char exe[PATH_MAX], *dir, *path = NULL;
	const char *const rel[] = { "", "/../lib/ivma" };
	ssize_t n;
	size_t i;

	if (env && *env) {
		path = realpath(env, NULL);
		if (!path)
			err(IVMA_EXIT_FAILURE, "$%s: %s", RUN_PRELOAD_ENV, env);
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		err(IVMA_EXIT_FAILURE, "/proc/self/exe");
	exe[n] = '\0';
	dir = dirname(exe);
	for (i = 0; i < ARRAY_SIZE(rel); i++) {
		char cand[PATH_MAX + 64];

		snprintf(cand, sizeof(cand), "%s%s/" RUN_PRELOAD_NAME, dir,
			 rel[i]);
		if (access(cand, R_OK) == 0) {
			path = realpath(cand, NULL);
			if (path)
				return path;
		}
	}
	errx(IVMA_EXIT_FAILURE, "cannot find %s next to %s or in %s/../lib/"
	     "ivma (set $%s)", RUN_PRELOAD_NAME, exe, dir, RUN_PRELOAD_ENV);
}

static const char *reason_text(unsigned int reason)
{
	static const char *const text[RUNP_R_NR] = {
		[RUNP_R_SHARED_WRITE] = "a shared writable mapping: ivma's "
			"pages are copies, not the page cache, so a write(2) "
			"of the file would not be seen (--shared-write routes "
			"it)",
		[RUNP_R_NOT_REGULAR] = "not a regular file",
		[RUNP_R_PAST_EOF] = "entirely past the end of the file "
			"(native: SIGBUS on every page)",
		[RUNP_R_FLAGS] = "MAP_LOCKED, MAP_HUGETLB or MAP_GROWSDOWN, "
			"which an object's mapping cannot keep",
		[RUNP_R_REFUSED] = "the module refused the object",
		[RUNP_R_NO_READER] = "ivma run could not open its log reader",
		[RUNP_R_TABLE_FULL] = "the preload library's table of "
			"mappings is full",
		[RUNP_R_MREMAP] = "mremap grew a routed file mapping: native "
			"from then on",
		[RUNP_R_FORK] = "fork: the child's copy of routed private "
			"memory is native",
		[RUNP_R_FORK_FAILED] = "fork: no memory for the child's copy: "
			"it shares the pages with its parent",
		[RUNP_R_TOO_BIG] = "larger than the module's largest object "
			"(max_object_mb)",
	};

	return reason < RUNP_R_NR && text[reason] ? text[reason] :
	       "unknown reason";
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	return p;
}

static void origin_from_msg(struct origin *g, const struct runp_msg *m)
{
	memset(g, 0, sizeof(*g));
	g->object = m->type == RUNP_OBJECT ? m->object : 0;
	g->address = m->address;
	g->size = m->type == RUNP_OBJECT ? m->size : m->length;
	g->file_offset = m->file_offset;
	g->length = m->kind == RUNP_KIND_FILE ? m->section_len : 0;
	g->time_ns = m->time_ns;
	g->pid = m->pid;
	g->kind = m->type == RUNP_NATIVE ? ORIGIN_NATIVE :
		  m->kind == RUNP_KIND_FILE ? ORIGIN_FILE : ORIGIN_ANON;
	g->prot = (uint16_t)(((m->prot & PROT_READ) ? ORIGIN_PROT_READ : 0) |
			     ((m->prot & PROT_WRITE) ? ORIGIN_PROT_WRITE : 0) |
			     ((m->prot & PROT_EXEC) ? ORIGIN_PROT_EXEC : 0));
	g->flags = (m->flags & RUNP_F_SHARED) ? ORIGIN_F_SHARED : 0;
	g->comm = xstrdup(m->comm);
	g->program = xstrdup(m->program);
	g->path = xstrdup(m->kind == RUNP_KIND_FILE ? m->path : "");
	g->label = xstrdup(m->flags & RUNP_F_MALLOC ? "malloc" :
			   m->flags & RUNP_F_MREMAP ? "mremap" :
			   m->flags & RUNP_F_FORK ? "fork" : "mmap");
	g->note = xstrdup(m->note);
}

static void origin_copy(struct origin *d, const struct origin *g)
{
	*d = *g;
	d->comm = xstrdup(g->comm);
	d->program = xstrdup(g->program);
	d->path = xstrdup(g->path);
	d->label = xstrdup(g->label);
	d->note = xstrdup(g->note);
}

/* Keeps @g in creation order; returns its slot. */
static size_t add_origin(struct run_state *s, const struct origin *g)
{
	if (s->nord == s->cord) {
		struct origin *v = realloc(s->ord, (s->cord = 2 * s->cord + 16) *
					   sizeof(*v));

		if (!v)
			errx(IVMA_EXIT_FAILURE, "out of memory");
		s->ord = v;
	}
	origin_copy(&s->ord[s->nord], g);
	return s->nord++;
}

/* The object's origin as it is at its end (address, notes). */
static void update_origin(struct run_state *s, size_t slot,
			  const struct origin *g)
{
	origin_free(&s->ord[slot]);
	origin_copy(&s->ord[slot], g);
}

static void note_comm(struct run_state *s, uint32_t pid, uint32_t tid,
		      const char *comm)
{
	if (comm_set(&s->comms, pid, tid, comm))
		errx(IVMA_EXIT_FAILURE, "out of memory");
}

/* "the module refused the object (EPERM: Operation not permitted)" ... */
static char *native_note(const struct runp_msg *m)
{
	char *note;

	if (m->reason == RUNP_R_FORK)
		return asprintf(&note, "%s: pid %" PRIu32 " got %" PRIu64
				" pages of object %" PRIu64 " copied%s%s",
				reason_text(m->reason), m->pid, m->pages,
				m->object, m->note[0] ? "; " : "",
				m->note) < 0 ? NULL : note;
	if (asprintf(&note, "%s%s%s%s%s%s%s", reason_text(m->reason),
		     m->err ? " (" : "", m->err ? strerrorname_np(m->err) : "",
		     m->err ? ": " : "", m->err ? strerror(m->err) : "",
		     m->err ? ")" : "", m->note[0] ? "; " : "") < 0)
		return NULL;
	if (m->note[0]) {
		char *full;

		if (asprintf(&full, "%s%s", note, m->note) < 0)
			full = NULL;
		free(note);
		note = full;
	}
	return note;
}

static void handle_native(struct run_state *s, const struct runp_msg *m)
{
	char desc[ORIGIN_LINE_MAX];
	struct origin g;

	origin_from_msg(&g, m);
	free(g.note);
	g.note = native_note(m);
	if (!g.note)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	add_origin(s, &g);
	s->nnative++;
	fprintf(stderr, "ivma run: pid %" PRIu32 " (%s): %s\n", m->pid,
		m->comm, origin_describe(&g, desc, sizeof(desc)));
	origin_free(&g);
}

static int open_reader(struct run_state *s, int objfd)
{
	for (;;) {
		struct ivma_log_open req = { .flags = IVMA_LOG_NONBLOCK,
					     .size = s->ring };
		int fd = ioctl(objfd, IVMA_IOC_LOG_OPEN, &req);

		if (fd >= 0 || errno != ENOMEM || s->ring <= RUN_RING_MIN)
			return fd < 0 ? -errno : fd;
		/* RLIMIT_MEMLOCK: smaller rings for this and later objects */
		s->ring /= 2;
		fprintf(stderr, "ivma run: log rings of %" PRIu64 " KiB from "
			"now on (RLIMIT_MEMLOCK)\n", s->ring / 1024);
	}
}

static void reply(int fd, int status, uint64_t id)
{
	struct runp_reply r = { .magic = RUNP_MAGIC, .status = status,
				.object = id };

	/* the program waits for it; if it is gone, so be it (EPIPE) */
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r) && errno != EPIPE)
		warn("reply to the preload library");
}

static void handle_object(struct run_state *s, const struct runp_msg *m,
			  const int *fds, int nfds)
{
	struct ivma_info info;
	struct run_obj *ob;
	struct epoll_event ev = { .events = EPOLLIN };
	int rfd;

	if (nfds < 2 || (m->kind == RUNP_KIND_FILE && nfds < 3)) {
		warnx("a message from pid %" PRIu32 " without its fds", m->pid);
		if (nfds >= 2)
			reply(fds[1], EPROTO, 0);
		return;
	}
	memset(&info, 0, sizeof(info));
	rfd = open_reader(s, fds[0]);
	if (rfd >= 0 && ioctl(fds[0], IVMA_IOC_QUERY, &info)) {
		close(rfd);
		rfd = -errno;
	}
	if (rfd < 0) {
		reply(fds[1], -rfd, 0);
		return;		/* the library reports it as native */
	}
	ob = calloc(1, sizeof(*ob));
	if (!ob)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	ob->id = info.id;
	ob->rfd = rfd;
	ob->filefd = -1;
	origin_from_msg(&ob->origin, m);
	ob->origin.object = info.id;
	if (m->kind == RUNP_KIND_FILE) {
		ob->filefd = fcntl(fds[2], F_DUPFD_CLOEXEC, 3);
		if (ob->filefd >= 0 && fstat(ob->filefd, &ob->st0)) {
			close(ob->filefd);
			ob->filefd = -1;
		}
	}
	ev.data.ptr = ob;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, rfd, &ev))
		err(IVMA_EXIT_FAILURE, "epoll_ctl");
	s->live++;
	s->nobjects++;
	ob->slot = add_origin(s, &ob->origin);
	if (s->o->verbose || s->o->trace) {
		char desc[ORIGIN_LINE_MAX];

		fprintf(stderr, "ivma run: %s\n",
			origin_title(&ob->origin, desc, sizeof(desc)));
	}
	reply(fds[1], 0, info.id);
}

/* Reads what the library sent. */
static void drain_socket(struct run_state *s)
{
	static struct runp_msg m;

	for (;;) {
		union {
			char buf[CMSG_SPACE(4 * sizeof(int))];
			struct cmsghdr align;
		} u;
		struct iovec iov = { &m, sizeof(m) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = u.buf,
				     .msg_controllen = sizeof(u.buf) };
		struct cmsghdr *c;
		int fds[4], nfds = 0, i;
		ssize_t n;

		n = recvmsg(s->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (n < 0)
				warn("the socket of the preload library");
			epoll_ctl(s->ep, EPOLL_CTL_DEL, s->sock, NULL);
			s->sock_done = true;
			return;
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != SOL_SOCKET ||
			    c->cmsg_type != SCM_RIGHTS)
				continue;
			for (i = 0; (size_t)i < (c->cmsg_len - CMSG_LEN(0)) /
			     sizeof(int) && nfds < 4; i++)
				memcpy(&fds[nfds++], CMSG_DATA(c) +
				       (size_t)i * sizeof(int), sizeof(int));
		}
		if ((size_t)n != sizeof(m) || m.magic != RUNP_MAGIC ||
		    m.version != RUNP_VERSION || m.msg_size != sizeof(m) ||
		    (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
			warnx("a bad message from the preload library (another "
			      "version?): ignored");
		} else {
			m.comm[sizeof(m.comm) - 1] = '\0';
			m.note[sizeof(m.note) - 1] = '\0';
			m.program[sizeof(m.program) - 1] = '\0';
			m.path[sizeof(m.path) - 1] = '\0';
			note_comm(s, m.pid, m.tid, m.comm);
			if (m.type == RUNP_OBJECT)
				handle_object(s, &m, fds, nfds);
			else if (m.type == RUNP_NATIVE)
				handle_native(s, &m);
		}
		for (i = 0; i < nfds; i++)
			close(fds[i]);
	}
}

static void batch_push(struct run_state *s, const struct ivma_record *r)
{
	s->batch[s->nbatch++] = *r;
}

/* Writes out the records gathered, in time order. */
static void flush_batch(struct run_state *s)
{
	char msg[256];
	size_t i;

	qsort(s->batch, s->nbatch, sizeof(s->batch[0]), rec_cmp_time);
	for (i = 0; i < s->nbatch; i++) {
		const struct ivma_record *r = &s->batch[i];

		if (r->kind != IVMA_EV_LOST && r->pid &&
		    !comm_find(&s->comms, r->tid)) {
			char comm[COMM_LEN];

			comm_lookup_live(r->pid, r->tid, comm);
			if (!comm[0] && comm_process(&s->comms, r->pid))
				snprintf(comm, sizeof(comm), "%s",
					 comm_process(&s->comms, r->pid));
			note_comm(s, r->pid, r->tid, comm);
		}
		if (s->o->trace)
			trace_print(stderr, TRACE_TEXT, r, s->start_ns);
		if (s->capf && !s->capture_failed &&
		    cap_write(&s->w, r, msg, sizeof(msg))) {
			warnx("%s: %s", s->o->record, msg);
			s->capture_failed = true;
		}
	}
	s->nbatch = 0;
}

/* At the object's end: did its file change under the mapping? */
static void check_file(struct run_state *s, struct run_obj *ob)
{
	struct stat st;
	char desc[ORIGIN_LINE_MAX], *note;

	if (ob->filefd < 0)
		return;
	if (!fstat(ob->filefd, &st) && st.st_size == ob->st0.st_size &&
	    st.st_mtim.tv_sec == ob->st0.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == ob->st0.st_mtim.tv_nsec)
		return;
	if (asprintf(&note, "the file changed while it was mapped (size %"
		     PRIu64 " -> %" PRIu64 "%s): the object's pages are "
		     "copies taken at first touch, a native mapping would "
		     "have seen the change%s%s", (uint64_t)ob->st0.st_size,
		     (uint64_t)st.st_size, st.st_mtim.tv_sec !=
		     ob->st0.st_mtim.tv_sec || st.st_mtim.tv_nsec !=
		     ob->st0.st_mtim.tv_nsec ? ", modified" : "",
		     ob->origin.note[0] ? "; " : "", ob->origin.note) < 0)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	free(ob->origin.note);
	ob->origin.note = note;
	s->nchanged++;
	fprintf(stderr, "ivma run: %s\n", origin_describe(&ob->origin, desc,
							  sizeof(desc)));
}

static void obj_end(struct run_state *s, struct run_obj *ob)
{
	epoll_ctl(s->ep, EPOLL_CTL_DEL, ob->rfd, NULL);
	close(ob->rfd);
	check_file(s, ob);
	update_origin(s, ob->slot, &ob->origin);	/* address, notes */
	if (ob->filefd >= 0)
		close(ob->filefd);
	if (ob->lost)
		fprintf(stderr, "ivma run: object %" PRIu64 ": %" PRIu64
			" records lost (a larger --size keeps them)\n",
			ob->id, ob->lost);
	origin_free(&ob->origin);
	free(ob);
	s->live--;
}

static void drain_reader(struct run_state *s, struct run_obj *ob)
{
	struct ivma_record buf[RUN_BATCH];
	ssize_t n, i;

	for (;;) {
		if (s->nbatch + 2 * RUN_BATCH > ARRAY_SIZE(s->batch))
			flush_batch(s);
		n = read(ob->rfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (n < 0)
				warn("object %" PRIu64 ": reading its log",
				     ob->id);
			obj_end(s, ob);
			return;
		}
		for (i = 0; i < n / (ssize_t)sizeof(buf[0]); i++) {
			struct ivma_record *r = &buf[i], lost;

			/* a gap that no LOST record explains is a loss too */
			if (rec_seq_gap(&ob->next_seq, &ob->seq_known, r, &lost)) {
				lost.object = ob->id;
				ob->lost += lost.aux;
				s->nlost += lost.aux;
				batch_push(s, &lost);
			}
			if (r->kind == IVMA_EV_LOST) {
				r->object = ob->id;
				ob->lost += r->aux;
				s->nlost += r->aux;
			} else {
				ob->records++;
				s->nrecords++;
			}
			if (r->kind == IVMA_EV_MMAP && !ob->addr_known) {
				ob->addr_known = true;
				ob->origin.address = r->address;
			}
			batch_push(s, r);
		}
	}
}

static void child_exec(struct run_opts *o, int sock, const char *lib,
		       int errpipe)
{
	const char *old = getenv("LD_PRELOAD");
	char *text, *preload;
	struct stat st;
	int fd, e, base = 1000;

	/* the program gets the limit the tool was given */
	setrlimit(RLIMIT_NOFILE, &o->nofile);
	if (o->nofile.rlim_cur <= 2000)
		base = (int)o->nofile.rlim_cur / 2;
	fd = fcntl(sock, F_DUPFD, base);	/* no FD_CLOEXEC: kept */
	if (fd < 0 || fstat(fd, &st))
		goto fail;
	o->conf.sock = fd;
	o->conf.sock_ino = (uint64_t)st.st_ino;
	text = malloc(RUNC_TEXT_MAX);
	if (!text || runc_format(&o->conf, text, RUNC_TEXT_MAX) < 0) {
		errno = E2BIG;
		goto fail;
	}
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "",
		     old ? old : "") < 0)
		goto fail;
	if (setenv(RUNC_ENV, text, 1) || setenv("LD_PRELOAD", preload, 1))
		goto fail;
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	execvp(o->argv[0], o->argv);
fail:
	e = errno;
	if (write(errpipe, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

static volatile pid_t run_child_pid;

static void on_forward(int signo)
{
	if (run_child_pid > 0)
		kill(run_child_pid, signo);
}

static void start(struct run_state *s, const char *lib)
{
	struct sigaction sa;
	int sv[2], ep[2], e;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(ep, O_CLOEXEC))
		err(IVMA_EXIT_FAILURE, "socketpair");
	fflush(stdout);
	fflush(stderr);
	s->child = fork();
	if (s->child < 0)
		err(IVMA_EXIT_FAILURE, "fork");
	if (s->child == 0) {
		close(sv[0]);
		close(ep[0]);
		child_exec(s->o, sv[1], lib, ep[1]);
	}
	run_child_pid = s->child;
	close(sv[1]);
	close(ep[1]);
	s->sock = sv[0];
	do
		n = read(ep[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(ep[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(s->child, NULL, 0);
		errno = e;
		err(e == ENOENT ? 127 : 126, "%s", s->o->argv[0]);
	}
	/* ^C and ^\ are the program's; SIGTERM and SIGHUP go to it too */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_forward;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void loop(struct run_state *s)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0)
		err(IVMA_EXIT_FAILURE, "epoll_create1");
	ev.data.ptr = &s->sock;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sock, &ev))
		err(IVMA_EXIT_FAILURE, "epoll_ctl");
	s->pidfd = (int)syscall(SYS_pidfd_open, s->child, 0);
	if (s->pidfd >= 0) {
		ev.data.ptr = &s->pidfd;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->pidfd, &ev))
			err(IVMA_EXIT_FAILURE, "epoll_ctl");
	}
	while (!s->child_done || !s->sock_done || s->live) {
		struct epoll_event evs[64];
		int i, n;

		/* without a pidfd: look for the child every 100 ms */
		n = epoll_wait(s->ep, evs, 64, s->pidfd < 0 ? 100 : -1);
		if (n < 0 && errno != EINTR)
			err(IVMA_EXIT_FAILURE, "epoll_wait");
		for (i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &s->sock)
				drain_socket(s);
			else if (p != &s->pidfd)
				drain_reader(s, p);
		}
		flush_batch(s);
		if (!s->child_done &&
		    waitpid(s->child, &s->wstatus, WNOHANG) == s->child) {
			s->child_done = true;
			run_child_pid = 0;
			if (s->pidfd >= 0) {
				epoll_ctl(s->ep, EPOLL_CTL_DEL, s->pidfd, NULL);
				close(s->pidfd);
			}
		}
	}
	close(s->ep);
	close(s->sock);
}

static void open_capture(struct run_state *s)
{
	struct cap_meta m;
	char msg[256];

	if (!s->o->record)
		return;
	s->capf = fopen(s->o->record, "we");
	if (!s->capf)
		err(ivma_errno_status(errno), "%s: cannot create",
		    s->o->record);
	cap_meta_host(&m, s->o->comment);
	m.start_ns = s->start_ns;
	m.flags = CAP_FLAG_OBJECTS |
		  CAP_COMPLETE_IF(s->o->conf.refs, s->o->conf.frames,
				  s->o->conf.policy);
	if (cap_create(&s->w, s->capf, &m, msg, sizeof(msg)))
		errx(IVMA_EXIT_FAILURE, "%s: %s", s->o->record, msg);
}

static int close_capture(struct run_state *s)
{
	char msg[256];
	size_t i;
	int status = IVMA_EXIT_OK;

	for (i = 0; i < s->nord; i++) {
		if (s->capf && cap_add_origin(&s->w, &s->ord[i]))
			errx(IVMA_EXIT_FAILURE, "out of memory");
		origin_free(&s->ord[i]);
	}
	free(s->ord);
	if (!s->capf)
		return status;
	for (i = 0; i < s->comms.n; i++)
		if (cap_add_comm(&s->w, s->comms.v[i].pid, s->comms.v[i].tid,
				 s->comms.v[i].comm))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	if (s->capture_failed || cap_finish(&s->w, msg, sizeof(msg))) {
		if (!s->capture_failed)
			warnx("%s: %s", s->o->record, msg);
		status = IVMA_EXIT_FAILURE;
	}
	if (fclose(s->capf)) {
		warn("%s: write error", s->o->record);
		status = IVMA_EXIT_FAILURE;
	}
	return status;
}

/* The program's exit status, or its signal raised again. */
static int program_status(int wstatus)
{
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		sigset_t set;

		fflush(stdout);
		fflush(stderr);
		prctl(PR_SET_DUMPABLE, 0);	/* its core, not ours */
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		return 128 + sig;
	}
	return WEXITSTATUS(wstatus);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct run_state s;
	struct ivma_dev dev;
	struct ivma_api api;
	char *lib;
	int cstatus, status;
	unsigned int i;

	parse_options(argc, argv, &o);
	ivma_dev_open(&dev, ivma_device_path(ivma_global_device));
	ivma_dev_api(&dev, IVMA_FEATURE_FILE_BACKED | IVMA_FEATURE_LOG |
		     IVMA_FEATURE_PAGING, &api);
	if (o.swap)
		ivma_dev_set_swap(&dev, o.swap);
	ivma_dev_close(&dev);
	if (strlen(dev.path) >= sizeof(o.conf.device) ||
	    strchr(dev.path, '\n'))
		errarg("%s: the device path is too long", dev.path);
	snprintf(o.conf.device, sizeof(o.conf.device), "%s", dev.path);
	lib = find_preload();
	if (strpbrk(lib, ": \t\n"))
		errx(IVMA_EXIT_FAILURE, "%s: LD_PRELOAD cannot name a path "
		     "with a blank or ':' in it", lib);
	/* one reader and one file per live object */
	if (getrlimit(RLIMIT_NOFILE, &o.nofile))
		err(IVMA_EXIT_FAILURE, "getrlimit");
	if (o.nofile.rlim_cur < o.nofile.rlim_max) {
		struct rlimit up = { o.nofile.rlim_max, o.nofile.rlim_max };

		setrlimit(RLIMIT_NOFILE, &up);
	}

	memset(&s, 0, sizeof(s));
	s.o = &o;
	s.ring = o.ring;
	s.pidfd = -1;
	s.start_ns = monotonic_ns();
	open_capture(&s);
	start(&s, lib);
	loop(&s);
	flush_batch(&s);
	status = close_capture(&s);
	if (o.record || o.trace || o.verbose || s.nlost)
		fprintf(stderr, "ivma run: %" PRIu64 " object%s, %" PRIu64
			" record%s, %" PRIu64 " lost, %" PRIu64 " native "
			"mapping%s reported%s%s\n", s.nobjects,
			s.nobjects == 1 ? "" : "s", s.nrecords,
			s.nrecords == 1 ? "" : "s", s.nlost, s.nnative,
			s.nnative == 1 ? "" : "s", o.record ? "; written to " : "",
			o.record ? o.record : "");
	comm_free(&s.comms);
	for (i = 0; i < o.conf.nfiles; i++)
		free(o.patterns[i]);
	free(lib);
	cstatus = program_status(s.wstatus);
	return cstatus ? cstatus : status;
}
