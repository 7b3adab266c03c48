// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - events: every fault and life-cycle step of an object is counted
 * here, turned into a struct ivma_record, sent to the object's log readers
 * (log.c) and fired as a tracepoint (trace.h). Documentation/log.md
 * (section 3) lists the kinds and who emits each.
 */
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "ivma.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static void ivma_event_trace(const struct ivma_record *rec)
{
	/* trace.h prints the access bits by these numbers */
	BUILD_BUG_ON(IVMA_TRACE_ACCESS_R != IVMA_ACCESS_READ);
	BUILD_BUG_ON(IVMA_TRACE_ACCESS_W != IVMA_ACCESS_WRITE);
	BUILD_BUG_ON(IVMA_TRACE_ACCESS_X != IVMA_ACCESS_EXEC);
	BUILD_BUG_ON(IVMA_TRACE_ACCESS_U != IVMA_ACCESS_USER);
	BUILD_BUG_ON(IVMA_TRACE_ACCESS_S != IVMA_ACCESS_SHARED);

	switch (rec->kind) {
	case IVMA_EV_ZERO_FILL:
	case IVMA_EV_FILE_READ:
	case IVMA_EV_ZERO_PAD:
	case IVMA_EV_RESIDENT:
		trace_fault(rec);
		break;
	case IVMA_EV_COW:
		trace_cow(rec);
		break;
	case IVMA_EV_DIRTY:
		trace_dirty(rec);
		break;
	case IVMA_EV_WRITEBACK:
		trace_writeback(rec);
		break;
	case IVMA_EV_EVICT:
		trace_evict(rec);
		break;
	case IVMA_EV_SWAP_OUT:
		trace_swap_out(rec);
		break;
	case IVMA_EV_SWAP_IN:
		trace_swap_in(rec);
		break;
	case IVMA_EV_SKIP_PINNED:
		trace_skip_pinned(rec);
		break;
	case IVMA_EV_NO_SWAP:
		trace_no_swap(rec);
		break;
	case IVMA_EV_USER_CAP:
		trace_user_cap(rec);
		break;
	case IVMA_EV_SWAP_QUOTA:
		trace_swap_quota(rec);
		break;
	case IVMA_EV_OBJ_CREATE:
	case IVMA_EV_OBJ_DESTROY:
		trace_object(rec);
		break;
	case IVMA_EV_MMAP:
	case IVMA_EV_VMA_OPEN:
	case IVMA_EV_VMA_CLOSE:
		trace_vma(rec);
		break;
	}
}

/* Is any of the module's tracepoints enabled? (static keys: no loads) */
static bool ivma_event_traced(void)
{
	return trace_fault_enabled() || trace_cow_enabled() ||
	       trace_dirty_enabled() || trace_writeback_enabled() ||
	       trace_evict_enabled() || trace_swap_out_enabled() ||
	       trace_swap_in_enabled() || trace_skip_pinned_enabled() ||
	       trace_no_swap_enabled() || trace_user_cap_enabled() ||
	       trace_swap_quota_enabled() || trace_object_enabled() ||
	       trace_vma_enabled();
}

/**
 * ivma_event_wanted() - does anyone take records of @obj's events now?
 * @obj: the object
 *
 * True when the log is on and @obj or the whole system has a reader, or
 * when a tracepoint of the module is enabled. Only then is an event worth
 * a clock read and a record; its counters are kept in any case.
 */
bool ivma_event_wanted(struct ivma_object *obj)
{
	return ivma_log_wanted(obj) || ivma_event_traced();
}

/**
 * ivma_event_start() - the start time of a timed event, if it is wanted
 * @obj: the object
 *
 * Return: ktime_get_ns(), or 0 (not timed: latency_ns 0) when nobody
 * takes @obj's records now, so that an unobserved fault reads no clock.
 */
u64 ivma_event_start(struct ivma_object *obj)
{
	return ivma_event_wanted(obj) ? ktime_get_ns() : 0;
}

/**
 * ivma_event_emit() - count, log and trace one event of @obj
 * @obj: the object the event belongs to
 * @ev: what happened
 *
 * Called from the fault path: never sleeps, never fails, never waits for
 * a log reader. The counters always move; the clock is read (once) and the
 * record built only when ivma_event_wanted().
 *
 * Return: the record's time_ns, which a further event of the same fault
 * may take as its start; 0 when no record was made.
 */
u64 ivma_event_emit(struct ivma_object *obj, const struct ivma_event *ev)
{
	struct ivma_record rec;
	u64 now;

	if (WARN_ON_ONCE(ev->kind >= IVMA_EV_MAX))
		return 0;
	atomic64_inc(&obj->events[ev->kind]);
	atomic64_inc(&ivma_dev.events[ev->kind]);
	if (!ivma_event_wanted(obj))
		return 0;

	now = ktime_get_ns();
	rec = (struct ivma_record) {
		.time_ns = now,
		.object = obj->id,
		.address = ev->address,
		.pgoff = ev->index,
		.aux = ev->aux,
		.pid = task_tgid_nr(current),
		.tid = task_pid_nr(current),
		/* a reader that came in mid-fault sees 0: not timed */
		.latency_ns = ev->start_ns ?
			min_t(u64, now - ev->start_ns, U32_MAX) : 0,
		.kind = ev->kind,
		.access = ev->access,
		.outcome = ev->outcome,
		.version = IVMA_RECORD_VERSION,
	};
	ivma_event_trace(&rec);
	ivma_log_push(obj, &rec);
	return now;
}

/**
 * ivma_event_simple() - an event with no access, timing or extra data
 * @obj: the object
 * @kind: enum ivma_event_kind
 * @index: object page offset, or 0 for object-wide events
 */
void ivma_event_simple(struct ivma_object *obj, enum ivma_event_kind kind,
		       pgoff_t index)
{
	struct ivma_event ev = {
		.kind = kind,
		.index = index,
	};

	ivma_event_emit(obj, &ev);
}
