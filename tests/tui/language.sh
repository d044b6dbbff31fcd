#!/bin/bash
# A constituent who prefers Spanish: a template with a Spanish body is
# rendered in Spanish; one without says so on the status line before the
# caseworker sends English.
. "$(dirname "$0")/lib.sh"
t_make_db

REF=$("$CASEWORK" list --search alvarez --limit 1 --json | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["ref"])')
[ -n "$REF" ] || t_fail "no case of José Álvarez in the demo office"
pick() {   # pick TEMPLATE: its 1-based place in the picker for this case
	local cat
	cat=$(t_show_field "$REF" category)
	"$CASEWORK" templates list --category "$cat" --json | python3 -c '
import json, sys
ids = [t["id"] for t in sorted(json.load(sys.stdin), key=lambda t: not t["suits"])]
print(ids.index(sys.argv[1]) + 1)' "$1"
}

S=main
t_start $S 80 24
t_wait $S 'Mine │ mgarcia'
t_keys $S /
t_type $S "$REF"
t_keys $S Enter
t_wait $S "Case $REF"

# cannot-help has no Spanish body: the composer says the reply is English.
IDX=$(pick cannot-help)
t_keys $S r
t_wait $S 'Template \(★ suits this case\)'
t_keys $S g
for _ in $(seq "$IDX"); do t_keys $S j; done
t_keys $S Enter
t_wait $S 'Reply to .* cannot-help'
t_wait $S 'No "es" version: this reply is in "en"\.'

# resolved has one: Spanish text, no warning.
IDX=$(pick resolved)
t_keys $S C-t
t_wait $S 'Template \(★ suits this case\)'
t_keys $S g
for _ in $(seq "$IDX"); do t_keys $S j; done
t_keys $S Enter
t_wait $S 'Reply to .* resolved'
t_wait $S 'Estimado/a'
t_wait_gone $S 'No "es" version'

# Leave without sending; the draft is kept and the program exits cleanly.
t_keys $S Escape
t_wait $S "Case $REF"
t_keys $S q q
t_wait $S '\[exit 0\]'
echo ok
