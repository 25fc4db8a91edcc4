# make help: the "## <target>: ..." lines of the makefiles (mk/help.mk says why), wrapped to
# 100 columns whatever the width of the comment lines they came from.
BEGIN {
	pad = sprintf("%19s", "")
	print "make <target> [VAR=value]. \"Needs root for deps\": scripts/install-deps installs what is"
	print "missing from Debian's archive, which takes root; once all is installed, no root is needed."
}
function flush(   n, w, k, out, line) {
	if (target == "")
		return
	out = length(target) > 16 ? "  " target "\n" pad : sprintf("  %-16s ", target)
	n = split(text, w, " ")
	line = ""
	for (k = 1; k <= n; k++) {
		if (line != "" && length(line) + 1 + length(w[k]) > 100 - length(pad)) {
			out = out line "\n" pad
			line = ""
		}
		line = line == "" ? w[k] : line " " w[k]
	}
	print out line
	target = ""
}
/^##@ / { flush(); printf "\n%s\n", substr($0, 5); next }
/^##   / && target != "" { text = text " " substr($0, 6); next }
/^## / {
	flush()
	s = substr($0, 4)
	i = index(s, ": ")
	target = substr(s, 1, i - 1)
	text = substr(s, i + 2)
	next
}
{ flush() }
END { flush() }
