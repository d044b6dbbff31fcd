#!/bin/bash
# A caseworker's day at 80x24: open the queue, move, search, open a case,
# read it, reply from a template with fill-in markers, send with a status,
# and see the status, the clocks and the queue change (also through
# `casework show --json`).
. "$(dirname "$0")/lib.sh"
t_make_db

S=main
t_start $S 80 24
t_wait $S 'Ref +Tier +Stat +Left +Constituent'
t_wait $S '^ Mine [0-9]+ +Dept [0-9]+'
t_wait $S 'Mine │ mgarcia \(caseworker\)'

# The overdue view: every row shows a negative time left.
t_keys $S o
t_wait $S 'Overdue │ mgarcia'
t_wait $S '^2026-[0-9]{6} [A-Z]{3,4} +[a-z]+ +-[0-9]+[dhm]'

# Search as you type narrows the queue; Esc clears it.
t_keys $S a
t_wait $S 'All open │'
t_keys $S /
t_wait $S '^Search:'
t_type $S 'gas smell'
t_wait $S '^Search: gas smell'
t_wait $S 'Gas smell'
# Every row left is a gas smell...
other_rows() { t_screen $S | grep -E '^2026-[0-9]{6} ' | grep -vc 'Gas smell'; }
end=$(( $(date +%s) + 10 ))
until [ "$(other_rows)" = 0 ]; do
	[ "$(date +%s)" -ge $end ] && t_fail "search left rows that are not about a gas smell"
	sleep 0.05
done
t_keys $S Enter
t_wait $S '/gas smell \([0-9]+\)'
t_keys $S x
t_wait_gone $S '/gas smell'
# ...and clearing the search brings the others back.
end=$(( $(date +%s) + 10 ))
until [ "$(other_rows)" != 0 ]; do
	[ "$(date +%s)" -ge $end ] && t_fail "clearing the search did not bring the queue back"
	sleep 0.05
done

# Mine, second row: read its reference, open it.
t_keys $S m
t_wait $S 'Mine │ mgarcia'
REF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | sed -n 2p)
[ -n "$REF" ] || t_fail "no second case in Mine"
t_keys $S j
t_keys $S Enter
t_wait $S "Case $REF"
t_wait $S '(Earlier cases \([0-9]+; e opens one\)|No earlier cases)'
t_wait $S 'First response: '
[ "$(t_show_field "$REF" status)" != waiting ] || t_fail "$REF already waiting"

# Reply from the "cannot-help" template: it has two fill-in markers.
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

# Sending is refused while a marker is unfilled.
t_keys $S C-s
t_wait $S 'Line [0-9]+: fill in the marker'
t_type $S 'The sidewalk belongs to the state highway.'
t_wait $S '1 marker to fill'
t_keys $S C-f
t_type $S 'State Highway Department, 555-0199.'
t_wait $S 'State Highway Department, 555-0199\.'
t_wait_gone $S 'markers? to fill'

# Send and wait for the constituent: status waiting, clocks paused.
t_keys $S C-s
t_wait $S 'Send this reply to '
t_keys $S w
t_wait $S 'Reply sent; status waiting'
t_wait $S "Case $REF"
t_keys $S g
t_wait $S "$REF +[A-Za-z]+ +waiting"
t_wait $S 'paused'
[ "$(t_show_field "$REF" status)" = waiting ] || t_fail "status not waiting in show --json"
"$CASEWORK" show "$REF" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert any(m["kind"] == "outbound" and "State Highway Department" in m["body"] for m in d["messages"]), "reply not recorded"
assert any(c["state"] == "paused" for c in d["clocks"]), d["clocks"]
assert not any(c["state"] in ("on track", "at risk", "overdue") for c in d["clocks"]), d["clocks"]
assert not d.get("others_drafting")
' || t_fail "show --json does not show the reply and paused clocks"

# Back in the queue, the case left Mine and shows under Waiting.
t_keys $S q
t_wait $S 'Mine │ mgarcia'
t_wait_gone $S "^$REF"
t_keys $S w
t_wait $S 'Waiting │'
# Longest waiting first: the case just put on waiting is at the end.
t_keys $S G
t_wait $S "^$REF .*wait"

# q quits from the queue.
t_keys $S q
t_wait $S '\[exit 0\]'
echo ok
