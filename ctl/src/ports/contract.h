// The names txqguard.ko prints, taken from the shared uapi header so the
// controller and the module cannot drift apart.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "uapi/linux/txqguard.h"

namespace txqg {

inline constexpr std::string_view kCtlVersion = TXQGUARD_VERSION;
inline constexpr std::string_view kModuleName = "txqguard";
inline constexpr std::string_view kOvsModuleName = "openvswitch";

inline constexpr std::array<std::string_view, __TXQGUARD_MODE_MAX> kModeNames =
	TXQGUARD_MODE_NAMES;
inline constexpr std::array<std::string_view, __TXQGUARD_GUARD_MAX> kGuardNames =
	TXQGUARD_GUARD_NAMES;
inline constexpr std::array<std::string_view, __TXQGUARD_ACTION_MAX> kActionNames =
	TXQGUARD_ACTION_NAMES;
inline constexpr std::array<std::string_view, __TXQGUARD_CTR_MAX> kCounterNames =
	TXQGUARD_COUNTER_NAMES;
inline constexpr std::array<std::string_view, __TXQGUARD_PROBE_STATE_MAX>
	kProbeStateNames = TXQGUARD_PROBE_STATE_NAMES;

inline constexpr std::string_view kEnforceMode = kModeNames[TXQGUARD_MODE_ENFORCE];
inline constexpr std::string_view kTxhashGuard = kGuardNames[TXQGUARD_GUARD_TXHASH];
inline constexpr std::string_view kOvsOutputGuard = kGuardNames[TXQGUARD_GUARD_OVS_OUTPUT];

template <typename Enum, size_t N>
std::optional<Enum> enum_from_name(const std::array<std::string_view, N> &names,
				   std::string_view name)
{
	for (size_t i = 0; i < N; i++)
		if (names[i] == name)
			return static_cast<Enum>(i);
	return std::nullopt;
}

inline std::optional<txqguard_mode> mode_from_name(std::string_view name)
{
	return enum_from_name<txqguard_mode>(kModeNames, name);
}

inline std::optional<txqguard_guard> guard_from_name(std::string_view name)
{
	return enum_from_name<txqguard_guard>(kGuardNames, name);
}

inline std::optional<txqguard_action> action_from_name(std::string_view name)
{
	return enum_from_name<txqguard_action>(kActionNames, name);
}

inline std::optional<txqguard_probe_state> probe_state_from_name(std::string_view name)
{
	return enum_from_name<txqguard_probe_state>(kProbeStateNames, name);
}

}  // namespace txqg
