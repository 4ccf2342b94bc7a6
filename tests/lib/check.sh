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

# check_io_errors TOOL COMMAND GOOD-INPUT WORK: the host tool's command on a
# directory, on a closed standard input, and writing to a full disk must
# exit 2 and name the OS error.
check_io_errors() {
	local tool=$1 cmd=$2 input=$3 work=$4
	"$tool" "$cmd" "$(dirname "$input")" >/dev/null 2>"$work/dir.err"
	check "$cmd, a directory: exit 2" test $? -eq 2
	check "$cmd, a directory: the OS error named" grep -q "cannot read .*: Is a directory" "$work/dir.err"
	"$tool" "$cmd" - <&- >/dev/null 2>"$work/closed.err"
	check "$cmd, closed standard input: exit 2" test $? -eq 2
	check "$cmd, closed standard input: named" grep -q "cannot read -: Bad file descriptor" "$work/closed.err"
	"$tool" "$cmd" "$input" >/dev/full 2>"$work/full.err"
	check "$cmd, full disk: exit 2" test $? -eq 2
	check "$cmd, full disk: named" grep -q "cannot write the output: No space left on device" "$work/full.err"
}

finish() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
