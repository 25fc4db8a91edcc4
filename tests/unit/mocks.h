// gmock fakes of the kernel-facing interfaces.
#pragma once

#include <gmock/gmock.h>

#include "debugfs_reader.h"
#include "hook_lists.h"
#include "kernel_info.h"
#include "livepatch_state.h"
#include "module_loader.h"
#include "module_params.h"

namespace txqg::testing {

class MockDebugfsReader : public DebugfsReader {
public:
	MOCK_METHOD(Result<std::string>, read, (DebugfsFile file), (override));
};

class MockModuleParams : public ModuleParams {
public:
	MOCK_METHOD(bool, loaded, (std::string_view module), (override));
	MOCK_METHOD(Result<std::string>, version, (), (override));
	MOCK_METHOD(Result<std::string>, mode, (), (override));
	MOCK_METHOD(Result<void>, set_mode, (std::string_view mode), (override));
	MOCK_METHOD(Result<bool>, selftest, (), (override));
	MOCK_METHOD(Result<std::string>, srcversion, (), (override));
	MOCK_METHOD(Result<unsigned>, refcount, (), (override));
};

class MockModuleLoader : public ModuleLoader {
public:
	MOCK_METHOD(Result<void>, load_by_name, (const std::string &name, const std::string &options),
		    (override));
	MOCK_METHOD(Result<void>, load_from_path,
		    (const std::string &path, const std::string &options), (override));
	MOCK_METHOD(Result<void>, remove, (const std::string &name), (override));
};

class MockKernelInfo : public KernelInfo {
public:
	MOCK_METHOD(Result<Uname>, uname, (), (override));
	MOCK_METHOD(Result<std::string>, proc_version, (), (override));
	MOCK_METHOD(Result<std::string>, boot_id, (), (override));
};

class MockLivepatchState : public LivepatchState {
public:
	MOCK_METHOD(bool, supported, (), (override));
	MOCK_METHOD(Result<PatchState>, state, (std::string_view patch), (override));
	MOCK_METHOD(Result<void>, set_enabled, (std::string_view patch, bool enabled), (override));
	MOCK_METHOD(Result<std::vector<PatchedFunction>>, patched_functions, (), (override));
	MOCK_METHOD(Result<std::vector<PendingTask>>, pending_tasks, (int target), (override));
};

class MockHookLists : public HookLists {
public:
	MOCK_METHOD(Result<std::string>, kprobes_list, (), (override));
	MOCK_METHOD(Result<std::string>, enabled_functions, (), (override));
};

}  // namespace txqg::testing
