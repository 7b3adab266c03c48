/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma - instrumented VMAs: the module's internal interfaces.
 *
 * The files by layer, top first; a file calls only files below it (a
 * leaf calls none of ours). Documentation/code-map.md has who calls whom.
 *   main.c     module init/exit, parameters, the misc device's file ops
 *   ioctl.c    the uapi: copy in, validate, dispatch, copy out
 *   debugfs.c  /sys/kernel/debug/ivma/: knobs and tables (reads only)
 *   object.c   objects: life cycle, configuration, budget, query
 *   fault.c    mmap and the vm_operations_struct: the fault path
 *   pageout.c  write-back of dirty file pages, swap-out of anonymous ones
 *   paging.c   frame budgets, the replacement policy: victim selection
 *   store.c    the page store: index -> page or swap slot, dirty marks
 *   backing.c  I/O on the backing file: page reads and writes, fsync
 *   swap.c     the swap area: slots for evicted dirty anonymous pages, and
 *              each user's quota of them
 *   user.c     the users objects are charged to: resident pages and swap
 *              slots per user, the per-user page cap (leaf)
 *   event.c    counting, logging and tracing of every event
 *   log.c      the fault log: per-reader ring buffers (leaf)
 *   trace.h    the tracepoints (leaf)
 *   inject.c   fault injection for the module's error paths (leaf)
 *   compat.h   shims for kernel APIs that changed after 6.1
 *
 * Lock order, outermost first; "->" is "then, nested inside". Where each
 * lock is taken is in Documentation/code-map.md.
 *
 *   sb_start_write (backing)     file_start_write() by write-back
 *                                  (pageout.c) before wb_lock; a victim's
 *                                  write-out takes it only with a trylock,
 *                                  since write(2) of another file holds it
 *                                  while it faults
 *     ivma_object.wb_lock          write-back (pageout.c); never nested
 *                                  with ivma_object.lock either way
 *       i_rwsem (backing file)     ->write_iter; write(2) of the backing
 *                                  file holds it while it faults:
 *         mmap_lock                the fault path (read), mmap (write)
 *           ivma_object.lock       population, eviction, configuration
 *             page lock            lock_page() of the object's pages
 *               i_mmap_rwsem       unmap_mapping_range() (read side)
 *               ivma_object.lru_lock  (spinlock) the resident list
 *               xa_lock            (spinlock) the page store's xarray
 *               ivma_swap_lock     (spinlock) the swap area's slot map
 *               reader->lock       (spinlock) log producers, event.c
 *
 *   ivma_dev.lock                  (mutex) the object list: taken with no
 *                                  other lock of ours held, holds none
 *   ivma_users_lock                (mutex) the users' table (user.c): the
 *                                  same, alone
 *   reader->read_lock              (mutex) one read() of a log reader:
 *     mmap_lock                    copy_to_user() may fault
 *     reader->lock                 its LOST flush
 *   ivma_log_lock                  (spinlock) the reader lists
 *     reader->lock                 debugfs log table
 *
 * Only wb_lock, the outermost, is held while the backing file's i_rwsem is
 * taken for a write; mmap_lock, obj->lock and the page lock never are.
 * kernel_read() of a page runs under mmap_lock and obj->lock: ext4 and
 * tmpfs take no i_rwsem for buffered reads, XFS and NFS do
 * (Documentation/object-model.md, section 13, known problem). The swap
 * file's i_rwsem (swap.c: its own lock class) is taken by
 * ivma_swap_write() with none of ours held, and not at all by
 * ivma_swap_read().
 *
 * Names: a function whose name ends in _locked is called with
 * ivma_object.lock held; one ending in _pglocked with the page lock of its
 * @page held; one needing both ends in _locked_pglocked. Each says so in
 * its kerneldoc and asserts it: lockdep_assert_held() for obj->lock,
 * VM_WARN_ON_ONCE_PAGE(!PageLocked()) for the page lock. Static helpers
 * that need a lock say it in their comment and assert it too.
 */
#ifndef _IVMA_H
#define _IVMA_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include <linux/ivma.h>

/* xarray mark of ivma_object.pages: the page was written since write-back */
#define IVMA_PAGE_DIRTY		XA_MARK_0

/* bits in page->private of the object's pages (atomic bitops) */
#define IVMA_PG_REFERENCED	0	/* CLOCK's reference bit (paging.c) */
#define IVMA_PG_WRITEBACK	1	/* its copy is being written to the file */
#define IVMA_PG_DIRTY		2	/* IVMA_PAGE_DIRTY's copy (store.c) */
#define IVMA_PG_GONE		3	/* it left the store (store.c) */

/**
 * struct ivma_user - a user that objects are charged to (user.c)
 * @node: entry in the users' table, under ivma_users_lock.
 * @uid: the user: the euid of the task that opened the objects.
 * @objects: its live objects; each holds one reference, the last put
 *	frees the entry (under ivma_users_lock).
 * @unlimited: of those, objects that no limit applies to (opened with
 *	CAP_SYS_RESOURCE).
 * @pages: resident pages of its objects (store.c: charged before a page
 *	is populated, uncharged when it leaves the store).
 * @slots: swap slots its objects hold; changed under ivma_swap_lock
 *	(swap.c), read anywhere with READ_ONCE().
 * @cap_hits: faults refused at the page cap (IVMA_EV_USER_CAP).
 * @quota_hits: evictions refused at the swap quota (IVMA_EV_SWAP_QUOTA).
 */
struct ivma_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t objects;
	atomic_t unlimited;
	atomic_long_t pages;
	unsigned long slots;
	atomic64_t cap_hits;
	atomic64_t quota_hits;
};

/**
 * struct ivma_object - one instrumented memory object (one open of /dev/ivma)
 * @ref: references: the file that created it, plus any temporary lookups.
 * @id: unique id while the module is loaded, as reported to user space.
 * @node: entry in ivma_dev.objects, under ivma_dev.lock.
 * @lock: serialises configuration, mmap, the population of pages, budget
 *	changes and eviction.
 * @wb_lock: serialises write-back, so that two write-backs of one page
 *	cannot reach the file in the wrong order.
 * @state: IVMA_STATE_* bits; written under @lock.
 * @flags: ivma_config.flags.
 * @size: size in bytes; @nr_pages the same in pages.
 * @nr_pages: object size in pages.
 * @backing: the object's own open file description of the backing file
 *	(same access mode as the fd given to configure, never O_APPEND),
 *	or NULL for an anonymous object.
 * @file_offset: offset of the section in @backing (page-aligned).
 * @section_len: length of the section in bytes.
 * @section_pages: pages covered (fully or partly) by the section.
 * @writable: the backing file can be written in place: open for
 *	writing and with ->write_iter (ivma_backing_writable()).
 * @exec_err: 0 when the backing file may be mapped PROT_EXEC by the
 *	configuring task (LSM, IMA, noexec mount), else the errno that
 *	mmap(PROT_EXEC) of the object gives; 0 for an anonymous object.
 * @pages: page store (store.c, the only file that touches it): index ->
 *	struct page *, one reference each; IVMA_PAGE_DIRTY marks pages to
 *	write back. Entries are added and replaced under @lock; a page
 *	leaves the store only with its page lock held, so a locked page that
 *	is still in the store at its index stays there until unlocked.
 * @mapping: the address_space of the object: f_mapping of its file, so
 *	every VMA that maps the object is in @mapping.i_mmap and
 *	unmap_mapping_range() on it reaches all of them in every process.
 * @vmas: number of VMAs mapping the object now.
 * @owner_tgid: thread group that created the object.
 * @owner_comm: its command name.
 * @user: the user its pages and swap slots are charged to: the creator's
 *	euid (f_cred of the object's file); one reference, for the
 *	object's life.
 * @unlimited: the creator had CAP_SYS_RESOURCE: the user's page cap and
 *	swap quota do not apply to this object (its pages still count).
 * @faults: calls of the fault handler.
 * @read_faults: of those, read accesses.
 * @write_faults: of those, write accesses.
 * @exec_faults: of those, instruction fetches.
 * @resident: pages in @pages.
 * @dirty: pages marked IVMA_PAGE_DIRTY.
 * @sigbus: faults answered with SIGBUS.
 * @oom: faults answered with VM_FAULT_OOM.
 * @read_errors: failed reads from @backing.
 * @write_errors: failed writes to @backing.
 * @bytes_read: bytes read from @backing.
 * @bytes_written: bytes written to @backing.
 * @events: events by kind (enum ivma_event_kind).
 * @readers: log readers of this object (struct ivma_reader.node); changed
 *	under ivma_log_lock, walked under RCU by producers.
 * @debugfs: the object's directory under /sys/kernel/debug/ivma/obj/.
 * @frames: frame budget, 0 for none; written under @lock.
 * @policy: enum ivma_policy; written under @lock.
 * @budget_flags: IVMA_BUDGET_*; written under @lock.
 * @lru_lock: protects @lru, @mru, @mru2, @mru_tid and @mru_regs.
 * @lru: the resident pages (page->lru) in policy order, see paging.c;
 *	a page is on it exactly while it is in @pages.
 * @mru: LRU, IVMA_BUDGET_REFS: the only page left mapped (with @mru2),
 *	ULONG_MAX for none.
 * @mru2: IVMA_BUDGET_REFS: the page before @mru, left mapped because the
 *	instruction that faulted on @mru also faulted on it (it needs both);
 *	ULONG_MAX for none.
 * @mru_tid: IVMA_BUDGET_REFS: the thread of the last fault,
 * @mru_regs: and its user registers (the same again: no progress).
 * @swapped: pages of the object in the swap area.
 * @io_stalled: the last victim could not be written out (paging.c).
 * @last_io: the victim a fault last wrote out before retrying (under
 *	@lock), ULONG_MAX for none: see ivma_fault_may_do_io().
 *
 * Page store entries are a struct page * (resident) or an xa_mk_value()
 * swap slot (swapped out).
 */
struct ivma_object {
	refcount_t ref;
	u64 id;
	struct list_head node;
	struct mutex lock;	/* configuration, mmap, population */
	struct mutex wb_lock;	/* write-back */
	u32 state;
	u32 flags;
	u64 size;
	pgoff_t nr_pages;
	struct file *backing;
	loff_t file_offset;
	u64 section_len;
	pgoff_t section_pages;
	bool writable;
	int exec_err;
	struct xarray pages;
	struct address_space mapping;
	atomic_t vmas;
	pid_t owner_tgid;
	char owner_comm[TASK_COMM_LEN];
	struct ivma_user *user;
	bool unlimited;

	atomic64_t faults;
	atomic64_t read_faults;
	atomic64_t write_faults;
	atomic64_t exec_faults;
	atomic64_t resident;
	atomic64_t dirty;
	atomic64_t sigbus;
	atomic64_t oom;
	atomic64_t read_errors;
	atomic64_t write_errors;
	atomic64_t bytes_read;
	atomic64_t bytes_written;
	atomic64_t events[IVMA_EV_MAX];
	struct list_head readers;
	struct dentry *debugfs;

	unsigned long frames;
	enum ivma_policy policy;
	u32 budget_flags;
	spinlock_t lru_lock;	/* lru, mru, mru2, mru_tid, mru_regs */
	struct list_head lru;
	pgoff_t mru;
	pgoff_t mru2;
	pid_t mru_tid;
	struct pt_regs mru_regs;
	atomic64_t swapped;
	bool io_stalled;
	pgoff_t last_io;
};

/**
 * struct ivma_device - module-wide state
 * @lock: protects @objects.
 * @objects: every live object.
 * @next_id: source of object ids.
 * @nr_objects: live objects.
 * @nr_pages: pages held by all objects.
 * @events: events of all objects by kind, ever (enum ivma_event_kind).
 * @bytes_read: bytes read from backing files, ever.
 * @bytes_written: bytes written to backing files, ever.
 */
struct ivma_device {
	struct mutex lock;	/* protects objects */
	struct list_head objects;
	atomic64_t next_id;
	atomic_long_t nr_objects;
	atomic_long_t nr_pages;
	atomic64_t events[IVMA_EV_MAX];
	atomic64_t bytes_read;
	atomic64_t bytes_written;
};

extern struct ivma_device ivma_dev;
extern unsigned int ivma_max_object_mb;

/* object.c */
struct ivma_object *ivma_object_create(struct file *filp);
void ivma_object_put(struct ivma_object *obj);
int ivma_object_configure(struct ivma_object *obj,
			  const struct ivma_config *cfg);
int ivma_object_set_budget(struct ivma_object *obj,
			   const struct ivma_budget *budget);
void ivma_object_query(struct ivma_object *obj, struct ivma_info *info);
struct seq_file;
void ivma_object_show_fdinfo(struct seq_file *m, struct ivma_object *obj);
u64 ivma_max_size(void);

/* fault.c */
int ivma_mmap(struct file *filp, struct vm_area_struct *vma);

/* pageout.c */
/* a victim that must be written out before it can be evicted */
struct ivma_paging_io {
	pgoff_t index;
};

int ivma_pageout_writeback(struct ivma_object *obj, pgoff_t first,
			   pgoff_t last, bool nowait);
void ivma_pageout_victim(struct ivma_object *obj,
			 const struct ivma_paging_io *io);

/* paging.c */
void ivma_paging_add_pglocked(struct ivma_object *obj, pgoff_t index,
			      struct page *page);
void ivma_paging_touch_pglocked(struct ivma_object *obj, pgoff_t index,
				struct page *page);
int ivma_paging_make_room_locked(struct ivma_object *obj,
				 struct ivma_paging_io *io);
void ivma_paging_drop_locked_pglocked(struct ivma_object *obj, pgoff_t index,
				      struct page *page, long slot, u64 aux,
				      u64 start_ns);
void ivma_paging_release(struct ivma_object *obj);

/* Unmap page @index of @obj from every VMA in every process. */
static inline void ivma_unmap_page(struct ivma_object *obj, pgoff_t index)
{
	unmap_mapping_range(&obj->mapping, (loff_t)index << PAGE_SHIFT,
			    PAGE_SIZE, 0);
}

/* store.c */

/**
 * struct ivma_store_iter - one entry of the page store, for ivma_store_next()
 * @index: in: the first index to look at; out: the entry's.
 * @page: the page; NULL for a swap entry.
 * @slot: the swap slot of a swap entry.
 * @dirty: the page is marked IVMA_PAGE_DIRTY.
 * @mapcount: the page's PTEs at the time.
 */
struct ivma_store_iter {
	unsigned long index;
	struct page *page;
	unsigned long slot;
	bool dirty;
	int mapcount;
};

#define IVMA_STORE_DIRTY	BIT(0)	/* ivma_store_next(): dirty pages only */
#define IVMA_STORE_GET		BIT(1)	/* ivma_store_next(): take a reference */

struct page *ivma_store_get(struct ivma_object *obj, pgoff_t index);
bool ivma_store_holds_pglocked(struct page *page);
bool ivma_store_reserve_locked(struct ivma_object *obj);
void ivma_store_unreserve_locked(struct ivma_object *obj);
void *ivma_store_load(struct ivma_object *obj, pgoff_t index);
bool ivma_store_page_is(struct ivma_object *obj, pgoff_t index,
			struct page *page);
int ivma_store_insert_locked(struct ivma_object *obj, pgoff_t index,
			     void *old, struct page *page);
void ivma_store_replace_pglocked(struct ivma_object *obj, pgoff_t index,
				 struct page *page, long slot);
bool ivma_store_is_dirty(struct ivma_object *obj, pgoff_t index);
bool ivma_store_mark_dirty_pglocked(struct ivma_object *obj, pgoff_t index,
				    struct page *page);
bool ivma_store_dirty_pglocked(struct page *page);
void ivma_store_clear_dirty_pglocked(struct ivma_object *obj, pgoff_t index,
				     struct page *page);
bool ivma_store_next(struct ivma_object *obj, struct ivma_store_iter *it,
		     pgoff_t max, unsigned int flags);
void ivma_store_destroy(struct ivma_object *obj);

/* Is @entry, from ivma_store_load(), a swap entry? */
static inline bool ivma_store_is_slot(void *entry)
{
	return xa_is_value(entry);
}

/* The swap slot of a swap entry. */
static inline unsigned long ivma_store_slot(void *entry)
{
	return xa_to_value(entry);
}

/* backing.c */
struct file *ivma_backing_open(const struct ivma_config *cfg);
int ivma_backing_exec_check(struct file *file);
bool ivma_backing_writable(struct file *file);
int ivma_backing_read(struct ivma_object *obj, pgoff_t index,
		      struct page *page);
int ivma_backing_write(struct ivma_object *obj, pgoff_t index,
		       const void *buf);
int ivma_backing_sync(struct ivma_object *obj, pgoff_t first, pgoff_t last,
		      int datasync);

/**
 * ivma_write_held() - kernel_write() for a caller that holds the freeze
 *	protection of @file's filesystem already (pageout.c's write-back
 *	through ivma_backing_write(), swap.c's slots)
 * @file: a regular file open for writing
 * @buf: the bytes
 * @len: how many
 * @pos: where; advanced by what was written
 *
 * kernel_write() would take that protection (sb_start_write()) again: a
 * second read lock of the superblock's rwsem, which blocks as soon as a
 * freeze is pending, while the first one keeps the freeze from completing.
 * vfs_iter_write() makes the same checks (rw_verify_area(), with the
 * LSM's security_file_permission()) without taking it.
 *
 * Return: bytes written, or a negative errno.
 */
static inline ssize_t ivma_write_held(struct file *file, const void *buf,
				      size_t len, loff_t *pos)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, WRITE, &kv, 1, len);
	return vfs_iter_write(file, &iter, pos, 0);
}

/* swap.c */
int ivma_swap_init(void);
void ivma_swap_exit(void);
int ivma_swap_set(const struct ivma_swap *cfg);
void ivma_swap_info(struct ivma_swap *info);
long ivma_swap_alloc(struct ivma_object *obj);
void ivma_swap_free(struct ivma_object *obj, unsigned long slot);
int ivma_swap_write(unsigned long slot, const void *buf);
int ivma_swap_room(struct ivma_object *obj);
unsigned long ivma_swap_quota(void);
int ivma_swap_read(unsigned long slot, struct page *page);

/* user.c */
int ivma_user_init(void);
struct ivma_user *ivma_user_get(kuid_t uid, bool unlimited);
void ivma_user_put(struct ivma_user *user, bool unlimited);
bool ivma_user_charge(struct ivma_user *user, bool unlimited);
void ivma_user_uncharge(struct ivma_user *user, long pages);
unsigned long ivma_user_max_pages(void);
void ivma_user_walk(void (*fn)(const struct ivma_user *user, void *arg),
		    void *arg);

/* debugfs.c */
int ivma_debugfs_init(void);
void ivma_debugfs_exit(void);
void ivma_debugfs_object_add(struct ivma_object *obj);
void ivma_debugfs_object_remove(struct ivma_object *obj);

/* inject.c: fault injection for the module's own error paths */
struct ivma_inject {
	atomic_t alloc;		/* fail the next N page allocations */
	atomic_t read;		/* fail the next N backing-file reads */
	atomic_t write;		/* fail the next N backing-file writes */
};

extern struct ivma_inject ivma_inject;
struct dentry;
void ivma_inject_debugfs(struct dentry *dir);

/* Consume one injected failure from @n, if any is pending. */
static inline bool ivma_inject_fail(atomic_t *n)
{
	return atomic_dec_if_positive(n) >= 0;
}

/* log.c */
extern bool ivma_log_enabled;
extern unsigned long ivma_log_default_size;
int ivma_log_open(struct ivma_object *obj, const struct ivma_log_open *req);
bool ivma_log_wanted(struct ivma_object *obj);
void ivma_log_push(struct ivma_object *obj, const struct ivma_record *rec);
void ivma_log_detach(struct ivma_object *obj);
bool ivma_log_size_valid(u64 size);
void ivma_log_show(struct seq_file *m);
int ivma_fadvise(struct file *filp, loff_t offset, loff_t len, int advice);

/* ioctl.c */
long ivma_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

/* event.c */

/**
 * struct ivma_event - what happened, as the module saw it
 * @kind: enum ivma_event_kind.
 * @outcome: enum ivma_outcome.
 * @index: object page offset (VMA events: the VMA's first page).
 * @address: user address (faults: the faulting one; VMA events: start).
 * @aux: kind-specific, see struct ivma_record.
 * @access: IVMA_ACCESS_* bits.
 * @start_ns: ivma_event_start() when handling started: ktime_get_ns(), or
 *	0 when not timed (nobody was taking the object's records then).
 */
struct ivma_event {
	enum ivma_event_kind kind;
	enum ivma_outcome outcome;
	pgoff_t index;
	unsigned long address;
	u64 aux;
	u32 access;
	u64 start_ns;
};

bool ivma_event_wanted(struct ivma_object *obj);
u64 ivma_event_start(struct ivma_object *obj);
u64 ivma_event_emit(struct ivma_object *obj, const struct ivma_event *ev);
void ivma_event_simple(struct ivma_object *obj, enum ivma_event_kind kind,
		       pgoff_t index);

#endif /* _IVMA_H */
