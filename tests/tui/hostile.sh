#!/bin/bash
# Text from constituents never drives the terminal: a description holding
# ESC [2J (clear screen), an OSC title sequence, a bidi override, CR, BS and
# a zero-width space is shown with visible placeholders, the pane title is
# unchanged and nothing is cleared.
. "$(dirname "$0")/lib.sh"
t_make_db

DESC=$'Before\e[2Jafter clear. \e]0;pwned-title\aTitle set? \u202eReversed\u202c text. CR\rBS\bZW\u200bend.'
"$CASEWORK" intake --channel web --name $'Mallory \e[31mRed\e[0m \u202eXYZ' --email mallory@example.com \
	--subject $'Hostile \e[5mblink\e[0m subject' --description "$DESC" --category street \
	--tier standard --assignee mgarcia >/dev/null || t_fail "intake"

S=main
t_start $S 80 24
tmux -L "$T_SOCK" select-pane -t $S -T clean-title
t_wait $S 'Ref +Tier +Stat'
t_keys $S /
t_type $S hostile
t_wait $S 'Hostile \^\[\[5mblink'
t_keys $S Enter
t_keys $S Enter
t_wait $S 'Subject: Hostile'
t_wait $S 'Before\^\[\[2Jafter clear'
t_wait $S '\^\[\]0;pwned-title\^G'
t_wait $S '<U\+202E>Reversed<U\+202C>'
t_wait $S '<U\+200B>end'
t_wait $S 'Mallory \^\[\[31mRed'
# The screen was not cleared and the title not set.
t_wait $S '^ Mine [0-9]+ +Dept'
t_wait $S 'Mine │ mgarcia'
title=$(tmux -L "$T_SOCK" display-message -p -t $S '#{pane_title}')
[ "$title" = clean-title ] || t_fail "pane title changed to '$title'"
# No raw ESC, BEL or bidi override reached the screen.
if t_screen $S | grep -qP '[\x1b\x07\x{202e}]'; then
	t_fail "a control character reached the screen"
fi
t_keys $S q q
t_wait $S '\[exit 0\]'
echo ok
