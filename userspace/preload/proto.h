/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma run: what the preload library (libivma-preload.so, in the program)
 * and the "ivma run" parent say to each other. Documentation/programs-run.md
 * describes the design; in short:
 *
 *  - The parent creates a SOCK_SEQPACKET socket pair, keeps one end and
 *    leaves the other open across execve() in the program, at the fd and
 *    with the inode that the configuration ($IVMA_RUN, conf.h) names.
 *  - For each mapping it routes, the library creates the object (open,
 *    IVMA_IOC_API, IVMA_IOC_CONFIGURE, IVMA_IOC_SET_BUDGET), then sends a
 *    RUNP_OBJECT message with SCM_RIGHTS: the object's fd, the write end of
 *    a pipe for the reply, and for a file the program's own fd of it. The
 *    parent opens the object's log reader (IVMA_IOC_LOG_OPEN: the ring is
 *    charged to the parent, not to the program), keeps the file fd to
 *    check at the end that the file did not change, and writes a
 *    struct runp_reply to the pipe. Only then does the library mmap() the
 *    object, so the reader sees every event from the MMAP on.
 *  - A mapping left native that the user chose (or that the library had to
 *    leave native) is a RUNP_NATIVE message without fds and without reply.
 *
 * Both sides are built from the same tree: a message with another magic,
 * version or size is refused by the parent.
 */
#ifndef IVMA_RUN_PROTO_H
#define IVMA_RUN_PROTO_H

#include <stdint.h>

#define RUNP_MAGIC	0x4e555249U	/* "IRUN" */
#define RUNP_VERSION	1
#define RUNP_PATH_MAX	4096
#define RUNP_NOTE_MAX	256

/* runp_msg.type */
enum runp_type {
	RUNP_OBJECT	= 1,	/* fds: object, reply pipe[, file]; a reply */
	RUNP_NATIVE	= 2,	/* no fds, no reply */
};

/* runp_msg.kind */
enum runp_kind {
	RUNP_KIND_FILE	= 1,
	RUNP_KIND_ANON	= 2,
};

/* runp_msg.flags */
#define RUNP_F_SHARED	(1U << 0)	/* the program asked for MAP_SHARED */
#define RUNP_F_MALLOC	(1U << 1)	/* a malloc() block, not an mmap() */
#define RUNP_F_MREMAP	(1U << 2)	/* made by an mremap() that grew one */
#define RUNP_F_FORK	(1U << 3)	/* RUNP_NATIVE: the copy made at fork */

/*
 * runp_msg.reason of RUNP_NATIVE: why a mapping is not (or no longer) an
 * object. The parent turns it into the text of ivma(8) and the capture.
 */
enum runp_reason {
	RUNP_R_NONE = 0,
	RUNP_R_SHARED_WRITE,	/* MAP_SHARED + PROT_WRITE without --shared-write */
	RUNP_R_NOT_REGULAR,	/* a chosen path that is not a regular file */
	RUNP_R_PAST_EOF,	/* the whole mapping lies past the end of file */
	RUNP_R_FLAGS,		/* MAP_LOCKED, MAP_HUGETLB, MAP_GROWSDOWN */
	RUNP_R_REFUSED,		/* the module refused (err: the errno) */
	RUNP_R_NO_READER,	/* the parent could not open a log reader */
	RUNP_R_TABLE_FULL,	/* the library's table of mappings is full */
	RUNP_R_MREMAP,		/* mremap() grew a file mapping: now native */
	RUNP_R_FORK,		/* fork(): the child's copy is native */
	RUNP_R_FORK_FAILED,	/* fork(): no memory for the child's copy */
	RUNP_R_TOO_BIG,		/* larger than the module's max_size */
	RUNP_R_NR
};

/* One message, library to parent (fixed size). */
struct runp_msg {
	uint32_t magic;		/* RUNP_MAGIC */
	uint16_t version;	/* RUNP_VERSION */
	uint16_t type;		/* enum runp_type */
	uint32_t msg_size;	/* sizeof(struct runp_msg) */
	uint32_t kind;		/* enum runp_kind */
	uint32_t flags;		/* RUNP_F_* */
	uint32_t reason;	/* enum runp_reason (RUNP_NATIVE) */
	int32_t err;		/* an errno that goes with the reason, or 0 */
	uint32_t pid;
	uint32_t tid;
	uint32_t prot;		/* the program's PROT_* */
	uint32_t mflags;	/* the program's MAP_* */
	uint32_t reserved;
	uint64_t object;	/* the object's id (RUNP_OBJECT; FORK: the old) */
	uint64_t address;	/* the address asked for (or of the mapping) */
	uint64_t length;	/* the program's mapping length, bytes */
	uint64_t size;		/* the object's size, bytes */
	uint64_t file_offset;	/* FILE: the section's offset */
	uint64_t section_len;	/* FILE: the section's length */
	uint64_t pages;		/* FORK: pages copied */
	uint64_t time_ns;	/* CLOCK_MONOTONIC when sent */
	char comm[16];		/* the process's command name */
	char note[RUNP_NOTE_MAX];	/* free text, NUL-terminated */
	char program[RUNP_PATH_MAX];	/* /proc/self/exe */
	char path[RUNP_PATH_MAX];	/* FILE, NATIVE: the file */
};

/* The parent's answer to RUNP_OBJECT, written to the reply pipe. */
struct runp_reply {
	uint32_t magic;		/* RUNP_MAGIC */
	int32_t status;		/* 0: the reader is open; else an errno */
	uint64_t object;	/* the object's id as the parent saw it */
};

#endif /* IVMA_RUN_PROTO_H */
