/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small program that run_test runs under "ivma run": the test binary
 * itself, started as "run_test prog MODE ARGS...". Each mode does one kind
 * of mapping with the plain libc calls a program would make and prints
 * what it saw, one "key value" per line; the test checks that output
 * against what native semantics say and the capture against what the
 * module reported. Exit status 0, or 1 with a "fail ..." line.
 */
#ifndef IVMA_RUN_PROG_H
#define IVMA_RUN_PROG_H

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* The byte at offset @off of a test data file (run_test makes them). */
static inline unsigned char rp_byte(uint64_t off)
{
	return (unsigned char)('A' + (off / 4096) % 26 + (off % 7));
}

static long rp_psz;

#define RP_FAIL(...) do { printf("fail " __VA_ARGS__); putchar('\n'); \
			  return 1; } while (0)

static sigjmp_buf rp_jmp;
static volatile int rp_signo;

static void rp_on_fault(int sig)
{
	rp_signo = sig;
	siglongjmp(rp_jmp, 1);
}

/* Reads byte @off of @p: its value, or -SIGBUS / -SIGSEGV. */
static int rp_probe(volatile unsigned char *p, size_t off)
{
	struct sigaction sa = { .sa_handler = rp_on_fault }, obus, osegv;
	int v;

	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	if (sigsetjmp(rp_jmp, 1))
		v = -rp_signo;
	else
		v = p[off];
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return v;
}

static void *rp_map_file(const char *path, size_t len, int prot, int flags,
			 off_t off, int oflags)
{
	int fd = open(path, oflags);
	void *p;

	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, len, prot, flags, fd, off);
	close(fd);
	return p;
}

/* touch FILE PAGE...: a private read-only mapping of the whole file */
static int rp_touch(int argc, char **argv)
{
	struct stat st;
	unsigned char *p;
	unsigned long sum = 0;
	int i;

	if (stat(argv[0], &st))
		RP_FAIL("stat");
	p = rp_map_file(argv[0], (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			0, O_RDONLY);
	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 1; i < argc; i++) {
		size_t off = (size_t)atol(argv[i]) * (size_t)rp_psz;

		if (p[off] != rp_byte(off))
			RP_FAIL("page %s has %d", argv[i], p[off]);
		sum += p[off];
	}
	printf("sum %lu\n", sum);
	return munmap(p, (size_t)st.st_size) ? 1 : 0;
}

/* offset FILE PAGE NPAGES: a mapping of a section */
static int rp_offset(char **argv)
{
	size_t first = (size_t)atol(argv[1]), n = (size_t)atol(argv[2]), i;
	unsigned char *p = rp_map_file(argv[0], n * rp_psz, PROT_READ,
				       MAP_SHARED, first * rp_psz, O_RDONLY);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < n; i++)
		if (p[i * rp_psz] != rp_byte((first + i) * rp_psz))
			RP_FAIL("page %zu", i);
	printf("ok %zu\n", n);
	return 0;
}

/* sharedw FILE: writes page 0 through a shared mapping, then read(2) */
static int rp_sharedw(char **argv)
{
	int fd = open(argv[0], O_RDWR);
	char buf[16] = "";
	char *p;

	if (fd < 0)
		RP_FAIL("open");
	p = mmap(NULL, 4 * rp_psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	memcpy(p, "written", 7);
	if (pread(fd, buf, 7, 0) != 7)
		RP_FAIL("pread");
	printf("read(2) right after %s\n", memcmp(buf, "written", 7) ?
	       "stale" : "coherent");
	if (msync(p, 4 * rp_psz, MS_ASYNC))
		RP_FAIL("msync %d", errno);
	if (pread(fd, buf, 7, 0) != 7)
		RP_FAIL("pread");
	printf("read(2) after MS_ASYNC %s\n", memcmp(buf, "written", 7) ?
	       "stale" : "coherent");
	munmap(p, 4 * rp_psz);
	close(fd);
	return 0;
}

/* eof FILE NPAGES: every page of a mapping longer than the file */
static int rp_eof(char **argv)
{
	size_t n = (size_t)atol(argv[1]), i;
	unsigned char *p = rp_map_file(argv[0], n * rp_psz, PROT_READ,
				       MAP_PRIVATE, 0, O_RDONLY);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < n; i++) {
		int v = rp_probe(p, i * rp_psz + rp_psz - 1);

		if (v == -SIGBUS)
			printf("page %zu SIGBUS\n", i);
		else if (v < 0)
			printf("page %zu signal %d\n", i, -v);
		else
			printf("page %zu last byte %d\n", i, v);
	}
	return 0;
}

/* devzero: the chosen path is a character device */
static int rp_devzero(void)
{
	unsigned char *p = rp_map_file("/dev/zero", 4 * rp_psz,
				       PROT_READ | PROT_WRITE, MAP_PRIVATE, 0,
				       O_RDWR);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	p[0] = 1;
	printf("zero %d %d\n", p[0], p[rp_psz]);
	return 0;
}

/* fixed FILE: MAP_FIXED over the middle of a reservation */
static int rp_fixed(char **argv)
{
	unsigned char *res, *p;
	int fd = open(argv[0], O_RDONLY);

	res = mmap(NULL, 8 * rp_psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (fd < 0 || res == MAP_FAILED)
		RP_FAIL("setup");
	p = mmap(res + 2 * rp_psz, 3 * rp_psz, PROT_READ,
		 MAP_PRIVATE | MAP_FIXED, fd, rp_psz);
	if (p != res + 2 * rp_psz)
		RP_FAIL("fixed at %p, not %p", (void *)p, (void *)(res + 2 * rp_psz));
	printf("byte %d\n", p[rp_psz] == rp_byte(2 * rp_psz));
	printf("address %#lx\n", (unsigned long)p);
	printf("before %d\n", rp_probe(res, rp_psz));
	printf("after %d\n", rp_probe(res, 5 * rp_psz));
	return 0;
}

/* populate FILE NPAGES: MAP_POPULATE, nothing touched afterwards */
static int rp_populate(char **argv)
{
	void *p = rp_map_file(argv[0], (size_t)atol(argv[1]) * rp_psz,
			      PROT_READ, MAP_SHARED | MAP_POPULATE, 0, O_RDONLY);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	printf("populated\n");
	return 0;
}

/* noreserve FILE: a private writable MAP_NORESERVE mapping: copy-on-write */
static int rp_noreserve(char **argv)
{
	unsigned char *p = rp_map_file(argv[0], 2 * rp_psz,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_NORESERVE, 0, O_RDONLY);
	unsigned char *q;

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	p[0] = '!';
	q = rp_map_file(argv[0], rp_psz, PROT_READ, MAP_PRIVATE, 0, O_RDONLY);
	if (q == MAP_FAILED)
		RP_FAIL("mmap 2");
	printf("mine %c file %d\n", p[0], q[0] == rp_byte(0));
	return 0;
}

static int rp_check_pages(const unsigned char *p, size_t first, size_t n,
			  size_t file_first)
{
	size_t i;

	for (i = first; i < first + n; i++)
		if (p[i * rp_psz] != rp_byte((file_first + i) * rp_psz))
			return -1 - (int)i;
	return 0;
}

/* mremap-shrink FILE, mremap-move FILE, mremap-grow-file FILE */
static int rp_mremap_file(const char *mode, char **argv)
{
	unsigned char *p, *q;
	size_t i;

	if (!strcmp(mode, "mremap-grow-file")) {
		p = rp_map_file(argv[0], 2 * rp_psz, PROT_READ | PROT_WRITE,
				MAP_PRIVATE, 0, O_RDONLY);
		if (p == MAP_FAILED)
			RP_FAIL("mmap %d", errno);
		p[1] = '!';		/* a private change to keep */
		q = mremap(p, 2 * rp_psz, 6 * rp_psz, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			RP_FAIL("mremap %d", errno);
		printf("kept %c\n", q[1]);
		printf("pages %d\n", rp_check_pages(q, 2, 4, 0));
		q[5 * rp_psz] = 'x';
		return munmap(q, 6 * rp_psz) ? 1 : 0;
	}
	p = rp_map_file(argv[0], 8 * rp_psz, PROT_READ, MAP_PRIVATE, 0,
			O_RDONLY);
	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < 8; i++)
		(void)*(volatile unsigned char *)(p + i * rp_psz);
	if (!strcmp(mode, "mremap-shrink")) {
		q = mremap(p, 8 * rp_psz, 4 * rp_psz, 0);
		if (q != p)
			RP_FAIL("mremap %d", errno);
		printf("pages %d\n", rp_check_pages(q, 0, 4, 0));
		printf("gone %d\n", rp_probe(p, 4 * rp_psz));
		return 0;
	}
	/* move: to a place we reserve */
	q = mmap(NULL, 8 * rp_psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	q = mremap(p, 8 * rp_psz, 8 * rp_psz, MREMAP_MAYMOVE | MREMAP_FIXED,
		   q);
	if (q == MAP_FAILED)
		RP_FAIL("mremap %d", errno);
	printf("pages %d\n", rp_check_pages(q, 0, 8, 0));
	printf("old %d\n", rp_probe(p, 0));
	printf("address %#lx\n", (unsigned long)q);
	return 0;
}

/* mremap-grow-anon SIZE: grow an anonymous mapping, data kept */
static int rp_mremap_anon(char **argv)
{
	size_t len = (size_t)atol(argv[0]), i;
	unsigned char *p, *q, *b;
	int z = open("/dev/zero", O_RDONLY);

	/* room after it: a reservation that is not anonymous (not routed),
	 * its end given back */
	p = mmap(NULL, 4 * len, PROT_NONE, MAP_PRIVATE, z, 0);
	if (p == MAP_FAILED || munmap(p + len, 3 * len))
		RP_FAIL("reserve %d", errno);
	p = mmap(p, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < len; i += rp_psz)
		p[i] = (unsigned char)(i / rp_psz + 1);
	/* in place: the pages after it are free */
	q = mremap(p, len, 2 * len, 0);
	if (q != p)
		RP_FAIL("in place %d", errno);
	/* the next grow must move: block the pages after it */
	b = mmap(p + 2 * len, rp_psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	printf("blocked %d\n", b == p + 2 * len);
	printf("in-place fails %d\n", mremap(q, 2 * len, 3 * len, 0) ==
	       MAP_FAILED && errno == ENOMEM);
	q = mremap(q, 2 * len, 3 * len, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		RP_FAIL("moved %d", errno);
	for (i = 0; i < len; i += rp_psz)
		if (q[i] != (unsigned char)(i / rp_psz + 1))
			RP_FAIL("lost page %zu", i / rp_psz);
	for (i = len; i < 3 * len; i += rp_psz)
		if (q[i])
			RP_FAIL("not zero %zu", i / rp_psz);
	q[3 * len - 1] = 1;
	printf("moved %d\n", q != p);
	return munmap(q, 3 * len) ? 1 : 0;
}

/* munmap-part FILE: unmap pages 2 and 3 of 8 */
static int rp_munmap_part(char **argv)
{
	unsigned char *p = rp_map_file(argv[0], 8 * rp_psz, PROT_READ,
				       MAP_PRIVATE, 0, O_RDONLY);
	size_t i;

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < 8; i++)
		(void)*(volatile unsigned char *)(p + i * rp_psz);
	if (munmap(p + 2 * rp_psz, 2 * rp_psz))
		RP_FAIL("munmap %d", errno);
	printf("hole %d\n", rp_probe(p, 2 * rp_psz));
	printf("rest %d %d\n", rp_check_pages(p, 0, 2, 0),
	       rp_check_pages(p, 4, 4, 0));
	printf("address %#lx\n", (unsigned long)p);
	return 0;
}

/* fork-file FILE: a private file mapping, written in parent and child */
static int rp_fork_file(char **argv)
{
	unsigned char *p = rp_map_file(argv[0], 2 * rp_psz,
				       PROT_READ | PROT_WRITE, MAP_PRIVATE, 0,
				       O_RDONLY);
	int st;
	pid_t c;

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	p[0] = 'P';
	fflush(stdout);
	c = fork();
	if (c == 0) {
		int ok = p[0] == 'P' && p[rp_psz] == rp_byte(rp_psz);

		p[0] = 'C';
		_exit(ok ? 0 : 3);
	}
	waitpid(c, &st, 0);
	printf("child %d parent %c\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	       p[0]);
	printf("childpid %d\n", (int)c);
	return 0;
}

/* fork-anon SIZE private|shared: anonymous memory across fork */
static int rp_fork_anon(char **argv)
{
	size_t len = (size_t)atol(argv[0]), i;
	int shared = !strcmp(argv[1], "shared"), fds[2], st;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				(shared ? MAP_SHARED : MAP_PRIVATE) |
				MAP_ANONYMOUS, -1, 0);
	char c = 0;
	pid_t pid;

	if (p == MAP_FAILED || pipe(fds))
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < len; i += rp_psz)
		p[i] = 'A';
	/* a read-only piece: the child's copy keeps its protections */
	mprotect(p + len - rp_psz, rp_psz, PROT_READ);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		if (read(fds[0], &c, 1) != 1)	/* after the parent wrote */
			_exit(4);
		for (i = 0; i < len - rp_psz; i += rp_psz)
			bad += p[i] != (i == (size_t)rp_psz && shared ? 'Q' : 'A');
		p[0] = 'C';
		_exit(bad ? 3 : rp_probe(p, len - rp_psz) == 'A' ? 0 : 5);
	}
	p[rp_psz] = 'Q';	/* after fork: the child must not see it */
	if (write(fds[1], "g", 1) != 1)
		RP_FAIL("write");
	waitpid(pid, &st, 0);
	printf("child %d parent %c\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	       p[0]);
	printf("childpid %d\n", (int)pid);
	return 0;
}

/* exec-child SELF FILE: a child execs "SELF prog touch FILE 0 1" */
static int rp_exec_child(char **argv)
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		execl(argv[0], argv[0], "prog", "touch", argv[1], "0", "1",
		      (char *)NULL);
		_exit(127);
	}
	waitpid(c, &st, 0);
	printf("child %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("childpid %d\n", (int)c);
	return 0;
}

/* anon SIZE: write every page, read every page back (for budgets) */
static int rp_anon(char **argv)
{
	size_t len = (size_t)atol(argv[0]), i;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	for (i = 0; i < len; i += rp_psz)
		p[i] = (unsigned char)(i / rp_psz * 7 + 1);
	for (i = 0; i < len; i += rp_psz)
		if (p[i] != (unsigned char)(i / rp_psz * 7 + 1))
			RP_FAIL("page %zu", i / rp_psz);
	printf("pages %zu ok\n", len / rp_psz);
	return munmap(p, len) ? 1 : 0;
}

/* malloc SIZE: a block through malloc, calloc, realloc, free */
static int rp_malloc(char **argv)
{
	size_t len = (size_t)atol(argv[0]);
	unsigned char *p = malloc(len), *q;
	void *a = NULL;

	if (!p)
		RP_FAIL("malloc");
	memset(p, 'm', len);
	printf("usable %d\n", malloc_usable_size(p) >= len);
	q = realloc(p, 2 * len);
	if (!q || q[len - 1] != 'm')
		RP_FAIL("realloc");
	free(q);
	q = calloc(1, len);
	if (!q || q[len / 2])
		RP_FAIL("calloc");
	free(q);
	if (posix_memalign(&a, 4096, len) || ((uintptr_t)a & 4095))
		RP_FAIL("posix_memalign");
	free(a);
	p = malloc(100);	/* glibc's */
	free(p);
	printf("malloc ok\n");
	return 0;
}

/* dontneed SIZE: MADV_DONTNEED reads as zeros after, MADV_FREE is 0 */
static int rp_dontneed(char **argv)
{
	size_t len = (size_t)atol(argv[0]), i, nz = 0;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	memset(p, 'd', len);
	mprotect(p + 3 * rp_psz, rp_psz, PROT_READ);
	if (madvise(p + 2 * rp_psz, 4 * rp_psz, MADV_DONTNEED))
		RP_FAIL("madvise %d", errno);
	for (i = 0; i < len; i++)
		nz += p[i] != 0;
	printf("zero pages %zu\n", (len - nz) / rp_psz);
	printf("free %d\n", madvise(p + 8 * rp_psz, rp_psz, MADV_FREE));
	printf("after free %c\n", p[8 * rp_psz]);
	printf("prot kept %d\n", rp_probe(p, 3 * rp_psz) == 0);
	return 0;
}

/* wipeonfork SIZE: the child sees zeros, the parent its data */
static int rp_wipeonfork(char **argv)
{
	size_t len = (size_t)atol(argv[0]);
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t c;

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	memset(p, 'w', len);
	printf("madvise %d\n", madvise(p, len, MADV_WIPEONFORK));
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(p[0] == 0 && p[len - 1] == 0 ? 0 : 3);
	waitpid(c, &st, 0);
	printf("child %d parent %c\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	       p[0]);
	return 0;
}

struct rp_thread {
	const char *path;
	int rounds, maps, errors;
};

static void *rp_thread_main(void *arg)
{
	struct rp_thread *t = arg;
	int i;

	for (i = 0; i < t->rounds; i++) {
		unsigned char *p = rp_map_file(t->path, 2 * rp_psz, PROT_READ,
					       MAP_PRIVATE, 0, O_RDONLY);
		unsigned char *m = malloc(2 << 20);

		if (p == MAP_FAILED || !m) {
			t->errors++;
			continue;
		}
		t->maps++;
		m[0] = m[(2 << 20) - 1] = 1;
		t->errors += p[rp_psz] != rp_byte(rp_psz);
		munmap(p, 2 * rp_psz);
		free(m);
	}
	return NULL;
}

/* threads FILE N ROUNDS: threads mapping a chosen file and malloc'ing */
static int rp_threads(char **argv)
{
	int n = atoi(argv[1]), i, maps = 0, errors = 0;
	struct rp_thread t[16];
	pthread_t th[16];

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		t[i] = (struct rp_thread){ argv[0], atoi(argv[2]), 0, 0 };
		pthread_create(&th[i], NULL, rp_thread_main, &t[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		maps += t[i].maps;
		errors += t[i].errors;
	}
	printf("maps %d errors %d\n", maps, errors);
	return errors ? 1 : 0;
}

static const char *rp_sig_path;
static volatile int rp_sig_maps, rp_sig_errors;

static void rp_on_alarm(int sig)
{
	int saved = errno, fd = open(rp_sig_path, O_RDONLY);
	unsigned char *p;

	(void)sig;
	if (fd < 0) {
		rp_sig_errors++;
		return;
	}
	p = mmap(NULL, rp_psz, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED || p[0] != rp_byte(0)) {
		rp_sig_errors++;
	} else {
		rp_sig_maps++;
		munmap(p, rp_psz);
	}
	errno = saved;
}

/* signal FILE ROUNDS: mmap in a signal handler while main maps too */
static int rp_signal(char **argv)
{
	/* slow enough that the handler cannot starve the main flow */
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct sigaction sa = { .sa_handler = rp_on_alarm };
	int rounds = atoi(argv[1]), i, maps = 0;

	rp_sig_path = argv[0];
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < rounds; i++) {
		unsigned char *p = rp_map_file(argv[0], 2 * rp_psz, PROT_READ,
					       MAP_PRIVATE, 0, O_RDONLY);

		if (p == MAP_FAILED)
			RP_FAIL("mmap %d", errno);
		if (p[rp_psz] != rp_byte(rp_psz))
			RP_FAIL("data");
		munmap(p, 2 * rp_psz);
		maps++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("maps %d handler %d errors %d\n", maps, rp_sig_maps,
	       rp_sig_errors);
	return rp_sig_errors ? 1 : 0;
}

/* lossy FILE NPAGES READYFD GOFD: maps, says so, waits, touches */
static int rp_lossy(char **argv)
{
	size_t n = (size_t)atol(argv[1]), i;
	int ready = atoi(argv[2]), go = atoi(argv[3]);
	unsigned char *p = rp_map_file(argv[0], n * rp_psz, PROT_READ,
				       MAP_PRIVATE, 0, O_RDONLY);
	char c;

	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		RP_FAIL("sync");
	for (i = 0; i < n; i++)
		(void)*(volatile unsigned char *)(p + i * rp_psz);
	munmap(p, n * rp_psz);
	if (write(ready, "d", 1) != 1)
		RP_FAIL("sync");
	return 0;
}

/* grow FILE: maps the file, appends to it with write(2), reads the map */
static int rp_grow(char **argv)
{
	int fd = open(argv[0], O_RDWR | O_APPEND);
	unsigned char *p;

	if (fd < 0)
		RP_FAIL("open");
	p = mmap(NULL, 4 * rp_psz, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	(void)*(volatile unsigned char *)p;
	if (write(fd, "appended", 8) != 8)
		RP_FAIL("write");
	printf("tail %d\n", p[2 * rp_psz + 50]);
	munmap(p, 4 * rp_psz);
	close(fd);
	return 0;
}

/* refused: a 32 GiB reservation (past max_object_mb) and a MAP_LOCKED
 * mapping, both anonymous: native, and they work as natively */
static int rp_refused(void)
{
	size_t big = (size_t)32 << 30;
	unsigned char *p = mmap(NULL, big, PROT_NONE, MAP_PRIVATE |
				MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned char *l = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);

	if (p == MAP_FAILED || l == MAP_FAILED)
		RP_FAIL("mmap %d", errno);
	l[0] = 1;
	printf("big %d locked %d\n", munmap(p, big), munmap(l, 1 << 20));
	return 0;
}

static int rp_main(int argc, char **argv)
{
	const char *mode = argv[0];

	rp_psz = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	argc--;
	argv++;
	if (!strcmp(mode, "touch") && argc >= 1)
		return rp_touch(argc, argv);
	if (!strcmp(mode, "offset") && argc == 3)
		return rp_offset(argv);
	if (!strcmp(mode, "sharedw") && argc == 1)
		return rp_sharedw(argv);
	if (!strcmp(mode, "eof") && argc == 2)
		return rp_eof(argv);
	if (!strcmp(mode, "devzero"))
		return rp_devzero();
	if (!strcmp(mode, "fixed") && argc == 1)
		return rp_fixed(argv);
	if (!strcmp(mode, "populate") && argc == 2)
		return rp_populate(argv);
	if (!strcmp(mode, "noreserve") && argc == 1)
		return rp_noreserve(argv);
	if (!strncmp(mode, "mremap-", 7) && strcmp(mode, "mremap-grow-anon") &&
	    argc == 1)
		return rp_mremap_file(mode, argv);
	if (!strcmp(mode, "mremap-grow-anon") && argc == 1)
		return rp_mremap_anon(argv);
	if (!strcmp(mode, "munmap-part") && argc == 1)
		return rp_munmap_part(argv);
	if (!strcmp(mode, "fork-file") && argc == 1)
		return rp_fork_file(argv);
	if (!strcmp(mode, "fork-anon") && argc == 2)
		return rp_fork_anon(argv);
	if (!strcmp(mode, "exec-child") && argc == 2)
		return rp_exec_child(argv);
	if (!strcmp(mode, "anon") && argc == 1)
		return rp_anon(argv);
	if (!strcmp(mode, "malloc") && argc == 1)
		return rp_malloc(argv);
	if (!strcmp(mode, "dontneed") && argc == 1)
		return rp_dontneed(argv);
	if (!strcmp(mode, "wipeonfork") && argc == 1)
		return rp_wipeonfork(argv);
	if (!strcmp(mode, "threads") && argc == 3)
		return rp_threads(argv);
	if (!strcmp(mode, "signal") && argc == 2)
		return rp_signal(argv);
	if (!strcmp(mode, "lossy") && argc == 4)
		return rp_lossy(argv);
	if (!strcmp(mode, "refused"))
		return rp_refused();
	if (!strcmp(mode, "grow") && argc == 1)
		return rp_grow(argv);
	if (!strcmp(mode, "exit") && argc == 1)
		return atoi(argv[0]);
	if (!strcmp(mode, "kill") && argc == 1) {
		signal(atoi(argv[0]), SIG_DFL);
		raise(atoi(argv[0]));
		return 99;
	}
	fprintf(stderr, "run_test prog: bad mode %s\n", mode);
	return 2;
}

#endif /* IVMA_RUN_PROG_H */
