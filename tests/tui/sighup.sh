#!/bin/bash
# A dropped connection (SIGHUP) while composing keeps the draft: the
# program saves it and exits, and the next session offers it back.
. "$(dirname "$0")/lib.sh"
t_make_db

S=first
t_start $S 80 24
t_wait $S 'Ref +Tier +Stat'
REF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | sed -n 1p)
t_keys $S Enter
t_wait $S "Case $REF"
t_keys $S r
t_wait $S 'Template \('
t_keys $S Escape
t_wait $S 'Reply to '
t_type $S 'Half a reply, typed just before the line dropped; ñandú 漢字.'
t_wait $S 'Half a reply, typed just before the line dropped'
PID=$(t_pid $S)
[ -n "$PID" ] || t_fail "no casework process"
kill -HUP "$PID"
t_wait $S '\[exit 129\]'

S=second
t_start $S 80 24
t_wait $S 'Ref +Tier +Stat'
t_keys $S Enter
t_wait $S "Case $REF"
t_keys $S r
t_wait $S 'You have a reply draft'
t_keys $S r
t_wait $S 'Half a reply, typed just before the line dropped; ñandú 漢字\.'
t_wait $S 'Draft restored'
t_keys $S Escape q q
t_wait $S '\[exit 0\]'
echo ok
