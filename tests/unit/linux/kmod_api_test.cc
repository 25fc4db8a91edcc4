#include <gtest/gtest.h>

#include "kmod_api.h"

namespace txqg {
namespace {

// The build machine has libkmod2 (the controller's runtime dependency): every entry binds, and a
// context can be made and dropped without root.
TEST(KmodApi, BindsEveryEntryAndMakesAContext)
{
	auto api = kmod_api();
	ASSERT_TRUE(api) << api.error().message;
	const KmodApi &a = **api;
	for (const void *fn : {(const void *)a.new_ctx, (const void *)a.unref, (const void *)a.set_log_fn,
			       (const void *)a.module_new_from_lookup, (const void *)a.module_new_from_path,
			       (const void *)a.module_new_from_name, (const void *)a.module_get_module,
			       (const void *)a.module_probe_insert_module,
			       (const void *)a.module_insert_module, (const void *)a.module_remove_module,
			       (const void *)a.module_unref, (const void *)a.module_unref_list})
		EXPECT_NE(fn, nullptr);
	kmod_ctx *ctx = a.new_ctx(nullptr, nullptr);
	ASSERT_NE(ctx, nullptr);
	EXPECT_EQ(a.unref(ctx), nullptr);
}

TEST(KmodApi, SecondCallReturnsTheSameTable)
{
	auto first = kmod_api();
	auto second = kmod_api();
	ASSERT_TRUE(first && second);
	EXPECT_EQ(*first, *second);
}

}  // namespace
}  // namespace txqg
