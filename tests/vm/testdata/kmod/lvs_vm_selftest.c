// SPDX-License-Identifier: GPL-2.0
/*
 * Module for tests/vm/selftest, built against the debug kernel's tree: its
 * KUnit suite must run on insmod and print KTAP, and with leak=1 it leaks
 * one allocation, which kmemleak must report.
 * In 6.1 a module's suites run when it is COMING: before its parameters
 * are parsed and before its init, so the leak is made in init.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool leak;
module_param(leak, bool, 0444);

static void selftest_add(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void selftest_alloc(struct kunit *test)
{
	char *p = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[63], 0);
}

static struct kunit_case selftest_cases[] = {
	KUNIT_CASE(selftest_add),
	KUNIT_CASE(selftest_alloc),
	{}
};

static struct kunit_suite selftest_suite = {
	.name = "lvs_vm_selftest",
	.test_cases = selftest_cases,
};
kunit_test_suite(selftest_suite);

static int __init selftest_init(void)
{
	if (leak) {
		char *p = kmalloc(128, GFP_KERNEL);

		if (p)
			memset(p, 0x5a, 128);	/* and forget it */
	}
	return 0;
}
module_init(selftest_init);

static void __exit selftest_exit(void)
{
}
module_exit(selftest_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs guest harness self-test");
