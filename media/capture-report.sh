#!/usr/bin/env bash
# Reproduces the screenshots and the recording of the real terminal UI that README.md shows:
#
#   media/home-screen.png          the home screen, as `ferry` opens
#   media/connections.png          the connections the local profile resolves, accepted with one Enter
#   media/verification-report.png the outcome screen: the side-by-side verification report
#   media/local-run.cast           the whole run as an asciinema v2 recording (when asciinema is installed)
#
# It runs `ferry` (no arguments) in a detached 100x40 tmux session with a fresh FERRY_HOME, drives the
# redshift-to-maxcompute procedure on the local cloud the way a person would (Enter through the home screen, one
# Enter on the resolved connections and on any field still asked, `y` at the plan review, `ferry_local` at the
# typed confirmation), captures the screen with its colours (`tmux capture-pane -e`), turns the ANSI into HTML
# with aha, and photographs the HTML with headless Chromium. Everything it starts (tmux server, local cloud, temp dir) is stopped on exit.
#
# With a procedure's id it drives that procedure instead and writes media/<id>.png, its verification report:
#
#   media/capture-report.sh datahub-to-maxcompute
#   media/capture-report.sh maxcompute-to-loghub
#
# Needs:  npm run build;  apt-get install -y tmux aha chromium fonts-dejavu-core [asciinema]
# Usage:  media/capture-report.sh [PROCEDURE]   (about 25 s; the first start of the local cloud seeds TPC-H)
set -euo pipefail

procedure=${1:-redshift-to-maxcompute}
cd "$(dirname "$0")/.."
# The Node the project installs (24 LTS), as npm scripts use it, whatever the machine's own node is.
PATH="$PWD/node_modules/.bin:$PATH"
media=$PWD/media
cli=$PWD/distribution/ferry.js
columns=100
rows=40
font_px=14
line_px=18

for tool in tmux aha chromium; do
	command -v "$tool" >/dev/null || { echo "capture-report: $tool is missing (apt-get install -y tmux aha chromium fonts-dejavu-core)" >&2; exit 3; }
done
[[ -f $cli ]] || { echo "capture-report: $cli is missing; run npm run build first" >&2; exit 3; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-media-XXXXXX")
mkdir -p "$work/ferry" "$work/home"
socket=ferry-media-$$
# A person's terminal: colour, UTF-8, no CI; a HOME without cloud configuration; nothing of the caller's FERRY_*.
environment=(PATH="$PATH" HOME="$work/home" LANG=C.UTF-8 TERM=xterm-256color FERRY_HOME="$work/ferry")

cleanup() {
	local socket_path
	socket_path=$(tmux -L "$socket" display-message -p '#{socket_path}' 2>/dev/null || true)
	tmux -L "$socket" kill-server 2>/dev/null || true
	[[ -z $socket_path ]] || rm -f "$socket_path" # tmux 3.3 leaves it behind
	env -i "${environment[@]}" CI=true node "$cli" local-cloud stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

ferry_command="node $(printf %q "$cli")"
if command -v asciinema >/dev/null && [[ $procedure == redshift-to-maxcompute ]]; then
	# asciinema records ferry's own output (not tmux's redraw of it); idle gaps longer than 2 s are shortened.
	ferry_command="asciinema rec --quiet --overwrite --idle-time-limit 2 --title 'ferry: redshift-to-maxcompute on the local cloud' --command $(printf %q "$ferry_command") $(printf %q "$work/local-run.cast")"
fi
tmux -u -L "$socket" new-session -d -s ferry -x "$columns" -y "$rows" \
	"env -i $(printf '%q ' "${environment[@]}") $ferry_command; echo EXIT=\$?; sleep 86400"

screen() { tmux -u -L "$socket" capture-pane -p -J -t ferry; }
press() { tmux -u -L "$socket" send-keys -t ferry "$1"; sleep 0.15; }
# wait_for REGEX SECONDS: polls every 200 ms; on timeout prints the last screen and fails.
wait_for() {
	local deadline=$((SECONDS + $2))
	until screen | grep -Eq -- "$1"; do
		if ((SECONDS > deadline)); then
			echo "capture-report: the screen did not show /$1/ within $2 s. Last screen:" >&2
			screen >&2
			exit 1
		fi
		sleep 0.2
	done
}

# The xterm colours ferry names, in a palette that reads on a dark background (aha's defaults are for white pages).
palette=(
	-e 's/filter: contrast(70%) brightness(190%);//g'
	-e 's/color:dimgray;/color:#8a8f94;/g' -e 's/color:red;/color:#e06c75;/g' -e 's/color:green;/color:#98c379;/g'
	-e 's/color:olive;/color:#e5c07b;/g' -e 's/color:blue;/color:#61afef;/g' -e 's/color:purple;/color:#c678dd;/g'
	-e 's/color:teal;/color:#56b6c2;/g' -e 's/color:gray;/color:#dcdfe4;/g' -e 's/color:white;/color:#ffffff;/g'
)

# photograph NAME [FROM]: the screen with its colours as media/NAME.png, trailing blank rows and columns dropped. With FROM
# (a regex), the picture starts at the last line matching it, reaching back into the scrollback when needed.
photograph() {
	local name=$1 from=${2:-} ansi=$work/$1.ansi html=$work/$1.html start=0
	if [[ -n $from ]]; then
		local history_size line
		history_size=$(tmux -u -L "$socket" display-message -p -t ferry '#{history_size}')
		line=$(tmux -u -L "$socket" capture-pane -p -S - -t ferry | grep -En -- "$from" | tail -n 1 | cut -d: -f1)
		[[ -n $line ]] || { echo "capture-report: /$from/ is not on the screen or in the scrollback" >&2; exit 1; }
		start=$((line - 1 - history_size))
	fi
	tmux -u -L "$socket" capture-pane -p -e -S "$start" -t ferry | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$ansi"
	local height width
	height=$(wc -l <"$ansi")
	# The picture is as wide as the widest row (plus a margin), not the whole terminal.
	width=$(tmux -u -L "$socket" capture-pane -p -S "$start" -t ferry | LC_ALL=C.UTF-8 wc -L)
	width=$((width + 2 < columns ? width + 2 : columns))
	{
		printf '<!doctype html><meta charset="utf-8"><style>'
		printf 'html,body{margin:0;background:#1e2127}'
		printf 'pre{margin:0;padding:16px 20px;color:#dcdfe4;font:%dpx/%dpx "DejaVu Sans Mono",monospace;white-space:pre}' "$font_px" "$line_px"
		printf '</style><pre>'
		aha --no-header <"$ansi" | sed "${palette[@]}"
		printf '</pre>'
	} >"$html"
	# DejaVu Sans Mono advances 0.602 em per column; the padding adds 40 px across and 32 px down.
	local width_px=$(( (width * font_px * 602 + 999) / 1000 + 40 )) height_px=$(( height * line_px + 32 ))
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=2 \
		--window-size="$width_px,$height_px" --screenshot="$media/$name.png" "file://$html" >/dev/null 2>&1
	echo "capture-report: wrote media/$name.png (${width}x$height cells)"
}

# answer_form DONE WHERE [PHOTO]: Enter once on the summary of resolved answers and once per field still asked,
# until the function DONE succeeds. With PHOTO, the summary is photographed as media/PHOTO.png before it is accepted.
answer_form() {
	local done=$1 where=$2 photo=${3:-} deadline=$((SECONDS + 90)) last_field= field
	until "$done"; do
		field=$(screen | grep -Eo '^\S.*\([0-9]+/[0-9]+\)|❯ Accept these [0-9]+ answers' | head -n 1 || true)
		if [[ -n $field && $field != "$last_field" ]] && screen | grep -Eq 'Enter (accept|choose)'; then
			if [[ -n $photo && $field == ❯\ Accept* ]]; then
				photograph "$photo"
			fi

			last_field=$field
			press Enter
		elif ((SECONDS > deadline)); then
			echo "capture-report: the form did not reach $where. Last screen:" >&2
			screen >&2
			exit 1
		else
			sleep 0.2
		fi
	done
}
at_plan_review() { screen | grep -q 'Proceed? (y/N)'; }
at_tables() { screen | grep -q 'Step 3 of 10 · Tables' && screen | grep -Eq '[0-9]+ of [0-9]+ selected'; }

wait_for '❯ Start a procedure' 20
if [[ $procedure != redshift-to-maxcompute ]]; then
	# The other procedures: choose it, Enter on every field until the plan review, accept, photograph the report.
	press Enter
	wait_for 'Which procedure\?' 10
	case $procedure in
		datahub-to-maxcompute) press Down ;;
		maxcompute-to-loghub) press Down; press Down ;;
		*) echo "capture-report: unknown procedure $procedure" >&2; exit 2 ;;
	esac
	press Enter
	wait_for 'Which profile\?' 10
	press Enter
	answer_form at_plan_review 'the plan review'
	press y
	wait_for 'Press Enter to exit' 150
	sleep 0.5
	photograph "$procedure" '^✔ Step 1 of'
	press Enter
	wait_for 'EXIT=[0-9]+' 15
	exit 0
fi
photograph home-screen
press Enter
wait_for '❯ Amazon Redshift → MaxCompute' 10
press Enter
wait_for 'Which profile\?' 10
press Enter

# The resolved connections (photographed) and any field still asked, until the Tables step shows its selection.
answer_form at_tables 'the Tables step' connections
press Enter
wait_for 'Proceed\? \(y/N\)' 30
press y
wait_for 'Type ferry_local to continue' 90
tmux -u -L "$socket" send-keys -t ferry -l ferry_local
wait_for '❯ ferry_local' 5
press Enter
wait_for 'Press Enter to exit' 120
sleep 0.5
photograph verification-report '^Check +Source +Target +Result'
press Enter
wait_for 'EXIT=[0-9]+' 15

if [[ -f $work/local-run.cast ]]; then
	cp "$work/local-run.cast" "$media/local-run.cast"
	echo "capture-report: wrote media/local-run.cast"
fi
