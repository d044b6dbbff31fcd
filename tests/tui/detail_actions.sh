#!/bin/bash
# The detail pane's single keys: help, clocks, take and release, assign
# (refused for a caseworker), status with a confirmation before closing,
# an earlier case; and the queue's tier filter.
. "$(dirname "$0")/lib.sh"
t_make_db

S=main
t_start $S 80 24
t_wait $S 'Mine │ mgarcia'
t_keys $S u
t_wait $S 'Unassigned │'
REF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | sed -n 1p)
[ -n "$REF" ] || t_fail "no unassigned case"
t_keys $S Enter
t_wait $S "Case $REF"

t_keys $S '?'
t_wait $S 'Keys \(q or \? closes\)'
t_wait $S 't +Take the case'
t_keys $S q
t_wait_gone $S 'Keys \(q'

t_keys $S c
t_wait $S 'Clocks and triage'
t_wait $S 'Triage: '
t_keys $S q
t_wait_gone $S 'Clocks and triage'

t_keys $S t
t_wait $S "$REF is yours"
[ "$(t_show_field "$REF" assignee)" = mgarcia ] || t_fail "take did not assign"
t_keys $S T
t_wait $S "$REF released"
[ -z "$(t_show_field "$REF" assignee)" ] || t_fail "release did not unassign"

t_keys $S A
t_wait $S 'may not'

t_keys $S s
t_wait $S 'Set status'
t_keys $S G Enter
t_wait $S "Close $REF\?"
t_keys $S n
t_wait $S 'Not closed'
[ "$(t_show_field "$REF" status)" != closed ] || t_fail "closed without confirmation"
# Open cases are resolved before they are closed.
t_keys $S s
t_wait $S 'Set status'
t_keys $S g j j Enter
t_wait $S "$REF is now resolved"
t_keys $S s
t_wait $S 'Set status'
t_keys $S G Enter
t_wait $S "Close $REF\?"
t_keys $S y
t_wait $S "$REF is now closed"
[ "$(t_show_field "$REF" status)" = closed ] || t_fail "not closed"

# An earlier case of the constituent opens from the detail.
t_keys $S q
t_keys $S a
t_wait $S 'All open │'
for i in 1 2 3 4 5 6; do
	t_keys $S Enter
	t_wait $S 'Case 2026-'
	if t_screen $S | grep -q 'Earlier cases ('; then
		break
	fi
	t_keys $S q j
done
THIS=$(t_screen $S | grep -Eo 'Case 2026-[0-9]{6}' | head -1 | cut -c6-)
t_keys $S e
t_wait $S 'Earlier cases'
t_keys $S Enter
t_wait $S 'Case 2026-'
OTHER=$(t_screen $S | grep -Eo 'Case 2026-[0-9]{6}' | head -1 | cut -c6-)
[ "$OTHER" != "$THIS" ] || t_fail "e did not open another case"
# q goes back to the case one was reading, then to the queue.
t_keys $S q
t_wait $S "Case $THIS"
t_keys $S q
t_wait $S 'Ref +Tier'

# A reference typed in the search opens its case.
t_keys $S /
t_type $S "$REF"
t_keys $S Enter
t_wait $S "Case $REF"

# Filter the queue by tier.
t_keys $S q
t_wait $S 'Ref +Tier'
t_keys $S t
t_wait $S 'Filter by tier'
t_keys $S j Enter
t_wait $S 'tier:emergency'
if t_screen $S | grep -E '^2026-[0-9]{6} ' | grep -vq ' EMER '; then
	t_fail "non-emergency rows under the emergency filter"
fi
t_keys $S x
t_wait_gone $S 'tier:emergency'
t_keys $S q
t_wait $S '\[exit 0\]'
echo ok
