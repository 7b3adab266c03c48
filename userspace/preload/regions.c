// SPDX-License-Identifier: GPL-2.0
/*
 * The preload library's table of routed mappings, and the files it keeps
 * open for them. One lock for both: a spin lock that yields, taken with
 * every signal blocked, so that a hook running in a signal handler can
 * never wait for the thread it interrupted; held across the system call
 * that changes the mappings, so the table and the address space change
 * together.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "preload.h"
#include "sys.h"

struct region ivp_regions[IVP_MAX_REGIONS];
int ivp_nregions;

static int lock_word;

struct rfile {
	int fd;
	int refs;
};

static struct rfile files[IVP_MAX_FILES];

void reg_lock(sigset_t *old)
{
	ivp_block(old);
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		rsys(SYS_sched_yield, 0, 0, 0);
}

void reg_unlock(const sigset_t *old)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
	ivp_restore(old);
}

void reg_drop_lock(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

void reg_take_lock(void)
{
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		rsys(SYS_sched_yield, 0, 0, 0);
}

void reg_lock_reset(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

int reg_insert(const struct region *r)
{
	if (ivp_nregions >= IVP_MAX_REGIONS)
		return -1;
	ivp_regions[ivp_nregions++] = *r;
	return 0;
}

static void drop(int i)
{
	if (ivp_regions[i].file >= 0)
		rfile_put(ivp_regions[i].file);
	ivp_regions[i] = ivp_regions[--ivp_nregions];
}

void reg_remove(uintptr_t a, uintptr_t b)
{
	int i = 0;

	while (i < ivp_nregions) {
		struct region *r = &ivp_regions[i];

		if (r->end <= a || r->start >= b) {
			i++;
			continue;
		}
		if (r->start >= a && r->end <= b) {	/* all of it */
			drop(i);
			continue;
		}
		if (r->start < a && r->end > b) {	/* a hole: split */
			struct region tail = *r;

			tail.file_off += b - r->start;
			tail.start = b;
			r->end = a;
			if (tail.file >= 0)
				rfile_ref(tail.file);
			if (reg_insert(&tail) && tail.file >= 0)
				rfile_put(tail.file);	/* lost: table full */
			i++;
			continue;
		}
		if (r->start < a) {			/* keep the head */
			r->end = a;
		} else {				/* keep the tail */
			r->file_off += b - r->start;
			r->start = b;
		}
		i++;
	}
}

int reg_overlap(uintptr_t a, uintptr_t b, int from)
{
	int i;

	for (i = from < 0 ? 0 : from; i < ivp_nregions; i++)
		if (ivp_regions[i].start < b && ivp_regions[i].end > a)
			return i;
	return -1;
}

struct region *reg_find(uintptr_t a)
{
	int i = reg_overlap(a, a + 1, 0);

	return i < 0 ? NULL : &ivp_regions[i];
}

int rfile_add(int fd)
{
	int i, nfd;

	for (i = 0; i < IVP_MAX_FILES; i++)
		if (!files[i].refs)
			break;
	if (i == IVP_MAX_FILES)
		return -1;
	/* high, out of the way of programs that expect low numbers */
	nfd = (int)rsys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 512);
	if (nfd < 0)
		nfd = (int)rsys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		return -1;
	files[i].fd = nfd;
	files[i].refs = 1;
	return i;
}

void rfile_ref(int idx)
{
	files[idx].refs++;
}

void rfile_put(int idx)
{
	if (--files[idx].refs == 0)
		sys_close(files[idx].fd);
}

int rfile_fd(int idx)
{
	return idx < 0 ? -1 : files[idx].fd;
}

void ivp_block(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	rsys6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all, (long)old, 8, 0, 0);
}

void ivp_restore(const sigset_t *old)
{
	rsys6(SYS_rt_sigprocmask, SIG_SETMASK, (long)old, 0, 8, 0, 0);
}
