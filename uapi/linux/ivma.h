/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ivma - instrumented VMAs: the user-space interface of /dev/ivma.
 *
 * Every open() of /dev/ivma creates one object. The object is set up with
 * IVMA_IOC_API (a handshake, once: EBUSY after) and IVMA_IOC_CONFIGURE
 * (once, after the handshake: EBUSY after), then mapped with mmap().
 * IVMA_IOC_QUERY reports configuration and counters, in any state.
 *
 * mmap(fd, offset, length) maps object bytes [offset, offset + length):
 * EINVAL before configure, ENXIO past the object's end. A shared writable
 * mapping of a file-backed object needs a backing fd open for writing (and
 * a file that is not append-only): EACCES otherwise, as for a file opened
 * read-only. O_APPEND on that fd does not matter: the object writes back
 * in place through its own open file. mremap() may move or shrink a mapping but
 * not grow it (EFAULT).
 *
 * All structures use fixed-width types, explicit padding and reserved
 * fields. Reserved fields must be zero on input and are zero on output;
 * unknown flags are rejected with EINVAL. See Documentation/uapi.md.
 */
#ifndef _UAPI_LINUX_IVMA_H
#define _UAPI_LINUX_IVMA_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define IVMA_API_VERSION	1

/* Features that IVMA_IOC_API may report; none is optional in version 1. */
#define IVMA_FEATURE_FILE_BACKED	_BITULL(0)	/* IVMA_CONFIG_FILE */
#define IVMA_FEATURE_LOG		_BITULL(1)	/* IVMA_IOC_LOG_OPEN */
#define IVMA_FEATURE_PAGING		_BITULL(2)	/* IVMA_IOC_SET_BUDGET */
#define IVMA_FEATURE_ALL		(IVMA_FEATURE_FILE_BACKED | \
					 IVMA_FEATURE_LOG | \
					 IVMA_FEATURE_PAGING)

/**
 * struct ivma_api - the version/feature handshake (IVMA_IOC_API)
 * @api: in: IVMA_API_VERSION (EINVAL otherwise); out: the same.
 * @reserved0: in: zero.
 * @features: in: features the caller needs (EINVAL if any is unknown);
 *	out: every feature this module supports.
 * @ioctls: out: bit n set when the ioctl with _IOC_NR n is available.
 * @max_size: out: the largest object size in bytes (module parameter
 *	max_object_mb).
 * @page_size: out: the page size in bytes.
 * @reserved1: in: zero.
 * @reserved: in: zero; out: zero.
 */
struct ivma_api {
	__u32 api;
	__u32 reserved0;
	__u64 features;
	__u64 ioctls;
	__u64 max_size;
	__u32 page_size;
	__u32 reserved1;
	__u64 reserved[4];
};

/* ivma_config.flags */
#define IVMA_CONFIG_FILE	_BITUL(0)	/* backed by a file section */
#define IVMA_CONFIG_FLAGS_ALL	(IVMA_CONFIG_FILE)

/**
 * struct ivma_config - the object's shape (IVMA_IOC_CONFIGURE)
 * @size: object size in bytes: a multiple of the page size, > 0 and at
 *	most ivma_api.max_size.
 * @flags: IVMA_CONFIG_*.
 * @fd: with IVMA_CONFIG_FILE, a regular file open for reading; it may be
 *	mapped shared and writable only if it is also open for writing and
 *	the inode is not append-only (checked at mmap: EACCES). Otherwise -1.
 * @file_offset: with IVMA_CONFIG_FILE, page-aligned offset of the section
 *	in the file; otherwise 0.
 * @section_len: with IVMA_CONFIG_FILE, section length in bytes, > 0 and
 *	at most @size (need not be page-aligned: the tail of the last
 *	section page is zero); otherwise 0. Object pages past the section
 *	are zero padding. Section bytes past the file's end read as zeros.
 * @reserved: zero.
 */
struct ivma_config {
	__u64 size;
	__u32 flags;
	__s32 fd;
	__u64 file_offset;
	__u64 section_len;
	__u64 reserved[4];
};

/*
 * Event kinds. They name the fault log's records (Documentation/log.md)
 * and index ivma_info.events[], which counts every event of the object.
 */
enum ivma_event_kind {
	IVMA_EV_NONE		= 0,
	/* .fault of a page that was not resident in the object */
	IVMA_EV_ZERO_FILL	= 1,	/* anonymous page: demand-zero */
	IVMA_EV_FILE_READ	= 2,	/* file-section page read from file */
	IVMA_EV_ZERO_PAD	= 3,	/* page past the file section: zeros */
	/* .fault of a page already resident in the object */
	IVMA_EV_RESIDENT	= 4,
	/* write fault of a private mapping: the core copied the page */
	IVMA_EV_COW		= 5,
	/* first write to a shared page (.page_mkwrite): page now dirty */
	IVMA_EV_DIRTY		= 6,
	/* a dirty page written to the backing file */
	IVMA_EV_WRITEBACK	= 7,
	/* paging (frame budgets, Documentation/paging.md) */
	IVMA_EV_EVICT		= 8,	/* a page left the object's frames */
	IVMA_EV_SWAP_OUT	= 9,	/* a dirty page written to a slot */
	IVMA_EV_SWAP_IN		= 10,	/* .fault of a swapped-out page */
	IVMA_EV_SKIP_PINNED	= 11,
	IVMA_EV_NO_SWAP		= 12,
	/* per-user limits (Documentation/security.md): the fault gets SIGBUS */
	IVMA_EV_USER_CAP	= 13,	/* the user holds max_user_mb */
	IVMA_EV_SWAP_QUOTA	= 14,	/* the user holds its swap_user_pct */
	/* life cycle */
	IVMA_EV_OBJ_CREATE	= 16,
	IVMA_EV_OBJ_DESTROY	= 17,
	IVMA_EV_MMAP		= 18,	/* a VMA created by mmap() */
	IVMA_EV_VMA_OPEN	= 19,	/* a VMA copied (fork) or split */
	IVMA_EV_VMA_CLOSE	= 20,	/* a VMA gone (munmap, exit) */
	/* the log itself: records lost before the next one */
	IVMA_EV_LOST		= 24,
	IVMA_EV_MAX		= 32,	/* size of ivma_info.events[] */
};

/*
 * The event kinds as one list, X(NAME, name, description) each: the
 * constant IVMA_EV_<NAME> above, the name every tool, tracepoint and
 * debugfs table spells it with, and what it means. Define X and expand
 * IVMA_EVENT_KINDS(X) to build a table; it holds every kind but
 * IVMA_EV_NONE and IVMA_EV_MAX, in enum order.
 */
#define IVMA_EVENT_KINDS(X)						\
	X(ZERO_FILL,	"zero-fill",	"anonymous page: demand-zero")	\
	X(FILE_READ,	"file-read",	"page read from the file")	\
	X(ZERO_PAD,	"zero-pad",	"page past the file section: zeros") \
	X(RESIDENT,	"resident",	"fault of a resident page")	\
	X(COW,		"cow",		"write fault of a private mapping: copied") \
	X(DIRTY,	"dirty",	"first write to a shared page")	\
	X(WRITEBACK,	"writeback",	"dirty page written to the file") \
	X(EVICT,	"evict",	"page evicted")			\
	X(SWAP_OUT,	"swap-out",	"page swapped out")		\
	X(SWAP_IN,	"swap-in",	"page swapped in")		\
	X(SKIP_PINNED,	"skip-pinned",	"pinned page skipped by eviction") \
	X(NO_SWAP,	"no-swap",	"no swap space for an eviction") \
	X(USER_CAP,	"user-cap",	"the user's page cap reached: SIGBUS") \
	X(SWAP_QUOTA,	"swap-quota",	"the user's swap quota reached: SIGBUS") \
	X(OBJ_CREATE,	"obj-create",	"object created")		\
	X(OBJ_DESTROY,	"obj-destroy",	"object destroyed")		\
	X(MMAP,		"mmap",		"VMA created by mmap()")	\
	X(VMA_OPEN,	"vma-open",	"VMA copied (fork) or split")	\
	X(VMA_CLOSE,	"vma-close",	"VMA gone (munmap, exit)")	\
	X(LOST,		"lost",		"log records lost")

/* ivma_info.state */
#define IVMA_STATE_API		_BITUL(0)	/* handshake done */
#define IVMA_STATE_CONFIGURED	_BITUL(1)
#define IVMA_STATE_MAPPED	_BITUL(2)	/* mmap()ed at least once */

/**
 * struct ivma_info - configuration and counters (IVMA_IOC_QUERY)
 * @id: the object's id, unique while the module is loaded.
 * @state: IVMA_STATE_*.
 * @flags: ivma_config.flags as configured.
 * @size: object size in bytes.
 * @file_offset: section offset in the backing file.
 * @section_len: section length in bytes.
 * @resident: pages resident in the object now.
 * @dirty: resident pages written since their last write-back.
 * @vmas: VMAs that map the object now, in all processes.
 * @page_size: the page size in bytes (@resident and @dirty count pages).
 * @faults: calls of the fault handler (.fault).
 * @read_faults: of those, faults of a read access.
 * @write_faults: of those, faults of a write access.
 * @exec_faults: of those, faults of an instruction fetch.
 * @sigbus: faults answered with SIGBUS (e.g. a read error of the file).
 * @oom: faults answered with VM_FAULT_OOM (no memory).
 * @read_errors: failed reads of the backing file or of a swap slot.
 * @write_errors: failed writes to the backing file or to a swap slot.
 * @bytes_read: bytes read from the backing file.
 * @bytes_written: bytes written to the backing file.
 * @frames: the frame budget (0: unlimited).
 * @swapped: pages of the object in the swap area now.
 * @policy: enum ivma_policy.
 * @budget_flags: ivma_budget.flags as last set (IVMA_BUDGET_*).
 * @reserved: zero.
 * @events: events of the object by kind (enum ivma_event_kind); entries
 *	of unassigned kinds are zero.
 */
struct ivma_info {
	__u64 id;
	__u32 state;
	__u32 flags;
	__u64 size;
	__u64 file_offset;
	__u64 section_len;
	__u64 resident;
	__u64 dirty;
	__u32 vmas;
	__u32 page_size;
	__u64 faults;
	__u64 read_faults;
	__u64 write_faults;
	__u64 exec_faults;
	__u64 sigbus;
	__u64 oom;
	__u64 read_errors;
	__u64 write_errors;
	__u64 bytes_read;
	__u64 bytes_written;
	__u64 frames;
	__u64 swapped;
	__u32 policy;
	__u32 budget_flags;
	__u64 reserved[2];
	__u64 events[IVMA_EV_MAX];
};

/* ivma_record.access: what the access was (VMA records: the protections) */
#define IVMA_ACCESS_READ	_BITUL(0)
#define IVMA_ACCESS_WRITE	_BITUL(1)
#define IVMA_ACCESS_EXEC	_BITUL(2)	/* instruction fetch */
#define IVMA_ACCESS_USER	_BITUL(3)	/* from user mode */
#define IVMA_ACCESS_SHARED	_BITUL(4)	/* VMA records: MAP_SHARED */

/* ivma_record.outcome */
enum ivma_outcome {
	IVMA_OUTCOME_OK		= 0,	/* page mapped / event done */
	IVMA_OUTCOME_SIGBUS	= 1,	/* the access gets SIGBUS */
	IVMA_OUTCOME_OOM	= 2,	/* VM_FAULT_OOM */
	IVMA_OUTCOME_RETRY	= 3,	/* the access faults again */
	IVMA_OUTCOME_IO_ERROR	= 4,	/* write-back failed: msync/fsync fail */
};

#define IVMA_RECORD_VERSION	1

/**
 * struct ivma_record - one event, as read() from a log reader (64 bytes)
 * @seq: the reader's sequence number: every record produced for this
 *	reader takes the next one, delivered or lost, so a gap is a loss.
 *	An IVMA_EV_LOST record carries the first lost number.
 * @time_ns: CLOCK_MONOTONIC time of the event, in ns.
 * @object: the object's id (ivma_info.id).
 * @address: faulting user address; VMA records: the VMA's start; else 0.
 * @pgoff: object page offset; VMA records: the VMA's first page.
 * @aux: IVMA_EV_LOST: records lost; VMA records: the VMA's length in
 *	pages; IVMA_EV_WRITEBACK: bytes written; IVMA_EV_SWAP_OUT and
 *	IVMA_EV_SWAP_IN: the swap slot; IVMA_EV_EVICT: 1 if the page went
 *	to a swap slot, 0 if it was dropped clean (a dirty file page is
 *	written back first, a writeback record, then dropped); otherwise 0.
 * @pid: thread group id of the task that caused the event (for
 *	IVMA_EV_VMA_OPEN on fork: the parent).
 * @tid: thread id of that task.
 * @latency_ns: time spent in the handler, ns (saturates at 2^32 - 1).
 * @kind: enum ivma_event_kind.
 * @access: IVMA_ACCESS_* bits (IVMA_EV_DIRTY: IVMA_ACCESS_WRITE only; the
 *	core does not say there whether the write came from user mode).
 * @outcome: enum ivma_outcome.
 * @version: IVMA_RECORD_VERSION.
 */
struct ivma_record {
	__u64 seq;
	__u64 time_ns;
	__u64 object;
	__u64 address;
	__u64 pgoff;
	__u64 aux;
	__u32 pid;
	__u32 tid;
	__u32 latency_ns;
	__u8 kind;
	__u8 access;
	__u8 outcome;
	__u8 version;
};

/* ivma_log_open.flags */
#define IVMA_LOG_SYSTEM		_BITUL(0)	/* all objects: CAP_PERFMON */
#define IVMA_LOG_NONBLOCK	_BITUL(1)	/* the reader fd is O_NONBLOCK */
#define IVMA_LOG_FLAGS_ALL	(IVMA_LOG_SYSTEM | IVMA_LOG_NONBLOCK)

#define IVMA_LOG_SIZE_MIN	4096		/* bytes: 64 records */
#define IVMA_LOG_SIZE_MAX	(64 << 20)	/* bytes: 1 Mi records */

/**
 * struct ivma_log_open - open a log reader (IVMA_IOC_LOG_OPEN)
 * @flags: IVMA_LOG_*. Without IVMA_LOG_SYSTEM, the reader gets the
 *	events of the object of the fd the ioctl is made on.
 * @reserved0: zero.
 * @size: ring size in bytes: a power of two in [IVMA_LOG_SIZE_MIN,
 *	IVMA_LOG_SIZE_MAX], or 0 for the default (debugfs log_default_size).
 * @reserved: zero.
 *
 * The ioctl returns a new file descriptor (O_RDWR, O_CLOEXEC): read()
 * gives whole struct ivma_record (EINVAL for a smaller buffer), blocks
 * until one is there unless O_NONBLOCK (EAGAIN), and poll()/epoll wake
 * when records arrive. read() returns 0 once the object is gone and
 * every record is read. The ring can also be mmap()ed: offset 0, one page,
 * writable: the consumer position (u64); from offset page_size, read-only:
 * a page whose first u64 is the producer position, then the records
 * (record i at index i & (size / 64 - 1)). See Documentation/log.md.
 */
struct ivma_log_open {
	__u32 flags;
	__u32 reserved0;
	__u64 size;
	__u64 reserved[4];
};

/**
 * struct ivma_log_stats - a reader's counters (IVMA_IOC_LOG_STATS)
 * @size: ring size in bytes.
 * @used: records waiting to be read.
 * @produced: event records offered to this reader, ever.
 * @delivered: records consumed from the ring, ever (read() or the mmap
 *	consumer position), IVMA_EV_LOST records included.
 * @lost: event records dropped because the ring was full. Once
 *	everything is read: produced + (LOST records read) = delivered + lost.
 * @reserved: zero.
 */
struct ivma_log_stats {
	__u64 size;
	__u64 used;
	__u64 produced;
	__u64 delivered;
	__u64 lost;
	__u64 reserved[3];
};

/* replacement policies (Documentation/paging.md) */
enum ivma_policy {
	IVMA_POLICY_FIFO	= 0,	/* first in, first out */
	IVMA_POLICY_CLOCK	= 1,	/* second chance, reference bit set on load */
	IVMA_POLICY_LRU		= 2,	/* exact least recently used */
	IVMA_POLICY_NR,
};

/**
 * struct ivma_budget - frames and policy of an object (IVMA_IOC_SET_BUDGET)
 * @frames: the most pages the object may hold resident; 0: unlimited.
 *	Lowering it evicts down to it.
 * @policy: enum ivma_policy.
 * @flags: IVMA_BUDGET_*; unknown bits: EINVAL.
 * @reserved: zero.
 */
struct ivma_budget {
	__u64 frames;
	__u32 policy;
	__u32 flags;
	__u64 reserved[2];
};

/*
 * ivma_budget.flags: IVMA_BUDGET_REFS, reference tracing: only the most
 * recently touched page stays mapped, so every change of page faults and
 * is a record; nothing is evicted (frames must be 0: EINVAL otherwise).
 */
#define IVMA_BUDGET_REFS	_BITUL(0)
#define IVMA_BUDGET_FLAGS_ALL	(IVMA_BUDGET_REFS)

/**
 * struct ivma_swap - the swap area (IVMA_IOC_SET_SWAP, IVMA_IOC_SWAP_INFO)
 * @fd: SET_SWAP: a regular file open for reading and writing whose first
 *	@size bytes become the swap area, or -1 for an area the module owns
 *	(in memory that the kernel itself may swap); INFO: -1.
 * @reserved0: zero.
 * @size: bytes, a multiple of the page size, > 0 (SET_SWAP; bounded by
 *	the file's size for a file). INFO: the area's size.
 * @used: INFO: bytes of it in use. SET_SWAP: zero.
 * @reserved: zero.
 */
struct ivma_swap {
	__s32 fd;
	__u32 reserved0;
	__u64 size;
	__u64 used;
	__u64 reserved[2];
};

#define IVMA_IOC_MAGIC		0xB8

#define IVMA_IOC_NR_API		0x00
#define IVMA_IOC_NR_CONFIGURE	0x01
#define IVMA_IOC_NR_QUERY	0x02
#define IVMA_IOC_NR_LOG_OPEN	0x03
#define IVMA_IOC_NR_LOG_STATS	0x04
#define IVMA_IOC_NR_SET_BUDGET	0x05
#define IVMA_IOC_NR_SET_SWAP	0x06
#define IVMA_IOC_NR_SWAP_INFO	0x07

#define IVMA_IOC_API		_IOWR(IVMA_IOC_MAGIC, IVMA_IOC_NR_API, \
				      struct ivma_api)
#define IVMA_IOC_CONFIGURE	_IOW(IVMA_IOC_MAGIC, IVMA_IOC_NR_CONFIGURE, \
				     struct ivma_config)
#define IVMA_IOC_QUERY		_IOR(IVMA_IOC_MAGIC, IVMA_IOC_NR_QUERY, \
				     struct ivma_info)
/* on an object fd; returns the reader fd */
#define IVMA_IOC_LOG_OPEN	_IOW(IVMA_IOC_MAGIC, IVMA_IOC_NR_LOG_OPEN, \
				     struct ivma_log_open)
#define IVMA_IOC_SET_BUDGET	_IOW(IVMA_IOC_MAGIC, IVMA_IOC_NR_SET_BUDGET, \
				     struct ivma_budget)
/* CAP_SYS_ADMIN; EBUSY while any page is swapped out */
#define IVMA_IOC_SET_SWAP	_IOW(IVMA_IOC_MAGIC, IVMA_IOC_NR_SET_SWAP, \
				     struct ivma_swap)
#define IVMA_IOC_SWAP_INFO	_IOR(IVMA_IOC_MAGIC, IVMA_IOC_NR_SWAP_INFO, \
				     struct ivma_swap)
/* on a reader fd */
#define IVMA_IOC_LOG_STATS	_IOR(IVMA_IOC_MAGIC, IVMA_IOC_NR_LOG_STATS, \
				     struct ivma_log_stats)

#endif /* _UAPI_LINUX_IVMA_H */
