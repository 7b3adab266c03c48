// SPDX-License-Identifier: GPL-2.0
/*
 * Start-up of a program: fork, execve, the program, exit, wait; natively,
 * under ivma exec, and ivma itself.
 */
#include "bench.h"

/* --- start-up of a program --- */

int s_start(struct bcase *c)
{
	char *const native[] = { "true", NULL };
	char *const exec[] = { "ivma", "exec", "--", START_PROG, NULL };
	char *const itself[] = { "ivma", "--version", NULL };
	const char *bin = c->arg == ST_NATIVE ? START_PROG : ivma_path();
	char *const *argv = c->arg == ST_NATIVE ? native :
			    c->arg == ST_IVMA_EXEC ? exec : itself;
	size_t i;

	for (i = 0; i < c->units; i++) {
		uint64_t t0 = now_ns();
		int st = wait_status(spawn_as(bin, argv, "/dev/null",
					      "/dev/null", 0));

		if (st)
			return fail("%s %s: exit status %d", bin, argv[1] ?
				    argv[1] : "", st);
		sample_push(c, now_ns() - t0, 1);
	}
	return 0;
}
