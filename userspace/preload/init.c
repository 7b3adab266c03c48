// SPDX-License-Identifier: GPL-2.0
/*
 * The preload library's start: read $IVMA_RUN (conf.h), check the socket
 * to "ivma run", and start routing. Without the variable, or with a bad
 * one, the library does nothing: every call goes straight to the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload.h"
#include "sys.h"

struct runc ivp_conf;
int ivp_active;
size_t ivp_page = 4096;
uint64_t ivp_max_size;
char ivp_program[RUNP_PATH_MAX];

static void say(const char *what, const char *detail)
{
	char line[512] = "ivma-preload: ";

	ivp_strcat(line, what, sizeof(line));
	if (detail) {
		ivp_strcat(line, ": ", sizeof(line));
		ivp_strcat(line, detail, sizeof(line));
	}
	ivp_strcat(line, "\n", sizeof(line));
	rsys(SYS_write, 2, line, strlen(line));
}

/* LD_PRELOAD without this library (its entries are separated by ':' or
 * ' '); unset when nothing else is left */
static void drop_from_preload(void)
{
	const char *v = getenv("LD_PRELOAD");
	char buf[4096], *out = buf;
	const char *p;

	if (!v || strlen(v) >= sizeof(buf))
		return;
	for (p = v; *p;) {
		size_t n = strcspn(p, ": ");

		if (n && !(n >= 18 && memcmp(p + n - 18,
					     "libivma-preload.so", 18) == 0)) {
			if (out != buf)
				*out++ = ':';
			memcpy(out, p, n);
			out += n;
		}
		p += n;
		while (*p == ':' || *p == ' ')
			p++;
	}
	*out = '\0';
	if (out == buf)
		unsetenv("LD_PRELOAD");
	else
		setenv("LD_PRELOAD", buf, 1);
}

__attribute__((constructor)) static void ivp_init(void)
{
	const char *env = getenv(RUNC_ENV);
	char err[256];
	struct stat st;
	long n, psz;

	if (!env)
		return;
	psz = (long)getauxval(AT_PAGESZ);
	if (psz > 0)
		ivp_page = (size_t)psz;
	if (strlen(env) >= RUNC_TEXT_MAX || runc_parse(env, &ivp_conf, err,
							 sizeof(err))) {
		say("bad " RUNC_ENV ", not routing", err);
		return;
	}
	if (!ivp_conf.children) {
		/* the program's exec'd children run natively */
		unsetenv(RUNC_ENV);
		drop_from_preload();
	}
	if (ivp_conf.sock < 0 || fstat(ivp_conf.sock, &st) ||
	    !S_ISSOCK(st.st_mode) || (uint64_t)st.st_ino != ivp_conf.sock_ino) {
		say("not connected to ivma run (its socket is closed): not "
		    "routing", NULL);
		return;
	}
	n = rsys(SYS_readlink, "/proc/self/exe", ivp_program,
		 sizeof(ivp_program) - 1);
	ivp_program[n > 0 ? n : 0] = '\0';
	ivp_fork_init();
	__atomic_store_n(&ivp_active, 1, __ATOMIC_RELEASE);
}
