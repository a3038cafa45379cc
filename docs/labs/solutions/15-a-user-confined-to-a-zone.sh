#!/usr/bin/env bash
# Lab 15, done as the sheet says: zone jail with its own user alumno (zlogin -l alumno jail in one
# terminal), and a host account whose login lands in jail as alumno and nowhere else: its login
# shell is a root-owned script that runs itself again as root through sudo (the one command the
# account may run, with no arguments), and as root runs zlogin -l alumno jail. Terminals are
# tmux windows. Everything host-global carries LAB_TAG: the account, the script, the sudoers
# file, the tmux session; `cleanup` removes them.
set -euo pipefail
tag=${LAB_TAG:-lab}
hostuser=${tag}alumno
login=/usr/local/sbin/${tag}-jail-login
rule=/etc/sudoers.d/${tag}-jail-login
session=${tag}15
if [ "${1:-}" = cleanup ]; then
  tmux kill-session -t "$session" 2>/dev/null || true
  # the login's processes end with its terminal; userdel refuses while any is left
  for _ in $(seq 50); do pgrep -U "$hostuser" >/dev/null 2>&1 || pgrep -u "$hostuser" >/dev/null 2>&1 || break; sleep 0.1; done
  id "$hostuser" >/dev/null 2>&1 && userdel -r "$hostuser" 2>/dev/null
  rm -f "$rule" "$login"
  exit 0
fi
zlogin=$(command -v zlogin)
# 1-3: the zone and its own user
zonecfg -z jail "create; set zonepath=$ZONES_ROOT/zones/jail; commit"
zoneadm -z jail install
zoneadm -z jail boot
zlogin jail useradd -m -s /bin/bash alumno
zlogin -l alumno jail id
tmux new-session -d -s "$session" -x 120 -y 30 "zlogin -l alumno jail"
# 4: the host account's login shell, root's, writable by root alone
cat > "$login" <<SCRIPT
#!/bin/sh
# The login shell of $hostuser: as $hostuser, run this script again as root through sudo (the
# only command $hostuser may run); as root, log in to zone jail as alumno. Nothing of the
# caller's (arguments, environment) is used.
[ "\$(id -u)" = 0 ] || exec /usr/bin/sudo -n $login
export ZONES_ROOT=$ZONES_ROOT PATH=/usr/local/bin:/usr/bin:/bin
exec $zlogin -l alumno jail
SCRIPT
chown root:root "$login"
chmod 755 "$login"
# 5: the one command, no arguments ("")
printf '%s ALL=(root) NOPASSWD: %s ""\n' "$hostuser" "$login" > "$rule.tmp"
chmod 440 "$rule.tmp"
visudo -cf "$rule.tmp"
mv "$rule.tmp" "$rule"
useradd -m -s "$login" "$hostuser"
sudo -l -U "$hostuser"
# 6: the host login, in a second terminal
tmux new-window -t "$session" "su -l $hostuser"
for _ in $(seq 50); do
  [ "$(zps -z jail -o tty= -o comm= 2>/dev/null | grep -c "pts.*bash")" -ge 2 ] && break
  sleep 0.2
done
