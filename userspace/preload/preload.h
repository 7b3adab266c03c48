/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The preload library of "ivma run" (libivma-preload.so): its internal
 * interfaces. Which mappings it routes, and why, is in
 * Documentation/programs-run.md and ivma(8).
 *
 * Rules for all of it: inside a hook, no malloc, no stdio, no locks but
 * the table's (taken with every signal blocked), raw system calls only
 * (sys.h), errno restored unless the hook itself fails.
 */
#ifndef IVMA_PRELOAD_H
#define IVMA_PRELOAD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "proto.h"

#define IVP_EXPORT	__attribute__((visibility("default")))

/* --- state (init.c) --- */
extern struct runc ivp_conf;
extern int ivp_active;		/* configured and connected */
extern size_t ivp_page;
extern uint64_t ivp_max_size;	/* the module's, once known (0: not yet) */
extern char ivp_program[RUNP_PATH_MAX];

static inline uintptr_t ivp_round_up(uintptr_t v)
{
	return (v + ivp_page - 1) & ~(uintptr_t)(ivp_page - 1);
}

/* --- the table of routed mappings (regions.c) --- */
#define REG_FILE	(1U << 0)	/* a file-backed object */
#define REG_ANON	(1U << 1)	/* an anonymous object */
#define REG_SHARED	(1U << 2)	/* the program asked for MAP_SHARED */
#define REG_MALLOC	(1U << 3)	/* a malloc() block */
#define REG_DONTFORK	(1U << 4)	/* MADV_DONTFORK */
#define REG_WIPEONFORK	(1U << 5)	/* MADV_WIPEONFORK (emulated) */
#define REG_SHWRITE	(1U << 6)	/* shared writable: written back */
#define REG_TAIL	(1U << 7)	/* native pages past the end of file */

struct region {
	uintptr_t start, end;	/* [start, end), page-aligned */
	uint64_t obj;		/* the object's id (0 for REG_TAIL) */
	uint64_t file_off;	/* REG_FILE, REG_TAIL: file offset of start */
	uint32_t flags;		/* REG_* */
	int file;		/* REG_FILE, REG_TAIL: rfile index, or -1 */
};

#define IVP_MAX_REGIONS	4096
#define IVP_MAX_FILES	256

extern struct region ivp_regions[IVP_MAX_REGIONS];
extern int ivp_nregions;

/* Takes the table's lock with every signal blocked (*@old: the mask). */
void reg_lock(sigset_t *old);
void reg_unlock(const sigset_t *old);
/* The lock alone, signals left as they are (blocked by the caller). */
void reg_drop_lock(void);
void reg_take_lock(void);
/* After fork, in the child: the lock as if never taken. */
void reg_lock_reset(void);

/* The rest: with the lock held. */
int reg_insert(const struct region *r);	/* 0, or -1 when full */
/* Forgets [a, b) (munmap, MAP_FIXED over it): trims and splits entries. */
void reg_remove(uintptr_t a, uintptr_t b);
/* The index of the first entry overlapping [a, b) from @from, or -1. */
int reg_overlap(uintptr_t a, uintptr_t b, int from);
/* The entry holding address @a, or NULL. */
struct region *reg_find(uintptr_t a);

/* Files kept open for routed file mappings (mremap falls back to them). */
int rfile_add(int fd);		/* a dup of @fd: its index, or -1 */
void rfile_ref(int idx);
void rfile_put(int idx);
int rfile_fd(int idx);

/* --- talking to ivma run (route.c) --- */
/*
 * ivp_native - reports a mapping left native: to the parent (RUNP_NATIVE),
 * or, when not connected, as one line on standard error.
 */
void ivp_native(struct runp_msg *m, unsigned int reason, int err);
/* This thread's message buffer (the hooks run with signals blocked). */
struct runp_msg *ivp_msg(void);
/* Fills the common part of a message (pid, tid, comm, program, time). */
void ivp_msg_init(struct runp_msg *m, unsigned int type);
/* Copies at most @n - 1 bytes of @src and a NUL into @dst. */
void ivp_strlcpy(char *dst, const char *src, size_t n);
/* Appends the decimal @v to the string @dst of capacity @n. */
void ivp_strcat_u64(char *dst, uint64_t v, size_t n);
void ivp_strcat(char *dst, const char *src, size_t n);

/*
 * route_file, route_anon - make the mapping an object. Return 1 with the
 * mapping's address in *@res, or 0: the caller does the native mmap() (a
 * RUNP_NATIVE notice has been sent when the user should know).
 */
int route_file(void *addr, size_t len, int prot, int flags, int fd,
	       long off, long *res);
int route_anon(void *addr, size_t len, int prot, int flags,
	       uint32_t rflags, long *res);

/* Blocks every signal (*@old: the mask before); ivp_restore() undoes. */
void ivp_block(sigset_t *old);
void ivp_restore(const sigset_t *old);

/* --- /proc/self/maps (maps.c) --- */
struct maps_piece {
	uintptr_t start, end;
	int prot;
	int device;		/* a mapping of the ivma device */
};

/*
 * maps_pieces - the VMAs that overlap [a, b), clipped to it, in address
 * order: at most @max into @out. Returns how many, or -errno.
 */
int maps_pieces(uintptr_t a, uintptr_t b, struct maps_piece *out, int max);

/* --- copying memory (copy.c) --- */
/* Is the page at @p all zeros? */
int ivp_page_is_zero(const void *p);
/*
 * ivp_copy_range - copies [src, src + len) to @dst page by page, skipping
 * pages that read as zero (@dst must read as zero) and, when @vec is not
 * NULL, pages whose byte in @vec (mincore()) has bit 0 clear. Pieces of
 * the source without PROT_READ are made readable first and left so (the
 * callers unmap the source). Returns the pages written, or -errno.
 */
long ivp_copy_range(void *dst, void *src, size_t len,
		    const unsigned char *vec);

/*
 * ivp_zero_range - writes zeros over the pages of [a, b) that are not zero
 * (MADV_DONTNEED of private memory), whatever their protections; with
 * @use_mincore, pages without a page table entry are taken as zero (true
 * of an object without a budget: its pages leave only by munmap). Returns
 * the pages zeroed, or a negative value.
 */
long ivp_zero_range(uintptr_t a, uintptr_t b, int use_mincore);

/* --- fork (fork.c) --- */
void ivp_fork_init(void);

#endif /* IVMA_PRELOAD_H */
