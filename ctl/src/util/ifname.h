// Interface names travel through the module's %pE escaping and must leave
// this tool as plain ASCII (terminals, JSON), whatever bytes they hold.
#pragma once

#include <string>
#include <string_view>

namespace txqg {

// Undoes the kernel's %pE (ESCAPE_ANY_NP): \ooo, \a \e \f \n \r \t \v \0.
// Printable bytes, the backslash included, are passed through unescaped by
// the kernel, so a backslash that starts no escape stands for itself.
std::string unescape_kernel_string(std::string_view escaped);

// Bytes 0x21..0x7e other than the backslash as themselves, every other
// byte as \ooo: unambiguous, reversible and safe in any output.
std::string escape_ifname(std::string_view raw);

}  // namespace txqg
