// SPDX-License-Identifier: GPL-2.0
/* Module for tests/vm/selftest: a suite with one failing case. */
#include <kunit/test.h>
#include <linux/module.h>

static void selftest_pass(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, true);
}

static void selftest_fail(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "fails on purpose");
}

static struct kunit_case selftest_fail_cases[] = {
	KUNIT_CASE(selftest_pass),
	KUNIT_CASE(selftest_fail),
	{}
};

static struct kunit_suite selftest_fail_suite = {
	.name = "lvs_vm_selftest_fail",
	.test_cases = selftest_fail_cases,
};
kunit_test_suite(selftest_fail_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs guest harness self-test: a failing suite");
