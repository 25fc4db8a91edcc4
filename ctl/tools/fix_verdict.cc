// txqg-fix-verdict: the controller's verdict on kernels (fixed, vulnerable or unknown), one line
// per "RELEASE<TAB>PROC_VERSION" line read from stdin, so that deploy/ansible's copy of the
// version table can be checked against it (tests/fleet/fix-table.sh).
#include <iostream>
#include <string>

#include "fix_table.h"

int main(int argc, char **)
{
	if (argc != 1) {
		std::cerr << "usage: txqg-fix-verdict < lines of RELEASE<TAB>PROC_VERSION\n";
		return 2;
	}
	std::string line;
	while (std::getline(std::cin, line)) {
		const auto tab = line.find('\t');
		const std::string release = line.substr(0, tab);
		const std::string proc = tab == std::string::npos ? "" : line.substr(tab + 1);
		std::cout << txqg::fix_status_name(txqg::assess_fix(release, proc).status) << '\n';
	}
	return 0;
}
