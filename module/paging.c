// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - paging: frame budgets, replacement policies and eviction.
 *
 * An object with a budget of N frames holds at most N pages resident. Its
 * resident pages are on obj->lru (through page->lru: the pages are
 * ours and on no LRU of the kernel), head first:
 *
 *   FIFO   load order: the head is the oldest page.
 *   LRU    recency order: the head is the least recently used page. Exact:
 *          only the most recently used page stays mapped, so any access to
 *          another page faults (a minor "resident" fault) and moves that
 *          page to the tail. This costs a fault whenever the accessed page
 *          changes, which is what exact LRU costs without hardware help.
 *   CLOCK  second chance. The list is the clock, the head is the hand.
 *          The reference bit is simulated: it is set when a page is loaded
 *          and when a mapped-out page is touched again (a "resident"
 *          fault); when the hand passes a page whose bit is set, it clears
 *          the bit, unmaps the page from every process (so that its next
 *          access faults and sets the bit again) and moves on.
 *
 * A fault on an object at its budget evicts the first evictable page from
 * the head: it is unmapped from every VMA (unmap_mapping_range on the
 * object's own address_space), then
 *   - a clean page is dropped (a file page is read again on next touch, a
 *     never-written anonymous or padding page is zero-filled again);
 *   - a dirty page of the file section is written back to the file first;
 *   - a dirty anonymous or padding page goes to a swap slot (swap.c).
 * Pages still referenced beyond the object's own reference after the
 * unmapping (pinned by get_user_pages, e.g. an O_DIRECT buffer) are
 * skipped and counted. When no page can be evicted because no swap slot
 * is free, the fault gets SIGBUS: the swap area bounds the virtual pages
 * that can exist. When none can be evicted for other reasons (all pinned)
 * the object goes over its budget for that fault.
 *
 * Writing a dirty file page back takes the backing file's i_rwsem; that is
 * never done under obj->lock (a write(2) to the backing file from one of
 * our pages holds i_rwsem and faults, taking obj->lock): the fault drops
 * obj->lock, writes the page back through ivma_object_writeback() and
 * tries again. If i_rwsem is held at that moment (perhaps by the faulting
 * task itself), dirty file pages are skipped for this fault.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "ivma.h"

/* page->private of our pages: the simulated reference bit (CLOCK) */
#define IVMA_PG_REFERENCED	0

/* results of ivma_paging_try_evict() */
enum ivma_evict_result {
	IVMA_EVICTED,
	IVMA_SKIPPED,		/* pinned, or its write failed */
	IVMA_NO_SLOT,		/* needs a swap slot, none free */
	IVMA_NEED_WB,		/* dirty file page: write it back first */
};

static void ivma_unmap_page(struct ivma_object *obj, pgoff_t index)
{
	unmap_mapping_range(&obj->mapping, (loff_t)index << PAGE_SHIFT,
			    PAGE_SIZE, 0);
}

/**
 * ivma_paging_add() - a page was just populated: put it on the list
 * @obj: the object
 * @index: its page offset
 * @page: the new page, locked
 */
void ivma_paging_add(struct ivma_object *obj, pgoff_t index,
		     struct page *page)
{
	page->index = index;
	set_page_private(page, BIT(IVMA_PG_REFERENCED));
	spin_lock(&obj->lru_lock);
	list_add_tail(&page->lru, &obj->lru);
	spin_unlock(&obj->lru_lock);
	ivma_paging_touch(obj, index, page);
}

/**
 * ivma_paging_touch() - the page at @index was accessed (it faulted)
 * @obj: the object
 * @index: its page offset
 * @page: the store's page at @index, locked
 *
 * CLOCK: set the reference bit. LRU: move the page to the tail and unmap
 * the previously most recently used page, so its next access faults too.
 */
void ivma_paging_touch(struct ivma_object *obj, pgoff_t index,
		       struct page *page)
{
	pgoff_t old = ULONG_MAX;

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

/*
 * Try to evict @page (at @index; referenced by the caller, on the list).
 * Called with obj->lock held; takes and drops the page lock.
 */
static enum ivma_evict_result ivma_paging_try_evict(struct ivma_object *obj,
						    pgoff_t index,
						    struct page *page,
						    bool may_writeback,
						    pgoff_t *wb_index)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_EVICT,
		.index = index,
		.start_ns = ktime_get_ns(),
	};
	bool dirty;
	long slot;
	int ret;

	lockdep_assert_held(&obj->lock);

	lock_page(page);
	if (!ivma_object_page_is(obj, index, page)) {
		unlock_page(page);
		return IVMA_SKIPPED;
	}
	dirty = xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	if (dirty && index < obj->section_pages) {
		unlock_page(page);
		if (!may_writeback)
			return IVMA_SKIPPED;
		*wb_index = index;
		return IVMA_NEED_WB;
	}

	ivma_unmap_page(obj, index);
	/* the store's reference and ours: anything more is a pin */
	if (page_count(page) > 2) {
		unlock_page(page);
		ivma_event_simple(obj, IVMA_EV_SKIP_PINNED, index);
		return IVMA_SKIPPED;
	}

	if (dirty) {
		slot = ivma_swap_alloc();
		if (slot < 0) {
			unlock_page(page);
			return IVMA_NO_SLOT;
		}
		ret = ivma_swap_write(slot, page);
		if (ret) {
			ivma_swap_free(slot);
			unlock_page(page);
			atomic64_inc(&obj->write_errors);
			return IVMA_SKIPPED;
		}
		xa_clear_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
		atomic64_dec(&obj->dirty);
		xa_store(&obj->pages, index, xa_mk_value(slot), GFP_NOWAIT);
		atomic64_inc(&obj->swapped);
		{
			struct ivma_event so = {
				.kind = IVMA_EV_SWAP_OUT,
				.index = index,
				.aux = slot,
				.start_ns = ev.start_ns,
			};

			ivma_event_emit(obj, &so);
		}
	} else {
		xa_erase(&obj->pages, index);
	}

	spin_lock(&obj->lru_lock);
	list_del_init(&page->lru);
	if (obj->mru == index)
		obj->mru = ULONG_MAX;
	spin_unlock(&obj->lru_lock);
	atomic64_dec(&obj->resident);
	atomic_long_dec(&ivma_dev.nr_pages);
	unlock_page(page);
	put_page(page);		/* the store's reference */

	ev.aux = dirty;
	ivma_event_emit(obj, &ev);
	return IVMA_EVICTED;
}

/**
 * ivma_paging_evict_one_locked() - evict one page, following the policy
 * @obj: the object, obj->lock held
 * @may_writeback: dirty file pages may be asked for (-EAGAIN)
 * @wb_index: out: with -EAGAIN, the page to write back before retrying
 *
 * Return: 0 when a page was evicted; -EAGAIN when the next victim is a
 * dirty file page that must be written back first (without obj->lock);
 * -ENOSPC when nothing could be evicted for want of a swap slot; -EBUSY
 * when nothing could be evicted otherwise (pinned, or no page at all).
 */
int ivma_paging_evict_one_locked(struct ivma_object *obj, bool may_writeback,
				 pgoff_t *wb_index)
{
	unsigned long scan, tries = 0, nr = atomic64_read(&obj->resident);
	enum ivma_evict_result res;
	bool no_slot = false;
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
		index = page->index;
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
		res = ivma_paging_try_evict(obj, index, page, may_writeback,
					    wb_index);
		if (res != IVMA_EVICTED) {
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
		case IVMA_NEED_WB:
			return -EAGAIN;
		case IVMA_NO_SLOT:
			no_slot = true;
			break;
		case IVMA_SKIPPED:
			break;
		}
	}
	return no_slot ? -ENOSPC : -EBUSY;
}

/**
 * ivma_paging_make_room() - before populating a page: respect the budget
 * @obj: the object, obj->lock held on entry and on return
 *
 * May drop and retake obj->lock to write a dirty file page back.
 *
 * Return: 0 (there is a free frame, or the object goes over budget
 * because nothing is evictable now), or -ENOSPC (no swap slot: SIGBUS).
 */
int ivma_paging_make_room(struct ivma_object *obj)
{
	bool may_writeback = true;
	int tries = 0, ret;
	pgoff_t wb;

	lockdep_assert_held(&obj->lock);

	while (obj->frames && atomic64_read(&obj->resident) >= obj->frames) {
		ret = ivma_paging_evict_one_locked(obj, may_writeback, &wb);
		if (ret == -EAGAIN) {
			mutex_unlock(&obj->lock);
			if (inode_is_locked(file_inode(obj->backing)))
				may_writeback = false;
			else if (ivma_object_writeback(obj, wb, wb))
				may_writeback = false;
			if (++tries > 8)
				may_writeback = false;
			mutex_lock(&obj->lock);
			continue;
		}
		if (ret == -EBUSY)
			return 0;
		if (ret)
			return ret;
	}
	return 0;
}
