#!/bin/bash
# Two people on one office: each screen shows the other's change within two
# seconds, keeping its own selection, and a second replier sees who is
# already replying.
. "$(dirname "$0")/lib.sh"
t_make_db

A=alice
B=boss
t_start $A 80 24
t_start $B 80 24 CASEWORK_LOGIN=pmartin
t_wait $A 'Mine │ mgarcia'
t_wait $B 'All open │ pmartin \(supervisor\)'

# A watches all open cases; B puts A's first case on waiting.
t_keys $A a
t_wait $A 'All open │'
REF=$(t_screen $A | grep -Eo '^2026-[0-9]{6}' | sed -n 1p)
t_wait $B "^$REF"
t_keys $B Enter
t_wait $B "Case $REF"
t_keys $B s
t_wait $B 'Set status'
t_keys $B j Enter
t_wait $B "$REF is now waiting"
t_wait_gone $A "^$REF" 2

# A opens it from the waiting view and reopens it; B's detail follows.
t_keys $A w
t_wait $A 'Waiting │'
t_keys $A G
t_wait $A "^$REF"
# After G the last row is selected: go up to the case.
ROW=$(t_screen $A | grep -E '^2026-[0-9]{6}' | grep -n "^$REF" | cut -d: -f1)
ROWS=$(t_screen $A | grep -cE '^2026-[0-9]{6}')
for _ in $(seq $((ROWS - ROW))); do t_keys $A k; done
t_keys $A Enter
t_wait $A "Case $REF"
t_keys $A s
t_wait $A 'Set status'
t_keys $A g Enter
t_wait $A "$REF is now open"
t_wait $B "$REF +[A-Za-z]+ +open" 2

# A starts a reply; B, opening a reply on the same case, is told.
t_keys $A r
t_wait $A 'Template \('
t_keys $A Escape
t_type $A 'I am on it.'
t_wait $A 'I am on it\.'
t_wait $A 'draft saved' 3
t_wait $B 'mgarcia.*(replying|draft)' 2
t_keys $B r
t_wait $B 'Template \('
t_wait $B 'mgarcia.*(replying|draft)'
t_keys $A Escape q q
t_wait $A '\[exit 0\]'
t_keys $B Escape
t_wait_gone $B 'Template \('
t_keys $B Escape q q
t_wait $B '\[exit 0\]'
echo ok
