#!/bin/bash
# A caseworker's first session over real SSH, at 80x24: a private sshd on a
# loopback port (its own host key, config, client key and pid file; the
# system's sshd and root's ~/.ssh are never touched), `ssh -tt` into
# casework in a private tmux, then: the queue, the help, the overdue view,
# the first overdue case nobody has answered yet, read with the
# constituent's earlier cases (one opened), a reply from a template
# personalized for them with its fill-in markers filled, sent, and the
# queue changing; checked again through `casework show --json` (the reply
# recorded, the first-response clock stopped). Last, the connection drops
# mid-reply (the ssh client is killed): the server-side casework must go
# (SIGHUP), leave the database usable at once, and keep the draft, which a
# new SSH login offers back.
#
# Skips (77) without sshd, ssh, ssh-keygen or tmux, or when not root (sshd
# must be able to log in as the user running the test).
#
# Environment (set by tests/ssh/meson.build): CASEWORK; CASEWORK_TUI_CACHE
# (optional, see ../tui/lib.sh) reuses a cached demo office.

skip() {
	echo "$*: skipping"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "not running as root"
SSHD=$(command -v sshd || true)
[ -n "$SSHD" ] || { [ -x /usr/sbin/sshd ] && SSHD=/usr/sbin/sshd; }
[ -n "$SSHD" ] || skip "sshd is not installed"
command -v ssh >/dev/null 2>&1 || skip "ssh is not installed"
command -v ssh-keygen >/dev/null 2>&1 || skip "ssh-keygen is not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# The same pinned clock, login, locale, demo office and screen helpers as
# the other terminal tests, so the same cases are overdue. lib.sh skips
# without tmux and sets an EXIT trap that we extend below.
. "$(dirname "$0")/../tui/lib.sh"

# sshd re-executes itself and insists on an absolute path.
case $SSHD in /*) ;; *) SSHD=$(cd "$(dirname "$SSHD")" && pwd)/$(basename "$SSHD") ;; esac
case $CASEWORK in /*) ;; *) CASEWORK=$(cd "$(dirname "$CASEWORK")" && pwd)/$(basename "$CASEWORK") ;; esac

D="$T_DIR/ssh"
{ mkdir -p "$D" && chmod 700 "$D"; } || t_fail "cannot make $D"
SSHD_PID=

s_cleanup() {
	# The listener (sshd -D does not fork it off); the per-connection
	# processes end with their clients, which go with the tmux server.
	if [ -n "$SSHD_PID" ]; then
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
	fi
	t_cleanup
	# A server-side casework still running after a failure.
	if [ -n "${REMOTE_PID:-}" ] && kill -0 "$REMOTE_PID" 2>/dev/null; then
		kill -KILL "$REMOTE_PID" 2>/dev/null
	fi
}
trap s_cleanup EXIT

# Every failure (t_wait's too) also shows what sshd, the probe logins and
# the sanitizers said.
eval "t_fail_screens() $(declare -f t_fail | tail -n +2)"
t_fail() {
	local f
	for f in "$D/sshd.log" "$D/ssh-probe.err"; do
		[ -s "$f" ] || continue
		echo "--- $(basename "$f"):" >&2
		tail -n 30 "$f" >&2
	done
	for f in "$D"/san.*; do
		[ -e "$f" ] || continue
		echo "--- sanitizer report $f:" >&2
		cat "$f" >&2
	done
	t_fail_screens "$@"
}
s_fail() { t_fail "$@"; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(now_ms)

# ---- a private sshd --------------------------------------------------------

ssh-keygen -q -t ed25519 -N '' -C casework-test-host -f "$D/host_ed25519" </dev/null ||
	s_fail "ssh-keygen (host key)"
ssh-keygen -q -t ed25519 -N '' -C casework-test-client -f "$D/client_ed25519" </dev/null ||
	s_fail "ssh-keygen (client key)"
cp "$D/client_ed25519.pub" "$D/authorized_keys"
chmod 600 "$D/authorized_keys"
# sshd's privilege separation directory.
mkdir -p /run/sshd && chmod 755 /run/sshd

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_config() {
	cat >"$D/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
AddressFamily inet
HostKey $D/host_ed25519
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
AcceptEnv LANG LC_* CASEWORK_*
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitUserEnvironment no
UseDNS no
MaxStartups 10
LogLevel VERBOSE
EOF
}

SSH_OPTS=(-F /dev/null -i "$D/client_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null
	-o LogLevel=ERROR -o ConnectTimeout=5)
USER_AT="$(id -un)@127.0.0.1"

# Another process may take the free port between the probe and sshd's
# bind: try a few ports.
PORT=
for _ in 1 2 3 4 5; do
	p=$(free_port) || s_fail "no free port"
	write_config "$p"
	"$SSHD" -t -f "$D/sshd_config" || s_fail "sshd rejects the test configuration"
	: >"$D/sshd.log"
	"$SSHD" -D -f "$D/sshd_config" -E "$D/sshd.log" &
	SSHD_PID=$!
	# Ready when a login runs a command; gone when the bind failed.
	end=$(( $(now_ms) + 10000 ))
	while kill -0 "$SSHD_PID" 2>/dev/null; do
		if [ "$(ssh "${SSH_OPTS[@]}" -p "$p" "$USER_AT" echo up 2>>"$D/ssh-probe.err")" = up ]; then
			PORT=$p
			break
		fi
		[ "$(now_ms)" -lt $end ] || s_fail "sshd on port $p did not accept a login within 10 s"
		sleep 0.1
	done
	[ -n "$PORT" ] && break
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=
done
[ -n "$PORT" ] || s_fail "could not start sshd on a free port"

# ---- the caseworker logs in ------------------------------------------------

t_make_db

# The sanitizers (if built in) report into files we check at the end, not
# onto the remote terminal; the caller's options are kept.
SAN_ENV=()
for v in ASAN_OPTIONS UBSAN_OPTIONS; do
	SAN_ENV+=("$v=${!v:+${!v}:}log_path=$D/san")
done

# The remote command: record the shell's pid (exec keeps it for casework),
# then run casework with the caseworker's environment passed explicitly.
q() { printf '%q' "$1"; }
REMOTE="echo \$\$ > $(q "$D/remote.pid"); exec env TERM=xterm-256color"
for kv in "LANG=$T_LOCALE" "LC_ALL=$T_LOCALE" "CASEWORK_NOW=$CASEWORK_NOW" \
	"CASEWORK_LOGIN=$CASEWORK_LOGIN" "CASEWORK_DB=$CASEWORK_DB" "${SAN_ENV[@]}"; do
	REMOTE+=" $(q "$kv")"
done
REMOTE+=" $(q "$CASEWORK")"

SSH_CMD="ssh -tt -p $PORT"
for o in "${SSH_OPTS[@]}"; do SSH_CMD+=" $(q "$o")"; done
SSH_CMD+=" $(q "$USER_AT") $(q "$REMOTE")"

# s_login SESSION: a new 80x24 tmux session in which the caseworker logs in
# over SSH; sets REMOTE_PID (casework on the server side) and SSH_PID (the
# client).
s_login() {
	local s=$1
	rm -f "$D/remote.pid"
	local cmd="$SSH_CMD; printf '\\r\\n[ssh exit %s]\\r\\n' \$?; sleep 600"
	if ! tmux -L "$T_SOCK" has-session 2>/dev/null; then
		tmux -L "$T_SOCK" -f /dev/null new-session -d -s "$s" -x 80 -y 24 \
			-e "LANG=$T_LOCALE" -e "LC_ALL=$T_LOCALE" "$cmd" || s_fail "tmux new-session"
		tmux -L "$T_SOCK" set-option -g remain-on-exit on >/dev/null
	else
		tmux -L "$T_SOCK" new-session -d -s "$s" -x 80 -y 24 \
			-e "LANG=$T_LOCALE" -e "LC_ALL=$T_LOCALE" "$cmd" || s_fail "tmux new-session"
	fi
	t_wait "$s" 'Ref +Tier +Stat +Left +Constituent' 20
	t_wait "$s" "Mine │ $CASEWORK_LOGIN"
	# It really is casework, over this SSH connection.
	REMOTE_PID=$(cat "$D/remote.pid" 2>/dev/null)
	[ -n "$REMOTE_PID" ] || s_fail "the remote command did not record its pid"
	[ "$(cat "/proc/$REMOTE_PID/comm" 2>/dev/null)" = casework ] || s_fail "pid $REMOTE_PID is not casework"
	tr '\0' '\n' <"/proc/$REMOTE_PID/environ" |
		grep -q "^SSH_CONNECTION=127.0.0.1 [0-9]* 127.0.0.1 $PORT\$" ||
		s_fail "casework (pid $REMOTE_PID) is not running under our sshd"
	SSH_PID=$(pgrep -P "$(tmux -L "$T_SOCK" display-message -p -t "$s" '#{pane_pid}')" -x ssh | head -1)
	[ -n "$SSH_PID" ] || s_fail "no ssh client in the pane"
}

S=ssh
s_login $S

# The help overlay names the overdue view.
t_keys $S '?'
t_wait $S 'Keys \(q or \? closes\)'
t_wait $S ' o 5 +View: overdue'
t_keys $S q
t_wait_gone $S 'Keys \(q or'

# A regular expression matching the text literally.
re_quote() {
	# shellcheck disable=SC2016 # the $ is a character to escape
	printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'
}
# first_response clock state of a case, from `casework show --json`.
fr_state() {
	"$CASEWORK" show "$1" --json | python3 -c '
import json, sys
print(next((c["state"] for c in json.load(sys.stdin)["clocks"] if c["kind"] == "first_response"), ""))'
}

# The overdue view. The caseworker looks down it for the first case whose
# constituent has never had an answer (its first-response clock still
# runs), so that the reply has a clock to stop; failing that, the top row.
t_keys $S o
t_wait $S "Overdue │ $CASEWORK_LOGIN"
t_wait $S '^2026-[0-9]{6} [A-Z]{3,4} +[a-z]+ +-[0-9]+[dhm]'
LATE_BEFORE=$(t_screen $S | grep -Eo ' Overdue [0-9]+' | grep -Eo '[0-9]+')
ROWS=$(t_screen $S | grep -Eo '^2026-[0-9]{6}')
[ -n "$ROWS" ] || s_fail "no case in the overdue view"
REF=
ROW=0
i=0
for r in $ROWS; do
	case $(fr_state "$r") in
	overdue | "at risk" | "on track") REF=$r ROW=$i; break ;;
	esac
	i=$((i + 1))
done
[ -n "$REF" ] || REF=${ROWS%%$'\n'*}
FR_BEFORE=$(fr_state "$REF")
echo "case $REF (row $((ROW + 1)) of the overdue view; first response $FR_BEFORE)"
[ "$(t_show_field "$REF" clock_state)" = overdue ] || s_fail "$REF is listed overdue but show says otherwise"
SUBJECT=$(t_show_field "$REF" subject)
for _ in $(seq "$ROW"); do t_keys $S j; done

# Read it: the detail and the constituent's earlier cases.
t_keys $S Enter
t_wait $S "Case $REF"
t_wait $S "$(re_quote "${SUBJECT:0:20}")"
t_wait $S 'First response: '
t_wait $S '(Earlier cases \([0-9]+; e opens one\)|No earlier cases)'
read -r NEARLIER FIRST_EARLIER < <("$CASEWORK" show "$REF" --json | python3 -c '
import json, sys
e = json.load(sys.stdin)["earlier_cases"]
print(len(e), e[0]["ref"] if e else "-")')
if [ "$NEARLIER" -gt 0 ]; then
	# The most recent earlier case, read in full; q leads back to the
	# overdue case one was reading.
	t_wait $S "Earlier cases \($NEARLIER; e opens one\)"
	t_keys $S e
	# (the picker's rows sit on its left border: │, or x as tmux records
	# the line-drawing character set that ncurses uses over SSH)
	t_wait $S "[│x]$FIRST_EARLIER  +[a-z]+ +[0-9]{2} [A-Z][a-z]{2} 2026 "
	t_keys $S Enter
	t_wait $S "Case $FIRST_EARLIER"
	t_wait $S "$(re_quote "$(t_show_field "$FIRST_EARLIER" subject)")"
	t_keys $S q
	t_wait $S "Case $REF"
	t_wait_gone $S "Case $FIRST_EARLIER"
fi

# Reply from the "cannot-help" template: two fill-in markers.
CAT=$(t_show_field "$REF" category)
IDX=$("$CASEWORK" templates list --category "$CAT" --json | python3 -c '
import json, sys
ids = [t["id"] for t in sorted(json.load(sys.stdin), key=lambda t: not t["suits"])]
print(ids.index("cannot-help") + 1)')
t_keys $S r
t_wait $S 'Template \(★ suits this case\)'
t_keys $S g
for _ in $(seq "$IDX"); do t_keys $S j; done
t_wait $S 'why we cannot act'
t_keys $S Enter
t_wait $S 'Reply to .* cannot-help'
t_wait $S '2 markers to fill'
# Personalized: the greeting the template renders for this case (with the
# constituent's name) is in the letter on screen.
GREETING=$("$CASEWORK" templates render cannot-help --case "$REF" | grep -m1 '^Dear ')
[ -n "$GREETING" ] || s_fail "the cannot-help template has no greeting for $REF"
t_wait $S "^ *$(re_quote "$GREETING") *\$"
t_type $S 'The city has no power over this programme.'
t_wait $S '1 marker to fill'
t_keys $S C-f
t_type $S 'State Energy Assistance Office, 555-0199.'
t_wait $S 'State Energy Assistance Office, 555-0199\.'
t_wait_gone $S 'markers? to fill'

# Send, waiting on the constituent.
t_keys $S C-s
t_wait $S 'Send this reply to '
t_keys $S w
t_wait $S 'Reply sent; status waiting'
t_wait $S "Case $REF"

# Back in the overdue view: the case has left it and the count dropped.
t_keys $S q
t_wait $S "Overdue │ $CASEWORK_LOGIN"
t_wait_gone $S "^$REF"
t_wait $S " Overdue $((LATE_BEFORE - 1)) "
t_keys $S w
t_wait $S 'Waiting │'
t_wait $S "^$REF .*wait"

"$CASEWORK" show "$REF" --json | GREETING=$GREETING FR_BEFORE=$FR_BEFORE python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert d["status"] == "waiting", d["status"]
out = [m for m in d["messages"] if m["kind"] == "outbound"
       and "State Energy Assistance Office, 555-0199." in m["body"]]
assert len(out) == 1, "the reply is not recorded once: %r" % d["messages"]
assert os.environ["GREETING"] in out[0]["body"], out[0]["body"]
assert "[[" not in out[0]["body"], out[0]["body"]
fr = next(c for c in d["clocks"] if c["kind"] == "first_response")
# A running first-response clock is stopped by the reply: late here.
want = ("missed",) if os.environ["FR_BEFORE"] == "overdue" else ("met", "missed")
assert fr["state"] in want, (os.environ["FR_BEFORE"], fr)
assert not any(c["state"] in ("on track", "at risk", "overdue") for c in d["clocks"]), d["clocks"]
' || s_fail "show --json: the reply is not recorded, or a clock still runs"

# ---- the line drops ---------------------------------------------------------

# Mid-reply on the top overdue case, as when a laptop lid closes or the
# Wi-Fi goes: the client dies without a word to the server.
t_keys $S o
t_wait $S "Overdue │ $CASEWORK_LOGIN"
t_keys $S g
DREF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | head -1)
[ -n "$DREF" ] || s_fail "the overdue view is empty"
t_keys $S Enter
t_wait $S "Case $DREF"
t_keys $S r
t_wait $S 'Template \('
t_keys $S Escape
t_wait $S 'Reply to '
t_type $S 'Typed just before the line dropped.'
t_wait $S 'Typed just before the line dropped\.'

kill -KILL "$SSH_PID"
t_wait $S '\[ssh exit 137\]'
# sshd sees the connection close and hangs up the terminal: casework
# gets SIGHUP and must go.
end=$(( $(now_ms) + 15000 ))
while kill -0 "$REMOTE_PID" 2>/dev/null; do
	[ "$(now_ms)" -lt $end ] ||
		s_fail "casework (pid $REMOTE_PID) still runs 15 s after the connection dropped"
	sleep 0.05
done

# The database is not left locked: commands return at once, not after
# the lock timeout.
t1=$(now_ms)
timeout 15 "$CASEWORK" list >/dev/null || s_fail "casework list fails after the dropped connection"
[ $(( $(now_ms) - t1 )) -lt 5000 ] ||
	s_fail "casework list took $(( $(now_ms) - t1 )) ms after the drop: was the database locked?"
timeout 15 "$CASEWORK" note "$REF" "Checked after the dropped line." >/dev/null ||
	s_fail "cannot write to the database after the dropped connection"

# Logging in again: the half-written reply was kept (so the hang-up was
# handled, not a crash), and the session ends cleanly.
S=again
s_login $S
t_keys $S o
t_wait $S "Overdue │ $CASEWORK_LOGIN"
t_keys $S g
t_wait $S "^$DREF "
t_keys $S Enter
t_wait $S "Case $DREF"
t_keys $S r
t_wait $S 'You have a reply draft'
t_keys $S r
t_wait $S 'Typed just before the line dropped\.'
t_wait $S 'Draft restored'
t_keys $S C-d
t_wait $S 'Discard this draft\?'
t_keys $S y
t_wait $S 'Draft discarded'
t_wait_gone $S 'Typed just before'
t_wait $S "Case $DREF  \(r reply"
t_keys $S q
t_wait $S 'Ref +Tier +Stat +Left +Constituent'
t_keys $S q
t_wait $S '\[ssh exit 0\]'

# No sanitizer report from the server side (the dropped session's exit
# included).
for f in "$D"/san.*; do
	[ -e "$f" ] && s_fail "sanitizer report from the remote casework"
done

echo "ok ($(( $(now_ms) - T0 )) ms)"
