#!/usr/bin/env bash
# Whole-build benchmark: medsite against Hugo and the "floor" program
# (floor/ in BENCH_TOOLS) on the synthetic corpus of BENCH_TOOLS/gen_corpus.py.
# See "compare.sh: whole builds against Hugo and the floor" in benches/README.md.
#
#   bash benches/compare.sh [--100k] [PAGES...]     default PAGES: 1000 10000
#
# Environment: RUNS (5), RUNS_100K (2), OUT (/dev/shm/medsite-compare),
# BENCH_TOOLS (required: the folder with gen_corpus.py and floor/, kept
# outside this repository), MEDSITE_BIN (build target/release/medsite),
# HYPERFINE (unset; 1 = also a hyperfine cross-check), STRICT (unset;
# 1 = exit 3 when a target is missed), WAIT_IDLE (0; S = before each round
# wait up to S seconds per size for the rest of the machine to be idle).
#
# Exit codes: 0 done (targets PASS or MISS), 1 a build failed or medsite's
# output check failed, 2 setup error, 3 a target missed with STRICT=1.

set -euo pipefail

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

die() { echo "compare.sh: $*" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_TOOLS=${BENCH_TOOLS:-}
OUT=${OUT:-/dev/shm/medsite-compare}
RUNS=${RUNS:-5}
RUNS_100K=${RUNS_100K:-2}
LARGE=100000   # from this size on: medsite only

pages=()
for a in "$@"; do
    case "$a" in
        --100k) pages+=("$LARGE") ;;
        -h|--help) usage; exit 0 ;;
        *[!0-9]*|'') die "not a number of pages: '$a' (see --help)" ;;
        *) pages+=("$a") ;;
    esac
done
# only --100k given: the default sizes too
if [ ${#pages[@]} -eq 0 ] || { [ ${#pages[@]} -eq 1 ] && [ "$*" = "--100k" ]; }; then
    pages+=(1000 10000)
fi
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
[[ "$RUNS_100K" =~ ^[1-3]$ ]] || die "RUNS_100K must be 1, 2 or 3, not '$RUNS_100K'"

# A 100k run compares its time per page with 10k's: measure 10k too (medsite
# only unless 10000 was asked for).
declare -A tools_of=()
for n in "${pages[@]}"; do
    [ "$n" -gt 0 ] || die "PAGES must be > 0"
    if [ "$n" -ge "$LARGE" ]; then tools_of[$n]="medsite"; else tools_of[$n]="medsite hugo fl1 fl2"; fi
done
for n in "${pages[@]}"; do
    if [ "$n" -ge "$LARGE" ] && [ -z "${tools_of[10000]:-}" ]; then
        tools_of[10000]="medsite"
        echo "note: $n pages are compared with 10000 pages; adding 10000 (medsite only)"
    fi
done
mapfile -t sizes < <(printf '%s\n' "${!tools_of[@]}" | sort -n)

[ -n "$BENCH_TOOLS" ] || die "set BENCH_TOOLS to the folder with gen_corpus.py and floor/ (see benches/README.md)"
[ -f "$BENCH_TOOLS/gen_corpus.py" ] || die "no $BENCH_TOOLS/gen_corpus.py"
[ -f "$BENCH_TOOLS/floor/Cargo.toml" ] || die "no $BENCH_TOOLS/floor/Cargo.toml"
BENCH_TOOLS=$(cd "$BENCH_TOOLS" && pwd)
case "$OUT" in /|'') die "OUT must be a folder of its own" ;; esac
mkdir -p "$OUT/logs" "$OUT/bin"
OUT=$(cd "$OUT" && pwd)

need_hugo=0
for n in "${sizes[@]}"; do [[ " ${tools_of[$n]} " == *" hugo "* ]] && need_hugo=1; done

# ---------------------------------------------------------------- 1. tools
missing=()
[ $need_hugo = 1 ] && ! command -v hugo >/dev/null && missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
[ "${HYPERFINE:-}" = 1 ] && ! command -v hyperfine >/dev/null && missing+=(hyperfine)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing: ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root"
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and no apt-get to install them"
    echo "== installing with apt-get: ${missing[*]}"
    apt-get update -qq >"$OUT/logs/apt.log" 2>&1 || { cat "$OUT/logs/apt.log"; die "apt-get update failed"; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$OUT/logs/apt.log" 2>&1 \
        || { tail -20 "$OUT/logs/apt.log"; die "apt-get install ${missing[*]} failed"; }
    echo "   installed: ${missing[*]}"
fi
command -v cargo >/dev/null || die "cargo is needed (rustup or apt-get install cargo)"

echo "== building the floor program ($BENCH_TOOLS/floor)"
CARGO_TARGET_DIR=$OUT/floor-target cargo build --release --locked --quiet \
    --manifest-path "$BENCH_TOOLS/floor/Cargo.toml" || die "building the floor failed"
FLOOR=$OUT/floor-target/release/floor

# medsite: the binary is copied, so that a rebuild of target/ by someone else
# during the benchmark does not change what is measured.
if [ -n "${MEDSITE_BIN:-}" ]; then
    echo "== medsite: $MEDSITE_BIN (MEDSITE_BIN)"
    [ -x "$MEDSITE_BIN" ] || die "MEDSITE_BIN $MEDSITE_BIN is not executable"
    cp "$MEDSITE_BIN" "$OUT/bin/medsite"
else
    echo "== building medsite (cargo build --release)"
    (cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
    cp "$REPO/target/release/medsite" "$OUT/bin/medsite"
fi
MEDSITE=$OUT/bin/medsite

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$REPO" status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock build.rs 2>/dev/null | wc -l)
[ "$dirty" -gt 0 ] && commit="$commit + uncommitted changes in $dirty file(s) of src/, Cargo.*"
hugo_version=$( [ $need_hugo = 1 ] && hugo version 2>/dev/null | head -1 || echo "(not used)")
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gib=$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

report=$OUT/report.txt
rows=$OUT/runs.tsv
printf 'pages\ttool\tround\twall_s\ttime_e_s\tuser_s\tsys_s\tmaxrss_kb\tother_cpu\n' >"$rows"
{
    echo "== machine and versions"
    echo "date      $started"
    echo "machine   nproc $(nproc), $cpu_model, ${mem_gib} GiB memory, kernel $(uname -r)"
    echo "load      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the start"
    echo "medsite   $commit ($("$MEDSITE" --version 2>/dev/null || echo medsite))"
    echo "hugo      $hugo_version"
    echo "floor     $FLOOR"
    echo "rustc     $(rustc --version 2>/dev/null || echo unknown)"
    echo "runs      $RUNS per size after 1 warm-up round, interleaved (${RUNS_100K} at >= $LARGE pages); output on $OUT"
} | tee "$report"

# ------------------------------------------------------ timing one command
# /proc/stat busy time of all cores, in clock ticks
busy_ticks() {
    local _cpu u n s i w irq sirq st _rest
    read -r _cpu u n s i w irq sirq st _rest </proc/stat
    echo $((u + n + s + irq + sirq + st))
}
HZ=$(getconf CLK_TCK)

# wait_idle: with WAIT_IDLE=S, wait (at most S seconds per size, in 1 s
# samples) until the rest of the machine uses less than a quarter of a core.
idle_budget=0
wait_idle() {
    local b0 b1 waited=0
    [ "${WAIT_IDLE:-0}" -gt 0 ] 2>/dev/null || return 0
    while [ "$idle_budget" -gt 0 ]; do
        b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
        [ $(( (b1 - b0) * 4 )) -lt "$HZ" ] && break
        idle_budget=$((idle_budget - 1)); waited=$((waited + 1))
    done
    [ $waited -gt 0 ] && echo "   (waited ${waited} s for the machine to be idle; ${idle_budget} s of WAIT_IDLE left for this size)"
    return 0
}

# run_tool N TOOL ROUND: one build from an empty output folder; appends a row
# (ROUND 0 is the warm-up and is not counted).
run_tool() {
    local n=$1 tool=$2 round=$3 dir cmd
    local corpus=$OUT/c$n-neutral
    case $tool in
        medsite) dir=$OUT/out-medsite; cmd="\"$MEDSITE\" build --root \"$corpus\" --output \"$dir\"" ;;
        hugo)    dir=$OUT/out-hugo;    cmd="hugo --quiet -s \"$OUT/c$n-hugo\" -d \"$dir\"" ;;
        fl1)     dir=$OUT/out-fl1;     cmd="\"$FLOOR\" \"$corpus/content\" \"$dir\" --threads 1" ;;
        fl2)     dir=$OUT/out-fl2;     cmd="\"$FLOOR\" \"$corpus/content\" \"$dir\" --threads 2" ;;
    esac
    local log=$OUT/logs/$tool-$n.log tf=$OUT/logs/time.txt
    local b0 b1 t0 t1 rc=0
    b0=$(busy_ticks); t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %U %S %M' -o "$tf" sh -c "rm -rf \"$dir\" && exec $cmd" >"$log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME; b1=$(busy_ticks)
    if [ $rc -ne 0 ]; then
        echo "FAILED: $tool at $n pages (exit $rc): $cmd" >&2
        tail -30 "$log" >&2
        exit 1
    fi
    local e u s m
    read -r e u s m < <(tail -1 "$tf")
    awk -v n="$n" -v tool="$tool" -v r="$round" -v t0="$t0" -v t1="$t1" -v e="$e" -v u="$u" \
        -v s="$s" -v m="$m" -v b0="$b0" -v b1="$b1" -v hz="$HZ" 'BEGIN {
            wall = t1 - t0; busy = (b1 - b0) / hz
            other = wall > 0 ? (busy - u - s) / wall : 0; if (other < 0) other = 0
            printf "%d\t%s\t%d\t%.4f\t%s\t%s\t%s\t%s\t%.2f\n", n, tool, r, wall, e, u, s, m, other
        }' >>"$rows"
    awk -F'\t' 'END { printf "  %-8s wall %7.3f s  cpu %7.2f s  peak %7.1f MiB  other cpu %3.0f%%\n",
        $2, $4, $6 + $7, $8 / 1024, $9 * 100 }' "$rows"
}

# ------------------------------------------------------------ 2.-4. sizes
for n in "${sizes[@]}"; do
    read -r -a tools <<<"${tools_of[$n]}"
    echo
    echo "== $n pages: corpora" | tee -a "$report"
    python3 "$BENCH_TOOLS/gen_corpus.py" --pages "$n" --format neutral --out "$OUT/c$n-neutral" --force
    printf 'title = "Benchmark"\nbase_url = "https://example.org/"\n' >"$OUT/c$n-neutral/site.toml"
    if [[ " ${tools[*]} " == *" hugo "* ]]; then
        python3 "$BENCH_TOOLS/gen_corpus.py" --pages "$n" --format hugo --out "$OUT/c$n-hugo" --force
    fi

    if [ "$n" -ge "$LARGE" ]; then runs=$RUNS_100K; else runs=$RUNS; fi
    idle_budget=${WAIT_IDLE:-0}
    for ((round = 0; round <= runs; round++)); do
        if [ $round = 0 ]; then echo "-- warm-up round (not counted)"; else echo "-- round $round/$runs"; fi
        wait_idle
        for tool in "${tools[@]}"; do
            run_tool "$n" "$tool" "$round"
        done
        if [ $round = 0 ]; then
            echo "-- checking medsite's output ($n pages)" | tee -a "$report"
            grep -E '^ *(Built|pages|warnings)' "$OUT/logs/medsite-$n.log" | sed 's/^/  medsite: /' | tee -a "$report" || true
            if ! python3 "$REPO/benches/check_links.py" "$OUT/out-medsite" "$OUT/c$n-neutral" "$n" | tee -a "$report"; then
                echo "medsite's output at $n pages failed the check; no times are reported." | tee -a "$report" >&2
                exit 1
            fi
            for tool in "${tools[@]}"; do
                [ "$tool" = medsite ] && continue
                files=$(find "$OUT/out-$tool" -type f | wc -l)
                case $tool in hugo) want=$((n + 46)) ;; *) want=$((n + 2)) ;; esac
                note=$([ "$files" = "$want" ] && echo ok || echo "UNEXPECTED, expected $want")
                echo "  $tool wrote $files files ($note)" | tee -a "$report"
            done
        fi
    done

    if [ "${HYPERFINE:-}" = 1 ] && [ "$n" -lt "$LARGE" ]; then
        echo "-- hyperfine cross-check (not interleaved: one command's runs after the other's)"
        c=$OUT/c$n-neutral
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/hyperfine-$n.json" \
            "sh -c 'rm -rf $OUT/out-medsite && $MEDSITE build --root $c --output $OUT/out-medsite >/dev/null 2>&1'" \
            "sh -c 'rm -rf $OUT/out-hugo && hugo --quiet -s $OUT/c$n-hugo -d $OUT/out-hugo'" \
            "sh -c 'rm -rf $OUT/out-fl1 && $FLOOR $c/content $OUT/out-fl1 --threads 1'" \
            "sh -c 'rm -rf $OUT/out-fl2 && $FLOOR $c/content $OUT/out-fl2 --threads 2'" \
            | tee -a "$OUT/logs/hyperfine-$n.txt"
    fi
done

# ----------------------------------------------------------------- 5. report
echo
set +e
python3 - "$rows" "$LARGE" <<'PY' | tee -a "$report"
import csv, statistics, sys

rows_path, large = sys.argv[1], int(sys.argv[2])
rows = [r for r in csv.DictReader(open(rows_path), delimiter="\t") if r["round"] != "0"]
names = {"medsite": "medsite", "hugo": "Hugo", "fl1": "floor, 1 thread", "fl2": "floor, 2 threads"}
med = statistics.median
QUIET = 0.25   # a quiet round: every tool's run had other CPU below a quarter of a core
stats = {}
for r in rows:
    stats.setdefault((int(r["pages"]), r["tool"]), []).append(r)

def fig(n, tool):
    rs = stats.get((n, tool))
    if not rs:
        return None
    wall = [float(r["wall_s"]) for r in rs]
    return {
        "runs": len(rs),
        "wall": med(wall), "min": min(wall), "max": max(wall),
        "cpu": med(float(r["user_s"]) + float(r["sys_s"]) for r in rs),
        "mib": med(int(r["maxrss_kb"]) / 1024 for r in rs),
        "other": med(float(r["other_cpu"]) for r in rs),
    }

sizes = sorted({n for n, _ in stats})
misses = 0
def target(what, wanted, measured, ok):
    global misses
    misses += not ok
    print(f"| {what} | {wanted} | {measured} | {'PASS' if ok else 'MISS'} |")

for n in sizes:
    k = fig(n, "medsite")["runs"]
    how = "interleaved runs" if fig(n, "hugo") or fig(n, "fl2") else "runs, medsite only"
    print(f"### {n:,} pages (medians of {k} {how})")
    print()
    print("| tool | wall median s | min–max s | CPU median s (user+sys) | peak memory median MiB | pages/s | other CPU |")
    print("|:--|--:|--:|--:|--:|--:|--:|")
    for tool in ("medsite", "hugo", "fl1", "fl2"):
        f = fig(n, tool)
        if f:
            print(f"| {names[tool]} | {f['wall']:.3f} | {f['min']:.3f}–{f['max']:.3f} | {f['cpu']:.2f} "
                  f"| {f['mib']:.1f} | {n / f['wall']:,.0f} | {f['other'] * 100:.0f}% |")
    m = fig(n, "medsite")
    ratios = [t for t in ("hugo", "fl2", "fl1") if fig(n, t)]
    if ratios:
        # per round: the tools of one round ran back to back, under about the same load
        by_round = {}
        for (nn, tool), rs in stats.items():
            if nn == n:
                for r in rs:
                    by_round.setdefault(r["round"], {})[tool] = r
        def is_quiet(t):
            # other CPU counts in 10 ms ticks: judge single runs only from 0.25 s on,
            # and the round as a whole (weighted by wall time)
            w = sum(float(r["wall_s"]) for r in t.values())
            o = sum(float(r["other_cpu"]) * float(r["wall_s"]) for r in t.values())
            return o < QUIET * w and all(
                float(r["other_cpu"]) < QUIET for r in t.values() if float(r["wall_s"]) >= 0.25)
        quiet = [rd for rd, t in by_round.items() if is_quiet(t)]
        print()
        print(f"| medsite / … | wall (medians) | CPU (medians) | wall, median of per-round ratios "
              f"| wall, quiet rounds only ({len(quiet)} of {len(by_round)}) |")
        print("|:--|--:|--:|--:|--:|")
        for tool in ("hugo", "fl2", "fl1"):
            f = fig(n, tool)
            if not f:
                continue
            cpu = f"{m['cpu'] / f['cpu']:.2f}×" if f["cpu"] > 0 else "n/a (CPU below 10 ms)"
            per = [float(t["medsite"]["wall_s"]) / float(t[tool]["wall_s"]) for t in by_round.values()]
            q = [float(by_round[rd]["medsite"]["wall_s"]) / float(by_round[rd][tool]["wall_s"]) for rd in quiet]
            qs = f"{med(q):.2f}×" if q else "–"
            print(f"| {names[tool]} | {m['wall'] / f['wall']:.2f}× | {cpu} | {med(per):.2f}× | {qs} |")
    h, f2 = fig(n, "hugo"), fig(n, "fl2")
    print()
    print("| target | wanted | measured | |")
    print("|:--|:--|:--|:--|")
    any_t = False
    if h and n in (1000, 10000):
        target(f"wall vs Hugo at {n:,}", "≤ 0.2×", f"{m['wall'] / h['wall']:.3f}×", m["wall"] <= 0.2 * h["wall"]); any_t = True
    if f2 and n == 10000:
        target("wall vs floor, 2 threads, at 10,000", "≤ 3×", f"{m['wall'] / f2['wall']:.2f}×", m["wall"] <= 3 * f2["wall"]); any_t = True
    if n == 10000:
        target("peak memory at 10,000", "≤ 150 MiB", f"{m['mib']:.1f} MiB", m["mib"] <= 150); any_t = True
    if n >= large:
        ref = fig(10000, "medsite")
        per, per10 = m["wall"] / n, ref["wall"] / 10000
        print(f"| time per page at {n:,} | ≤ 1.2× 10,000's ({per10 * 1e6:.0f} µs) | {per * 1e6:.0f} µs = {per / per10:.2f}× | {'PASS' if per <= 1.2 * per10 else 'MISS'} |")
        misses += per > 1.2 * per10
        print(f"| peak memory at {n:,} | ≤ 300 MiB | {m['mib']:.1f} MiB | {'PASS' if m['mib'] <= 300 else 'MISS'} |")
        misses += m["mib"] > 300
        any_t = True
    if not any_t:
        print("| (no target at this size) | | | |")
    print()

print("other CPU: what the rest of the machine used during the runs (all cores busy minus the tool's own CPU), in % of one core;")
print("a quiet round: below 25% over the round's four runs together and in each run of 0.25 s or more. Targets are judged on the medians.")
print(f"targets missed: {misses}")
sys.exit(10 if misses else 0)
PY
rc=${PIPESTATUS[0]}
set -e
echo "report: $report; every run: $rows; logs: $OUT/logs"
if [ "$rc" = 10 ]; then
    [ "${STRICT:-}" = 1 ] && exit 3
    exit 0
fi
[ "$rc" = 0 ] || { echo "compare.sh: the report failed (python exit $rc)" >&2; exit 2; }
