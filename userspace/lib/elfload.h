/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space ELF loader of "ivma exec", for x86-64: opening and
 * checking a program and its interpreter, reserving address ranges that do
 * not collide with the loader's own mappings, and handing the process over
 * to the program (what execve(2) does after mapping: the process's name,
 * its memory map description, its file descriptors and signals, then the
 * jump to the entry point). Mapping the segments themselves is the
 * caller's business (exec.c maps ivma objects there).
 */
#ifndef IVMA_ELFLOAD_H
#define IVMA_ELFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "elfimage.h"
#include "elfstack.h"

/* Return values of elf_file_open() and elf_reserve() */
#define ELF_ERR_SYS	(-1)	/* a system call failed */
#define ELF_ERR_BAD	(-2)	/* bad input: not an executable we run */

struct elf_file {
	char *path;			/* as opened */
	int fd;				/* O_RDONLY | O_CLOEXEC */
	uint64_t size;
	struct elf_image img;
	char interp[ELF_INTERP_MAX];	/* the PT_INTERP path, if any */
};

/*
 * elf_file_open - opens @path, checks that it is a regular file the
 * caller may execute, on a file system not mounted noexec, and checks its
 * ELF headers (elfimage.h) for pages of @page_size. Returns 0, or
 * ELF_ERR_BAD / ELF_ERR_SYS with a message in @err.
 */
int elf_file_open(struct elf_file *f, const char *path, uint64_t page_size,
		  char *err, size_t errsz);
void elf_file_close(struct elf_file *f);

/*
 * elf_find_program - the file that execvp(3) would run for @name: @name
 * itself when it has a '/', else the first executable regular file of
 * that name in $PATH (default "/usr/local/bin:/usr/bin:/bin"). Returns a
 * new string, or NULL with a message in @err (and *@bad set: not found,
 * not executable).
 */
char *elf_find_program(const char *name, char *err, size_t errsz);

/*
 * elf_reserve - reserves (PROT_NONE) the address range of @img, where
 * ivma maps nothing: its fixed addresses for ET_EXEC (failing when they
 * collide with a mapping of ivma itself), else a range aligned to its
 * largest p_align, at @hint when that is free (0: anywhere). *@bias gets
 * the load bias (0 for ET_EXEC). Returns 0, or ELF_ERR_BAD / ELF_ERR_SYS
 * with a message.
 */
int elf_reserve(const struct elf_image *img, uint64_t page_size,
		uint64_t hint, uint64_t *bias, char *err, size_t errsz);
/* Unmaps the reservation of @img at @bias. */
void elf_unreserve(const struct elf_image *img, uint64_t page_size,
		   uint64_t bias);
/*
 * elf_unmap_holes - after the segments are mapped over the reservation:
 * unmaps its pages that no segment covers, as execve leaves them.
 */
void elf_unmap_holes(const struct elf_image *img, uint64_t page_size,
		     uint64_t bias);
/*
 * elf_self_auxv - the loader's own auxiliary vector, from /proc/self/auxv,
 * into @v (at most @max entries, AT_NULL left out). Returns the count (0
 * when it cannot be read).
 */
size_t elf_self_auxv(struct elf_auxv *v, size_t max);

/* PROT_* of a segment's p_flags. */
int elf_seg_prot(const struct elf_seg *s);

/*
 * What the process becomes: the program's stack, entry point and memory
 * map description (for /proc/PID/stat, cmdline, environ and auxv).
 */
struct elf_handover {
	const char *comm;		/* the process's new name (15 bytes) */
	struct elf_stack_out stack;
	uint64_t entry;			/* where to jump */
	uint64_t start_code, end_code;	/* of the program, biased */
	uint64_t start_data, end_data;
	uint64_t start_brk;		/* past its last segment */
	bool set_mm;			/* try prctl(PR_SET_MM_MAP) */
	const char *exe_path;		/* for /proc/PID/exe, or NULL */
};

/*
 * elf_handover - makes the process the program's and jumps to it: closes
 * every file descriptor marked close-on-exec (as execve does: ivma's
 * own), sets the name, resets caught signals to their default,
 * unregisters ivma's rseq area, describes the memory map with
 * PR_SET_MM_MAP when the kernel lets it (brk then starts past the
 * program, /proc shows its arguments, environment and auxiliary vector),
 * then, from a page of its own, unmaps ivma's executable, makes
 * @h->exe_path /proc/PID/exe when permitted (CAP_SYS_RESOURCE), clears
 * the FS base and the registers, sets the stack pointer and jumps. Never
 * returns.
 */
IVMA_NORETURN void elf_handover(const struct elf_handover *h);

#endif /* IVMA_ELFLOAD_H */
