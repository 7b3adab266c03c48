/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma - tracepoints: every event of the log, as ivma:fault, ivma:evict...
 * They carry the same fields as struct ivma_record (no seq: that is per
 * log reader). Documentation/log.md (section 10) has their format.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ivma

#if !defined(_IVMA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _IVMA_TRACE_H

#include <linux/tracepoint.h>
#include <linux/ivma.h>

/* let perf and trace-cmd decode the symbolic names from user space */
#define IVMA_TRACE_ENUM(name, str, desc)	TRACE_DEFINE_ENUM(IVMA_EV_##name);
TRACE_DEFINE_ENUM(IVMA_EV_NONE);
IVMA_EVENT_KINDS(IVMA_TRACE_ENUM)
TRACE_DEFINE_ENUM(IVMA_OUTCOME_OK);
TRACE_DEFINE_ENUM(IVMA_OUTCOME_SIGBUS);
TRACE_DEFINE_ENUM(IVMA_OUTCOME_OOM);
TRACE_DEFINE_ENUM(IVMA_OUTCOME_RETRY);
TRACE_DEFINE_ENUM(IVMA_OUTCOME_IO_ERROR);

/* the kinds of the uapi's list, then NONE: the list's items end in ',' */
#define IVMA_TRACE_KIND(name, str, desc)	{ IVMA_EV_##name, str },
#define ivma_show_kind(k)						\
	__print_symbolic(k, IVMA_EVENT_KINDS(IVMA_TRACE_KIND)		\
			 { IVMA_EV_NONE, "none" })

#define ivma_show_outcome(o)						\
	__print_symbolic(o,						\
		{ IVMA_OUTCOME_OK,	"ok" },				\
		{ IVMA_OUTCOME_SIGBUS,	"sigbus" },			\
		{ IVMA_OUTCOME_OOM,	"oom" },			\
		{ IVMA_OUTCOME_RETRY,	"retry" },			\
		{ IVMA_OUTCOME_IO_ERROR, "io-error" })

/*
 * The access bits as letters, "rwxus" order. Plain numbers, not the uapi's
 * _BITUL() expressions: the format file carries the text of these values,
 * and libtraceevent (perf, trace-cmd) reads numbers, not "1UL << 3".
 * event.c checks at build time that they are IVMA_ACCESS_*.
 */
#define IVMA_TRACE_ACCESS_R	0x01
#define IVMA_TRACE_ACCESS_W	0x02
#define IVMA_TRACE_ACCESS_X	0x04
#define IVMA_TRACE_ACCESS_U	0x08
#define IVMA_TRACE_ACCESS_S	0x10
#define ivma_show_access(a)						\
	__print_flags(a, "",						\
		{ IVMA_TRACE_ACCESS_R, "r" },				\
		{ IVMA_TRACE_ACCESS_W, "w" },				\
		{ IVMA_TRACE_ACCESS_X, "x" },				\
		{ IVMA_TRACE_ACCESS_U, "u" },				\
		{ IVMA_TRACE_ACCESS_S, "s" })

DECLARE_EVENT_CLASS(ivma_record_class,
	TP_PROTO(const struct ivma_record *rec),
	TP_ARGS(rec),

	TP_STRUCT__entry(
		__field(u64, object)
		__field(u64, address)
		__field(u64, pgoff)
		__field(u64, aux)
		__field(u32, latency_ns)
		__field(u8, kind)
		__field(u8, access)
		__field(u8, outcome)
	),

	TP_fast_assign(
		__entry->object = rec->object;
		__entry->address = rec->address;
		__entry->pgoff = rec->pgoff;
		__entry->aux = rec->aux;
		__entry->latency_ns = rec->latency_ns;
		__entry->kind = rec->kind;
		__entry->access = rec->access;
		__entry->outcome = rec->outcome;
	),

	TP_printk("object=%llu kind=%s pgoff=%llu address=0x%llx access=%s outcome=%s latency_ns=%u aux=%llu",
		  __entry->object, ivma_show_kind(__entry->kind),
		  __entry->pgoff, __entry->address,
		  ivma_show_access(__entry->access),
		  ivma_show_outcome(__entry->outcome),
		  __entry->latency_ns, __entry->aux)
);

#define IVMA_DEFINE_EVENT(name)						\
	DEFINE_EVENT(ivma_record_class, name,				\
		TP_PROTO(const struct ivma_record *rec),		\
		TP_ARGS(rec))

/* first touch of a page: zero-fill, file-read, zero-pad, resident */
IVMA_DEFINE_EVENT(fault);
IVMA_DEFINE_EVENT(cow);
IVMA_DEFINE_EVENT(dirty);
IVMA_DEFINE_EVENT(writeback);
IVMA_DEFINE_EVENT(evict);
IVMA_DEFINE_EVENT(swap_out);
IVMA_DEFINE_EVENT(swap_in);
IVMA_DEFINE_EVENT(skip_pinned);
IVMA_DEFINE_EVENT(no_swap);
/* a fault refused at a per-user limit */
IVMA_DEFINE_EVENT(user_cap);
IVMA_DEFINE_EVENT(swap_quota);
/* obj-create, obj-destroy */
IVMA_DEFINE_EVENT(object);
/* mmap, vma-open, vma-close */
IVMA_DEFINE_EVENT(vma);

#endif /* _IVMA_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
