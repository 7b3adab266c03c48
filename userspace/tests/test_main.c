// SPDX-License-Identifier: GPL-2.0
/*
 * The unit test runner: TAP lines, then "N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define T_ASAN 1
# endif
#endif
#if defined(__SANITIZE_ADDRESS__)
# define T_ASAN 1
#endif
#ifdef T_ASAN
# include <sanitizer/lsan_interface.h>
#endif

#include "test.h"

static unsigned int t_count, t_passed, t_failed;
static bool t_ok;

bool t_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	t_ok = false;
	printf("# %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

bool t_check_u64(uint64_t a, uint64_t b, const char *ea, const char *eb,
		 const char *file, int line)
{
	return t_check(a == b, file, line, "%s == %s: %" PRIu64 " != %" PRIu64,
		       ea, eb, a, b);
}

bool t_check_str(const char *a, const char *b, const char *ea,
		 const char *eb, const char *file, int line)
{
	return t_check(a && b && strcmp(a, b) == 0, file, line,
		       "%s == %s: \"%s\" != \"%s\"", ea, eb,
		       a ? a : "(null)", b ? b : "(null)");
}

bool t_check_contains(const char *hay, const char *needle, const char *file,
		      int line)
{
	return t_check(hay && strstr(hay, needle), file, line,
		       "\"%s\" contains \"%s\"", hay ? hay : "(null)",
		       needle);
}

void t_run(const char *name, void (*fn)(void))
{
	t_ok = true;
	fn();
	t_count++;
	if (t_ok)
		t_passed++;
	else
		t_failed++;
	printf("%s %u - %s\n", t_ok ? "ok" : "not ok", t_count, name);
	fflush(stdout);
}

int t_child(int (*fn)(void *arg), void *arg, char *err, size_t errsz)
{
	size_t len = 0;
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	err[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

#ifdef T_ASAN
		__lsan_disable();	/* exit paths need not free */
#endif
		dup2(pfd[1], STDERR_FILENO);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		close(pfd[0]);
		exit(fn(arg));
	}
	close(pfd[1]);
	for (;;) {
		char scratch[256];

		if (len + 1 < errsz)
			n = read(pfd[0], err + len, errsz - 1 - len);
		else
			n = read(pfd[0], scratch, sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < errsz)
			len += (size_t)n;
	}
	err[len] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static char *slurp(FILE *f)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	rewind(f);
	for (;;) {
		char *nb;

		n = fread(chunk, 1, sizeof(chunk), f);
		nb = realloc(buf, len + n + 1);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
		memcpy(buf + len, chunk, n);
		len += n;
		buf[len] = '\0';
		if (n < sizeof(chunk))
			break;
	}
	return buf;
}

int t_child_out(int (*fn)(void *arg), void *arg, char **out, char **err)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int status = -1;
	pid_t pid;

	*out = *err = NULL;
	if (!fo || !fe)
		goto done;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		goto done;
	if (pid == 0) {
#ifdef T_ASAN
		__lsan_disable();	/* exit paths need not free */
#endif
		dup2(fileno(fo), STDOUT_FILENO);
		dup2(fileno(fe), STDERR_FILENO);
		exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid)
		goto done;
	status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
		 WEXITSTATUS(status);
	*out = slurp(fo);
	*err = slurp(fe);
done:
	if (fo)
		fclose(fo);
	if (fe)
		fclose(fe);
	if (!*out)
		*out = calloc(1, 1);
	if (!*err)
		*err = calloc(1, 1);
	return status;
}

char *t_tmpname(const char *tag)
{
	static unsigned int n;
	char *s = NULL;

	if (asprintf(&s, "/tmp/ivma-test-%s-%d-%u", tag, (int)getpid(),
		     n++) < 0)
		return NULL;
	return s;
}

int main(void)
{
	suite_strutils();
	suite_pattern();
	suite_uapinames();
	suite_libivma();
	suite_plan();
	suite_access();
	suite_apitables();
	suite_dev();
	suite_json();
	suite_jsonw();
	suite_filter();
	suite_capture();
	suite_origin();
	suite_elf();
	suite_simcore();
	suite_sim();
	suite_recfmt();
	suite_statistics();
	suite_heatgrid();
	suite_perfetto();
	suite_cmds();
	suite_runconf();
	suite_completion();

	printf("1..%u\n", t_count);
	printf("%u passed, %u failed\n", t_passed, t_failed);
	return t_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
