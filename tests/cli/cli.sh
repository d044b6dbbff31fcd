#!/bin/bash
# Command-line tests: every subcommand's success and failure, through the
# real program. Usage: cli.sh PATH/TO/casework
set -u
CW=${1:?usage: cli.sh casework}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CASEWORK_DB=$T/office.db
export CASEWORK_LOGIN=alice
export CASEWORK_NOW=2026-03-06T16:00:00-05:00     # a Friday, 4 pm in New York
unset XDG_DATA_HOME NO_COLOR
passed=0
failed=0

check() {   # check DESCRIPTION EXPECTED_STATUS CMD...  (stdout in $out, stderr in $err)
	local desc=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if { [ "$want" = 0 ] && [ $got -eq 0 ]; } || { [ "$want" != 0 ] && [ $got -ne 0 ]; }; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $desc: exit $got (wanted $want)"
		echo "  stdout: ${out:0:400}"
		echo "  stderr: ${err:0:400}"
	fi
}

contains() {   # contains DESCRIPTION HAYSTACK NEEDLE
	if [[ "$2" == *"$3"* ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1: expected to find [$3] in:"
		echo "${2:0:600}"
	fi
}

equals() {
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1: got [$2], wanted [$3]"
	fi
}

jq_() {   # jq_ JSON PYTHON-EXPR-ON-d
	python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$2" <<<"$1"
}

# ---- init and identity -------------------------------------------------
check "init creates the office" 0 "$CW" init
contains "init names the first admin" "$out" "alice is the first admin"
check "init is safe to run again" 0 "$CW" init
contains "second init opens" "$out" "opened office database"
check "a login that is not staff is refused" 1 env CASEWORK_LOGIN=mallory "$CW" list
contains "refusal says how to add the login" "$err" "casework staff add mallory"
check "a missing database named with --db is created on first use" 0 "$CW" --db "$T/other.db" list
contains "first use says it created the office" "$err" "created office database"

# ---- staff -----------------------------------------------------------------
check "staff add" 0 "$CW" staff add bob --role caseworker --name "Bob Builder" --department public-works
check "staff add frontdesk" 0 "$CW" staff add carol --role frontdesk --name "Carol Desk"
check "staff add supervisor" 0 "$CW" staff add sue --role supervisor --name "Sue Visor"
check "staff add with an unknown role" 1 "$CW" staff add dave --role boss
contains "unknown role message" "$err" "role \"boss\" is not one of"
check "staff add with an unknown department" 1 "$CW" staff add dave --role caseworker --department nowhere
contains "unknown department message" "$err" "department \"nowhere\""
check "staff add by a caseworker is refused" 1 env CASEWORK_LOGIN=bob "$CW" staff add eve --role admin
contains "permission message names the role needed" "$err" "needs the admin role"
check "staff list --json" 0 "$CW" staff list --json
equals "four staff" "$(jq_ "$out" 'len(d)')" 4
equals "bob is a caseworker" "$(jq_ "$out" '[s["role"] for s in d if s["login"]=="bob"][0]')" caseworker

# ---- intake ------------------------------------------------------------------
check "intake of a gas smell" 0 "$CW" intake --channel phone --name "José Álvarez" \
	--phone 555-0101 --subject "Gas smell" --description "I can smell gas in the basement" --json
GAS=$(jq_ "$out" 'd["ref"]')
equals "reference format" "$(echo "$GAS" | grep -cE '^2026-[0-9]{6}$')" 1
equals "gas lands in emergency" "$(jq_ "$out" 'd["tier"]')" emergency
equals "gas goes to public works" "$(jq_ "$out" 'd["department"]')" public-works
equals "due 4 hours later, round the clock" "$(jq_ "$out" 'd["due_at"]')" "2026-03-06T20:00:00-05:00"
contains "acknowledgment names the case" "$(jq_ "$out" 'd["acknowledgment"]')" "$GAS"
check "a phone intake prints a receipt" 0 "$CW" intake --channel walk-in --name "Zoë Müller" \
	--email zoe@example.org --subject "Pothole on Elm Street" --description "Deep pothole outside number 14"
contains "receipt printed" "$out" "receipt: case"
POT=$(head -1 "$T/out")
check "show explains the triage" 0 "$CW" show "$GAS"
contains "triage says which rule" "$out" "tier emergency by rule 'gas smell or leak'"
contains "show explains the due time" "$out" "4 hours from"
check "intake without a subject" 2 "$CW" intake --channel phone --name X
check "intake with an unknown channel" 1 "$CW" intake --channel pigeon --name X --subject Y
contains "channel message" "$err" "channel \"pigeon\""
check "intake with an unknown tier" 1 "$CW" intake --channel phone --name X --subject Y --tier urgentest
contains "tier message lists the tiers" "$err" "emergency"
check "invalid UTF-8 in a name is refused" 1 "$CW" intake --channel phone --name $'Jos\xe9' --subject "Hello"
contains "invalid UTF-8 message names the field" "$err" "name: invalid UTF-8"
SQLNAME="Robert'); DROP TABLE cases;--"
check "a name that looks like SQL" 0 "$CW" intake --channel email --name "$SQLNAME" \
	--email bobby@example.com --subject "Tables" --json
SQLREF=$(jq_ "$out" 'd["ref"]')
check "show it" 0 "$CW" show "$SQLREF" --json
equals "the SQL-looking name is stored verbatim" "$(jq_ "$out" 'd["constituent_detail"]["full_name"]')" "$SQLNAME"
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
check "an oversize description is refused" 1 "$CW" intake --channel web --name X --subject Y --description-file "$T/big.txt"
contains "the limit is named" "$err" "65536"
check "a frontdesk login may log inquiries" 0 env CASEWORK_LOGIN=carol "$CW" intake --channel walk-in \
	--name "山田 太郎" --subject "Streetlight out at Maple and 3rd" --description "The streetlight is out"
LIGHT=$(head -1 "$T/out")
check "the same email is the same constituent" 0 "$CW" intake --channel email --name "Zoe Mueller" \
	--email zoe@example.org --subject "Second question" --json
equals "repeat constituent" "$(jq_ "$out" 'd["constituent"]')" "Zoë Müller"

# ---- show, list, search ---------------------------------------------------------
check "show an unknown case" 1 "$CW" show 2026-999999
contains "unknown case message" "$err" "no case 2026-999999"
check "list" 0 "$CW" list
contains "list shows the gas case" "$out" "$GAS"
check "list --json" 0 "$CW" list --json
equals "gas case first (due soonest)" "$(jq_ "$out" 'd[0]["ref"]')" "$GAS"
check "list --search" 0 "$CW" list --search "gás" --json
equals "accent-insensitive search finds the gas case" "$(jq_ "$out" '[c["ref"] for c in d]')" "['$GAS']"
check "list --search in a name" 0 "$CW" list --search "alvarez" --json
equals "search finds by constituent name" "$(jq_ "$out" 'd[0]["ref"]')" "$GAS"
check "list with a bad limit" 2 "$CW" list --limit zero
check "list --overdue later" 0 env CASEWORK_NOW=2026-03-06T21:00:00-05:00 "$CW" list --overdue --json
equals "the gas case is overdue at 9 pm" "$(jq_ "$out" '[c["ref"] for c in d]')" "['$GAS']"
check "list --at-risk" 0 env CASEWORK_NOW=2026-03-06T18:30:00-05:00 "$CW" list --at-risk --json
equals "the gas case is at risk at 6:30 pm" "$(jq_ "$out" '[c["ref"] for c in d]')" "['$GAS']"

# ---- status, notes, assignment -------------------------------------------------
check "frontdesk may not change status" 1 env CASEWORK_LOGIN=carol "$CW" status "$POT" open
contains "frontdesk refusal" "$err" "needs the caseworker role"
check "frontdesk may add a note" 0 env CASEWORK_LOGIN=carol "$CW" note "$POT" "Resident came back with photos"
check "illegal transition new -> closed" 1 "$CW" status "$POT" closed
contains "illegal transition message" "$err" "cannot go from new to closed"
check "unknown status" 1 "$CW" status "$POT" finished
check "new -> open" 0 "$CW" status "$POT" open
check "open -> waiting" 0 "$CW" status "$POT" waiting
check "waiting -> waiting again" 1 "$CW" status "$POT" waiting
contains "already message" "$err" "already waiting"
check "waiting -> open" 0 env CASEWORK_NOW=2026-03-09T12:00:00-04:00 "$CW" status "$POT" open
check "show the clocks after a pause" 0 env CASEWORK_NOW=2026-03-09T12:00:00-04:00 "$CW" show "$POT" --json
contains "a pause event is recorded" "$(jq_ "$out" '[e["event"] for e in d["clock_events"]]')" "'pause'"
contains "a resume event is recorded" "$(jq_ "$out" '[e["event"] for e in d["clock_events"]]')" "'resume'"
contains "the explanation mentions the pause" "$(jq_ "$out" 'd["clocks"][0]["explain"]')" "paused"
check "assign to an unknown login" 1 "$CW" assign "$POT" nobody
contains "unknown login message" "$err" "nobody is not active staff"
check "a caseworker may take a case" 0 env CASEWORK_LOGIN=bob "$CW" assign "$LIGHT" me
check "a caseworker may not reassign someone else's case" 1 env CASEWORK_LOGIN=bob "$CW" assign "$GAS" sue
check "a supervisor may reassign" 0 env CASEWORK_LOGIN=sue "$CW" assign "$POT" bob
check "open -> resolved" 0 "$CW" status "$POT" resolved
check "resolved -> closed" 0 "$CW" status "$POT" closed
check "reopen a closed case" 0 "$CW" status "$POT" open
check "show the audit trail" 0 "$CW" show "$POT" --json
equals "every change is audited" "$(jq_ "$out" '[a["action"] for a in d["audit"]].count("case.status")')" 6
contains "the note is in the thread" "$(jq_ "$out" '[m["kind"] for m in d["messages"]]')" "'note'"

# ---- replies and templates -------------------------------------------------------
check "templates list" 0 "$CW" templates list --category street
contains "templates list shows the pothole answer" "$out" "pothole"
check "templates vars" 0 "$CW" templates vars
contains "vars lists the constituent's name" "$out" "constituent.first_name"
check "templates check" 0 "$CW" templates check
check "templates render" 0 "$CW" templates render pothole --case "$POT"
contains "rendered pothole answer greets the constituent" "$out" "Zoë"
printf 'id: broken\ntitle: Broken\nsubject: Hi\nbody: |\n  Dear {{constituent.nmae}},\n' >"$T/broken.yaml"
check "templates check refuses an unknown variable" 1 "$CW" templates check "$T/broken.yaml"
contains "with line and column" "$err" "broken.yaml:5:"
check "a reply with an unfilled fill-in is refused" 1 "$CW" reply "$LIGHT" --template resolved
contains "fill-in message" "$err" "not completed"
check "the refused reply is kept as a draft" 0 "$CW" show "$LIGHT" --json
check "a reply from a body file" 0 env CASEWORK_NOW=2026-03-06T17:00:00-05:00 \
	"$CW" reply "$GAS" --body-file - <<<"A crew is on the way to check the gas smell."
check "show after the reply" 0 env CASEWORK_NOW=2026-03-06T17:00:00-05:00 "$CW" show "$GAS" --json
equals "first response met" "$(jq_ "$out" 'd["clocks"][0]["state"]')" met
equals "status opened by the reply" "$(jq_ "$out" 'd["status"]')" open
equals "the one who answered an unowned case owns it" "$(jq_ "$out" 'd["assignee"]')" alice
check "a frontdesk login may not reply" 1 env CASEWORK_LOGIN=carol "$CW" reply "$GAS" --body-file - <<<"hi"
check "the constituent writes again" 0 env CASEWORK_NOW=2026-03-06T18:00:00-05:00 "$CW" inbound "$GAS" "Still smells."
check "show the next-response clock" 0 env CASEWORK_NOW=2026-03-06T18:00:00-05:00 "$CW" show "$GAS" --json
contains "next response clock started" "$(jq_ "$out" '[c["kind"] for c in d["clocks"]]')" "next_response"

# ---- configuration -----------------------------------------------------------------
check "config show" 0 "$CW" config show
contains "config show prints the version" "$out" "# version 1"
printf 'office:\n  name: X\n  timezone: Mars/Olympus\n' >"$T/bad.yaml"
check "config check of a bad file" 1 "$CW" config check "$T/bad.yaml"
contains "bad config message has file:line:column" "$err" "bad.yaml:"
check "config apply of a bad file changes nothing" 1 "$CW" config apply "$T/bad.yaml"
check "config still version 1" 0 "$CW" config show
contains "still version 1" "$out" "# version 1"
# An office open 9-17 with a holiday on Monday 9 March 2026.
"$CW" config show | sed -e '1d' -e 's/"08:30-17:00"/"09:00-17:00"/' >"$T/office.yaml"
cat >>"$T/office.yaml" <<'YAML'
YAML
python3 - "$T/office.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("holidays:\n", "holidays:\n  - name: \"Test holiday\"\n    date: \"2026-03-09\"\n", 1)
open(p, "w").write(s)
PY
check "config check of the edited office" 0 "$CW" config check "$T/office.yaml"
check "config apply" 0 "$CW" config apply "$T/office.yaml"
contains "new version" "$out" "version 2"
check "a standard case on Friday at 16:00" 0 "$CW" intake --channel email --name "Ana Costa" \
	--email ana@example.br --subject "Question about permits" --tier standard --json
equals "due two business days later, skipping the Monday holiday" "$(jq_ "$out" 'd["due_at"]')" "2026-03-11T16:00:00-04:00"
STD=$(jq_ "$out" 'd["ref"]')
check "show explains it" 0 "$CW" show "$STD"
contains "explanation names the target" "$out" "2 business days from"

# ---- a locked database ---------------------------------------------------------------
# Another program holds the write lock for longer than casework waits: the
# intake is refused with a clear message and nothing is half-written.
check "count before" 0 "$CW" list --status new --json
before=$(jq_ "$out" 'len(d)')
python3 - "$CASEWORK_DB" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[1] + ".held", "w").close()
time.sleep(40)
PY
locker=$!
for _ in $(seq 100); do [ -e "$CASEWORK_DB.held" ] && break; sleep 0.1; done
check "intake while another program holds the lock" 1 "$CW" intake --channel phone --name "Lock Test" --subject "Locked"
contains "busy message" "$err" "the office database is busy"
kill $locker 2>/dev/null
wait $locker 2>/dev/null
rm -f "$CASEWORK_DB.held"
check "count after" 0 "$CW" list --status new --json
equals "nothing was half-written" "$(jq_ "$out" 'len(d)')" "$before"
check "a database path that cannot be created" 1 "$CW" --db "$T/big.txt/x.db" list
contains "the path is named" "$err" "big.txt"

# ---- two people, one case ------------------------------------------------------------
check "unknown subcommand" 2 "$CW" frobnicate
check "help" 0 "$CW" help
contains "help lists intake" "$out" "intake --channel"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
