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
 * Writing a victim out (to the backing file or to a swap slot) takes that
 * file's i_rwsem, and the kernel's own order is i_rwsem before mmap_lock
 * (write(2) faults its source buffer in with i_rwsem held). So the scan
 * that picks a victim does no I/O: a victim that must be written out is
 * handed back, and the writing is done with no lock of ours held and,
 * from the fault path, without mmap_lock: the fault drops it, writes the
 * victim out and returns VM_FAULT_RETRY, as filemap_fault() does for its
 * reads. The retried fault finds the victim clean and drops it. A fault
 * that may not drop mmap_lock (no FAULT_FLAG_ALLOW_RETRY, e.g. some
 * get_user_pages() callers), or a dirty file victim whose file's i_rwsem is
 * held at that moment (perhaps by the faulting task itself, inside a
 * write(2) from one of our pages), takes its page over the budget instead;
 * the next fault evicts down to it again.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "compat.h"
#include "ivma.h"

/* results of ivma_paging_try_evict() */
enum ivma_evict_result {
	IVMA_EVICTED,
	IVMA_SKIPPED,		/* pinned, or busy */
	IVMA_NO_SLOT,		/* needs a swap slot, none free */
	IVMA_NEED_IO,		/* dirty: must be written out first */
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
	ivma_page_set_index(page, index);
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

/* Drop a clean @page (locked, unmapped, not pinned) from the store. */
static void ivma_paging_drop_locked(struct ivma_object *obj, pgoff_t index,
				    struct page *page, void *entry, u64 aux,
				    u64 start_ns)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_EVICT,
		.index = index,
		.aux = aux,
		.start_ns = start_ns,
	};

	if (entry)
		xa_store(&obj->pages, index, entry, GFP_NOWAIT);
	else
		xa_erase(&obj->pages, index);
	spin_lock(&obj->lru_lock);
	list_del_init(&page->lru);
	if (obj->mru == index)
		obj->mru = ULONG_MAX;
	spin_unlock(&obj->lru_lock);
	atomic64_dec(&obj->resident);
	atomic_long_dec(&ivma_dev.nr_pages);
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
	if (!ivma_object_page_is(obj, index, page)) {
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
		ivma_object_mark_dirty_locked(obj, index, page);
	if (xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY)) {
		unlock_page(page);
		/* a dirty anonymous or padding page needs a swap slot */
		if (index >= obj->section_pages && !ivma_swap_available())
			return IVMA_NO_SLOT;
		return IVMA_NEED_IO;
	}
	ivma_paging_drop_locked(obj, index, page, NULL, 0, start);
	return IVMA_EVICTED;
}

/**
 * ivma_paging_swap_out() - write a dirty anonymous or padding page to swap
 * @obj: the object; no lock of ours held, nor mmap_lock
 * @index: its page offset
 *
 * The page is copied under its lock (dirty mark cleared, PTEs zapped,
 * IVMA_PG_WRITEBACK set), written to a fresh slot with no lock held, and
 * then replaced by the slot in the store, unless it was written, pinned or
 * taken meanwhile: then the slot is freed and the page stays.
 */
static bool ivma_paging_swap_out(struct ivma_object *obj, pgoff_t index)
{
	bool done = false;
	struct ivma_event so = { .kind = IVMA_EV_SWAP_OUT, .index = index };
	struct page *page;
	void *buf;
	long slot;
	int ret;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return false;
	so.start_ns = ivma_event_start(obj);

	mutex_lock(&obj->lock);
	page = xa_load(&obj->pages, index);
	if (!page || xa_is_value(page) || !trylock_page(page)) {
		mutex_unlock(&obj->lock);
		goto out;
	}
	get_page(page);
	slot = xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY) &&
	       !test_bit(IVMA_PG_WRITEBACK, &page->private) ?
	       ivma_swap_alloc() : -ENOSPC;
	if (slot < 0) {
		unlock_page(page);
		mutex_unlock(&obj->lock);
		put_page(page);
		goto out;
	}
	xa_clear_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	atomic64_dec(&obj->dirty);
	ivma_unmap_page(obj, index);
	folio_clear_dirty(page_folio(page));	/* as in write-back */
	memcpy_from_page(buf, page, 0, PAGE_SIZE);
	set_bit(IVMA_PG_WRITEBACK, &page->private);
	unlock_page(page);
	mutex_unlock(&obj->lock);

	ret = ivma_swap_write(slot, buf);
	if (ret && ret != -EAGAIN)	/* -EAGAIN: frozen, nothing written */
		atomic64_inc(&obj->write_errors);

	mutex_lock(&obj->lock);
	lock_page(page);
	clear_bit(IVMA_PG_WRITEBACK, &page->private);
	if (!ivma_object_page_is(obj, index, page) || ret) {
		/* gone (cannot happen: eviction is ours), or not written */
		if (ret && ivma_object_page_is(obj, index, page))
			ivma_object_mark_dirty_locked(obj, index, page);
		unlock_page(page);
		ivma_swap_free(slot);
		goto unlock;
	}
	ivma_unmap_page(obj, index);
	if (folio_test_clear_dirty(page_folio(page)))
		ivma_object_mark_dirty_locked(obj, index, page);
	if (xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY) ||
	    page_count(page) > 2) {
		/*
		 * Written again (dirty anew), or pinned (it may be written
		 * through the pin): the page stays, and stays dirty, since
		 * the slot's copy goes.
		 */
		if (page_count(page) > 2)
			ivma_event_simple(obj, IVMA_EV_SKIP_PINNED, index);
		ivma_object_mark_dirty_locked(obj, index, page);
		unlock_page(page);
		ivma_swap_free(slot);
		goto unlock;
	}
	atomic64_inc(&obj->swapped);
	so.aux = slot;
	ivma_event_emit(obj, &so);
	ivma_paging_drop_locked(obj, index, page, xa_mk_value(slot), 1,
				so.start_ns);
	done = true;
unlock:
	mutex_unlock(&obj->lock);
	put_page(page);
out:
	kfree(buf);
	return done;
}

/**
 * ivma_paging_io() - write out the victim that ivma_paging_make_room() chose
 * @obj: the object; no lock of ours held, nor mmap_lock
 * @io: the victim
 *
 * When the victim could not be written out (a write error, a pin taken
 * meanwhile, no memory), obj->io_stalled tells the next fault to go over
 * the budget rather than ask for the same I/O again: no livelock.
 */
void ivma_paging_io(struct ivma_object *obj, const struct ivma_paging_io *io)
{
	bool done;

	if (io->index < obj->section_pages)
		done = !ivma_object_writeback(obj, io->index, io->index, true);
	else
		done = ivma_paging_swap_out(obj, io->index);
	WRITE_ONCE(obj->io_stalled, !done);
}

/**
 * ivma_paging_evict_one_locked() - evict one page, following the policy
 * @obj: the object, obj->lock held
 * @io: out: with -EAGAIN, the victim to write out before trying again
 *
 * Return: 0 when a page was evicted; -EAGAIN when the policy's victim is
 * dirty and must be written out first (ivma_paging_io(), without locks);
 * -ENOSPC when nothing could be evicted for want of a swap slot; -EBUSY
 * when nothing could be evicted otherwise (pinned, or no page at all).
 */
int ivma_paging_evict_one_locked(struct ivma_object *obj,
				 struct ivma_paging_io *io)
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
		if (res == IVMA_SKIPPED || res == IVMA_NO_SLOT) {
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
 * @obj: the object, obj->lock held
 * @io: out: with -EAGAIN, the victim to write out
 *
 * Return: 0 (there is a free frame, or the object goes over its budget
 * because nothing is evictable now); -EAGAIN: the victim @io must be
 * written out (ivma_paging_io(), with no lock held) before trying again;
 * -ENOSPC: no page can be evicted for want of a swap slot (SIGBUS).
 */
int ivma_paging_make_room(struct ivma_object *obj, struct ivma_paging_io *io)
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
