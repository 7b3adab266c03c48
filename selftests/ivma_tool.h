/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the selftests that run the ivma tool (build/ivma) as a child
 * process: where it is, its exit status, its output files.
 */
#ifndef IVMA_TOOL_H
#define IVMA_TOOL_H

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char ivma_bin[PATH_MAX];

/* build/ivma, next to build/selftests/ where the test binary is */
static inline const char *ivma_path(void)
{
	char exe[PATH_MAX];
	ssize_t n;

	if (ivma_bin[0])
		return ivma_bin;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "build/ivma";
	exe[n] = '\0';
	snprintf(ivma_bin, sizeof(ivma_bin), "%s/../ivma", dirname(exe));
	return ivma_bin;
}

/*
 * spawn_as - starts @bin with @argv, its stdout to the file @out and its
 * stderr to @err, as user @uid (0: stay root). Returns the pid, or -1.
 */
static inline pid_t spawn_as(const char *bin, char *const argv[], const char *out,
		      const char *err, uid_t uid)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
		_exit(121);
	if (uid && (setgid(uid) || setuid(uid)))
		_exit(120);
	execv(bin, argv);
	_exit(122);
}

/* Its exit status, or 128 + the signal that killed it; -1 on failure. */
static inline int wait_status(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* the whole file, NUL-terminated (to be freed) */
static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return strdup("");
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = 2 * cap + 8192);

			if (!nb)
				break;
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = '\0';
	return buf;
}

#endif /* IVMA_TOOL_H */
