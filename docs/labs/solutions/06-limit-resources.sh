#!/usr/bin/env bash
# Lab 06, done as the sheet says: a zone with max-lwps, a memory cap and a tmpfs /tmp of 16 MiB,
# then the three attacks from inside it. The fork bomb runs as a job of a zlogin shell (a tmux
# window) and that shell's own `kill -9 %1` stops it; the memory hog and the fill of /tmp run
# through zlogin, and the size the fill reached is recorded as the answer. `cleanup` ends the
# terminal. Needs ZONES_ROOT and the zones commands on PATH (docs/getting-started.md).
set -euo pipefail
session="${LAB_TAG:-lab}06"
if [ "${1:-}" = cleanup ]; then
  tmux kill-session -t "$session" 2>/dev/null || true
  exit 0
fi
z=sandbox
zonecfg -z $z "create; set zonepath=$ZONES_ROOT/zones/$z; set max-lwps=300
add capped-memory; set physical=128m; end
add fs; set dir=/tmp; set special=swap; set type=tmpfs; add options \"size=16m\"; end
commit"
zoneadm -z $z install
zoneadm -z $z boot
# the zone's init has its services up once zlogin finds a shell there
for i in $(seq 50); do zlogin $z true 2>/dev/null && break; sleep 0.2; done

# 1. the fork bomb, a job of a zone shell; from the global zone, pids.current stops at 300
tmux new-session -d -s "$session" -x 120 -y 30 "zlogin $z"
for i in $(seq 50); do [ "$(zpgrep -z $z -x bash | wc -l)" -ge 1 ] && break; sleep 0.2; done
sleep 0.5
tmux send-keys -t "$session" "perl -e 'fork while 1' &" Enter
sleep 1
cat /sys/fs/cgroup/pids/zones*/$z/pids.current /sys/fs/cgroup/zones*/$z/pids.current 2>/dev/null || true
# the shell's kill is a builtin (no fork needed) and signals the job's whole process group at once
tmux send-keys -t "$session" 'kill -9 %1' Enter
for i in $(seq 50); do [ "$(cat /sys/fs/cgroup/pids/zones*/$z/pids.current /sys/fs/cgroup/zones*/$z/pids.current 2>/dev/null)" -lt 100 ] && break; sleep 0.2; done

# 2. the memory hog: 512 MiB in one process, under a 128 MiB cap: the kernel kills it (status 137)
zlogin $z "perl -e '\$x = \"a\" x (512 * 2**20); print \"survived\\n\"'" || echo "status $?"

# 3. fill /tmp, record the size the fill reached, clean up
zlogin $z 'cat /dev/zero > /tmp/fill; df -k /tmp' || true
zonelab answer 06 tmp-full-bytes "$(zlogin $z stat -c %s /tmp/fill)"
zlogin $z rm /tmp/fill
