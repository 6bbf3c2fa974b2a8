#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "ipvsctl stats watch" on a real terminal: a shell in a detached tmux
# session runs it against the director's namespace while a UDP service
# takes a flood. Checked from what the pane shows: both services and the
# flooded one's destinations with rates above 0, the flooded one first
# when sorted by packets in and last when "<" twice sorts by name, a
# redraw when the window shrinks, -j refused; then q, Ctrl-C and SIGTERM
# each end it with the shell's screen back (no alternate screen, a
# cursor), the terminal's settings as they were (stty -g) and the shell's
# prompt, q and Ctrl-C with status 0. Last, the bash completion
# (tools/ipvsctl/completion/ipvsctl) completes a service of the running
# state on Tab.
#
# nat_topology (lib.sh): UDP 10.0.0.1:80 to rs1 and rs2 by NAT, flooded
# from the client; TCP 10.0.0.1:80 to rs1:8081, without traffic.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 8

WORK=$(mktemp -d)
mkfifo "$WORK/ended"
TMUX_SOCK=$PFX-watch
trap 'tm kill-server 2>/dev/null; cleanup; rm -rf "$WORK"' EXIT

# tm ARGS...: tmux on a server of this scenario's own, no configuration.
tm()
{
	tmux -L "$TMUX_SOCK" -f /dev/null "$@"
}

# snap: what the pane shows, a line each in SCREEN, and whether it shows
# the alternate screen and a cursor ("#{alternate_on} #{cursor_flag}",
# such as "0 1") in MODE: one tmux process, and none more to read them
# (every process start costs the guests a good part of a second).
snap()
{
	local out

	out=$(tm display-message -p -t watch '#{alternate_on} #{cursor_flag}' \; \
		capture-pane -p -t watch) || return 1
	mapfile -t SCREEN <<<"$out"
	MODE=${SCREEN[0]}
	SCREEN=("${SCREEN[@]:1}")
}

# row TEXT: the index in SCREEN of the first line holding TEXT, in ROW.
row()
{
	for ((ROW = 0; ROW < ${#SCREEN[@]}; ROW++)); do
		[[ ${SCREEN[ROW]} == *"$1"* ]] && return 0
	done
	return 1
}

# moving TEXT: the first line holding TEXT shows packets in (its second
# number) above 0.
moving()
{
	local f

	row "$1" || return 1
	read -ra f <<<"${SCREEN[ROW]}"
	[ "${f[1]}" != 0 ]
}

# shows TEXT: SCREEN holds TEXT.
shows()
{
	row "$1"
}

# last_line: the last line of SCREEN that is not empty.
last_line()
{
	local i

	for ((i = ${#SCREEN[@]} - 1; i > 0; i--)); do
		[ -n "${SCREEN[i]}" ] && break
	done
	echo "${SCREEN[i]}"
}

UDP_ROW=' udp 10.0.0.1:80 sched'
TCP_ROW=' tcp 10.0.0.1:80 sched'

# rates_shown: the flooded service and both its destinations show
# packets in above 0, and the other service is on the screen.
rates_shown()
{
	snap && moving "$UDP_ROW" && moving '-> 10.0.1.2:8080' &&
		moving '-> 10.0.2.2:8080' && shows "$TCP_ROW"
}

# above A B: in SCREEN, the line holding A comes before that holding B.
above()
{
	local a

	row "$1" || return 1
	a=$ROW
	row "$2" && [ "$a" -lt "$ROW" ]
}

watching()
{
	snap && [ "${MODE% *}" = 1 ] && shows 'SERVICE / DESTINATION'
}

# start_watch: in the pane's shell, save the terminal's settings, watch
# (every second) from a subshell that leaves its pid (that of ipvsctl,
# which it becomes) in $WORK/pid, then leave the status and the settings
# after in $WORK and say "ended" through the FIFO $WORK/ended.
start_watch()
{
	tm send-keys -t watch "stty -g >$WORK/before; (echo \$BASHPID >$WORK/pid; exec ipvsctl -n $PFX-d stats watch interval 1); echo \$? >$WORK/status; stty -g >$WORK/after; echo ended >$WORK/ended" Enter
	busywait 5000 watching
}

prompt_back()
{
	snap && [[ $(last_line) =~ ^watch\>\ *$ ]]
}

# check_ended STATUS: the watch ended with STATUS, the terminal as before.
check_ended()
{
	local status= before= after= line=

	read -r -t $((10 * ${LVS_WAIT_SCALE:-3})) line <>"$WORK/ended"
	[ "$line" = ended ]
	check_err $? "it did not end"
	read -r status <"$WORK/status"
	read -r before <"$WORK/before"
	read -r after <"$WORK/after"
	[ "$status" = "$1" ]
	check_err $? "status $status, want $1"
	[ "$before" = "$after" ]
	check_err $? "stty -g before: $before, after: $after"
	busywait 2000 prompt_back
	check_err $? "the pane's last line: \"$(last_line)\", want the prompt"
	[ "$MODE" = "0 1" ]
	check_err $? "alternate screen, cursor: $MODE, want 0 1"
}

nat_topology
udp_server rs1 8080 rs1
udp_server rs2 8080 rs2
wait_listen rs1 udp 8080 && wait_listen rs2 udp 8080
check_err $? "the responders did not start"
ipvsctl -b - <<-EOF
	service add udp 10.0.0.1:80 sched rr
	dest add udp 10.0.0.1:80 10.0.1.2:8080 nat
	dest add udp 10.0.0.1:80 10.0.2.2:8080 nat
	service add tcp 10.0.0.1:80 sched rr
	dest add tcp 10.0.0.1:80 10.0.1.2:8081 nat
EOF
check_err $? "cannot configure the services"
# 20 datagrams a second from 16 ports, answered.
bg c "$LVSFLOOD" -s 10.0.0.2/32 -p 20000-20015 -r 20 -t 60 udp 10.0.0.1 80

# A shell with a prompt of its own, ipvsctl and the completion at hand.
tm new-session -d -s watch -x 120 -y 30 \
	"env -i PATH=$(dirname "$IPVSCTL"):$PATH TERM=screen PS1='watch> ' bash --norc --noprofile -i"
check_err $? "cannot start tmux"
# First, on the terminal but with -j: refused.
tm send-keys -t watch "ipvsctl -n $PFX-d -j stats watch 2>$WORK/json.err; echo \$? >$WORK/json.status" Enter
start_watch
check_err $? "no table: ${SCREEN[*]:0:4}"
busywait 10000 rates_shown
check_err $? "no rates: $(printf '%s\n' "${SCREEN[@]}" | grep -F ' 10.0.')"
log_test "watch: services and destinations with their rates"

json_status= json_err=
read -r json_status <"$WORK/json.status"
read -r json_err <"$WORK/json.err"
[ "$json_status" = 2 ] &&
	[[ $json_err == *'"stats watch" prints no JSON'* ]]
check_err $? "ipvsctl -j stats watch: status $json_status: $json_err"
log_test "watch: refuses -j, with status 2"

above "$UDP_ROW" "$TCP_ROW"
check_err $? "sorted by inpps, the flooded service is not first"
tm send-keys -t watch '<' '<'
busywait 3000 eval 'snap && above "$TCP_ROW" "$UDP_ROW" && shows "sort name"'
check_err $? "after < <: $(printf '%s\n' "${SCREEN[@]}" | grep -F -e 'sort' -e ' 10.0.0.1:80 ')"
log_test "watch: sorted by packets in, then by name after \"< <\""

# Six lines leave room for two rows of five: one, and what is left out.
tm resize-window -t watch -y 6
busywait 3000 eval 'snap && [[ ${SCREEN[4]} == "... 4 more" ]]'
check_err $? "not drawn for 6 lines: $(printf '%s|' "${SCREEN[@]}")"
tm resize-window -t watch -y 30
log_test "watch: drawn again when the window shrinks"

tm send-keys -t watch q
check_ended 0
log_test "watch: q ends it and restores the terminal"

start_watch
check_err $? "no table the second time: ${SCREEN[*]:0:4}"
tm send-keys -t watch C-c
check_ended 0
log_test "watch: Ctrl-C ends it and restores the terminal"

start_watch
check_err $? "no table the third time: ${SCREEN[*]:0:4}"
read -r pid <"$WORK/pid" && kill -TERM "$pid"
check_err $? "no ipvsctl to stop"
check_ended 143
log_test "watch: SIGTERM ends it and restores the terminal"

# Tab after "udp 10.0." completes the one UDP service's VIP and port.
tm send-keys -t watch "source $LVS_TOP/tools/ipvsctl/completion/ipvsctl" \
	Enter "clear" Enter "ipvsctl -n $PFX-d dest list udp 10.0." Tab
busywait 3000 eval 'snap && [[ $(last_line) =~ "dest list udp 10.0.0.1:80"\ *$ ]]'
check_err $? "not completed: $(last_line)"
tm send-keys -t watch Enter
busywait 3000 eval 'snap && shows "10.0.2.2:8080 nat"'
check_err $? "the completed line did not list: $(printf '%s|' "${SCREEN[@]}")"
log_test "completion: a service of the running state on Tab"

exit $((FAILED > 0))
