#!/usr/bin/env bash
# Run host test binaries; print one closing line with the totals.
set -uo pipefail
passed=0 failed=0
for t in "$@"; do
	if "$t"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t"
		failed=$((failed + 1))
	fi
done
echo "host-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
