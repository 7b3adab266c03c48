// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - I/O on the backing file of a file-backed object.
 *
 * The object never hands out the backing file's page-cache pages: its VMAs
 * are not in that file's rmap, so truncation and write-back of the file
 * would never see them. Instead a page is copied in from the file on first
 * touch (ivma_backing_read) and copied out when it is written back
 * (ivma_backing_write), through the file's own read and write paths.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>

#include "ivma.h"

/**
 * ivma_backing_check() - may @file back an object as @cfg describes?
 * @file: the file behind ivma_config.fd
 * @cfg: the requested configuration
 *
 * Return: 0, or -EINVAL (not a readable regular file), -EACCES (not
 * opened for reading).
 */
int ivma_backing_check(struct file *file, const struct ivma_config *cfg)
{
	if (!S_ISREG(file_inode(file)->i_mode))
		return -EINVAL;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	/* kernel_read() needs ->read_iter (and no ->read beside it) */
	if (!(file->f_mode & FMODE_CAN_READ) || !file->f_op->read_iter ||
	    file->f_op->read)
		return -EINVAL;
	return 0;
}

/* Bytes of the section in object page @index (PAGE_SIZE but for the last). */
static size_t ivma_section_bytes(struct ivma_object *obj, pgoff_t index)
{
	u64 start = (u64)index << PAGE_SHIFT;

	if (start >= obj->section_len)
		return 0;
	return min_t(u64, PAGE_SIZE, obj->section_len - start);
}

/*
 * Copy the section's bytes of page @index between @page and the file, in
 * as many kernel_read()/kernel_write() calls as the file needs. A read
 * that meets the end of the file stops there (the rest stays zero); a
 * write that makes no progress is -EIO. Counts bytes and errors.
 */
static int ivma_backing_io(struct ivma_object *obj, pgoff_t index,
			   struct page *page, bool write)
{
	size_t len = ivma_section_bytes(obj, index);
	loff_t pos = obj->file_offset + ((loff_t)index << PAGE_SHIFT);
	atomic_t *inject = write ? &ivma_inject.write : &ivma_inject.read;
	size_t done = 0;
	void *kaddr;
	int ret = 0;

	if (ivma_inject_fail(inject)) {
		ret = -EIO;
		goto out;
	}

	kaddr = kmap_local_page(page);
	while (done < len) {
		ssize_t n;

		if (write)
			n = kernel_write(obj->backing, kaddr + done,
					 len - done, &pos);
		else
			n = kernel_read(obj->backing, kaddr + done,
					len - done, &pos);
		if (n < 0) {
			ret = n;
			break;
		}
		if (n == 0) {
			if (write)
				ret = -EIO;
			break;
		}
		done += n;
	}
	kunmap_local(kaddr);
out:
	atomic64_add(done, write ? &obj->bytes_written : &obj->bytes_read);
	if (ret)
		atomic64_inc(write ? &obj->write_errors : &obj->read_errors);
	return ret;
}

/**
 * ivma_backing_read() - fill @page with the section's bytes at @index
 * @obj: a file-backed object
 * @index: object page offset, inside the section
 * @page: a zeroed page
 *
 * Bytes past the end of the file (a short last page, or a file truncated
 * after configure) are left zero.
 *
 * Return: 0 or the read's negative errno.
 */
int ivma_backing_read(struct ivma_object *obj, pgoff_t index,
		      struct page *page)
{
	return ivma_backing_io(obj, index, page, false);
}

/**
 * ivma_backing_write() - write @page's section bytes back to the file
 * @obj: a file-backed object whose backing file is writable
 * @index: object page offset, inside the section
 * @page: the object's page, locked by the caller
 *
 * Only the bytes inside the section are written: a short last page never
 * extends the section. A file truncated meanwhile grows back to hold them.
 *
 * Return: 0, or a negative errno (-EIO for a short write).
 */
int ivma_backing_write(struct ivma_object *obj, pgoff_t index,
		       struct page *page)
{
	return ivma_backing_io(obj, index, page, true);
}

/**
 * ivma_backing_sync() - make written-back pages of a range durable
 * @obj: a file-backed object
 * @first: first object page offset
 * @last: last object page offset (inclusive)
 * @datasync: as for fsync
 *
 * Return: the result of vfs_fsync_range() on the backing file.
 */
int ivma_backing_sync(struct ivma_object *obj, pgoff_t first, pgoff_t last,
		      int datasync)
{
	loff_t start = obj->file_offset + ((loff_t)first << PAGE_SHIFT);
	loff_t end = obj->file_offset + ((loff_t)(last + 1) << PAGE_SHIFT) - 1;

	return vfs_fsync_range(obj->backing, start, end, datasync);
}
