// SPDX-License-Identifier: GPL-2.0
/*
 * bench: "ivma run" against a native run of the same program, a
 * sequential scan of a file through mmap (64 MiB; 4 MiB with --quick).
 * The program is this binary, "bench --scan FILE": it maps the file
 * private and read-only, adds up every 8-byte word, unmaps it, and prints
 * the time of mmap + scan + munmap. Under "ivma run --file FILE" the
 * mapping is a file-backed object (one fault and one file read per page,
 * every record read by ivma run); natively it is the page cache (with the
 * kernel's fault-around). Two figures per case, both per page of the file:
 * the scan as the program times it (run_scan), and the whole run from
 * fork to exit as the caller sees it (run_total: ivma run's start-up, the
 * library's, and the end of the log).
 */
#include <libgen.h>
#include <limits.h>
#include <sys/wait.h>

#include "bench.h"

static char scan_file[128];
static size_t scan_pages;

/* bench --scan FILE: the program */
int scan_main(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint64_t t0, sum = 0;
	const uint64_t *w;
	size_t i, n;

	if (fd < 0 || fstat(fd, &st))
		return 1;
	t0 = now_ns();
	w = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (w == MAP_FAILED)
		return 1;
	n = (size_t)st.st_size / sizeof(*w);
	for (i = 0; i < n; i++)
		sum += w[i];
	munmap((void *)w, (size_t)st.st_size);
	printf("scan %llu %llu\n", (unsigned long long)(now_ns() - t0),
	       (unsigned long long)sum);
	return 0;
}

static int scan_setup(void)
{
	size_t mib = quick ? 4 : 64, i;
	char *buf = malloc(1 << 20);
	int fd;

	snprintf(scan_file, sizeof(scan_file), "/tmp/ivma-bench-scan-%d",
		 getpid());
	fd = open(scan_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !buf)
		return -1;
	for (i = 0; i < (1 << 20); i++)
		buf[i] = (char)(i * 131 + 7);
	for (i = 0; i < mib; i++)
		if (write(fd, buf, 1 << 20) != 1 << 20)
			return -1;
	free(buf);
	close(fd);
	scan_pages = mib * (1 << 20) / psz;
	return 0;
}

/* runs the scanner: natively (arg 0), under ivma run (arg 1), natively
 * with the kernel's fault-around off (arg 2: one fault per page, as the
 * module takes them) */
int s_run_scan(struct bcase *c)
{
	const char *ivma = ivma_path();
	char self[PATH_MAX], out[128] = "";
	int pfd[2], st;
	ssize_t n = -1, got = 0;
	uint64_t t0, scan_ns;
	pid_t pid;

	if (!scan_file[0] && scan_setup())
		return fail("the scan file: %s", strerror(errno));
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return fail("/proc/self/exe");
	self[n] = '\0';
	if (c->arg == 1 && access(ivma, X_OK))
		return skip("%s: not built", ivma);
	if (pipe(pfd))
		return fail("pipe");
	if (c->arg == 2 && set_fault_around(4096))
		return skip("cannot set fault_around_bytes");
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		cpu_set_t all;
		int k;

		/* the bench runs on CPU 0; the program and ivma run get all */
		CPU_ZERO(&all);
		for (k = 0; k < ncpus; k++)
			CPU_SET(k, &all);
		sched_setaffinity(0, sizeof(all), &all);
		dup2(pfd[1], 1);
		close(pfd[0]);
		if (c->arg == 1)
			execl(ivma, "ivma", "run", "--file", scan_file, "--",
			      self, "--scan", scan_file, (char *)NULL);
		else
			execl(self, self, "--scan", scan_file, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (got < (ssize_t)sizeof(out) - 1 &&
	       (n = read(pfd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(pfd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		st = -1;
	if (c->arg == 2)
		set_fault_around(atol(fault_around_saved));
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
		return fail("the scan %s failed", c->arg == 1 ?
			    "under ivma run" : "natively");
	out[got] = '\0';
	if (sscanf(out, "scan %llu", (unsigned long long *)&scan_ns) != 1)
		return fail("the scan printed '%s'", out);
	/* fn_total: the whole run; otherwise the scan itself */
	sample_push(c, c->write ? now_ns() - t0 : scan_ns, scan_pages);
	return 0;
}

void scan_cleanup(void)
{
	if (scan_file[0])
		unlink(scan_file);
}
