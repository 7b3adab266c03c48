// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - the page store: object page offset -> page, or swap slot.
 *
 * obj->pages is an xarray whose entries are a struct page * (resident,
 * with one reference held by the store) or an xa_mk_value() swap slot
 * (swapped out); IVMA_PAGE_DIRTY marks pages written since their last
 * write-back or swap-out. This file is the only one that touches it, and it
 * keeps the resident and dirty counters with it, and the charge of each
 * page to the object's user (user.c). The rules (who may add,
 * replace and remove entries, under which lock) are in ivma.h and in
 * Documentation/object-model.md (section 2).
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>

#include "compat.h"
#include "ivma.h"

/**
 * ivma_store_get() - a referenced page of the store, or NULL
 * @obj: the object
 * @index: object page offset
 *
 * One walk of the xarray, under RCU, without xa_lock, which every faulting
 * CPU would otherwise take, as the page cache looks pages up
 * (filemap_get_entry()). Under RCU the entry may be a page that is being
 * evicted and freed, even reused elsewhere: get_page_unless_zero() fails
 * on a free page, and a reference taken on a page that is no longer the
 * store's at @index is dropped again when xas_reload() reads the slot once
 * more (from the node the walk found: no second walk). A page found in the
 * slot after the reference was taken is ours, and, while the reference is
 * held, it cannot be freed and come back to this or another store. (The
 * caller checks again under the page lock, with
 * ivma_store_holds_pglocked(): eviction may still take it before that.)
 *
 * Return: the page with a reference for the caller; NULL when the index
 * is missing or swapped out.
 */
struct page *ivma_store_get(struct ivma_object *obj, pgoff_t index)
{
	XA_STATE(xas, &obj->pages, index);
	struct page *page;

	rcu_read_lock();
repeat:
	xas_reset(&xas);
	page = xas_load(&xas);
	if (xas_retry(&xas, page))
		goto repeat;
	if (!page || xa_is_value(page)) {
		page = NULL;	/* missing or swapped out */
		goto out;
	}
	if (!get_page_unless_zero(page))
		goto repeat;
	if (unlikely(page != xas_reload(&xas))) {
		put_page(page);
		goto repeat;
	}
out:
	rcu_read_unlock();
	return page;
}

/**
 * ivma_store_holds_pglocked() - is @page still in the store?
 * @page: a page that was the store's (ivma_store_get(), or mapped from
 *	it), referenced and locked by the caller
 *
 * A page leaves the store with IVMA_PG_GONE set under its page lock
 * (ivma_store_replace_pglocked()), and a page that left never comes back:
 * a new page is allocated for the index. So, without a walk of the
 * xarray, as ivma_store_page_is() at its index, and as stable: true until
 * the page is unlocked.
 *
 * Return: true while @page is the store's page at its index.
 */
bool ivma_store_holds_pglocked(struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	return !test_bit(IVMA_PG_GONE, &page->private);
}

/**
 * ivma_store_reserve_locked() - charge a page about to be populated
 * @obj: the object; the caller holds obj->lock (population)
 *
 * The page is charged to the object's user before it is allocated, so
 * that the user's count never goes past its cap (max_user_mb), even by
 * pages in flight. ivma_store_insert_locked() makes the reservation the
 * page's charge; a population that fails gives it back with
 * ivma_store_unreserve_locked().
 *
 * Return: true; false when the user is at its cap and @obj is bound by
 * it (nothing charged: the fault gets SIGBUS).
 */
bool ivma_store_reserve_locked(struct ivma_object *obj)
{
	lockdep_assert_held(&obj->lock);

	return ivma_user_charge(obj->user, obj->unlimited);
}

/**
 * ivma_store_unreserve_locked() - give back an unused reservation
 * @obj: the object; the caller holds obj->lock
 */
void ivma_store_unreserve_locked(struct ivma_object *obj)
{
	lockdep_assert_held(&obj->lock);

	ivma_user_uncharge(obj->user, 1);
}

/**
 * ivma_store_load() - the entry at @index, as it is
 * @obj: the object
 * @index: object page offset
 *
 * Return: NULL, a struct page * (no reference taken) or a swap entry
 * (ivma_store_is_slot()). Only the missing and swap entries are stable,
 * and only under obj->lock: they change by population, which holds it.
 */
void *ivma_store_load(struct ivma_object *obj, pgoff_t index)
{
	return xa_load(&obj->pages, index);
}

/**
 * ivma_store_page_is() - is @page the store's page at @index?
 * @obj: the object
 * @index: object page offset
 * @page: a page the caller holds a reference to
 *
 * With @page locked the answer stays true until it is unlocked.
 */
bool ivma_store_page_is(struct ivma_object *obj, pgoff_t index,
			struct page *page)
{
	return xa_load(&obj->pages, index) == page;
}

/**
 * ivma_store_insert_locked() - a new page takes the place of @old
 * @obj: the object; the caller holds obj->lock (population)
 * @index: object page offset
 * @old: the entry there now: NULL, or the swap entry the page was read from
 * @page: the new page, not yet visible to anyone (the fault path locks it
 *	first, so that it is its own until it returns it to the core),
 *	reserved with ivma_store_reserve_locked()
 *
 * On success the store takes a reference of its own on @page, and the
 * reservation becomes the page's charge; on failure the caller still
 * holds the reservation.
 *
 * Return: 0, or -ENOMEM when the xarray could not grow.
 */
int ivma_store_insert_locked(struct ivma_object *obj, pgoff_t index,
			     void *old, struct page *page)
{
	lockdep_assert_held(&obj->lock);

	/* under obj->lock nobody else changes a missing or swap entry */
	if (xa_cmpxchg(&obj->pages, index, old, page,
		       GFP_KERNEL_ACCOUNT) != old)
		return -ENOMEM;
	get_page(page);
	atomic64_inc(&obj->resident);
	atomic_long_inc(&ivma_dev.nr_pages);
	return 0;
}

/**
 * ivma_store_replace_pglocked() - @page leaves the store
 * @obj: the object (the caller holds obj->lock too: eviction)
 * @index: object page offset
 * @page: the store's page at @index, locked by the caller, clean
 * @slot: the swap slot that now holds its data, or -1 to erase the entry
 *
 * The store's reference on @page passes to the caller, who drops it after
 * unlocking the page.
 */
void ivma_store_replace_pglocked(struct ivma_object *obj, pgoff_t index,
				 struct page *page, long slot)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	set_bit(IVMA_PG_GONE, &page->private);
	if (slot >= 0)
		xa_store(&obj->pages, index, xa_mk_value(slot), GFP_NOWAIT);
	else
		xa_erase(&obj->pages, index);
	atomic64_dec(&obj->resident);
	atomic_long_dec(&ivma_dev.nr_pages);
	ivma_user_uncharge(obj->user, 1);
}

/**
 * ivma_store_is_dirty() - has the page at @index been written since its
 * last write-back or swap-out?
 * @obj: the object
 * @index: object page offset
 *
 * Stable while the caller holds the lock of the store's page at @index.
 */
bool ivma_store_is_dirty(struct ivma_object *obj, pgoff_t index)
{
	return xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
}

/**
 * ivma_store_mark_dirty_pglocked() - note a write to a page of the store
 * @obj: the object
 * @index: object page offset
 * @page: the store's page at @index, locked by the caller
 *
 * Return: true when the page was clean until now.
 */
bool ivma_store_mark_dirty_pglocked(struct ivma_object *obj, pgoff_t index,
				    struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	/*
	 * The page's IVMA_PG_DIRTY bit mirrors the xarray mark: both change
	 * together, under the page lock, so the bit answers without a walk
	 * of the xarray (ivma_store_dirty_pglocked()). The mark stays, for
	 * the walks of write-back (ivma_store_next(), IVMA_STORE_DIRTY).
	 */
	if (test_bit(IVMA_PG_DIRTY, &page->private))
		return false;
	xa_set_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	set_bit(IVMA_PG_DIRTY, &page->private);
	atomic64_inc(&obj->dirty);
	return true;
}

/**
 * ivma_store_dirty_pglocked() - is the page dirty, by its own bit?
 * @page: a page of the store, locked by the caller
 *
 * A dirty page is still in the store at its index: a page leaves the
 * store only clean (eviction drops clean pages, and swap-out and
 * write-back clear the mark first, all under the page lock).
 *
 * Return: true when the page was written since its last write-back or
 * swap-out, as ivma_store_is_dirty() at its index.
 */
bool ivma_store_dirty_pglocked(struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	return test_bit(IVMA_PG_DIRTY, &page->private);
}

/**
 * ivma_store_clear_dirty_pglocked() - the page's data is being written out
 * @obj: the object
 * @index: object page offset
 * @page: the store's page at @index, dirty, locked by the caller
 */
void ivma_store_clear_dirty_pglocked(struct ivma_object *obj, pgoff_t index,
				     struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	xa_clear_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	clear_bit(IVMA_PG_DIRTY, &page->private);
	atomic64_dec(&obj->dirty);
}

/**
 * ivma_store_next() - the first entry at an index in [it->index, @max]
 * @obj: the object
 * @it: in: index, where to start; out: the entry found
 * @max: the last index to look at
 * @flags: IVMA_STORE_DIRTY: dirty pages only; IVMA_STORE_GET: take a
 *	reference on the page for the caller
 *
 * The entry is read under xa_lock, where the store's reference keeps the
 * page: @it is a snapshot of it. Without IVMA_STORE_GET, it->page only
 * says which page it was and must not be used once this returns. A walk
 * goes on from it->index + 1.
 *
 * Return: true when an entry was found.
 */
bool ivma_store_next(struct ivma_object *obj, struct ivma_store_iter *it,
		     pgoff_t max, unsigned int flags)
{
	xa_mark_t filter = flags & IVMA_STORE_DIRTY ? IVMA_PAGE_DIRTY :
			   XA_PRESENT;
	unsigned long index = it->index;
	void *entry;

	xa_lock(&obj->pages);
	entry = xa_find(&obj->pages, &index, max, filter);
	if (entry) {
		it->index = index;
		it->page = xa_is_value(entry) ? NULL : entry;
		it->slot = xa_is_value(entry) ? xa_to_value(entry) : 0;
		it->dirty = it->page &&
			    xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
		it->mapcount = it->page ? ivma_page_mapcount(it->page) : 0;
		if (it->page && (flags & IVMA_STORE_GET))
			get_page(it->page);
	}
	xa_unlock(&obj->pages);
	return entry;
}

/**
 * ivma_store_destroy() - free every page and swap slot of the store
 * @obj: an object being destroyed: no VMA, fault or eviction can reach
 *	its store any more, and its pages are off the resident list
 */
void ivma_store_destroy(struct ivma_object *obj)
{
	unsigned long index;
	long pages = 0;
	void *entry;

	xa_for_each(&obj->pages, index, entry) {
		if (xa_is_value(entry)) {
			ivma_swap_free(obj, xa_to_value(entry));
			continue;
		}
		put_page(entry);
		atomic_long_dec(&ivma_dev.nr_pages);
		pages++;
	}
	xa_destroy(&obj->pages);
	ivma_user_uncharge(obj->user, pages);
}
