#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# FTP through NAT services: vsftpd on the real servers, curl on the client,
# active (PORT, EPRT) and passive (PASV, EPSV) mode, downloads and uploads,
# IPv4 and IPv6, each file's sha256 checked where it lands.
#
#   c    10.0.0.2/24, 2001:db8::2/64
#   d    10.0.0.1/24 + 10.0.0.100/24 + 10.0.0.50/24, 2001:db8::1/64
#        10.0.1.1/24, 2001:db8:1::1/64  towards rs1
#        10.0.2.1/24                    towards rs2
#   rs1  10.0.1.122/24, 2001:db8:1::2/64  vsftpd (v4 and v6)
#   rs2  10.0.2.2/24                      vsftpd
#
# Conntrack runs in the director (a ruleset that counts invalid packets),
# as it does under any stateful firewall.
#
# The addresses make the 227 reply's text change length when the VIP goes
# in: "10,0,1,122" becomes "10,0,0,1" (2 shorter) for VIP 10.0.0.1, and
# "10,0,2,2" becomes "10,0,0,100" (2 longer) for VIP 10.0.0.100. Several
# transfers on one control connection then need the sequence numbers
# shifted by the sum of the changes. 10.0.0.50 is the same service run by
# the kernel's ip_vs and its ip_vs_ftp helper.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 14

WORK=$(mktemp -d)
chmod 755 "$WORK"

# vsftpd_conf NAME [listen_address=A | listen_ipv6=YES listen_address6=A]:
# the configuration of an anonymous vsftpd whose root is $WORK/NS (NS
# being NAME's part before the dash), with an upload directory; written
# by bash, no process.
vsftpd_conf()
{
	local name=$1 root=$WORK/${1%%-*} listen=YES

	shift
	# listen=NO when the address is IPv6: one socket family per daemon.
	case "$*" in *listen_ipv6=YES*) listen=NO ;; esac
	printf '%s\n' "listen=$listen" "$@" background=NO anonymous_enable=YES \
		no_anon_password=YES local_enable=NO write_enable=YES \
		anon_upload_enable=YES anon_umask=022 "anon_root=$root" \
		"secure_chroot_dir=$WORK/empty" connect_from_port_20=YES \
		pasv_min_port=30000 pasv_max_port=30999 seccomp_sandbox=NO \
		isolate=NO isolate_network=NO xferlog_enable=NO \
		"vsftpd_log_file=$WORK/$name.log" >"$WORK/$name.conf"
}

# ftp_listening: rs1's vsftpds listen on port 21 of both its addresses,
# rs2's on its own (one ss each).
ftp_listening()
{
	local out

	out=$(ss -N "$PFX-rs1" -Htln "sport = :21") &&
		[[ $out == *"10.0.1.122:21 "* ]] &&
		[[ $out == *"[2001:db8:1::2]:21 "* ]] &&
		out=$(ss -N "$PFX-rs2" -Htln "sport = :21") &&
		[[ $out == *"10.0.2.2:21 "* ]]
}

# The namespaces and links in one ip, each namespace's addresses and
# routes in one more (nodad: the IPv6 addresses are usable at once), the
# real servers' file trees in one mkdir, chmod, chown and a cp each: in
# the debug guest every process start costs a quarter of a second or more.
setup()
{
	local sums sum path

	nat_links || return 1
	ns_batch c "link set lo up" "addr add 10.0.0.2/24 dev eth0" \
		"addr add 2001:db8::2/64 dev eth0 nodad" "link set eth0 up" \
		"route add default via 10.0.0.1" \
		"route add ::/0 via 2001:db8::1" || return 1
	ns_batch d "link set lo up" "addr add 10.0.0.1/24 dev c0" \
		"addr add 10.0.0.100/24 dev c0" "addr add 10.0.0.50/24 dev c0" \
		"addr add 2001:db8::1/64 dev c0 nodad" "link set c0 up" \
		"addr add 10.0.1.1/24 dev rs1" \
		"addr add 2001:db8:1::1/64 dev rs1 nodad" "link set rs1 up" \
		"addr add 10.0.2.1/24 dev rs2" "link set rs2 up" || return 1
	ns_batch rs1 "link set lo up" "addr add 10.0.1.122/24 dev eth0" \
		"addr add 2001:db8:1::2/64 dev eth0 nodad" "link set eth0 up" \
		"route add default via 10.0.1.1" \
		"route add ::/0 via 2001:db8:1::1" || return 1
	ns_batch rs2 "link set lo up" "addr add 10.0.2.2/24 dev eth0" \
		"link set eth0 up" "route add default via 10.0.2.1" || return 1
	n d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# Conntrack on in the director, as any stateful ruleset turns it
	# on: lvs tells it about each NAT connection (nfct.c), FTP's too.
	# This ruleset only counts what conntrack finds invalid.
	n d nft -f - <<-EOF
	table inet tracked {
		chain input {
			type filter hook input priority 0;
			ct state invalid counter
		}
		chain forward {
			type filter hook forward priority 0;
			ct state invalid counter
		}
	}
	EOF
	# The client takes nothing from a real server's own address: every
	# data connection must come through the director's NAT.
	n c nft -f - <<-EOF
	table inet only_vips {
		chain input {
			type filter hook input priority 0;
			ip saddr != 10.0.0.0/24 counter drop
			ip6 saddr != 2001:db8::/64 counter drop
		}
	}
	EOF

	echo "hello through the director" > "$WORK/small.txt"
	# big.bin makes many segments of one transfer flow after a 227
	# reply's change of length has shifted the control connection's
	# sequence numbers: 400 kB are some 300 segments, as good as 3 MB
	# for that, and cheaper for the debug guest to move and hash.
	head -c 400000 /dev/urandom > "$WORK/big.bin"
	head -c 300000 /dev/urandom > "$WORK/up.bin"
	sums=$(sha256sum "$WORK/small.txt" "$WORK/big.bin" "$WORK/up.bin") ||
		return 1
	while read -r sum path; do
		SUM[${path##*/}]=$sum
	done <<<"$sums"
	mkdir -p "$WORK"/{rs1,rs2}/{pub,incoming} "$WORK/empty" &&
		cp "$WORK/small.txt" "$WORK/big.bin" "$WORK/rs1/pub/" &&
		cp "$WORK/small.txt" "$WORK/big.bin" "$WORK/rs2/pub/" &&
		chmod -R u=rwX,go=rX "$WORK/rs1" "$WORK/rs2" "$WORK/empty" &&
		chown ftp "$WORK/rs1/incoming" "$WORK/rs2/incoming" || return 1
	vsftpd_conf rs1-v4 listen_address=10.0.1.122
	vsftpd_conf rs1-v6 listen_ipv6=YES listen_address6=2001:db8:1::2
	vsftpd_conf rs2-v4 listen_address=10.0.2.2
	bg rs1 vsftpd "$WORK/rs1-v4.conf"
	bg rs1 vsftpd "$WORK/rs1-v6.conf"
	bg rs2 vsftpd "$WORK/rs2-v4.conf"
	busywait 5000 ftp_listening
}

# same FILE...: each FILE is a copy of its original, by name; all hashed
# by one sha256sum, the originals' hashes taken once (SUM, in setup).
same()
{
	local f out sum path orig

	for f in "$@"; do
		[ -s "$f" ] || return 1
	done
	out=$(sha256sum "$@") || return 1
	while read -r sum path; do
		case ${path##*/} in
		*small*) orig=small.txt ;;
		*big*) orig=big.bin ;;
		*) orig=up.bin ;;
		esac
		[ "$sum" = "${SUM[$orig]}" ] || return 1
	done <<<"$out"
}

# fetch NAME URL-HOST CURL-OPTIONS...: download small.txt, big.bin and
# small.txt again over one control connection, into $WORK/NAME.*; the
# client's view of the control connection goes to $WORK/NAME.log. Each
# NAME is used once: no earlier file can stand in for a download.
fetch()
{
	local name=$1 host=$2

	shift 2
	n c curl -sS -v --max-time 60 "$@" \
		"ftp://$host/pub/small.txt" -o "$WORK/$name.small1" \
		"ftp://$host/pub/big.bin" -o "$WORK/$name.big" \
		"ftp://$host/pub/small.txt" -o "$WORK/$name.small2" \
		2> "$WORK/$name.log"
}

# upload NS HOST NAME CURL-OPTIONS...: up.bin to HOST's incoming/NAME; it
# must arrive intact in real server NS's directory.
upload()
{
	local ns=$1 host=$2 name=$3

	shift 3
	n c curl -sS --max-time 60 "$@" -T "$WORK/up.bin" \
		"ftp://$host/incoming/$name" 2> "$WORK/$name.log" &&
		busywait 5000 same "$WORK/$ns/incoming/$name"
}

# fetched NAME: the three files of "fetch NAME" arrived intact.
fetched()
{
	same "$WORK/$1.small1" "$WORK/$1.big" "$WORK/$1.small2"
}

# lines NAME PATTERN: how many lines of the client's log $WORK/NAME.log
# match the glob PATTERN (counted in bash, where grep -c is a process).
lines()
{
	local line count=0

	while IFS= read -r line; do
		[[ $line == $2 ]] && count=$((count + 1))
	done <"$WORK/$1.log"
	echo "$count"
}

# replies NAME CODE: how many CODE replies the client saw.
replies()
{
	lines "$1" "< $2 *"
}

# packets NS TABLE: what the counters of nftables table TABLE in NS
# counted, their packet numbers on one line.
packets()
{
	local out got=

	out=$(n "$1" nft list table inet "$2") || return 1
	while [[ $out =~ packets\ ([0-9]+) ]]; do
		got="$got ${BASH_REMATCH[1]}"
		out=${out#*"${BASH_REMATCH[0]}"}
	done
	echo "${got# }"
}

declare -A SUM
trap 'cleanup; modprobe -r ip_vs_ftp ip_vs_rr ip_vs 2>/dev/null; rm -rf "$WORK"' EXIT
setup || check_err $? "vsftpd did not start: $(cat "$WORK"/*.log 2>/dev/null)"
log_test "FTP: vsftpd serves on both real servers"

# Each service with its real server, all in one ipvsctl.
printf '%s\n' "service add tcp 10.0.0.1:21 sched rr" \
	"dest add tcp 10.0.0.1:21 10.0.1.122 nat" \
	"service add tcp 10.0.0.100:21 sched rr" \
	"dest add tcp 10.0.0.100:21 10.0.2.2 nat" \
	"service add tcp [2001:db8::1]:21 sched rr" \
	"dest add tcp [2001:db8::1]:21 [2001:db8:1::2] nat" | ipvsctl -b -
check_err $? "service or dest add failed"
log_test "FTP: NAT services on port 21 for IPv4 and IPv6"

# passive NAME VIP: three PASV downloads from VIP on one session; the
# client must have been told VIP in every 227 reply.
passive()
{
	local name=$1 text=${2//./,}

	# curl takes the address from a 227 reply only when told to.
	fetch "$name" "$2" --disable-epsv --no-ftp-skip-pasv-ip ||
		check_err $? "curl failed: $(tail -3 "$WORK/$name.log")"
	fetched "$name"
	check_err $? "a passive download arrived damaged"
	[ "$(lines "$name" "< 227 *[(]$text,*")" = 3 ] ||
		check_err $? "the client saw: $(grep '^< 227' "$WORK/$name.log")"
	[ "$(lines "$name" "*Re-using existing connection*")" = 2 ]
	check_err $? "the transfers did not share one control connection"
}

passive pasv1 10.0.0.1
log_test "FTP PASV: 227 rewritten to the VIP (shorter), 3 files on one session"
passive pasv2 10.0.0.100
log_test "FTP PASV: 227 rewritten to the VIP (longer), 3 files on one session"

fetch epsv 10.0.0.1 ||
	check_err $? "curl failed: $(tail -3 "$WORK/epsv.log")"
fetched epsv && [ "$(replies epsv 229)" = 3 ]
check_err $? "EPSV downloads failed or did not use EPSV"
log_test "FTP EPSV: passive downloads through the expected data port"

fetch port 10.0.0.100 -P 10.0.0.2 --disable-eprt ||
	check_err $? "curl failed: $(tail -3 "$WORK/port.log")"
fetched port && [ "$(lines port "> PORT 10,0,0,2,*")" != 0 ]
check_err $? "PORT downloads failed or did not use PORT"
log_test "FTP PORT: active downloads, the real server connects from VIP:20"

fetch eprt 10.0.0.1 -P - ||
	check_err $? "curl failed: $(tail -3 "$WORK/eprt.log")"
fetched eprt && [ "$(lines eprt "> EPRT |1|10.0.0.2|*")" != 0 ]
check_err $? "EPRT downloads failed or did not use EPRT"
log_test "FTP EPRT: active downloads over IPv4"

upload rs1 10.0.0.1 up-pasv --disable-epsv --no-ftp-skip-pasv-ip &&
	upload rs2 10.0.0.100 up-epsv &&
	upload rs2 10.0.0.100 up-port -P 10.0.0.2 --disable-eprt &&
	upload rs1 10.0.0.1 up-eprt -P - ||
	check_err $? "an upload failed or arrived damaged: $(cat "$WORK"/up-*.log)"
log_test "FTP: uploads in PASV, EPSV, PORT and EPRT mode arrive intact"

fetch v6epsv '[2001:db8::1]' ||
	check_err $? "curl failed: $(tail -3 "$WORK/v6epsv.log")"
fetch v6eprt '[2001:db8::1]' -P - ||
	check_err $? "curl failed: $(tail -3 "$WORK/v6eprt.log")"
fetched v6epsv && fetched v6eprt &&
	[ "$(lines v6eprt "> EPRT |2|2001:db8::2|*")" != 0 ]
check_err $? "IPv6 downloads failed or did not use EPRT"
upload rs1 '[2001:db8::1]' up-v6 -P - &&
	upload rs1 '[2001:db8::1]' up-v6p ||
	check_err $? "an IPv6 upload failed: $(cat "$WORK"/up-v6*.log)"
log_test "FTP over IPv6: EPSV and EPRT, downloads and uploads"

# ftp_session CMD...: log in to 10.0.0.1 from the client and send each
# CMD on one control connection, printing each reply (its last line,
# without the CR). A bash in the client: it starts in a fraction of
# python3's time in the debug guest.
ftp_session()
{
	n c bash -c '
exec 3<>/dev/tcp/10.0.0.1/21 || exit 1
reply()
{
	local line

	IFS= read -r -t 10 -u 3 line || return 1
	while [ "${line:3:1}" = - ]; do
		IFS= read -r -t 10 -u 3 line || return 1
	done
	REPLY=${line%$'"'"'\r'"'"'}
}
cmd()
{
	printf "%s\r\n" "$1" >&3 && reply
}
reply && cmd "USER anonymous" && cmd "PASS x" || exit 1
for c; do
	cmd "$c" || exit 1
	echo "$REPLY"
done
cmd QUIT' ftp_session "$@"
}

# pasv_ports REPLIES: the data port of each 227 reply among REPLIES, one
# a line, in order.
pasv_ports()
{
	local line

	while IFS= read -r line; do
		[[ $line =~ ^227\ .*,([0-9]+),([0-9]+)\) ]] &&
			echo $((BASH_REMATCH[1] * 256 + BASH_REMATCH[2]))
	done <<<"$1"
}

# Port 51201 (200,1) for the client, 51202 for an address not its own.
got=$(ftp_session "PORT 10,0,0,2,200,1")
[[ $got == 200* ]]
check_err $? "vsftpd refused a PORT to the client"
ftp_session "PORT 10,0,0,9,200,2" >/dev/null
conns=$(ipvsctl conn list)
[[ $'\n'$conns =~ $'\n'"tcp 10.0.0.2:51201 vip 10.0.0.1:20 dest 10.0.1.122:20 " ]] ||
	check_err $? "no entry for the announced data connection: $conns"
[[ $conns == *":51202 "* || $conns == *10.0.0.9* ]] &&
	check_fail 0 "an entry for a PORT to another host: $conns"
log_test "FTP PORT: an entry for the client's own address only (no bounce)"

# An expectation's client port is 0, but it is no connection: a SYN from
# port 0 to the announced port must not reach the real server.
n rs1 nft -f - <<-EOF
table inet port0 {
	chain pre {
		type filter hook prerouting priority -300;
		tcp sport 0 counter
	}
}
EOF
port=$(pasv_ports "$(ftp_session PASV)")
conns=$(ipvsctl conn list)
[[ $'\n'$conns == *$'\n'"tcp 10.0.0.2 vip 10.0.0.1:$port "* ]] ||
	check_err $? "no expectation for port $port: $conns"
n c python3 "$LVS_TOP/tests/netns/rawpkt.py" syn0 10.0.0.1 "$port" 3
nap 1
got=$(packets rs1 port0)
[ "$got" = 0 ]
check_err $? "$got SYNs from port 0 reached the real server as a connection"
log_test "FTP: an expectation takes no packets from client port 0"

# One control connection keeps at most four unused data entries.
evicted()
{
	local out

	out=$(ipvsctl info) && [[ $out =~ evicted\ ([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}
before=$(evicted)
got=$(ftp_session "PORT 10,0,0,2,200,11" "PORT 10,0,0,2,200,12" \
	"PORT 10,0,0,2,200,13" "PORT 10,0,0,2,200,14" \
	"PORT 10,0,0,2,200,15" "PORT 10,0,0,2,200,16")
count=0
while read -r line; do
	[[ $line == 200* ]] && count=$((count + 1))
done <<<"$got"
[ "$count" = 6 ]
check_err $? "vsftpd refused one of six PORT commands"
# The ports of the data entries, sorted (each as often as it has one).
entries=
re=':(5121[1-6]) vip 10\.0\.0\.1:20 '
while IFS= read -r line; do
	[[ $line =~ $re ]] &&
		entries="$entries ${BASH_REMATCH[1]}"
done <<<"$(ipvsctl conn list)"
sorted=
for port in 51211 51212 51213 51214 51215 51216; do
	for p in $entries; do
		[ "$p" = "$port" ] && sorted="$sorted$p "
	done
done
[ "$sorted" = "51213 51214 51215 51216 " ]
check_err $? "data entries of six PORTs: $sorted, want the last four"
after=$(evicted)
[ "$after" = $((before + 2)) ]
check_err $? "evicted $before, then $after: want 2 more"
# The same for expectations: five PASVs leave the last four.
pasv=($(pasv_ports "$(ftp_session PASV PASV PASV PASV PASV)"))
# vsftpd picks each port at random: one may come twice, and then the
# entry of its first PASV cannot be told from that of its second. An
# array indexed by port lists each once, in order.
conns=$'\n'$(ipvsctl conn list)
unset all last
declare -a all last
for port in "${pasv[@]}"; do
	all[port]=$port
done
for port in "${pasv[@]:1}"; do
	last[port]=$port
done
expects=
for port in "${all[@]}"; do
	[[ $conns == *$'\n'"tcp 10.0.0.2 vip 10.0.0.1:$port "* ]] &&
		expects="$expects $port"
done
[ "${#pasv[@]}" = 5 ] && [ "${expects# }" = "${last[*]}" ]
check_err $? "expectations of five PASVs (${pasv[*]}): ${expects# }, want the last four"
log_test "FTP: a control connection keeps its last four data entries"

printf 'service del tcp %s\n' 10.0.0.1:21 10.0.0.100:21 [2001:db8::1]:21 |
	ipvsctl -b -
leaks=0
for p in $(packets c only_vips); do
	leaks=$((leaks + p))
done
[ "$leaks" = 0 ]
check_err $? "the client got $leaks packets from real servers' addresses"
log_test "FTP: the client only ever talks to the VIPs"
# For the record: what conntrack found invalid (input, forward).
echo "# conntrack invalid: $(packets d tracked)"

# The kernel's ip_vs beside it: its FTP helper mangles through conntrack.
desc="FTP: the kernel's ip_vs gives the same PASV and PORT results"
if ! ipvs_ref; then
	ipvs_skip "$desc"
elif modprobe ip_vs_ftp 2>/dev/null && modprobe ip_vs_rr; then
	n d sysctl -qw net.ipv4.vs.conntrack=1
	printf '%s\n' "-A -t 10.0.0.50:21 -s rr" \
		"-a -t 10.0.0.50:21 -r 10.0.1.122:21 -m" | n d ipvsadm -R
	check_err $? "ipvsadm configuration failed"
	passive ipvs 10.0.0.50
	fetch ipvsport 10.0.0.50 -P 10.0.0.2 --disable-eprt ||
		check_err $? "ip_vs: curl failed: $(tail -3 "$WORK/ipvsport.log")"
	fetched ipvsport
	check_err $? "ip_vs: PORT downloads differ from lvs's"
	log_test "$desc"
	n d ipvsadm -C
else
	log_skip "$desc" "no ip_vs_ftp module"
fi

exit $((FAILED > 0))
