#!/bin/bash
# Resizing re-lays out without losing the selected case or the draft:
# 120x40 (queue, detail and composer side by side) -> 80x24 (one pane)
# -> too small -> 120x40 again.
. "$(dirname "$0")/lib.sh"
t_make_db

S=main
t_start $S 120 40
t_wait $S 'Ref +Tier +Stat'
# Wide: the detail of the selected case shows next to the queue.
t_keys $S j j
REF=$(t_screen $S | grep -Eo '^2026-[0-9]{6}' | sed -n 3p)
[ -n "$REF" ] || t_fail "no third case"
t_wait $S "│ Case $REF"

t_keys $S Enter
t_wait $S "Case $REF  \(r reply"
t_keys $S r
t_wait $S 'Template \('
t_keys $S Escape
t_wait $S 'Reply to '
t_type $S 'Words that must survive a resize. '
t_type $S '東京 and Zoë too.'
t_wait $S 'Words that must survive a resize\. 東京 and Zoë too\.'
# Wide: queue, detail and composer are all on screen.
t_wait $S 'Ref +Tier +Stat'
t_wait $S "Case $REF"

tmux -L "$T_SOCK" resize-window -t $S -x 80 -y 24
t_wait $S 'Reply to '
t_wait $S 'Words that must survive a resize\. 東京 and Zoë too\.'
t_wait_gone $S 'Ref +Tier +Stat'

tmux -L "$T_SOCK" resize-window -t $S -x 40 -y 8
t_wait $S 'terminal too small'

tmux -L "$T_SOCK" resize-window -t $S -x 120 -y 40
t_wait $S 'Words that must survive a resize\. 東京 and Zoë too\.'
t_wait $S 'Ref +Tier +Stat'
t_wait $S "Case $REF"

# Back at 80x24, the queue keeps the selection: Enter opens the same case.
tmux -L "$T_SOCK" resize-window -t $S -x 80 -y 24
t_keys $S Escape
t_wait $S "Case $REF"
t_keys $S q
t_wait $S 'Ref +Tier +Stat'
t_keys $S Enter
t_wait $S "Case $REF"
# The draft is still being composed: r goes back to it.
t_keys $S r
t_wait $S 'Reply to '
t_wait $S 'Words that must survive a resize\. 東京 and Zoë too\.'
t_keys $S Escape
t_keys $S q q
t_wait $S '\[exit 0\]'
echo ok
