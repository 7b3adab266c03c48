// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - paging: frame budgets and the replacement policy, i.e. which
 * page to evict. Clean victims are dropped here; dirty ones are handed
 * back for page-out (pageout.c). Documentation/paging.md is the essay.
 *
 * An object with a budget of N frames holds at most N pages resident, on
 * obj->lru (through page->lru: the pages are on no LRU of the kernel) in
 * policy order, head first: FIFO load order; LRU recency order, exact,
 * because only the most recently used page stays mapped; CLOCK second
 * chance, the head is the hand and the reference bit is simulated by
 * unmapping. The scan does no I/O (a victim's write-out takes i_rwsem,
 * which comes before mmap_lock): Documentation/paging.md, sections 4, 10.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>

#include "compat.h"
#include "ivma.h"

/* results of ivma_paging_try_evict() */
enum ivma_evict_result {
	IVMA_EVICTED,
	IVMA_SKIPPED,		/* pinned, or busy */
	IVMA_NO_SLOT,		/* needs a swap slot, none free */
	IVMA_NO_QUOTA,		/* needs a swap slot, its user has its quota */
	IVMA_NEED_IO,		/* dirty: must be written out first */
};

/**
 * ivma_paging_add_pglocked() - a page was just populated: put it on the list
 * @obj: the object
 * @index: its page offset
 * @page: the new page, in the store, locked by the caller
 */
void ivma_paging_add_pglocked(struct ivma_object *obj, pgoff_t index,
			      struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	ivma_page_set_index(page, index);
	set_page_private(page, BIT(IVMA_PG_REFERENCED));
	spin_lock(&obj->lru_lock);
	list_add_tail(&page->lru, &obj->lru);
	spin_unlock(&obj->lru_lock);
	ivma_paging_touch_pglocked(obj, index, page);
}

/*
 * IVMA_BUDGET_REFS: @index becomes the most recently used page, the only
 * one left mapped; the previous one is unmapped, so that its next access
 * faults and is a record. One exception keeps the tracing from faulting
 * forever: when the same thread faults again with the same user registers
 * (no instruction completed in between: the same instruction, or the same
 * system call, restarted), that instruction needs both pages at once (it
 * spans a page boundary, or reads one and writes the other), and the
 * previous page stays mapped too (@mru2) until the next change of page.
 * Documentation/paging.md §14.
 */
static void ivma_paging_refs_touch(struct ivma_object *obj, pgoff_t index)
{
	const struct pt_regs *regs = task_pt_regs(current);
	pgoff_t old = ULONG_MAX, old2 = ULONG_MAX;

	spin_lock(&obj->lru_lock);
	if (obj->mru != index) {
		bool same = obj->mru != ULONG_MAX &&
			    obj->mru_tid == current->pid &&
			    !memcmp(&obj->mru_regs, regs, sizeof(*regs));

		if (obj->mru2 != index)
			old2 = obj->mru2;
		if (same) {
			obj->mru2 = obj->mru;
		} else {
			old = obj->mru;
			obj->mru2 = ULONG_MAX;
		}
		obj->mru = index;
	}
	obj->mru_tid = current->pid;
	obj->mru_regs = *regs;
	spin_unlock(&obj->lru_lock);
	if (old != ULONG_MAX)
		ivma_unmap_page(obj, old);
	if (old2 != ULONG_MAX)
		ivma_unmap_page(obj, old2);
}

/**
 * ivma_paging_touch_pglocked() - the page at @index was accessed (it faulted)
 * @obj: the object
 * @index: its page offset
 * @page: the store's page at @index, locked by the caller (so it stays
 *	in the store, and on the list, meanwhile)
 *
 * CLOCK: set the reference bit. LRU: move the page to the tail and unmap
 * the previously most recently used page, so its next access faults too.
 * IVMA_BUDGET_REFS (no budget): the same unmapping, and nothing else.
 */
void ivma_paging_touch_pglocked(struct ivma_object *obj, pgoff_t index,
				struct page *page)
{
	pgoff_t old = ULONG_MAX;

	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	if (READ_ONCE(obj->budget_flags) & IVMA_BUDGET_REFS) {
		ivma_paging_refs_touch(obj, index);
		return;
	}
	if (!READ_ONCE(obj->frames))
		return;

	switch (READ_ONCE(obj->policy)) {
	case IVMA_POLICY_CLOCK:
		set_bit(IVMA_PG_REFERENCED, &page->private);
		break;
	case IVMA_POLICY_LRU:
		spin_lock(&obj->lru_lock);
		list_move_tail(&page->lru, &obj->lru);
		if (obj->mru != index) {
			old = obj->mru;
			obj->mru = index;
		}
		spin_unlock(&obj->lru_lock);
		if (old != ULONG_MAX)
			ivma_unmap_page(obj, old);
		break;
	default:
		break;
	}
}

/**
 * ivma_paging_drop_locked_pglocked() - evict a clean page
 * @obj: the object; the caller holds obj->lock (eviction)
 * @index: its page offset
 * @page: the store's page at @index, locked by the caller, unmapped, clean
 *	and not pinned; unlocked on return
 * @slot: the swap slot that holds its data now, or -1 (dropped clean)
 * @aux: the EVICT record's aux: 1 when it went to a swap slot, else 0
 * @start_ns: ivma_event_start() when the eviction began
 *
 * The page leaves the store and the list, and the store's reference on it
 * is dropped.
 */
void ivma_paging_drop_locked_pglocked(struct ivma_object *obj, pgoff_t index,
				      struct page *page, long slot, u64 aux,
				      u64 start_ns)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_EVICT,
		.index = index,
		.aux = aux,
		.start_ns = start_ns,
	};

	lockdep_assert_held(&obj->lock);
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	ivma_store_replace_pglocked(obj, index, page, slot);
	spin_lock(&obj->lru_lock);
	list_del_init(&page->lru);
	if (obj->mru == index)
		obj->mru = ULONG_MAX;
	if (obj->mru2 == index)
		obj->mru2 = ULONG_MAX;
	spin_unlock(&obj->lru_lock);
	unlock_page(page);
	put_page(page);		/* the store's reference */
	ivma_event_emit(obj, &ev);
}

/*
 * Try to evict @page (at @index; referenced by the caller, on the list)
 * without I/O. Called with obj->lock held; takes and drops the page lock.
 */
static enum ivma_evict_result ivma_paging_try_evict(struct ivma_object *obj,
						    pgoff_t index,
						    struct page *page)
{
	u64 start = ivma_event_start(obj);

	lockdep_assert_held(&obj->lock);

	/* a page locked by someone is in use right now: not a victim */
	if (!trylock_page(page))
		return IVMA_SKIPPED;
	if (!ivma_store_page_is(obj, index, page)) {
		unlock_page(page);
		return IVMA_SKIPPED;
	}
	/*
	 * A page whose copy is still on its way to the file or to a swap
	 * slot: dropping it now would let the next fault read old bytes.
	 */
	if (test_bit(IVMA_PG_WRITEBACK, &page->private)) {
		unlock_page(page);
		return IVMA_SKIPPED;
	}
	ivma_unmap_page(obj, index);
	/* the store's reference and ours: anything more is a pin */
	if (page_count(page) > 2) {
		unlock_page(page);
		ivma_event_simple(obj, IVMA_EV_SKIP_PINNED, index);
		return IVMA_SKIPPED;
	}
	/* written through a pin since its last write-back (see there) */
	if (folio_test_clear_dirty(page_folio(page)))
		ivma_store_mark_dirty_pglocked(obj, index, page);
	if (ivma_store_is_dirty(obj, index)) {
		unlock_page(page);
		/* a dirty anonymous or padding page needs a swap slot */
		if (index >= obj->section_pages) {
			switch (ivma_swap_room(obj)) {
			case -ENOSPC:
				return IVMA_NO_SLOT;
			case -EDQUOT:
				return IVMA_NO_QUOTA;
			}
		}
		return IVMA_NEED_IO;
	}
	ivma_paging_drop_locked_pglocked(obj, index, page, -1, 0, start);
	return IVMA_EVICTED;
}

/**
 * ivma_paging_evict_one_locked() - evict one page, following the policy
 * @obj: the object; the caller holds obj->lock
 * @io: out: with -EAGAIN, the victim to write out before trying again
 *
 * Return: 0 when a page was evicted; -EAGAIN when the policy's victim is
 * dirty and must be written out first (ivma_pageout_victim(), without
 * locks);
 * -ENOSPC when nothing could be evicted for want of a swap slot, -EDQUOT
 * for want of the user's quota of them (ivma_swap_room()); -EBUSY when
 * nothing could be evicted otherwise (pinned, or no page at all).
 */
static int ivma_paging_evict_one_locked(struct ivma_object *obj,
					struct ivma_paging_io *io)
{
	unsigned long scan, tries = 0, nr = atomic64_read(&obj->resident);
	enum ivma_evict_result res;
	int no_slot = 0;
	struct page *page;
	pgoff_t index;

	lockdep_assert_held(&obj->lock);

	/*
	 * Each page is tried at most once; CLOCK may first have to give every
	 * page its second chance (bits set meanwhile by concurrent faults are
	 * bounded by the 2 * nr + 1 steps).
	 */
	for (scan = 0; scan < 2 * nr + 1 && tries < nr; scan++) {
		spin_lock(&obj->lru_lock);
		page = list_first_entry_or_null(&obj->lru, struct page,
						lru);
		if (!page) {
			spin_unlock(&obj->lru_lock);
			break;
		}
		index = ivma_page_index(page);
		if (READ_ONCE(obj->policy) == IVMA_POLICY_CLOCK &&
		    test_and_clear_bit(IVMA_PG_REFERENCED, &page->private)) {
			/* second chance: the hand moves on */
			list_move_tail(&page->lru, &obj->lru);
			spin_unlock(&obj->lru_lock);
			ivma_unmap_page(obj, index);
			continue;
		}
		get_page(page);
		spin_unlock(&obj->lru_lock);

		tries++;
		res = ivma_paging_try_evict(obj, index, page);
		if (res == IVMA_SKIPPED || res == IVMA_NO_SLOT ||
		    res == IVMA_NO_QUOTA) {
			/* not this one: look at the next, keep it for later */
			spin_lock(&obj->lru_lock);
			if (!list_empty(&page->lru))
				list_move_tail(&page->lru, &obj->lru);
			spin_unlock(&obj->lru_lock);
		}
		put_page(page);

		switch (res) {
		case IVMA_EVICTED:
			return 0;
		case IVMA_NEED_IO:
			io->index = index;
			return -EAGAIN;
		case IVMA_NO_SLOT:
			no_slot = -ENOSPC;
			break;
		case IVMA_NO_QUOTA:
			no_slot = -EDQUOT;
			break;
		case IVMA_SKIPPED:
			break;
		}
	}
	return no_slot ?: -EBUSY;
}

/**
 * ivma_paging_make_room_locked() - before populating a page: respect the budget
 * @obj: the object; the caller holds obj->lock
 * @io: out: with -EAGAIN, the victim to write out
 *
 * Return: 0 (there is a free frame, or the object goes over its budget
 * because nothing is evictable now); -EAGAIN: the victim @io must be
 * written out (ivma_pageout_victim(), with no lock held) before trying again;
 * -ENOSPC: no page can be evicted for want of a swap slot, -EDQUOT: of
 * the user's quota of them (SIGBUS either way).
 */
int ivma_paging_make_room_locked(struct ivma_object *obj,
				 struct ivma_paging_io *io)
{
	int ret;

	lockdep_assert_held(&obj->lock);

	while (obj->frames && atomic64_read(&obj->resident) >= obj->frames) {
		ret = ivma_paging_evict_one_locked(obj, io);
		if (ret == -EBUSY)
			return 0;
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * ivma_paging_release() - empty the resident list of a dying object
 * @obj: an object being destroyed: no fault or eviction can reach it
 */
void ivma_paging_release(struct ivma_object *obj)
{
	struct page *page, *tmp;

	spin_lock(&obj->lru_lock);
	list_for_each_entry_safe(page, tmp, &obj->lru, lru)
		list_del_init(&page->lru);
	spin_unlock(&obj->lru_lock);
}
