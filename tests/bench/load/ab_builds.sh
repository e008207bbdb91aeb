#!/bin/bash
# ab_builds.sh: two jianyand builds against each other in one run, the way
# docs/performance.md's "What was tried" measures a change. Both servers are
# up at once (--demo, fresh data directories, 127.0.0.1); for each round and
# scenario jianyan-bench drives one and then the other, alternating which
# goes first; at the end, per scenario, the per-round ratios new ÷ old of
# calls/s and their median, and the median ratio of server CPU per call.
#
#   ab_builds.sh [--rounds=6] [--seconds=5] [--scenarios="submit@64 status@64"]
#                [--bench=PATH] [--dir=/tmp] [--bench-flag=FLAG ...]
#                OLD_JIANYAND NEW_JIANYAND
#
# --bench: the jianyan-bench binary (default: jianyan-bench on PATH).
# --bench-flag passes a flag to every jianyan-bench run
# (e.g. --bench-flag=--status-cases=40). Exit status: 0 when every call of
# every run succeeded, 1 when a run failed (its servers' data directories
# and logs are kept and named), 2 on bad arguments.
set -euo pipefail

rounds=6
seconds=5
scenarios="submit@64 lifecycle@64 status@64"
bench=jianyan-bench
top=/tmp
extra=()
builds=()
for arg in "$@"; do
  case "$arg" in
    --rounds=*) rounds=${arg#*=} ;;
    --seconds=*) seconds=${arg#*=} ;;
    --scenarios=*) scenarios=${arg#*=} ;;
    --bench=*) bench=${arg#*=} ;;
    --dir=*) top=${arg#*=} ;;
    --bench-flag=*) extra+=("${arg#*=}") ;;
    -*) echo "ab_builds.sh: unknown flag $arg" >&2; exit 2 ;;
    *) builds+=("$arg") ;;
  esac
done
if [[ ${#builds[@]} -ne 2 ]]; then
  echo "usage: ab_builds.sh [flags] OLD_JIANYAND NEW_JIANYAND" >&2
  exit 2
fi
for b in "${builds[@]}"; do
  [[ -x "$b" ]] || { echo "ab_builds.sh: $b is not executable" >&2; exit 2; }
done
command -v "$bench" > /dev/null ||
  { echo "ab_builds.sh: no jianyan-bench at '$bench' (--bench)" >&2; exit 2; }

dir=$(mktemp -d "$top/jy_ab_builds.XXXXXX")
names=(old new)
declare -A pid address
keep=1  # the servers' data and logs stay for a look unless all went well
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  for n in "${names[@]}"; do
    if [[ -n ${pid[$n]:-} ]]; then kill "${pid[$n]}" 2> /dev/null || true; fi
  done
  wait 2> /dev/null || true
  if ((keep == 0)); then rm -rf "$dir"; else echo "ab_builds.sh: kept $dir" >&2; fi
}
trap cleanup EXIT

for i in 0 1; do
  n=${names[$i]}
  mkdir -p "$dir/$n"
  # The per-call log goes to a file: an undrained pipe would stall a server.
  "${builds[$i]}" --demo --listen=127.0.0.1:0 --data_dir="$dir/$n/data" \
    > "$dir/$n/stdout" 2> "$dir/$n/log" &
  pid[$n]=$!
done
for n in "${names[@]}"; do
  for _ in $(seq 600); do
    grep -q "listening on" "$dir/$n/stdout" 2> /dev/null && break
    kill -0 "${pid[$n]}" 2> /dev/null ||
      { echo "ab_builds.sh: $n jianyand exited; see $dir/$n/log" >&2; exit 1; }
    sleep 0.1
  done
  address[$n]=$(grep -o "listening on [^ ]*" "$dir/$n/stdout" | head -1 |
    cut -d' ' -f3)
  [[ -n ${address[$n]} ]] ||
    { echo "ab_builds.sh: $n jianyand did not start" >&2; exit 1; }
done

failed=0
for r in $(seq "$rounds"); do
  for s in $scenarios; do
    order=(old new)
    if (((r % 2) == 0)); then order=(new old); fi
    for n in "${order[@]}"; do
      json="$dir/$n/r$r-${s/@/-}.json"
      if ! "$bench" --target="${address[$n]}" \
        --token-file="$dir/$n/data/demo-tokens.txt" --scenario="${s%@*}" \
        --outstanding="${s#*@}" --duration="$seconds" --server-pid="${pid[$n]}" \
        --quiet --json="$json" "${extra[@]}" > "$dir/$n/r$r-${s/@/-}.txt" 2>&1; then
        echo "round $r $s $n: jianyan-bench failed (see $dir/$n)" >&2
        failed=1
      fi
    done
  done
done

# shellcheck disable=SC2086  # one argument per scenario
python3 - "$dir" $scenarios << 'EOF'
import glob, json, os, statistics, sys

top, scenarios = sys.argv[1], sys.argv[2:]
def load(n, s):
    out = {}
    for f in glob.glob(os.path.join(top, n, "r*-%s.json" % s.replace("@", "-"))):
        r = int(os.path.basename(f)[1:].split("-")[0])
        j = json.load(open(f))
        cpu = j.get("server", {}).get("cpu_seconds", 0) / max(j["ok"], 1)
        out[r] = (j["per_second"], cpu * 1e6)
    return out
for s in scenarios:
    old, new = load("old", s), load("new", s)
    rounds = sorted(set(old) & set(new))
    if not rounds:
        print("%-14s no rounds" % s)
        continue
    rate = [new[r][0] / old[r][0] for r in rounds]
    cpu = [new[r][1] / old[r][1] for r in rounds if old[r][1] > 0]
    print("%-14s new/old calls/s per round: %s  median %.3f" %
          (s, " ".join("%.2f" % x for x in rate), statistics.median(rate)))
    print("%-14s old %.1f/s %.1f us CPU/call, new %.1f/s %.1f us CPU/call "
          "(medians); CPU/call new/old median %s" %
          (s, statistics.median(old[r][0] for r in rounds),
           statistics.median(old[r][1] for r in rounds),
           statistics.median(new[r][0] for r in rounds),
           statistics.median(new[r][1] for r in rounds),
           "%.3f" % statistics.median(cpu) if cpu else "n/a"))
EOF
keep=$failed
exit "$failed"
