// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - events: every fault and life-cycle step of an object is counted
 * here. The fault log (ring buffer) and tracepoints hang off this point.
 */
#include "ivma.h"

/**
 * ivma_event_emit() - account one event of @obj
 * @obj: the object the event belongs to
 * @ev: what happened
 *
 * Called from the fault path: never sleeps, never fails.
 */
void ivma_event_emit(struct ivma_object *obj, const struct ivma_event *ev)
{
	if (WARN_ON_ONCE(ev->kind >= IVMA_EV_MAX))
		return;
	atomic64_inc(&obj->events[ev->kind]);
}

/**
 * ivma_event_simple() - account an event that has no access or timing
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
