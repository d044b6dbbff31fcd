#!/bin/bash
# Names in any script line up in the queue: a Japanese name (two columns a
# character) and names with combining accents (zero columns) leave the
# subject column where it is for everyone else.
. "$(dirname "$0")/lib.sh"
t_make_db

add() {
	"$CASEWORK" intake --channel phone --name "$1" --phone "$2" --subject "$3" \
		--description "Alignment check." --category street --tier standard \
		--assignee mgarcia >/dev/null || t_fail "intake $1"
}
add '山田 太郎' 555-7001 'Zalign one'
add $'Zoe\u0308 q\u0303uinn' 555-7002 'Zalign two'
add $'Jose\u0301 Nin\u0303o Ibáñez-Ørsted' 555-7003 'Zalign three'
add 'Plain Ascii Name' 555-7004 'Zalign four'
add '김민준 ☕ 王小明' 555-7005 'Zalign five'

for size in "80 24" "160 48"; do
	S="s${size/ /x}"
	t_start $S $size
	t_wait $S 'Ref +Tier +Stat'
	t_keys $S /
	t_type $S zalign
	t_wait $S 'Zalign five'
	t_wait $S 'Zalign one'
	t_wait $S '山田 太郎'
	t_screen $S | python3 -c '
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.category(ch) in ("Mn", "Me") or ch == "\u200b":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
cols = {}
for line in sys.stdin.read().splitlines():
    i = line.find("Zalign")
    if i >= 0:
        cols[line[i:].split()[1]] = width(line[:i])
        # Every row of the queue fits the window.
        assert width(line.split("│")[0]) <= 80 or "x" in sys.argv[1], line
print(cols)
assert len(cols) == 5, cols
assert len(set(cols.values())) == 1, "subjects do not line up: %r" % cols
' "$size" || t_fail "names do not line up at $size"
	# The names are shown whole where they fit, with their accents.
	t_wait $S $'Zoe\u0308 q\u0303uinn|Zoë q\u0303uinn'
done
for S in s80x24 s160x48; do
	t_keys $S Escape q
	t_wait $S '\[exit 0\]'
done
echo ok
