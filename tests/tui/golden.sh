#!/bin/bash
# The screens compared with golden files (tests/tui/golden/*.txt), as tmux's
# own regress tests do. After an intended change of the screens or of the
# demo office, regenerate them with GENERATE=1 and review the diff.
. "$(dirname "$0")/lib.sh"
# Dates on screen follow the locale; the golden files are in C.UTF-8.
T_LOCALE=C.UTF-8
t_make_db
GOLDEN="$(dirname "$0")/golden"

check() {
	local name=$1 s=$2
	local got="$T_DIR/$name.txt"
	t_screen "$s" >"$got"
	if [ "${GENERATE:-}" = 1 ]; then
		cp "$got" "$GOLDEN/$name.txt"
		echo "generated $name"
	elif ! diff -u "$GOLDEN/$name.txt" "$got" >&2; then
		t_fail "screen $name differs from $GOLDEN/$name.txt (GENERATE=1 regenerates)"
	fi
}

S=g80
t_start $S 80 24
t_wait $S 'Done [0-9]+'
t_wait $S 'Mine │ mgarcia'
check queue-80x24 $S
t_keys $S Enter
t_wait $S 'Case 2026-'
t_wait $S 'Subject: '
check detail-80x24 $S

S=g160
t_start $S 160 48
t_wait $S 'Done [0-9]+'
t_wait $S '│ Case 2026-'
t_wait $S 'Subject: '
check wide-160x48 $S
t_keys g80 q q
t_wait g80 '\[exit 0\]'
t_keys g160 q
t_wait g160 '\[exit 0\]'
echo ok
