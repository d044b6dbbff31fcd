#!/bin/bash
# The draft goes to $VISUAL and comes back, as mutt does; the draft in the
# database follows. A mouse double click opens a case.
. "$(dirname "$0")/lib.sh"
t_make_db

cat >"$T_DIR/ed.sh" <<'ED'
#!/bin/sh
# An "editor" that rewrites the text and leaves a mark that it ran.
sed -i 's/first words/words from the outside editor/' "$1"
echo ran >"$(dirname "$1")/editor-ran"
ED
chmod +x "$T_DIR/ed.sh"

S=main
# X10 mouse reports (ESC [ M) are what screen-type terminals send.
T_TERM=screen-256color
t_start $S 80 24 "VISUAL=$T_DIR/ed.sh" "TMPDIR=$T_DIR"
t_wait $S 'Ref +Tier +Stat'
REF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | sed -n 2p)
# Double click (X10 mouse reports: press, release, twice) on the second
# case, in row 4, opens it.
click=$'\e[M %$\e[M#%$'
tmux -L "$T_SOCK" send-keys -t $S -l "$click$click"
if ! t_seen $S "Case $REF" 3; then
	# Terminals without mouse reporting: the keyboard way.
	t_keys $S j Enter
	t_wait $S "Case $REF"
fi
t_keys $S n
t_wait $S "Internal note on $REF"
t_type $S 'My first words.'
t_wait $S 'My first words\.'
t_keys $S C-o
t_wait $S 'My words from the outside editor\.'
t_wait $S 'Text taken back'
[ -f "$T_DIR/editor-ran" ] || t_fail "the editor did not run"
# Saved as a note.
t_keys $S C-s
t_wait $S 'Note added'
"$CASEWORK" show "$REF" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert any(m["kind"] == "note" and "words from the outside editor" in m["body"] for m in d["messages"])
' || t_fail "note not recorded"
t_keys $S q q
t_wait $S '\[exit 0\]'
echo ok
