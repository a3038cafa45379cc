#!/usr/bin/env bash
# Lab 01, done as the sheet says: two sparse zones, an interactive zlogin shell in each (two
# terminals: here two tmux windows). `cleanup` ends the terminals. Needs ZONES_ROOT and the
# zones commands on PATH (docs/getting-started.md).
set -euo pipefail
session="${LAB_TAG:-lab}01"
if [ "${1:-}" = cleanup ]; then
  tmux kill-session -t "$session" 2>/dev/null || true
  exit 0
fi
for z in red blue; do
  zonecfg -z "$z" "create; set zonepath=$ZONES_ROOT/zones/$z; commit"
  zoneadm -z "$z" install
  zoneadm -z "$z" boot
done
tmux new-session -d -s "$session" -x 120 -y 30 "zlogin red"
tmux new-window -t "$session" "zlogin blue"
# each terminal is logged in once its shell runs: a bash with a terminal in each zone
for i in $(seq 50); do
  [ "$(zps -z red,blue -o zone= -o tty= -o comm= 2>/dev/null | awk '$2 != "?" && $3 ~ /bash$/ {print $1}' | sort -u | wc -l)" -ge 2 ] && break
  sleep 0.2
done
