#!/usr/bin/env bash
# Run host test binaries; print one closing line with the totals.
# RUNNER, when set, is a command to run each one under (valgrind for one).
set -uo pipefail
passed=0 failed=0
read -r -a runner <<<"${RUNNER:-}"
for t in "$@"; do
	if "${runner[@]}" "$t"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t"
		failed=$((failed + 1))
	fi
done
echo "host-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
