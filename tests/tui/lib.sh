# Shared helpers for the terminal tests: each test runs the real casework
# program in a private tmux server on a copy of a demo office, sends keys,
# and polls the captured screen for what it expects (never fixed sleeps).
#
# Environment (set by tests/tui/meson.build):
#   CASEWORK            path of the casework executable
#   CASEWORK_TUI_CACHE  a directory where the demo database is built once
set -u

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is not installed: skipping"
	exit 77
fi
: "${CASEWORK:?CASEWORK must name the casework executable}"

# Keep the caller's locale when it is UTF-8 (CI runs the suite again under
# fr_FR.UTF-8); otherwise C.UTF-8.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
*[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) T_LOCALE="${LC_ALL:-${LC_CTYPE:-$LANG}}" ;;
*) T_LOCALE=C.UTF-8 ;;
esac
export LANG=$T_LOCALE
export LC_ALL=$T_LOCALE
export CASEWORK_NOW=2026-12-04T15:00:00-05:00
export CASEWORK_LOGIN=mgarcia
unset NO_COLOR VISUAL

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cw-tui.XXXXXX")
T_SOCK="cwtui-$$-$RANDOM"
export CASEWORK_DB="$T_DIR/office.db"

t_cleanup() {
	tmux -L "$T_SOCK" kill-server >/dev/null 2>&1
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

t_fail() {
	echo "FAIL: $*" >&2
	for s in $(tmux -L "$T_SOCK" list-sessions -F '#{session_name}' 2>/dev/null); do
		echo "--- screen of session $s:" >&2
		tmux -L "$T_SOCK" capture-pane -p -t "$s" >&2
	done
	exit 1
}

# The demo office, built once per build of casework (under a lock, since
# tests run in parallel) and copied for each test.
t_make_db() {
	local dir="${CASEWORK_TUI_CACHE:-$T_DIR}"
	local stamp
	stamp=$(stat -c %Y "$CASEWORK")
	local cache="$dir/tui-demo-$stamp.db"
	(
		flock 9
		if [ ! -s "$cache" ]; then
			# A demo office made by an older build may differ.
			rm -f "$dir"/tui-demo-*.db "$dir"/tui-demo-*.db-wal "$cache.tmp"
			CASEWORK_LOGIN=root "$CASEWORK" --db "$cache.tmp" init --demo >/dev/null ||
				{ echo "casework init --demo failed" >&2; exit 1; }
			# casework checkpoints when it closes; keep a WAL if one is left.
			[ -s "$cache.tmp-wal" ] && mv "$cache.tmp-wal" "$cache-wal"
			rm -f "$cache.tmp-shm"
			mv "$cache.tmp" "$cache"
		fi
	) 9>"$dir/tui-demo.lock" || t_fail "could not build the demo office"
	cp "$cache" "$CASEWORK_DB" || t_fail "could not copy the demo office"
	if [ -s "$cache-wal" ]; then cp "$cache-wal" "$CASEWORK_DB-wal"; fi
}

# t_start SESSION COLS ROWS [VAR=VALUE ...]: run casework in a new session
# (with the words of $T_ARGS as its arguments, and TERM=$T_TERM).
t_start() {
	local name=$1 cols=$2 rows=$3
	shift 3
	local envs=(-e "CASEWORK_DB=$CASEWORK_DB" -e "CASEWORK_NOW=$CASEWORK_NOW"
		-e "CASEWORK_LOGIN=$CASEWORK_LOGIN" -e "LANG=$T_LOCALE" -e "LC_ALL=$T_LOCALE"
		)
	# tmux sets TERM to its own default-terminal whatever -e says, so the
	# terminal type under test is set inside the command.
	local kv
	for kv in "$@"; do
		envs+=(-e "$kv")
	done
	if ! tmux -L "$T_SOCK" has-session 2>/dev/null; then
		tmux -L "$T_SOCK" -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" "${envs[@]}" \
			"env TERM='${T_TERM:-xterm-256color}' '$CASEWORK' ${T_ARGS:-}; echo \"[exit \$?]\"; sleep 600" || t_fail "tmux new-session"
		tmux -L "$T_SOCK" set-option -g remain-on-exit on >/dev/null
	else
		tmux -L "$T_SOCK" new-session -d -s "$name" -x "$cols" -y "$rows" "${envs[@]}" \
			"env TERM='${T_TERM:-xterm-256color}' '$CASEWORK' ${T_ARGS:-}; echo \"[exit \$?]\"; sleep 600" || t_fail "tmux new-session"
	fi
}

t_screen() {
	tmux -L "$T_SOCK" capture-pane -p -t "$1"
}

t_keys() {
	local s=$1
	shift
	tmux -L "$T_SOCK" send-keys -t "$s" "$@"
}

# Type text literally.
t_type() {
	tmux -L "$T_SOCK" send-keys -t "$1" -l "$2"
}

# t_wait SESSION PATTERN [SECONDS]: poll the screen until the extended
# regular expression matches; fail (showing the screen) after the timeout.
t_wait() {
	local s=$1 pat=$2 limit=${3:-10}
	local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
	while :; do
		if t_screen "$s" | grep -Eq -- "$pat"; then
			return 0
		fi
		if [ $(( $(date +%s%N) / 1000000 )) -ge $end ]; then
			t_fail "waited ${limit}s for /$pat/ in session $s"
		fi
		sleep 0.05
	done
}

# t_seen SESSION PATTERN SECONDS: like t_wait, but returns 1 instead of
# failing the test.
t_seen() {
	local s=$1 pat=$2 limit=$3
	local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
	until t_screen "$s" | grep -Eq -- "$pat"; do
		[ $(( $(date +%s%N) / 1000000 )) -lt $end ] || return 1
		sleep 0.05
	done
}

# t_wait_gone SESSION PATTERN [SECONDS]: until the pattern is not on screen.
t_wait_gone() {
	local s=$1 pat=$2 limit=${3:-10}
	local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
	while t_screen "$s" | grep -Eq -- "$pat"; do
		if [ $(( $(date +%s%N) / 1000000 )) -ge $end ]; then
			t_fail "waited ${limit}s for /$pat/ to go in session $s"
		fi
		sleep 0.05
	done
}

t_pid() {
	# The casework process in the session's pane (the shell's child).
	local shell
	shell=$(tmux -L "$T_SOCK" display-message -p -t "$1" '#{pane_pid}')
	# /proc rather than pgrep: procps is not on every minimal system.
	local d
	for d in /proc/[0-9]*; do
		if [ "$(cat "$d/comm" 2>/dev/null)" = casework ] &&
			[ "$(awk '{print $4}' "$d/stat" 2>/dev/null)" = "$shell" ]; then
			echo "${d#/proc/}"
			return
		fi
	done
}

# JSON field of `casework show REF --json` (top-level string or number).
t_show_field() {
	"$CASEWORK" show "$1" --json | python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$2"
}
