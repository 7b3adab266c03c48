// SPDX-License-Identifier: GPL-2.0
/*
 * fork(). A routed private anonymous mapping (and a malloc block) is a
 * MAP_SHARED mapping of its object, so that the object's pages are the
 * memory and its frame budget applies. At fork() a child must get a copy
 * instead, as it does of native private memory. The atfork handlers do
 * it, with the table locked from before the fork until the copy is made:
 *
 *  - prepare (parent): lists the pieces to copy with their protections
 *    (/proc/self/maps: mprotect is not intercepted) and, when objects have
 *    no budget, which pages exist (mincore(): without a budget a page has
 *    a page table entry from its first touch to its munmap, so the others
 *    are zero);
 *  - child: copies every piece into native anonymous memory that mremap
 *    puts in its place (pages that read as zero are not written), MADV_
 *    WIPEONFORK pieces become zero memory, reports each copy to ivma run
 *    (RUNP_R_FORK), then tells the parent;
 *  - parent: waits for the child's word before it goes on, so that its
 *    own writes after fork() cannot reach the child's copy.
 *
 * So the child's copy is native memory: ordinary copy-on-write after
 * fork, no longer in the capture. Shared anonymous mappings and file
 * mappings need nothing: the kernel shares or copies them as natively.
 * vfork(), posix_spawn(), system() and popen() run no atfork handler and
 * need none (the child shares the memory until it execs). A clone()
 * without CLONE_VM made by the program itself, and _Fork(), skip the
 * handlers: such a child shares routed private memory with its parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "preload.h"
#include "sys.h"

#define MAX_PIECES	256
#define VEC_MAX		(1U << 20)	/* pages with mincore() data */

struct fpiece {
	uintptr_t start, end;
	int prot;
	uint32_t flags;		/* the region's REG_* */
	uint64_t obj;
	size_t vec_off;		/* into fork_vec, or SIZE_MAX: read all */
};

static struct fpiece plan[MAX_PIECES];
static int nplan, plan_overflow;
static unsigned char fork_vec[VEC_MAX];
static struct maps_piece mp[MAX_PIECES];
static int sync_pipe[2] = { -1, -1 };
static sigset_t fork_mask;

static void plan_region(const struct region *r, size_t *vused)
{
	int i, n = maps_pieces(r->start, r->end, mp, MAX_PIECES);

	for (i = 0; i < n; i++) {
		struct fpiece *f;
		size_t pages = (mp[i].end - mp[i].start) / ivp_page;

		if (!mp[i].device)
			continue;	/* unmapped behind our back */
		if (nplan == MAX_PIECES) {
			plan_overflow = 1;
			return;
		}
		f = &plan[nplan++];
		f->start = mp[i].start;
		f->end = mp[i].end;
		f->prot = mp[i].prot;
		f->flags = r->flags;
		f->obj = r->obj;
		f->vec_off = SIZE_MAX;
		if (!ivp_conf.frames && !ivp_conf.refs && *vused + pages <= VEC_MAX &&
		    !rsys(SYS_mincore, f->start, f->end - f->start,
			  fork_vec + *vused)) {
			f->vec_off = *vused;
			*vused += pages;
		}
	}
}

static void prepare(void)
{
	size_t vused = 0;
	int i;

	reg_lock(&fork_mask);
	nplan = 0;
	plan_overflow = 0;
	if (!__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE))
		return;
	for (i = 0; i < ivp_nregions; i++) {
		const struct region *r = &ivp_regions[i];

		if ((r->flags & REG_ANON) && !(r->flags & REG_SHARED) &&
		    !(r->flags & REG_DONTFORK))
			plan_region(r, &vused);
	}
	if (nplan && rsys(SYS_pipe2, sync_pipe, O_CLOEXEC, 0))
		sync_pipe[0] = sync_pipe[1] = -1;
}

static void report(const struct fpiece *f, unsigned int reason, long pages)
{
	struct runp_msg *m = ivp_msg();

	ivp_msg_init(m, RUNP_NATIVE);
	m->kind = RUNP_KIND_ANON;
	m->object = f->obj;
	m->address = f->start;
	m->length = f->end - f->start;
	m->prot = (uint32_t)f->prot;
	m->flags = RUNP_F_FORK | (f->flags & REG_MALLOC ? RUNP_F_MALLOC : 0);
	m->pages = pages > 0 ? (uint64_t)pages : 0;
	if (f->flags & REG_WIPEONFORK)
		ivp_strlcpy(m->note, "MADV_WIPEONFORK: zero", sizeof(m->note));
	ivp_native(m, reason, 0);
}

static void child(void)
{
	int i;

	for (i = 0; i < nplan; i++) {
		struct fpiece *f = &plan[i];
		size_t len = f->end - f->start;
		long t, pages = 0;

		t = sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (rsys_err(t)) {
			report(f, RUNP_R_FORK_FAILED, 0);
			continue;
		}
		if (!(f->flags & REG_WIPEONFORK))
			pages = ivp_copy_range((void *)t, (void *)f->start, len,
					       f->vec_off == SIZE_MAX ? NULL :
					       fork_vec + f->vec_off);
		sys_mprotect((void *)t, len, f->prot);
		if (rsys_err(sys_mremap((void *)t, len, len,
					MREMAP_MAYMOVE | MREMAP_FIXED,
					(void *)f->start))) {
			sys_munmap((void *)t, len);
			report(f, RUNP_R_FORK_FAILED, 0);
			continue;
		}
		reg_remove(f->start, f->end);
		report(f, RUNP_R_FORK, pages);
	}
	/* a region too fragmented to plan: the child shares it */
	if (plan_overflow)
		report(&plan[nplan - 1], RUNP_R_FORK_FAILED, 0);
	if (sync_pipe[1] >= 0) {
		rsys(SYS_write, sync_pipe[1], "x", 1);
		sys_close(sync_pipe[1]);
		sys_close(sync_pipe[0]);
		sync_pipe[0] = sync_pipe[1] = -1;
	}
	reg_lock_reset();
	ivp_restore(&fork_mask);
}

static void parent(void)
{
	if (sync_pipe[1] >= 0) {
		char c;
		long n;

		sys_close(sync_pipe[1]);
		do
			n = rsys(SYS_read, sync_pipe[0], &c, 1);
		while (n == -EINTR);
		sys_close(sync_pipe[0]);
		sync_pipe[0] = sync_pipe[1] = -1;
	}
	reg_unlock(&fork_mask);
}

void ivp_fork_init(void)
{
	pthread_atfork(prepare, parent, child);
}
