#!/usr/bin/env bash
# Prints how closely flat's exchanges agree with Wireshark's on every capture of the shared
# corpus (captures written by others: shared/corpus beside the repository) and of testdata/:
# per capture the tcp, dns and icmp exchanges Wireshark pairs (expected), those flat reports
# (reported) and those equal in every field to the nanosecond (matching), the misses explained by
# a documented deliberate difference (docs/matching.md) and the unexplained ones; then overall
# recall (matching / expected) and precision (matching / reported).
# It runs WiresharkCrossCheckTest, which fails on any unexplained difference, and prints the
# table that test writes (cli/target/wireshark-agreement.txt) whether it passed or not.
# Needs: java 17, maven, tshark. Takes about a minute and a half on 2 CPUs.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v tshark >/dev/null || { echo "wireshark-agreement.sh: tshark not found (apt-get install tshark)" >&2; exit 1; }
table="cli/target/wireshark-agreement.txt"
rm -f "$table"
mvn -q -B -pl cli -am test -Dtest=WiresharkCrossCheckTest -Dsurefire.failIfNoSpecifiedTests=false \
    >"${TMPDIR:-/tmp}/wireshark-agreement.log" 2>&1
status=$?
if [ ! -f "$table" ]; then
  tail -40 "${TMPDIR:-/tmp}/wireshark-agreement.log" >&2
  echo "wireshark-agreement.sh: the test wrote no table (build failure? log above)" >&2
  exit 1
fi
cat "$table"
[ "$status" -eq 0 ] || echo "wireshark-agreement.sh: unexplained differences: see ${TMPDIR:-/tmp}/wireshark-agreement.log" >&2
exit "$status"
