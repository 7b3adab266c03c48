// SPDX-License-Identifier: GPL-2.0
/*
 * Touching the pages of a mapping.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "access.h"

int access_mode_parse(const char *str)
{
	if (strcmp(str, "r") == 0)
		return ACCESS_READ;
	if (strcmp(str, "w") == 0)
		return ACCESS_WRITE;
	if (strcmp(str, "rw") == 0)
		return ACCESS_RW;
	return -1;
}

const char *access_mode_name(int mode)
{
	switch (mode) {
	case ACCESS_READ:
		return "r";
	case ACCESS_WRITE:
		return "w";
	case ACCESS_RW:
		return "rw";
	}
	return "?";
}

size_t access_marker(uint64_t page, char *buf, size_t bufsz)
{
	int len = snprintf(buf, bufsz, "ivma page %" PRIu64 "\n", page);

	return len < 0 ? 0 : (size_t)len;
}

/* The state that the signal handler and access_run() share. */
static sigjmp_buf access_env;
static volatile sig_atomic_t access_signo;

static void access_handler(int signo)
{
	access_signo = signo;
	siglongjmp(access_env, 1);
}

int access_run(void *base, size_t page_size, const uint64_t *seq, size_t n,
	       uint64_t repeat, int mode, FILE *log,
	       struct access_result *res)
{
	struct sigaction sa, old_bus, old_segv;
	/* modified after sigsetjmp() and read after siglongjmp() */
	volatile uint64_t pass = 0;
	volatile size_t i = 0;
	volatile bool writing = false;
	volatile uint64_t reads = 0, writes = 0, sum = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = access_handler;
	sigemptyset(&sa.sa_mask);
	access_signo = 0;
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);

	if (sigsetjmp(access_env, 1)) {
		res->signo = access_signo;
		res->fault_page = seq[i];
		res->fault_write = writing;
		rc = -1;
		goto out;	/* the access that faulted is not counted */
	}

	for (pass = 0; pass < repeat; pass++) {
		for (i = 0; i < n; i++) {
			volatile char *page = (char *)base + seq[i] * page_size;

			if (mode & ACCESS_READ) {
				writing = false;
				if (log)
					fprintf(log, "read page %" PRIu64 "\n",
						seq[i]);
				sum += (unsigned char)page[0];
				reads++;
			}
			if (mode & ACCESS_WRITE) {
				char marker[32];
				size_t len, k;

				writing = true;
				if (log)
					fprintf(log, "write page %" PRIu64 "\n",
						seq[i]);
				len = access_marker(seq[i], marker,
						    sizeof(marker));
				for (k = 0; k < len; k++)
					page[k] = marker[k];
				writes++;
			}
		}
	}
out:
	res->reads = reads;
	res->writes = writes;
	res->sum = sum;
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return rc;
}
