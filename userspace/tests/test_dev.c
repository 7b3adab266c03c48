// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the device-facing code without the device: paths, exit
 * statuses and messages (against /dev/null and missing nodes), and the
 * validation of "ivma touch" that happens before the device is opened.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "dev.h"
#include "test.h"

static void test_device_path(void)
{
	char *old = getenv(IVMA_DEVICE_ENV);

	old = old ? strdup(old) : NULL;
	unsetenv(IVMA_DEVICE_ENV);
	CHECK_STR(ivma_device_path(NULL), "/dev/ivma");
	CHECK_STR(ivma_device_path("/tmp/x"), "/tmp/x");
	setenv(IVMA_DEVICE_ENV, "/dev/other", 1);
	CHECK_STR(ivma_device_path(NULL), "/dev/other");
	CHECK_STR(ivma_device_path("/tmp/x"), "/tmp/x");
	setenv(IVMA_DEVICE_ENV, "", 1);
	CHECK_STR(ivma_device_path(NULL), "/dev/ivma");
	if (old)
		setenv(IVMA_DEVICE_ENV, old, 1);
	else
		unsetenv(IVMA_DEVICE_ENV);
	free(old);
}

static void test_exit_statuses(void)
{
	CHECK(ivma_open_status(ENOENT) == IVMA_EXIT_NODEV);
	CHECK(ivma_open_status(ENXIO) == IVMA_EXIT_NODEV);
	CHECK(ivma_open_status(ENODEV) == IVMA_EXIT_NODEV);
	CHECK(ivma_open_status(EACCES) == IVMA_EXIT_PERM);
	CHECK(ivma_open_status(EPERM) == IVMA_EXIT_PERM);
	CHECK(ivma_open_status(EBUSY) == IVMA_EXIT_FAILURE);
	CHECK(ivma_errno_status(ENOENT) == IVMA_EXIT_FAILURE);
	CHECK(ivma_errno_status(EACCES) == IVMA_EXIT_PERM);
	CHECK(ivma_errno_status(EINVAL) == IVMA_EXIT_FAILURE);
}

static int open_only(void *path)
{
	struct ivma_dev dev;

	ivma_dev_open(&dev, path);
	ivma_dev_close(&dev);
	return 0;
}

static int open_and_api(void *path)
{
	struct ivma_api api;
	struct ivma_dev dev;

	ivma_dev_open(&dev, path);
	ivma_dev_api(&dev, 0, &api);
	return 0;
}

static void test_open_messages(void)
{
	char err[1024];
	char *tmp;
	FILE *f;

	CHECK(t_child(open_only, "/nonexistent/ivma", err, sizeof(err)) ==
	      IVMA_EXIT_NODEV);
	CHECK_CONTAINS(err, ": /nonexistent/ivma: no such device node (the "
		       "path of -d or $IVMA_DEVICE; the module's is "
		       "/dev/ivma)\n");
	/* the module's own node missing: the module is not loaded */
	if (access(IVMA_DEFAULT_DEVICE, F_OK)) {
		CHECK(t_child(open_only, IVMA_DEFAULT_DEVICE, err,
			      sizeof(err)) == IVMA_EXIT_NODEV);
		CHECK_CONTAINS(err, ": /dev/ivma: no such device: is the "
			       "ivma module loaded? (modprobe ivma)\n");
	}

	CHECK(t_child(open_only, "/", err, sizeof(err)) == IVMA_EXIT_FAILURE);
	CHECK_CONTAINS(err, ": /: cannot open: Is a directory\n");

	f = tmpfile();
	REQUIRE(f);
	REQUIRE(asprintf(&tmp, "/proc/self/fd/%d", fileno(f)) > 0);
	CHECK(t_child(open_only, tmp, err, sizeof(err)) == IVMA_EXIT_NODEV);
	CHECK_CONTAINS(err, ": not a character device\n");
	free(tmp);
	fclose(f);

	CHECK(t_child(open_only, "/dev/null", err, sizeof(err)) == 0);
	CHECK_STR(err, "");
}

static void test_ioctl_messages(void)
{
	char err[1024];

	/* /dev/null is a character device that knows no ioctl */
	CHECK(t_child(open_and_api, "/dev/null", err, sizeof(err)) ==
	      IVMA_EXIT_FAILURE);
	CHECK_CONTAINS(err, ": /dev/null: IVMA_IOC_API: ");
	CHECK_CONTAINS(err, "(not an ivma device?)\n");
}

/* Runs a command with arguments argv[] and the device /nonexistent. */
static int run_command(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	optind = 0;
	ivma_global_device = "/nonexistent/ivma";
	if (strcmp(argv[0], "touch") == 0)
		return cmd_touch(argc, argv);
	if (strcmp(argv[0], "api") == 0)
		return cmd_api(argc, argv);
	return cmd_info(argc, argv);
}

#define COMMAND(...) ((char *[]){ __VA_ARGS__, NULL })

static bool command_fails(char **argv, int status, const char *msg)
{
	char err[2048];
	int rc = t_child(run_command, argv, err, sizeof(err));

	return t_check(rc == status, __FILE__, __LINE__, "%s ...: exit %d, "
		       "want %d: %s", argv[1], rc, status, err) &&
	       CHECK_CONTAINS(err, msg);
}

static void test_touch_validation(void)
{
	command_fails(COMMAND("touch", "--pattern", "5-3"), IVMA_EXIT_USAGE,
		      "--pattern: '5-3': descending range");
	command_fails(COMMAND("touch", "--size", "64K", "--pattern", "16"),
		      IVMA_EXIT_USAGE, "--pattern: page 16 is past the end "
		      "of the object (the object has 16 pages: 0-15)");
	command_fails(COMMAND("touch", "--size", "5000"), IVMA_EXIT_USAGE,
		      "not a multiple of the page size");
	command_fails(COMMAND("touch", "--size", "1X"), IVMA_EXIT_USAGE,
		      "--size: '1X': unknown suffix 'X'");
	command_fails(COMMAND("touch"), IVMA_EXIT_USAGE,
		      "--size or --file is required");
	command_fails(COMMAND("touch", "-s", "4K", "--mode", "x"),
		      IVMA_EXIT_USAGE, "--mode: 'x': expected r, w or rw");
	command_fails(COMMAND("touch", "-s", "4K", "--map", "x"),
		      IVMA_EXIT_USAGE, "--map: 'x': expected shared or private");
	command_fails(COMMAND("touch", "-s", "4K", "--repeat", "0"),
		      IVMA_EXIT_USAGE, "--repeat: must be at least 1");
	command_fails(COMMAND("touch", "-s", "4K", "--bogus"),
		      IVMA_EXIT_USAGE, "unrecognized option or unexpected "
		      "argument '--bogus'\nTry '");
	command_fails(COMMAND("touch", "-s", "4K", "-x"), IVMA_EXIT_USAGE,
		      "invalid option -- 'x'\nTry '");
	command_fails(COMMAND("touch", "-s"), IVMA_EXIT_USAGE,
		      "option requires an argument -- 's'");
	command_fails(COMMAND("touch", "--size"), IVMA_EXIT_USAGE,
		      "option '--size' requires an argument");
	command_fails(COMMAND("touch", "-s", "4K", "extra"), IVMA_EXIT_USAGE,
		      "unexpected argument 'extra'");
	command_fails(COMMAND("touch", "-f", "/nonexistent/file"),
		      IVMA_EXIT_FAILURE, "/nonexistent/file: cannot open: "
		      "No such file or directory");
	command_fails(COMMAND("touch", "-f", "/dev/null"), IVMA_EXIT_USAGE,
		      "/dev/null: not a regular file");
	command_fails(COMMAND("touch", "-s", "4K", "--hold-socket", ""),
		      IVMA_EXIT_USAGE, "--hold-socket: the socket path is "
		      "empty");
	command_fails(COMMAND("touch", "-s", "4K", "--hold-socket",
			      "/tmp/a-socket-path-that-is-far-longer-than-"
			      "what-struct-sockaddr_un-can-hold-which-is-"
			      "one-hundred-and-seven-bytes"),
		      IVMA_EXIT_USAGE, "longer than a socket path may be "
		      "(107 bytes)");
	/* all valid: fails at the device only */
	command_fails(COMMAND("touch", "-s", "64K", "-p", "rand", "--mode",
			      "rw", "--map", "private", "--repeat", "2"),
		      IVMA_EXIT_NODEV, "/nonexistent/ivma: no such device");
}

static void test_touch_file_validation(void)
{
	char path[] = "/tmp/ivma-test-XXXXXX";
	int fd = mkstemp(path);

	REQUIRE(fd >= 0);
	REQUIRE(write(fd, "0123456789", 10) == 10);
	command_fails(COMMAND("touch", "-f", path, "--offset", "4096"),
		      IVMA_EXIT_USAGE, "at or past the end of the file");
	command_fails(COMMAND("touch", "-f", path, "--offset", "100"),
		      IVMA_EXIT_USAGE, "not page-aligned");
	command_fails(COMMAND("touch", "-f", path, "--length", "11"),
		      IVMA_EXIT_USAGE, "extends past the end of the file");
	command_fails(COMMAND("touch", "-f", path, "-p", "1"),
		      IVMA_EXIT_USAGE, "page 1 is past the end");
	command_fails(COMMAND("touch", "-f", path, "--size", "8K", "-p", "1",
			      "--mode", "w"),
		      IVMA_EXIT_NODEV, "no such device");
	close(fd);
	unlink(path);
}

static void test_other_commands(void)
{
	command_fails(COMMAND("api"), IVMA_EXIT_NODEV,
		      "/nonexistent/ivma: no such device node");
	command_fails(COMMAND("info"), IVMA_EXIT_NODEV, "no such device");
	command_fails(COMMAND("api", "-o", "NAME,FOO"), IVMA_EXIT_USAGE,
		      "--output: unknown column: FOO (NAME, VALUE, "
		      "DESCRIPTION)");
	command_fails(COMMAND("info", "-o", "value,VALUE"), IVMA_EXIT_USAGE,
		      "--output: VALUE twice");
	command_fails(COMMAND("touch", "-s", "4K", "-o", "NAME,"),
		      IVMA_EXIT_USAGE, "--output: an empty column name in "
		      "'NAME,'");
	command_fails(COMMAND("info", "-o", "NAME,VALUE"), IVMA_EXIT_NODEV,
		      "no such device");
	command_fails(COMMAND("api", "-a"), IVMA_EXIT_USAGE,
		      "invalid option -- 'a'");
	command_fails(COMMAND("info", "x"), IVMA_EXIT_USAGE,
		      "unexpected argument 'x'");
}

void suite_dev(void)
{
	RUN(test_device_path);
	RUN(test_exit_statuses);
	RUN(test_open_messages);
	RUN(test_ioctl_messages);
	RUN(test_touch_validation);
	RUN(test_touch_file_validation);
	RUN(test_other_commands);
}
