#!/bin/bash
# The screens work on the terminals offices have (xterm-256color,
# screen-256color, tmux-256color, linux, vt100 without colours), honour
# NO_COLOR, take --theme, and report a bad theme on the status line while
# carrying on with the default.
. "$(dirname "$0")/lib.sh"
t_make_db

has_colour_sgr() {
	# SGR colour parameters (30-37, 40-47, 90-97, 38;5;N ...) in the
	# attributes tmux saw.
	tmux -L "$T_SOCK" capture-pane -p -e -t "$1" | grep -qP '\e\[[0-9;]*(?<![0-9])(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'
}

n=0
for term in xterm-256color screen-256color tmux-256color linux vt100; do
	infocmp "$term" >/dev/null 2>&1 || { echo "no terminfo for $term: skipped"; continue; }
	n=$((n + 1))
	S="t$n"
	T_TERM=$term t_start $S 80 24
	t_wait $S 'Ref +Tier +Stat'
	t_wait $S 'Mine │ mgarcia'
	t_keys $S Enter
	t_wait $S 'Case 2026-'
	t_keys $S q q
	t_wait $S '\[exit 0\]'
	case $term in
	vt100) ! has_colour_sgr $S || t_fail "colour sent to a vt100" ;;
	esac
done

S=nocolor
t_start $S 80 24 NO_COLOR=1
t_wait $S 'Mine │ mgarcia'
if has_colour_sgr $S; then
	t_fail "colour shown although NO_COLOR is set"
fi
S=colour
t_start $S 80 24
t_wait $S 'Mine │ mgarcia'
has_colour_sgr $S || t_fail "no colour on xterm-256color"

for theme in high-contrast light monochrome; do
	S="theme-$theme"
	T_ARGS="--theme $theme" t_start $S 80 24
	t_wait $S 'Mine │ mgarcia'
	t_wait_gone $S 'theme'
done

# The per-user setting.
mkdir -p "$T_DIR/config/casework"
echo no-such-user-theme >"$T_DIR/config/casework/theme"
S=user
t_start $S 100 24 "XDG_CONFIG_HOME=$T_DIR/config"
t_wait $S "theme 'no-such-user-theme' not found"

S=missing
T_ARGS="--theme no-such-theme" t_start $S 100 24
t_wait $S "theme 'no-such-theme' not found"
t_wait $S 'Ref +Tier +Stat'

printf 'name: broken\nslots:\n  selection: { fg: purple }\n' >"$T_DIR/broken.yaml"
S=broken
T_ARGS="--theme $T_DIR/broken.yaml" t_start $S 140 24
t_wait $S "broken.yaml:3:[0-9]+: 'purple' is not a colour"
t_wait $S 'Ref +Tier +Stat'
t_keys $S q
t_wait $S '\[exit 0\]'
echo ok
