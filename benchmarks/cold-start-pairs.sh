#!/bin/bash
# ABBA pairs of "edgevision detect" before (no native cache, no CDS) and after (cache + CDS): wall and CPU seconds.
# Run from the repository root after ./mvnw -q -pl cli -am package -DskipTests and one ./edgevision run (records the archive).
J=$PWD/cli/target/edgevision-cli.jar; JSA=$PWD/cli/target/edgevision-cli.jsa
before() { java -Dedgevision.native.cache=off -cp $J io.edgevision.cli.Main detect --json >/dev/null 2>&1; }
after() { java -XX:SharedArchiveFile=$JSA -Xshare:on -cp $J io.edgevision.cli.Main detect --json >/dev/null 2>&1; }
run() { local s=$(date +%s.%N); bash -c "$(declare -f $1); J=$J; JSA=$JSA; $1; times" | tail -1 | awk -v s=$s -v n=$1 '{split($1,u,"m");split($2,y,"m"); cmd="date +%s.%N"; cmd|getline e; printf "%s wall %.2f cpu %.2f\n", n, e-s, u[1]*60+u[2]+y[1]*60+y[2]}'; }
for i in 1 2 3 4 5 6 7 8; do if [ $((i%2)) = 1 ]; then run before; run after; else run after; run before; fi; done
# Summary: the median of the per-pair before/after ratios (CPU and wall) is the figure; docs/PERFORMANCE.md, cold start.
