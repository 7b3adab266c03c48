// SPDX-License-Identifier: GPL-2.0
/*
 * Making a mapping an ivma object: create and configure the object, hand
 * it to "ivma run" (which opens its log reader), map it, remember it.
 * A mapping that cannot be routed is reported (ivp_native()) and the
 * caller maps it natively: it never diverges without a word.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <linux/ivma.h>

#include "preload.h"
#include "sys.h"

void ivp_strlcpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	if (!n)
		return;
	while (src && src[i] && i + 1 < n) {
		dst[i] = src[i];
		i++;
	}
	dst[i] = '\0';
}

void ivp_strcat(char *dst, const char *src, size_t n)
{
	size_t len = 0;

	while (len < n && dst[len])
		len++;
	if (len < n)
		ivp_strlcpy(dst + len, src, n - len);
}

void ivp_strcat_u64(char *dst, uint64_t v, size_t n)
{
	char t[RUNC_U64_LEN];

	ivp_strcat(dst, runc_u64(v, t), n);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	if (rsys(SYS_clock_gettime, CLOCK_MONOTONIC, &ts, 0))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* the messages are large: one per thread, on no stack (the hooks run
 * with every signal blocked, so one thread never needs two) */
static __thread struct runp_msg tls_msg
	__attribute__((tls_model("initial-exec")));

struct runp_msg *ivp_msg(void)
{
	return &tls_msg;
}

void ivp_msg_init(struct runp_msg *m, unsigned int type)
{
	char *p = (char *)m;
	size_t i;

	for (i = 0; i < sizeof(*m); i++)
		p[i] = 0;
	m->magic = RUNP_MAGIC;
	m->version = RUNP_VERSION;
	m->type = (uint16_t)type;
	m->msg_size = sizeof(*m);
	m->pid = (uint32_t)sys_getpid();
	m->tid = (uint32_t)sys_gettid();
	m->time_ns = mono_ns();
	rsys(SYS_prctl, PR_GET_NAME, m->comm, 0);
	m->comm[sizeof(m->comm) - 1] = '\0';
	ivp_strlcpy(m->program, ivp_program, sizeof(m->program));
}

/* The socket to the parent, if it is still ours (not closed, not reused). */
static int parent_sock(void)
{
	struct stat st;

	if (ivp_conf.sock < 0)
		return -1;
	if (rsys(SYS_fstat, ivp_conf.sock, &st, 0) || !S_ISSOCK(st.st_mode) ||
	    (uint64_t)st.st_ino != ivp_conf.sock_ino)
		return -1;
	return ivp_conf.sock;
}

static long send_msg(int sock, struct runp_msg *m, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { 0 };
	long r;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds) {
		struct cmsghdr *c;
		size_t i;

		for (i = 0; i < sizeof(u.buf); i++)
			u.buf[i] = 0;
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		for (i = 0; i < (size_t)nfds; i++)
			((int *)CMSG_DATA(c))[i] = fds[i];
	}
	do
		r = rsys(SYS_sendmsg, sock, &mh, MSG_NOSIGNAL);
	while (r == -EINTR);
	return r < 0 ? r : 0;
}

static void write_err(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	rsys(SYS_write, 2, s, n);
}

static const char *const reason_text[RUNP_R_NR] = {
	[RUNP_R_SHARED_WRITE] = "a shared writable mapping (--shared-write)",
	[RUNP_R_NOT_REGULAR] = "not a regular file",
	[RUNP_R_PAST_EOF] = "entirely past the end of the file",
	[RUNP_R_FLAGS] = "MAP_LOCKED, MAP_HUGETLB or MAP_GROWSDOWN",
	[RUNP_R_REFUSED] = "the module refused it",
	[RUNP_R_NO_READER] = "no log reader",
	[RUNP_R_TABLE_FULL] = "the table of mappings is full",
	[RUNP_R_MREMAP] = "grown by mremap",
	[RUNP_R_FORK] = "copied at fork",
	[RUNP_R_FORK_FAILED] = "not copied at fork (no memory)",
	[RUNP_R_TOO_BIG] = "larger than the module's max_object_mb",
};

void ivp_native(struct runp_msg *m, unsigned int reason, int err)
{
	char line[512];
	int sock = parent_sock();

	m->type = RUNP_NATIVE;
	m->reason = reason;
	m->err = err;
	if (sock >= 0 && send_msg(sock, m, NULL, 0) == 0)
		return;
	/* not connected: the program's standard error is all there is */
	line[0] = '\0';
	ivp_strcat(line, "ivma-preload[", sizeof(line));
	ivp_strcat_u64(line, m->pid, sizeof(line));
	ivp_strcat(line, "]: ", sizeof(line));
	ivp_strcat(line, m->path[0] ? m->path : "anonymous", sizeof(line));
	ivp_strcat(line, ": native (not connected to ivma run): ",
		   sizeof(line));
	ivp_strcat(line, reason < RUNP_R_NR && reason_text[reason] ?
		   reason_text[reason] : "?", sizeof(line));
	if (err) {
		ivp_strcat(line, ", errno ", sizeof(line));
		ivp_strcat_u64(line, (uint64_t)err, sizeof(line));
	}
	ivp_strcat(line, "\n", sizeof(line));
	write_err(line);
}

/* Opens the device and does the handshake; the object's fd or -errno. */
static int obj_open(void)
{
	struct ivma_api api = { .api = IVMA_API_VERSION,
				.features = IVMA_FEATURE_ALL };
	int fd;
	long r;

	fd = (int)rsys(SYS_open, ivp_conf.device, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	r = rsys(SYS_ioctl, fd, IVMA_IOC_API, &api);
	if (r) {
		sys_close(fd);
		return (int)r;
	}
	__atomic_store_n(&ivp_max_size, api.max_size, __ATOMIC_RELAXED);
	return fd;
}

/* Configures, sets the budget, queries the id. 0 or -errno. */
static long obj_setup(int fd, const struct ivma_config *cfg, uint64_t *id)
{
	struct ivma_info info;
	long r;

	r = rsys(SYS_ioctl, fd, IVMA_IOC_CONFIGURE, cfg);
	if (!r && (ivp_conf.frames || ivp_conf.refs)) {
		struct ivma_budget b = { .frames = ivp_conf.frames,
					 .policy = ivp_conf.policy,
					 .flags = ivp_conf.refs ?
						  IVMA_BUDGET_REFS : 0 };

		r = rsys(SYS_ioctl, fd, IVMA_IOC_SET_BUDGET, &b);
		if (r == -ENOSPC)
			r = 0;	/* the budget is set; no page yet anyway */
	}
	if (!r)
		r = rsys(SYS_ioctl, fd, IVMA_IOC_QUERY, &info);
	if (!r)
		*id = info.id;
	return r;
}

/*
 * Hands the object to the parent and waits for its reader. 0, or -errno
 * (-ENOTCONN: no parent; the parent's errno: no reader).
 */
static long obj_register(struct runp_msg *m, int objfd, int filefd)
{
	struct runp_reply rep;
	int pfd[2], fds[3], nfds = 0, sock = parent_sock();
	size_t got = 0;
	long r;

	if (sock < 0)
		return -ENOTCONN;
	r = rsys(SYS_pipe2, pfd, O_CLOEXEC, 0);
	if (r)
		return r;
	fds[nfds++] = objfd;
	fds[nfds++] = pfd[1];
	if (filefd >= 0)
		fds[nfds++] = filefd;
	m->type = RUNP_OBJECT;
	r = send_msg(sock, m, fds, nfds);
	sys_close(pfd[1]);
	while (!r && got < sizeof(rep)) {
		long n = rsys(SYS_read, pfd[0], (char *)&rep + got,
			      sizeof(rep) - got);

		if (n == -EINTR)
			continue;
		if (n <= 0)
			r = n ? n : -ENOTCONN;	/* the parent went away */
		else
			got += (size_t)n;
	}
	sys_close(pfd[0]);
	if (r)
		return r == -EPIPE || r == -ECONNREFUSED ? -ENOTCONN : r;
	if (rep.magic != RUNP_MAGIC)
		return -EPROTO;
	return rep.status ? -(long)rep.status : 0;
}

/* the MAP_* flags that an object's mapping keeps from the program's */
#define KEEP_FLAGS	(MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_POPULATE | \
			 MAP_NORESERVE | MAP_NONBLOCK | MAP_32BIT)

/* the flags a routed mapping cannot keep */
#define NATIVE_FLAGS	(MAP_LOCKED | MAP_HUGETLB | MAP_GROWSDOWN)

/* every flag the kernel knows but MAP_SYNC and MAP_UNINITIALIZED, which
 * are for DAX files and nommu: MAP_SHARED_VALIDATE with another bit goes
 * native, which fails it as it should */
#define KNOWN_FLAGS	(MAP_TYPE | KEEP_FLAGS | NATIVE_FLAGS | MAP_STACK | \
			 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_ANONYMOUS)

static int is_fixed(int flags)
{
	return flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
}

/*
 * Maps @objfd (and, for a file mapping past its end, the file's own pages
 * after the object's) and records it, with the lock held. Returns the
 * address or -errno.
 */
static long map_locked(void *addr, size_t objsize, size_t tail, int prot,
		       int mflags, int objfd, int fd, long off,
		       struct region *r)
{
	int reserved = 0;
	long res;

	if (tail && !(mflags & MAP_FIXED)) {
		/* room for both parts, where the program wants it */
		res = sys_mmap(addr, objsize + tail, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			       (mflags & (MAP_FIXED_NOREPLACE | MAP_32BIT)),
			       -1, 0);
		if (rsys_err(res))
			return res;
		addr = (void *)res;
		reserved = 1;
		mflags = (mflags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
	}
	res = sys_mmap(addr, objsize, prot, mflags, objfd, 0);
	if (rsys_err(res)) {
		if (reserved)
			sys_munmap(addr, objsize + tail);
		return res;
	}
	if (tail) {
		long t = sys_mmap((char *)res + objsize, tail, prot,
				  (mflags & ~(MAP_FIXED_NOREPLACE | MAP_TYPE)) |
				  MAP_FIXED | (r->flags & REG_SHARED ?
					       MAP_SHARED : MAP_PRIVATE),
				  fd, off + (long)objsize);

		if (rsys_err(t)) {
			sys_munmap((void *)res, objsize + tail);
			return t;
		}
	}
	r->start = (uintptr_t)res;
	r->end = r->start + objsize;
	if (is_fixed(mflags))	/* whatever was there is gone */
		reg_remove(r->start, r->end + tail);
	if (reg_insert(r)) {
		sys_munmap((void *)res, objsize + tail);
		return -ENOSPC;
	}
	if (tail) {
		struct region t = { .start = r->end, .end = r->end + tail,
				    .file_off = (uint64_t)off + objsize,
				    .flags = REG_TAIL | (r->flags & REG_SHARED),
				    .file = r->file };

		if (t.file >= 0)
			rfile_ref(t.file);
		if (reg_insert(&t) && t.file >= 0)
			rfile_put(t.file);
	}
	return res;
}

int route_file(void *addr, size_t len, int prot, int flags, int fd,
	       long off, long *res)
{
	struct runp_msg *m = &tls_msg;
	int type = flags & MAP_TYPE, shared, acc, cfgfd = fd, objfd;
	struct ivma_config cfg = { 0 };
	struct region reg = { .file = -1 };
	char link[32] = "/proc/self/fd/";
	uint64_t size, id = 0;
	struct stat st;
	size_t objsize, tail;
	sigset_t old;
	long r, fl;

	if (!ivp_conf.nfiles || len == 0 || off < 0 ||
	    ((uintptr_t)off & (ivp_page - 1)) || (prot & ~(PROT_READ |
	    PROT_WRITE | PROT_EXEC)))
		return 0;	/* native: it gives the error, if any */
	if (rsys(SYS_fstat, fd, &st, 0))
		return 0;
	ivp_msg_init(m, RUNP_NATIVE);
	ivp_strcat_u64(link, (uint64_t)fd, sizeof(link));
	r = rsys(SYS_readlink, link, m->path, sizeof(m->path) - 1);
	if (r <= 0)
		return 0;
	m->path[r] = '\0';
	{
		unsigned int i;
		int hit = 0;

		for (i = 0; i < ivp_conf.nfiles && !hit; i++)
			hit = runc_match(ivp_conf.files[i], m->path);
		if (!hit)
			return 0;
	}
	m->kind = RUNP_KIND_FILE;
	m->prot = (uint32_t)prot;
	m->mflags = (uint32_t)flags;
	m->address = (uint64_t)(uintptr_t)addr;
	m->length = len;
	m->file_offset = (uint64_t)off;
	m->section_len = len;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return 0;
	if (type == MAP_SHARED_VALIDATE && (flags & ~KNOWN_FLAGS))
		return 0;
	shared = type != MAP_PRIVATE;
	if (shared)
		m->flags |= RUNP_F_SHARED;
	if (!S_ISREG(st.st_mode)) {
		ivp_native(m, RUNP_R_NOT_REGULAR, 0);
		return 0;
	}
	fl = rsys(SYS_fcntl, fd, F_GETFL, 0);
	if (fl < 0)
		return 0;
	acc = (int)fl & O_ACCMODE;
	if (acc == O_WRONLY || (fl & O_PATH) ||
	    (shared && (prot & PROT_WRITE) && acc != O_RDWR))
		return 0;	/* native: EACCES */
	if (flags & NATIVE_FLAGS) {
		ivp_native(m, RUNP_R_FLAGS, 0);
		return 0;
	}
	if (shared && (prot & PROT_WRITE) && !ivp_conf.shared_write) {
		ivp_native(m, RUNP_R_SHARED_WRITE, 0);
		return 0;
	}
	size = (uint64_t)st.st_size;
	if ((uint64_t)off >= size) {
		ivp_native(m, RUNP_R_PAST_EOF, 0);
		return 0;
	}
	cfg.section_len = size - (uint64_t)off < len ? size - (uint64_t)off
						     : len;
	objsize = ivp_round_up((uintptr_t)cfg.section_len);
	tail = ivp_round_up(len) - objsize;
	cfg.size = objsize;
	cfg.flags = IVMA_CONFIG_FILE;
	cfg.file_offset = (uint64_t)off;
	m->size = objsize;
	m->section_len = cfg.section_len;

	/* a shared read-only mapping must not become writable by mprotect:
	 * the object gets a read-only open file of its own */
	if (shared && !ivp_conf.shared_write && acc == O_RDWR) {
		cfgfd = (int)rsys(SYS_open, link, O_RDONLY | O_CLOEXEC, 0);
		if (cfgfd < 0) {
			ivp_native(m, RUNP_R_REFUSED, -cfgfd);
			return 0;
		}
	}
	cfg.fd = cfgfd;
	objfd = obj_open();
	r = objfd < 0 ? objfd : obj_setup(objfd, &cfg, &id);
	if (cfgfd != fd)
		sys_close(cfgfd);
	if (r) {
		if (objfd >= 0)
			sys_close(objfd);
		ivp_native(m, r == -EINVAL && ivp_max_size &&
			   objsize > ivp_max_size ? RUNP_R_TOO_BIG :
			   RUNP_R_REFUSED, (int)-r);
		return 0;
	}
	m->object = id;
	r = obj_register(m, objfd, fd);
	if (r) {
		sys_close(objfd);
		ivp_native(m, RUNP_R_NO_READER, (int)-r);
		return 0;
	}
	reg.obj = id;
	reg.file_off = (uint64_t)off;
	reg.flags = REG_FILE | (shared ? REG_SHARED : 0) |
		    (shared && ivp_conf.shared_write ? REG_SHWRITE : 0);
	reg_lock(&old);
	reg.file = rfile_add(fd);
	r = map_locked(addr, objsize, tail, prot,
		       (flags & KEEP_FLAGS) | (shared ? MAP_SHARED :
					       MAP_PRIVATE),
		       objfd, fd, off, &reg);
	if (rsys_err(r) && reg.file >= 0)
		rfile_put(reg.file);
	reg_unlock(&old);
	sys_close(objfd);
	if (rsys_err(r)) {
		m->object = id;
		ivp_native(m, r == -ENOSPC ? RUNP_R_TABLE_FULL : RUNP_R_REFUSED,
			   (int)-r);
		return 0;
	}
	*res = r;
	return 1;
}

int route_anon(void *addr, size_t len, int prot, int flags,
	       uint32_t rflags, long *res)
{
	struct runp_msg *m = &tls_msg;
	int type = flags & MAP_TYPE, objfd;
	struct ivma_config cfg = { .fd = -1 };
	struct region reg = { .file = -1 };
	uint64_t id = 0, max;
	sigset_t old;
	long r;

	if (len == 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) ||
	    (type != MAP_SHARED && type != MAP_PRIVATE))
		return 0;
	ivp_msg_init(m, RUNP_NATIVE);
	m->kind = RUNP_KIND_ANON;
	m->prot = (uint32_t)prot;
	m->mflags = (uint32_t)flags;
	m->address = (uint64_t)(uintptr_t)addr;
	m->length = len;
	m->flags = rflags | (type == MAP_SHARED ? RUNP_F_SHARED : 0);
	cfg.size = ivp_round_up(len);
	m->size = cfg.size;
	if (flags & NATIVE_FLAGS) {
		ivp_native(m, RUNP_R_FLAGS, 0);
		return 0;
	}
	max = __atomic_load_n(&ivp_max_size, __ATOMIC_RELAXED);
	if (max && cfg.size > max) {
		ivp_native(m, RUNP_R_TOO_BIG, 0);
		return 0;
	}
	objfd = obj_open();
	r = objfd < 0 ? objfd : obj_setup(objfd, &cfg, &id);
	if (r) {
		if (objfd >= 0)
			sys_close(objfd);
		max = __atomic_load_n(&ivp_max_size, __ATOMIC_RELAXED);
		ivp_native(m, max && cfg.size > max ? RUNP_R_TOO_BIG :
			   RUNP_R_REFUSED, (int)-r);
		return 0;
	}
	m->object = id;
	r = obj_register(m, objfd, -1);
	if (r) {
		sys_close(objfd);
		ivp_native(m, RUNP_R_NO_READER, (int)-r);
		return 0;
	}
	reg.obj = id;
	reg.flags = REG_ANON | (type == MAP_SHARED ? REG_SHARED : 0) |
		    (rflags & RUNP_F_MALLOC ? REG_MALLOC : 0);
	reg_lock(&old);
	/* shared, so that the object's pages are the memory and its budget
	 * applies; fork copies private memory (fork.c) */
	r = map_locked(addr, cfg.size, 0, prot,
		       (flags & KEEP_FLAGS) | MAP_SHARED, objfd, -1, 0, &reg);
	reg_unlock(&old);
	sys_close(objfd);
	if (rsys_err(r)) {
		ivp_native(m, r == -ENOSPC ? RUNP_R_TABLE_FULL : RUNP_R_REFUSED,
			   (int)-r);
		return 0;
	}
	*res = r;
	return 1;
}
