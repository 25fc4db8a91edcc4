# make help prints the "## <target>: what it does; what it needs" line above each rule ("##   "
# lines continue it), so a target's help is written and reviewed next to its recipe;
# tests/make-help-check.sh fails a .PHONY target that has none.

##@ Help
## help: this list
help:
	@awk -f mk/help.awk $(MAKEFILE_LIST)

.PHONY: help
