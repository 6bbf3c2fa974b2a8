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

# vsftpd NS NAME [listen_address=A | listen_ipv6=YES listen_address6=A]:
# an anonymous vsftpd whose root is $WORK/NAME, with an upload directory.
vsftpd_start()
{
	local ns=$1 name=$2 conf=$WORK/$2.conf
	local root=$WORK/$1

	shift 2
	mkdir -p "$root/pub" "$root/incoming" "$WORK/empty"
	chmod 755 "$root" "$root/pub" "$WORK/empty"
	chown ftp "$root/incoming"
	cp "$WORK/small.txt" "$WORK/big.bin" "$root/pub/"
	chmod 644 "$root/pub/"*
	{
		echo "listen=YES"
		printf '%s\n' "$@"
		cat <<-EOF
		background=NO
		anonymous_enable=YES
		no_anon_password=YES
		local_enable=NO
		write_enable=YES
		anon_upload_enable=YES
		anon_umask=022
		anon_root=$root
		secure_chroot_dir=$WORK/empty
		connect_from_port_20=YES
		pasv_min_port=30000
		pasv_max_port=30999
		seccomp_sandbox=NO
		isolate=NO
		isolate_network=NO
		xferlog_enable=NO
		vsftpd_log_file=$WORK/$name.log
		EOF
	} > "$conf"
	# listen=NO when the address is IPv6: one socket family per daemon.
	case "$*" in *listen_ipv6=YES*) sed -i 's/^listen=YES/listen=NO/' "$conf" ;; esac
	bg "$ns" vsftpd "$conf"
}

setup()
{
	local ns

	for ns in c d rs1 rs2; do
		ns_add6 $ns
	done
	link c eth0 10.0.0.2/24 d c0 10.0.0.1/24
	link d rs1 10.0.1.1/24 rs1 eth0 10.0.1.122/24
	link d rs2 10.0.2.1/24 rs2 eth0 10.0.2.2/24
	n d ip addr add 10.0.0.100/24 dev c0
	n d ip addr add 10.0.0.50/24 dev c0
	n c ip addr add 2001:db8::2/64 dev eth0
	n d ip addr add 2001:db8::1/64 dev c0
	n d ip addr add 2001:db8:1::1/64 dev rs1
	n rs1 ip addr add 2001:db8:1::2/64 dev eth0
	n c ip route add default via 10.0.0.1
	n c ip -6 route add default via 2001:db8::1
	n rs1 ip route add default via 10.0.1.1
	n rs1 ip -6 route add default via 2001:db8:1::1
	n rs2 ip route add default via 10.0.2.1
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
	head -c 3000000 /dev/urandom > "$WORK/big.bin"
	head -c 1500000 /dev/urandom > "$WORK/up.bin"
	vsftpd_start rs1 rs1-v4 listen_address=10.0.1.122
	vsftpd_start rs1 rs1-v6 listen_ipv6=YES listen_address6=2001:db8:1::2
	vsftpd_start rs2 rs2-v4 listen_address=10.0.2.2
	wait_listen rs1 tcp 21 && wait_listen rs2 tcp 21 &&
		busywait 5000 sh -c "ip netns exec $PFX-rs1 ss -tln |
					grep -q '2001:db8:1::2\]:21 '"
}

sum()
{
	sha256sum < "$1" | cut -d' ' -f1
}

# same FILE...: each FILE is a copy of its original, by name.
same()
{
	local f want

	for f in "$@"; do
		case ${f##*/} in
		*small*) want=$WORK/small.txt ;;
		*big*) want=$WORK/big.bin ;;
		*) want=$WORK/up.bin ;;
		esac
		[ -s "$f" ] && [ "$(sum "$f")" = "$(sum "$want")" ] || return 1
	done
}

# fetch NAME URL-HOST CURL-OPTIONS...: download small.txt, big.bin and
# small.txt again over one control connection, into $WORK/NAME.*; the
# client's view of the control connection goes to $WORK/NAME.log.
fetch()
{
	local name=$1 host=$2

	shift 2
	rm -f "$WORK/$name".*
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

# replies NAME CODE: how many CODE replies the client saw.
replies()
{
	grep -c "^< $2 " "$WORK/$1.log"
}

trap 'cleanup; modprobe -r ip_vs_ftp ip_vs_rr ip_vs 2>/dev/null; rm -rf "$WORK"' EXIT
setup
check_err $? "vsftpd did not start: $(cat "$WORK"/*.log 2>/dev/null)"
log_test "FTP: vsftpd serves on both real servers"

for vip in 10.0.0.1:21 10.0.0.100:21 [2001:db8::1]:21; do
	ipvsctl service add tcp $vip sched rr
	check_err $? "service add tcp $vip failed"
done
ipvsctl dest add tcp 10.0.0.1:21 10.0.1.122 nat &&
	ipvsctl dest add tcp 10.0.0.100:21 10.0.2.2 nat &&
	ipvsctl dest add tcp [2001:db8::1]:21 [2001:db8:1::2] nat
check_err $? "dest add failed"
log_test "FTP: NAT services on port 21 for IPv4 and IPv6"

# passive NAME VIP: three PASV downloads from VIP on one session; the
# client must have been told VIP in every 227 reply.
passive()
{
	local name=$1 text=${2//./,}

	# curl takes the address from a 227 reply only when told to.
	fetch "$name" "$2" --disable-epsv --no-ftp-skip-pasv-ip
	check_err $? "curl failed: $(tail -3 "$WORK/$name.log")"
	fetched "$name"
	check_err $? "a passive download arrived damaged"
	[ "$(grep -c "^< 227 .*($text," "$WORK/$name.log")" = 3 ]
	check_err $? "the client saw: $(grep '^< 227' "$WORK/$name.log")"
	[ "$(grep -c 'Re-using existing connection' "$WORK/$name.log")" = 2 ]
	check_err $? "the transfers did not share one control connection"
}

passive pasv1 10.0.0.1
log_test "FTP PASV: 227 rewritten to the VIP (shorter), 3 files on one session"
passive pasv2 10.0.0.100
log_test "FTP PASV: 227 rewritten to the VIP (longer), 3 files on one session"

fetch epsv 10.0.0.1
check_err $? "curl failed: $(tail -3 "$WORK/epsv.log")"
fetched epsv && [ "$(replies epsv 229)" = 3 ]
check_err $? "EPSV downloads failed or did not use EPSV"
log_test "FTP EPSV: passive downloads through the expected data port"

fetch port 10.0.0.100 -P 10.0.0.2 --disable-eprt
check_err $? "curl failed: $(tail -3 "$WORK/port.log")"
fetched port && grep -q '^> PORT 10,0,0,2,' "$WORK/port.log"
check_err $? "PORT downloads failed or did not use PORT"
log_test "FTP PORT: active downloads, the real server connects from VIP:20"

fetch eprt 10.0.0.1 -P -
check_err $? "curl failed: $(tail -3 "$WORK/eprt.log")"
fetched eprt && grep -q '^> EPRT |1|10.0.0.2|' "$WORK/eprt.log"
check_err $? "EPRT downloads failed or did not use EPRT"
log_test "FTP EPRT: active downloads over IPv4"

upload rs1 10.0.0.1 up-pasv --disable-epsv --no-ftp-skip-pasv-ip &&
	upload rs2 10.0.0.100 up-epsv &&
	upload rs2 10.0.0.100 up-port -P 10.0.0.2 --disable-eprt &&
	upload rs1 10.0.0.1 up-eprt -P -
check_err $? "an upload failed or arrived damaged: $(cat "$WORK"/up-*.log)"
log_test "FTP: uploads in PASV, EPSV, PORT and EPRT mode arrive intact"

fetch v6epsv '[2001:db8::1]'
check_err $? "curl failed: $(tail -3 "$WORK/v6epsv.log")"
fetch v6eprt '[2001:db8::1]' -P -
check_err $? "curl failed: $(tail -3 "$WORK/v6eprt.log")"
fetched v6epsv && fetched v6eprt &&
	grep -q '^> EPRT |2|2001:db8::2|' "$WORK/v6eprt.log"
check_err $? "IPv6 downloads failed or did not use EPRT"
upload rs1 '[2001:db8::1]' up-v6 -P - &&
	upload rs1 '[2001:db8::1]' up-v6p
check_err $? "an IPv6 upload failed: $(cat "$WORK"/up-v6*.log)"
log_test "FTP over IPv6: EPSV and EPRT, downloads and uploads"

# ftp_session CMD...: log in to 10.0.0.1 from the client and send each
# CMD on one control connection, printing each reply.
ftp_session()
{
	n c python3 -c '
import socket, sys
s = socket.create_connection(("10.0.0.1", 21), timeout=10)
f = s.makefile("rwb")
def reply():
    line = f.readline()
    while line[3:4] == b"-":
        line = f.readline()
    return line.decode().strip()
def cmd(c):
    f.write(c.encode() + b"\r\n")
    f.flush()
    return reply()
reply()
cmd("USER anonymous")
cmd("PASS x")
for c in sys.argv[1:]:
    print(cmd(c))
cmd("QUIT")' "$@"
}

# Port 51201 (200,1) for the client, 51202 for an address not its own.
ftp_session "PORT 10,0,0,2,200,1" | grep -q '^200'
check_err $? "vsftpd refused a PORT to the client"
ftp_session "PORT 10,0,0,9,200,2" >/dev/null
ipvsctl conn list | grep -q '^tcp 10.0.0.2:51201 vip 10.0.0.1:20 dest 10.0.1.122:20 '
check_err $? "no entry for the announced data connection: $(ipvsctl conn list)"
ipvsctl conn list | grep -q -e ':51202 ' -e '10\.0\.0\.9'
check_fail $? "an entry for a PORT to another host: $(ipvsctl conn list)"
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
pasv=$(ftp_session PASV | sed -n 's/^227 .*,\([0-9]*\),\([0-9]*\)).*/\1 \2/p')
port=$(echo "$pasv" | awk '{ print $1 * 256 + $2 }')
ipvsctl conn list | grep -q "^tcp 10.0.0.2 vip 10.0.0.1:$port "
check_err $? "no expectation for port $port: $(ipvsctl conn list)"
n c python3 "$LVS_TOP/tests/netns/rawpkt.py" syn0 10.0.0.1 "$port" 3
sleep 1
got=$(n rs1 nft list table inet port0 | grep -o 'packets [0-9]*' |
	awk '{ print $2 }')
[ "$got" = 0 ]
check_err $? "$got SYNs from port 0 reached the real server as a connection"
log_test "FTP: an expectation takes no packets from client port 0"

# One control connection keeps at most four unused data entries.
evicted()
{
	ipvsctl info | grep -o 'evicted [0-9]*' | cut -d ' ' -f 2
}
before=$(evicted)
ftp_session "PORT 10,0,0,2,200,11" "PORT 10,0,0,2,200,12" \
	"PORT 10,0,0,2,200,13" "PORT 10,0,0,2,200,14" \
	"PORT 10,0,0,2,200,15" "PORT 10,0,0,2,200,16" | grep -c '^200' |
	grep -qx 6
check_err $? "vsftpd refused one of six PORT commands"
entries=$(ipvsctl conn list | grep -o ':5121[1-6] vip 10.0.0.1:20 ' |
	cut -c 2-6 | sort | tr '\n' ' ')
[ "$entries" = "51213 51214 51215 51216 " ]
check_err $? "data entries of six PORTs: $entries, want the last four"
[ "$(evicted)" = $((before + 2)) ]
check_err $? "evicted $before, then $(evicted): want 2 more"
# The same for expectations: five PASVs leave the last four.
pasv=$(ftp_session PASV PASV PASV PASV PASV |
	sed -n 's/^227 .*,\([0-9]*\),\([0-9]*\)).*/\1 \2/p' |
	awk '{ print $1 * 256 + $2 }')
# vsftpd picks each port at random: one may come twice, and then the
# entry of its first PASV cannot be told from that of its second.
expects=$(for port in $(echo "$pasv" | sort -u); do
	ipvsctl conn list | grep -q "^tcp 10.0.0.2 vip 10.0.0.1:$port " &&
		echo "$port"
done)
[ "$(echo $pasv | wc -w)" = 5 ] &&
	[ "$(echo $expects)" = \
	  "$(echo "$pasv" | tail -n 4 | sort -u | tr '\n' ' ' | sed 's/ $//')" ]
check_err $? "expectations of five PASVs ($(echo $pasv)): $(echo $expects), want the last four"
log_test "FTP: a control connection keeps its last four data entries"

for vip in 10.0.0.1:21 10.0.0.100:21 [2001:db8::1]:21; do
	ipvsctl service del tcp $vip
done
leaks=$(n c nft list table inet only_vips | grep -o 'packets [0-9]*' |
	awk '{ n += $2 } END { print n + 0 }')
[ "$leaks" = 0 ]
check_err $? "the client got $leaks packets from real servers' addresses"
log_test "FTP: the client only ever talks to the VIPs"
# For the record: what conntrack found invalid (input, forward).
echo "# conntrack invalid: $(n d nft list table inet tracked |
	grep -o 'packets [0-9]*' | paste -sd' ')"

# The kernel's ip_vs beside it: its FTP helper mangles through conntrack.
desc="FTP: the kernel's ip_vs gives the same PASV and PORT results"
if ! ipvs_ref; then
	ipvs_skip "$desc"
elif modprobe ip_vs_ftp 2>/dev/null && modprobe ip_vs_rr; then
	n d sysctl -qw net.ipv4.vs.conntrack=1
	n d ipvsadm -A -t 10.0.0.50:21 -s rr &&
		n d ipvsadm -a -t 10.0.0.50:21 -r 10.0.1.122:21 -m
	check_err $? "ipvsadm configuration failed"
	passive ipvs 10.0.0.50
	fetch ipvsport 10.0.0.50 -P 10.0.0.2 --disable-eprt
	check_err $? "ip_vs: curl failed: $(tail -3 "$WORK/ipvsport.log")"
	fetched ipvsport
	check_err $? "ip_vs: PORT downloads differ from lvs's"
	log_test "$desc"
	n d ipvsadm -C
else
	log_skip "$desc" "no ip_vs_ftp module"
fi

exit $((FAILED > 0))
