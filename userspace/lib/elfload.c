// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space ELF loader: files, address ranges, the hand-over.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/prctl.h>

#include "elfload.h"

/* Reads @len bytes at @off; 0, or -1 with errno (EIO: a short read). */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static int sys_failed(char *err, size_t errsz, const char *what)
{
	snprintf(err, errsz, "%s: %s", what, strerror(errno));
	return ELF_ERR_SYS;
}

static int bad(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return ELF_ERR_BAD;
}

/* What execve(2) checks of the file itself. */
static int check_file(int fd, const char *path, struct stat *st, char *err,
		      size_t errsz)
{
	struct statvfs vfs;

	if (fstat(fd, st))
		return sys_failed(err, errsz, "stat failed");
	if (!S_ISREG(st->st_mode))
		return bad(err, errsz, S_ISDIR(st->st_mode) ?
			   "is a directory, not a program" :
			   "not a regular file");
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS)) {
		if (errno == EACCES)
			return bad(err, errsz, "permission denied: no "
				   "execute permission");
		return sys_failed(err, errsz, "access failed");
	}
	if (!fstatvfs(fd, &vfs) && (vfs.f_flag & ST_NOEXEC))
		return bad(err, errsz, "permission denied: on a file system "
			   "mounted noexec");
	return 0;
}

int elf_file_open(struct elf_file *f, const char *path, uint64_t page_size,
		  char *err, size_t errsz)
{
	unsigned char ehdr[ELF_EHDR_SIZE], *ph = NULL;
	struct stat st;
	size_t len, phlen;
	ssize_t n;
	int rc;

	memset(f, 0, sizeof(*f));
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP ||
		    errno == ENAMETOOLONG || errno == EACCES) {
			snprintf(err, errsz, "cannot open: %s",
				 strerror(errno));
			return ELF_ERR_BAD;
		}
		return sys_failed(err, errsz, "cannot open");
	}
	f->path = strdup(path);
	if (!f->path) {
		rc = sys_failed(err, errsz, "out of memory");
		goto fail;
	}
	rc = check_file(f->fd, path, &st, err, errsz);
	if (rc)
		goto fail;
	f->size = (uint64_t)st.st_size;
	do {
		n = pread(f->fd, ehdr, sizeof(ehdr), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		rc = sys_failed(err, errsz, "read error");
		goto fail;
	}
	len = (size_t)n;
	rc = ELF_ERR_BAD;
	if (elf_parse_header(ehdr, len, f->size, &f->img, err, errsz))
		goto fail;
	phlen = (size_t)f->img.phnum * ELF_PHDR_SIZE;
	ph = malloc(phlen);
	if (!ph) {
		rc = sys_failed(err, errsz, "out of memory");
		goto fail;
	}
	if (read_at(f->fd, ph, phlen, f->img.phoff)) {
		rc = sys_failed(err, errsz, "read error");
		goto fail;
	}
	if (elf_parse_phdrs(&f->img, ph, phlen, f->size, page_size, err,
			    errsz))
		goto fail;
	if (f->img.has_interp) {
		if (read_at(f->fd, f->interp, f->img.interp_len,
			    f->img.interp_offset)) {
			rc = sys_failed(err, errsz, "read error");
			goto fail;
		}
		if (elf_check_interp(f->interp, f->img.interp_len, err, errsz))
			goto fail;
	}
	free(ph);
	return 0;
fail:
	free(ph);
	elf_file_close(f);
	return rc;
}

void elf_file_close(struct elf_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->path);
	f->path = NULL;
}

static bool executable_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) &&
	       !faccessat(AT_FDCWD, path, X_OK, AT_EACCESS);
}

char *elf_find_program(const char *name, char *err, size_t errsz)
{
	const char *path = getenv("PATH"), *p;
	bool seen = false;
	char *found = NULL;

	if (!*name) {
		snprintf(err, errsz, "an empty program name");
		return NULL;
	}
	if (strchr(name, '/'))
		return strdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; ) {
		size_t len = strcspn(p, ":");
		char *cand = NULL;

		/* an empty entry is the current directory */
		if (asprintf(&cand, "%.*s%s%s", (int)len, p, len ? "/" : "",
			     name) < 0) {
			snprintf(err, errsz, "out of memory");
			return NULL;
		}
		if (executable_file(cand)) {
			found = cand;
			break;
		}
		if (!access(cand, F_OK))
			seen = true;
		free(cand);
		p += len;
		if (!*p)
			break;
		p++;
	}
	if (!found)
		snprintf(err, errsz, seen ? "permission denied: no executable "
			 "file of that name in PATH" : "command not found in "
			 "PATH");
	return found;
}

size_t elf_self_auxv(struct elf_auxv *v, size_t max)
{
	uint64_t e[2];
	size_t n = 0;
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (n < max && read(fd, e, sizeof(e)) == sizeof(e) &&
	       e[0] != AT_NULL) {
		v[n].type = e[0];
		v[n++].value = e[1];
	}
	close(fd);
	return n;
}

int elf_seg_prot(const struct elf_seg *s)
{
	return ((s->flags & PF_R) ? PROT_READ : 0) |
	       ((s->flags & PF_W) ? PROT_WRITE : 0) |
	       ((s->flags & PF_X) ? PROT_EXEC : 0);
}

#define RESERVE_FLAGS	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)

static int reserve_fixed(const struct elf_image *img, char *err,
			 size_t errsz)
{
	uint64_t len = img->hi - img->lo;
	void *p = mmap((void *)(uintptr_t)img->lo, len, PROT_NONE,
		       RESERVE_FLAGS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		if (errno == EEXIST)
			snprintf(err, errsz, "its fixed addresses [0x%" PRIx64
				 ", 0x%" PRIx64 ") collide with a mapping of "
				 "ivma itself", img->lo, img->hi);
		else if (errno == EPERM)
			snprintf(err, errsz, "its fixed addresses [0x%" PRIx64
				 ", 0x%" PRIx64 ") start below vm.mmap_min_addr",
				 img->lo, img->hi);
		else
			return sys_failed(err, errsz, "cannot reserve its "
					  "address range");
		return ELF_ERR_BAD;
	}
	if ((uintptr_t)p != img->lo) {
		/* a kernel without MAP_FIXED_NOREPLACE takes it as a hint */
		munmap(p, len);
		snprintf(err, errsz, "its fixed addresses [0x%" PRIx64 ", 0x%"
			 PRIx64 ") are not free", img->lo, img->hi);
		return ELF_ERR_BAD;
	}
	return 0;
}

int elf_reserve(const struct elf_image *img, uint64_t page_size,
		uint64_t hint, uint64_t *bias, char *err, size_t errsz)
{
	uint64_t len = img->hi - img->lo, align = img->max_align, base;
	uint64_t slack;
	char *p;

	*bias = 0;
	if (img->type == ET_EXEC)
		return reserve_fixed(img, err, errsz);
	if (align < page_size)
		align = page_size;
	if (hint) {
		hint = (hint + align - 1) & ~(align - 1);
		p = mmap((void *)(uintptr_t)hint, len, PROT_NONE,
			 RESERVE_FLAGS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED && (uintptr_t)p == hint) {
			*bias = hint - img->lo;
			return 0;
		}
		if (p != MAP_FAILED)
			munmap(p, len);
	}
	slack = align - page_size;
	p = mmap(NULL, len + slack, PROT_NONE, RESERVE_FLAGS, -1, 0);
	if (p == MAP_FAILED)
		return sys_failed(err, errsz, "cannot reserve an address range");
	base = ((uintptr_t)p + align - 1) & ~(align - 1);
	if (base > (uintptr_t)p)
		munmap(p, base - (uintptr_t)p);
	if ((uintptr_t)p + len + slack > base + len)
		munmap((void *)(uintptr_t)(base + len),
		       (uintptr_t)p + len + slack - (base + len));
	*bias = base - img->lo;
	return 0;
}

void elf_unreserve(const struct elf_image *img, uint64_t page_size,
		   uint64_t bias)
{
	(void)page_size;
	munmap((void *)(uintptr_t)(img->lo + bias), img->hi - img->lo);
}

void elf_unmap_holes(const struct elf_image *img, uint64_t page_size,
		     uint64_t bias)
{
	size_t i;

	for (i = 0; i + 1 < img->nseg; i++) {
		uint64_t end = elf_seg_end(&img->seg[i], page_size);
		uint64_t next = elf_seg_start(&img->seg[i + 1], page_size);

		if (next > end)
			munmap((void *)(uintptr_t)(end + bias), next - end);
	}
}

/* Closes every descriptor marked close-on-exec, as execve does. */
static void close_cloexec(void)
{
	int fds[1024], n = 0, i, fd;
	DIR *d = opendir("/proc/self/fd");

	if (d) {
		struct dirent *e;
		int dfd = dirfd(d);

		while ((e = readdir(d)) && n < (int)ARRAY_SIZE(fds)) {
			char *end;
			long v = strtol(e->d_name, &end, 10);

			if (*end || end == e->d_name || v == dfd)
				continue;
			fds[n++] = (int)v;
		}
		closedir(d);
		for (i = 0; i < n; i++) {
			int fl = fcntl(fds[i], F_GETFD);

			if (fl >= 0 && (fl & FD_CLOEXEC))
				close(fds[i]);
		}
		if (n < (int)ARRAY_SIZE(fds))
			return;
	}
	/* no /proc, or very many descriptors: try each */
	for (fd = 3; fd < 65536; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0 && (fl & FD_CLOEXEC))
			close(fd);
	}
}

/* Signals that ivma catches go back to their default, as on execve. */
static void reset_signals(void)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (sigaction(sig, NULL, &sa) || sa.sa_handler == SIG_DFL ||
		    sa.sa_handler == SIG_IGN)
			continue;
		signal(sig, SIG_DFL);
	}
}

/* The kernel writes into a registered rseq area: ivma's goes. */
static void unregister_rseq(void)
{
	unsigned int size = __rseq_size < 32 ? 32 : __rseq_size;
	char *tp;

	if (!__rseq_size)
		return;
	__asm__ ("mov %%fs:0, %0" : "=r" (tp));
	syscall(SYS_rseq, tp + __rseq_offset, size, 1 /* UNREGISTER */,
		0x53053053 /* RSEQ_SIG of x86 */);
}

static void set_mm(const struct elf_handover *h)
{
	uint64_t a = h->stack.arg_start, len = h->stack.env_end - a, d = 0;
	struct prctl_mm_map m;
	void *copy;

	/*
	 * /proc/PID/cmdline and environ read only anonymous memory
	 * (FOLL_ANON), and the stack is an ivma object: they show a copy.
	 */
	copy = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (copy != MAP_FAILED) {
		memcpy(copy, (const void *)(uintptr_t)a, len);
		d = (uintptr_t)copy - a;
	}
	m = (struct prctl_mm_map){
		.start_code = h->start_code,
		.end_code = h->end_code,
		.start_data = h->start_data,
		.end_data = h->end_data,
		.start_brk = h->start_brk,
		.brk = h->start_brk,
		.start_stack = h->stack.sp,
		.arg_start = h->stack.arg_start + d,
		.arg_end = h->stack.arg_end + d,
		.env_start = h->stack.env_start + d,
		.env_end = h->stack.env_end + d,
		.auxv = (__u64 *)(uintptr_t)h->stack.auxv,
		.auxv_size = (uint32_t)h->stack.auxv_size,
		.exe_fd = (uint32_t)-1,
	};

	/* not fatal: without it brk stays past ivma, /proc shows ivma's */
	prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&m, sizeof(m), 0);
}

/*
 * The last steps run from a page of their own, so that they can unmap
 * ivma's executable (Linux lets /proc/PID/exe change only once the old
 * file is no longer mapped): unmap the ranges, PR_SET_MM_EXE_FILE, close
 * the file, clear the FS base (the program sets its own), set the stack
 * pointer, clear the registers (%rdx: no function for atexit(), as the
 * ABI wants) and jump. %rdi points at struct tramp_args.
 */
struct tramp_args {
	uint64_t nranges;
	int64_t exe_fd;		/* -1: none */
	uint64_t sp, entry;
	uint64_t range[][2];	/* start, length */
};

#define TRAMP_ARGS	2048	/* where the arguments go in the page */

extern const char ivma_tramp_start[], ivma_tramp_end[];
__asm__(
	".pushsection .text\n"
	".type ivma_tramp_start, @function\n"
	"ivma_tramp_start:\n\t"
	"mov %rdi, %rbx\n\t"
	"mov 0(%rbx), %r12\n\t"
	"lea 32(%rbx), %r13\n"
	"1:\n\t"
	"test %r12, %r12\n\t"
	"jz 2f\n\t"
	"mov $11, %eax\n\t"			/* munmap */
	"mov 0(%r13), %rdi\n\t"
	"mov 8(%r13), %rsi\n\t"
	"syscall\n\t"
	"add $16, %r13\n\t"
	"dec %r12\n\t"
	"jmp 1b\n"
	"2:\n\t"
	"mov 8(%rbx), %rdx\n\t"
	"test %rdx, %rdx\n\t"
	"js 3f\n\t"
	"mov $157, %eax\n\t"			/* prctl */
	"mov $35, %edi\n\t"			/* PR_SET_MM */
	"mov $13, %esi\n\t"			/* PR_SET_MM_EXE_FILE */
	"xor %r10d, %r10d\n\t"
	"xor %r8d, %r8d\n\t"
	"syscall\n\t"
	"mov $3, %eax\n\t"			/* close */
	"mov 8(%rbx), %rdi\n\t"
	"syscall\n"
	"3:\n\t"
	"mov $158, %eax\n\t"			/* arch_prctl */
	"mov $0x1002, %edi\n\t"		/* ARCH_SET_FS */
	"xor %esi, %esi\n\t"
	"syscall\n\t"
	"mov 16(%rbx), %rsp\n\t"
	"push 24(%rbx)\n\t"			/* ret pops it */
	"xor %eax, %eax\n\t"
	"xor %ebx, %ebx\n\t"
	"xor %ecx, %ecx\n\t"
	"xor %edx, %edx\n\t"
	"xor %esi, %esi\n\t"
	"xor %edi, %edi\n\t"
	"xor %ebp, %ebp\n\t"
	"xor %r8d, %r8d\n\t"
	"xor %r9d, %r9d\n\t"
	"xor %r10d, %r10d\n\t"
	"xor %r11d, %r11d\n\t"
	"xor %r12d, %r12d\n\t"
	"xor %r13d, %r13d\n\t"
	"xor %r14d, %r14d\n\t"
	"xor %r15d, %r15d\n\t"
	"cld\n\t"
	"ret\n"
	"ivma_tramp_end:\n"
	".size ivma_tramp_start, ivma_tramp_end - ivma_tramp_start\n"
	".popsection\n");

/* The mappings of ivma's own executable, into @t (as many as fit). */
static void own_mappings(struct tramp_args *t, size_t max)
{
	char exe[PATH_MAX], line[PATH_MAX + 128];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;

	t->nranges = 0;
	if (n <= 0)
		return;
	exe[n] = '\0';
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && t->nranges < max) {
		unsigned long lo, hi;
		int pos = 0;
		char *path;
		size_t len;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi,
			   &pos) < 2 || !pos)
			continue;
		path = line + pos;
		len = strlen(path);
		if (len && path[len - 1] == '\n')
			path[--len] = '\0';
		if (strcmp(path, exe) != 0)
			continue;
		t->range[t->nranges][0] = lo;
		t->range[t->nranges][1] = hi - lo;
		t->nranges++;
	}
	fclose(f);
}

void elf_handover(const struct elf_handover *h)
{
	size_t code = (size_t)(ivma_tramp_end - ivma_tramp_start);
	long psz = sysconf(_SC_PAGESIZE);
	struct tramp_args *t;
	char *page;

	fflush(NULL);
	close_cloexec();
	prctl(PR_SET_NAME, (unsigned long)h->comm, 0, 0, 0);
	reset_signals();
	page = mmap(NULL, (size_t)psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || code > TRAMP_ARGS) {
		fprintf(stderr, "ivma: cannot map the start-up page: %s\n",
			strerror(errno));
		_exit(IVMA_EXIT_FAILURE);
	}
	memcpy(page, ivma_tramp_start, code);
	t = (struct tramp_args *)(page + TRAMP_ARGS);
	own_mappings(t, ((size_t)psz - TRAMP_ARGS - sizeof(*t)) /
			sizeof(t->range[0]));
	t->exe_fd = h->exe_path ? open(h->exe_path, O_RDONLY | O_CLOEXEC) : -1;
	t->sp = h->stack.sp;
	t->entry = h->entry;
	if (mprotect(page, (size_t)psz, PROT_READ | PROT_EXEC)) {
		fprintf(stderr, "ivma: cannot map the start-up page: %s\n",
			strerror(errno));
		_exit(IVMA_EXIT_FAILURE);
	}
	unregister_rseq();
	/*
	 * No C library call after this: brk moves (ivma's malloc would
	 * extend a heap that is no longer the process's), then the page
	 * unmaps ivma and clears its thread pointer.
	 */
	if (h->set_mm)
		set_mm(h);
	((void (*)(struct tramp_args *))(void *)page)(t);
	__builtin_unreachable();
}
