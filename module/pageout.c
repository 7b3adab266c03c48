// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - page-out: dirty pages written out of memory.
 *
 * Write-back copies dirty file-section pages to the backing file (fsync,
 * msync(MS_SYNC), the object's destruction, and a dirty file victim of
 * the replacement policy); swap-out writes a dirty anonymous or padding
 * victim to a swap slot and leaves the slot in the store. Both copy the
 * page under its lock and write the copy with neither the page lock nor
 * obj->lock held (write-back holds only wb_lock), because the file's
 * i_rwsem comes before mmap_lock (see the lock order in ivma.h). The
 * write-out of a victim takes the filesystem's freeze protection with a
 * trylock only: a fault inside write(2) to another file of the same
 * filesystem holds it already, and a second, waiting sb_start_write()
 * deadlocks once a freeze is pending.
 * Documentation/object-model.md (section 11, write-back) and
 * Documentation/paging.md (sections 7 and 8, eviction and swap) tell the
 * whole story.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "ivma.h"

/*
 * Write one dirty page back; @page is locked on entry and unlocked on
 * return, the caller holds obj->wb_lock, inside the backing filesystem's
 * freeze protection (see the lock order in ivma.h). The mark is cleared and every PTE
 * of the page zapped before the copy into @buf, so a write that races with
 * it faults again and marks the page dirty anew: no write is lost. Private
 * COW copies are left alone (even_cows = 0). The file is written from @buf
 * with the page unlocked (see the lock order in ivma.h); a failed write
 * marks the page dirty again.
 */
static int ivma_pageout_write_page(struct ivma_object *obj, pgoff_t index,
				   struct page *page, void *buf)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_WRITEBACK,
		.index = index,
		.start_ns = ivma_event_start(obj),
	};
	u64 written = atomic64_read(&obj->bytes_written);
	bool pinned;
	int ret;

	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);
	lockdep_assert_held(&obj->wb_lock);

	ivma_store_clear_dirty_pglocked(obj, index, page);
	ivma_unmap_page(obj, index);
	/*
	 * The zap moved the PTEs' dirty bits to PG_dirty; the copy below has
	 * those bytes. From now on PG_dirty means a write through a pin
	 * (an O_DIRECT read into the page sets it when it completes).
	 */
	folio_clear_dirty(page_folio(page));
	/*
	 * Referenced beyond the store and our caller, with no PTE left: the
	 * page is pinned (get_user_pages(): an O_DIRECT read into it, a
	 * vmsplice()), and a write through the pin may land after the copy
	 * with no fault to tell (PG_dirty, when the pinner sets it, is only
	 * looked at by eviction). Such a page stays dirty: each write-back
	 * writes it again, the first one after the pin went the last time.
	 * No new pin can be taken before the copy: that needs a fault, which
	 * waits for the page lock.
	 */
	pinned = page_count(page) > 2;
	memcpy_from_page(buf, page, 0, PAGE_SIZE);
	/* until the file has the copy, eviction must not drop the page */
	set_bit(IVMA_PG_WRITEBACK, &page->private);
	unlock_page(page);

	ret = ivma_backing_write(obj, index, buf);
	clear_bit(IVMA_PG_WRITEBACK, &page->private);
	/* bytes_written only moves under wb_lock, which we hold */
	ev.aux = atomic64_read(&obj->bytes_written) - written;
	if (ret || pinned) {
		/* keep it dirty: the data (or its next version) is only here */
		lock_page(page);
		if (ivma_store_page_is(obj, index, page))
			ivma_store_mark_dirty_pglocked(obj, index, page);
		unlock_page(page);
		if (ret)
			ev.outcome = IVMA_OUTCOME_IO_ERROR;
	}
	ivma_event_emit(obj, &ev);
	return ret;
}

/**
 * ivma_pageout_writeback() - write dirty section pages back to the file
 * @obj: a file-backed object with a writable backing file; no lock of
 *	ours held, nor mmap_lock
 * @first: first object page offset
 * @last: last object page offset (inclusive)
 * @nowait: do not wait for a frozen filesystem: a victim's write-out for
 *	a fault, which may come from inside a write(2) to another file of
 *	the same filesystem, holding its freeze protection already (a second
 *	sb_start_write() deadlocks once a freeze is pending)
 *
 * Pages past the section stay in memory: they have no place in the file.
 * A page whose write fails stays dirty, and the error is returned, so it
 * is reported again by the next fsync until the write succeeds.
 *
 * Return: 0, -ENOMEM, -EAGAIN (@nowait, and the filesystem is frozen or a
 * freeze is pending: nothing written), or the first write error.
 */
int ivma_pageout_writeback(struct ivma_object *obj, pgoff_t first,
			   pgoff_t last, bool nowait)
{
	struct ivma_store_iter it = { .index = first };
	unsigned long max;
	void *buf;
	int ret = 0, err;

	if (!obj->section_pages || first >= obj->section_pages)
		return 0;
	max = min_t(unsigned long, last, obj->section_pages - 1);

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/*
	 * The freeze protection first, then wb_lock: a victim's write-out
	 * (@nowait) can only trylock the protection, holding it already when
	 * it comes from inside write(2), and then waits for wb_lock; so no one
	 * may wait for the protection while holding wb_lock (lockdep's
	 * sb_writers/wb_lock cycle, found by make stress-debug).
	 */
	if (!nowait) {
		file_start_write(obj->backing);
	} else if (!file_start_write_trylock(obj->backing)) {
		kfree(buf);
		return -EAGAIN;
	}

	mutex_lock(&obj->wb_lock);
	while (it.index <= max) {
		if (!ivma_store_next(obj, &it, max,
				     IVMA_STORE_DIRTY | IVMA_STORE_GET))
			break;

		lock_page(it.page);
		if (ivma_store_page_is(obj, it.index, it.page) &&
		    ivma_store_is_dirty(obj, it.index)) {
			err = ivma_pageout_write_page(obj, it.index, it.page,
						      buf);
			if (err && !ret)
				ret = err;
		} else {
			unlock_page(it.page);
		}
		put_page(it.page);
		if (it.index == max)
			break;
		it.index++;
		cond_resched();
	}
	mutex_unlock(&obj->wb_lock);
	file_end_write(obj->backing);
	kfree(buf);
	return ret;
}

/*
 * Write a dirty anonymous or padding page to swap; no lock of ours held,
 * nor mmap_lock. The page is copied under its lock (dirty mark cleared,
 * PTEs zapped, IVMA_PG_WRITEBACK set), written to a fresh slot with no lock
 * held, and then replaced by the slot in the store, unless it was written,
 * pinned or taken meanwhile: then the slot is freed and the page stays.
 */
static bool ivma_pageout_swap_out(struct ivma_object *obj, pgoff_t index)
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
	page = ivma_store_load(obj, index);
	if (!page || ivma_store_is_slot(page) || !trylock_page(page)) {
		mutex_unlock(&obj->lock);
		goto out;
	}
	get_page(page);
	slot = ivma_store_is_dirty(obj, index) &&
	       !test_bit(IVMA_PG_WRITEBACK, &page->private) ?
	       ivma_swap_alloc(obj) : -ENOSPC;
	if (slot < 0) {
		unlock_page(page);
		mutex_unlock(&obj->lock);
		put_page(page);
		goto out;
	}
	ivma_store_clear_dirty_pglocked(obj, index, page);
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
	if (!ivma_store_page_is(obj, index, page) || ret) {
		/* gone (cannot happen: eviction is ours), or not written */
		if (ret && ivma_store_page_is(obj, index, page))
			ivma_store_mark_dirty_pglocked(obj, index, page);
		unlock_page(page);
		ivma_swap_free(obj, slot);
		goto unlock;
	}
	ivma_unmap_page(obj, index);
	if (folio_test_clear_dirty(page_folio(page)))
		ivma_store_mark_dirty_pglocked(obj, index, page);
	if (ivma_store_is_dirty(obj, index) || page_count(page) > 2) {
		/*
		 * Written again (dirty anew), or pinned (it may be written
		 * through the pin): the page stays, and stays dirty, since
		 * the slot's copy goes.
		 */
		if (page_count(page) > 2)
			ivma_event_simple(obj, IVMA_EV_SKIP_PINNED, index);
		ivma_store_mark_dirty_pglocked(obj, index, page);
		unlock_page(page);
		ivma_swap_free(obj, slot);
		goto unlock;
	}
	atomic64_inc(&obj->swapped);
	so.aux = slot;
	ivma_event_emit(obj, &so);
	ivma_paging_drop_locked_pglocked(obj, index, page, slot, 1,
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
 * ivma_pageout_victim() - write out the victim the policy chose
 * @obj: the object; no lock of ours held, nor mmap_lock
 * @io: the victim, from ivma_paging_make_room_locked()
 *
 * When the victim could not be written out (a write error, a pin taken
 * meanwhile, no memory), obj->io_stalled tells the next fault to go over
 * the budget rather than ask for the same I/O again: no livelock.
 */
void ivma_pageout_victim(struct ivma_object *obj,
			 const struct ivma_paging_io *io)
{
	bool done;

	if (io->index < obj->section_pages)
		done = !ivma_pageout_writeback(obj, io->index, io->index, true);
	else
		done = ivma_pageout_swap_out(obj, io->index);
	WRITE_ONCE(obj->io_stalled, !done);
}
