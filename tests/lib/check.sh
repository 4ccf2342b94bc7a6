# Sourced by the test scripts: check NAME COMMAND... runs the command as a
# test, prints PASS or FAIL and counts; finish prints the closing line
# ("NAME: N passed, N failed") and returns non-zero if anything failed.
passed=0 failed=0

check() {
	local name=$1
	shift
	if "$@"; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}

finish() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
