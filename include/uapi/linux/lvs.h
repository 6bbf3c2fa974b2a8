/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * lvs: IP virtual server, generic netlink interface.
 *
 * Family name LVS_GENL_NAME ("LVS"), version LVS_GENL_VERSION. Every request
 * needs CAP_NET_ADMIN in the user namespace that owns the network namespace
 * of the socket; each network namespace has its own services. Requests are
 * strictly validated: unknown attributes, wrong types or lengths and
 * trailing data are rejected. Every rejection carries an extended ACK
 * message, and where one attribute is at fault, a pointer to it.
 *
 * Conventions
 *   Addresses are binary, in network byte order: 4 bytes for AF_INET, 16 for
 *   AF_INET6, and must match the family they go with. A service's or a
 *   destination's address is unicast and not loopback; an AF_INET6 one is
 *   also not link-local and not IPv4-mapped. Ports are __be16
 *   (NLA_BE16). Counters are u64 and come with a PAD attribute for
 *   alignment. An attribute marked "out" is only ever sent by the kernel and
 *   is rejected in a request.
 *
 * A service is identified by its key: FAMILY, PROTOCOL, ADDR and PORT, or
 * for a firewall-mark service FAMILY and FWMARK. A destination (real
 * server) is identified within its service by ADDR_FAMILY, ADDR and PORT.
 *
 * Which service a client's packet to a local address belongs to: a
 * firewall-mark service of the packet's family and mark (skb->mark, set
 * for instance by an nftables rule before routing), else the service of
 * its protocol, destination address and port, else the service of its
 * protocol and destination address with port 0 (all ports).
 *
 * LVS_CMD_SERVICE_NEW
 *   Create a service. Request:
 *     LVS_ATTR_SERVICE: nest
 *       LVS_SVC_ATTR_FAMILY: u16, AF_INET or AF_INET6 (required); other
 *         families get EAFNOSUPPORT
 *       LVS_SVC_ATTR_PROTOCOL: u8, IPPROTO_TCP, IPPROTO_UDP or
 *         IPPROTO_SCTP (required)
 *       LVS_SVC_ATTR_ADDR: binary, the virtual IP (required)
 *       LVS_SVC_ATTR_PORT: be16 (required); 0 makes the service take
 *         every port of ADDR that has no service of its own
 *       or, instead of PROTOCOL, ADDR and PORT:
 *       LVS_SVC_ATTR_FWMARK: u32, nonzero: the service takes the TCP, UDP
 *         and SCTP packets to local addresses that carry this mark
 *       LVS_SVC_ATTR_PERSIST_TIMEOUT: u32, seconds, 0..LVS_PERSIST_MAX
 *         (default 0, off). With persistence, a client's new connections
 *         go to the real server its earlier ones went to, on any port of
 *         the service, as long as it has a connection there or had one
 *         less than this long ago. A server that was removed or given
 *         weight 0 gets no new connections this way either: the client is
 *         scheduled afresh (but see PERSIST_DRAINED). Overload does not
 *         break persistence.
 *       LVS_SVC_ATTR_PERSIST_DRAINED: u8, 0 or 1 (default 0). 1: a client
 *         that persistence binds to a server given weight 0 stays there
 *         until the binding expires, as with ip_vs's default
 *         (expire_quiescent_template 0); services made through the IPVS
 *         family start with 1. Removing the server still moves it.
 *       LVS_SVC_ATTR_PERSIST_PREFIX: u8, 0..32 (AF_INET) or 0..128
 *         (AF_INET6), default the full length: clients whose addresses
 *         share this many leading bits count as one client.
 *       LVS_SVC_ATTR_ONE_PACKET: u8, 0 or 1 (default 0). UDP: every
 *         datagram is scheduled on its own, where otherwise the
 *         datagrams of one client address and port follow the first:
 *         the queries of a DNS resolver that keeps its port spread over
 *         the destinations. A datagram's entry ends once it is sent on
 *         (DR, TUN) or with the first answer through it (NAT). TCP and
 *         SCTP connections of the service ignore it.
 *       LVS_SVC_ATTR_SCHED_NAME: string, at most LVS_SCHED_NAME_MAX - 1
 *         bytes; the scheduler module "lvs_sched_NAME" is loaded on demand.
 *         Absent means "wlc" once it exists; today it is required.
 *       Scheduler options, each optional; a scheduler ignores those that
 *       mean nothing to it, and the service keeps them across a change of
 *       scheduler:
 *       LVS_SVC_ATTR_SCHED_FALLBACK: u8, 0 or 1 (default 0). sh and mh:
 *         when the destination a flow hashes to cannot take it (weight 0
 *         since the last change, or overloaded), pick another instead of
 *         refusing the connection.
 *       LVS_SVC_ATTR_SCHED_HASH_PORT: u8, 0 or 1 (default 0). sh and mh:
 *         hash the client's source port along with its address, spreading
 *         the connections of one client over the destinations.
 *       LVS_SVC_ATTR_MH_TABLE_SIZE: u32, a prime from LVS_MH_TABLE_MIN to
 *         LVS_MH_TABLE_MAX (default LVS_MH_TABLE_DEFAULT). mh: entries in
 *         the Maglev lookup table; a hundred times the number of
 *         destinations keeps the shares within about 1% of the weights.
 *     LVS_ATTR_DESTS: nest, optional: the service's destinations, each an
 *       LVS_ATTR_DEST nest as in LVS_CMD_DEST_NEW
 *   Fails with EEXIST if the key is taken, ENOENT if no such scheduler.
 *   With destinations the request is all or nothing: if one is refused
 *   (the extended ACK points into it), neither the service nor any
 *   destination is created. One request builds the scheduler's state
 *   once, where a request per destination builds it each time.
 *
 * LVS_CMD_SERVICE_SET
 *   Change a service: LVS_ATTR_SERVICE with the key and any of
 *   SCHED_NAME, the scheduler options, PERSIST_TIMEOUT, PERSIST_PREFIX,
 *   PERSIST_DRAINED and ONE_PACKET; what is absent keeps its value. Turning persistence
 *   off or changing it leaves existing connections where they are.
 *   A new scheduler, or new options, apply to new connections only: the
 *   connections the service has keep their destinations. Nothing changes
 *   if any part is refused.
 *
 * LVS_CMD_SERVICE_DEL
 *   Delete a service and its destinations. Request: LVS_ATTR_SERVICE
 *   with the key. The service gets no new connections (a new
 *   connection's first packet to its key finds no service); connections
 *   it already has keep flowing to their real servers until they end or
 *   expire, and an FTP control connection among them may still open data
 *   connections. With LVS_SVC_ATTR_FORCE (flag, SERVICE_DEL and
 *   SERVICE_FLUSH only; other requests refuse it) its connections and
 *   persistence templates are unlinked at once instead: their next
 *   packets are no longer forwarded. Fails with ENOENT if there is no
 *   such service.
 *
 * LVS_CMD_SERVICE_FLUSH
 *   Delete every service of the namespace, each as SERVICE_DEL does, in
 *   one request. Request: nothing, or LVS_ATTR_SERVICE holding only
 *   LVS_SVC_ATTR_FORCE, which cuts the connections of every service
 *   deleted (not those of services deleted before without it). Any other
 *   attribute in the nest gets EINVAL: the request names no service.
 *   Succeeds with no service too.
 *
 * LVS_CMD_SERVICE_GET
 *   Without NLM_F_DUMP: one service by key (LVS_ATTR_SERVICE). With
 *   NLM_F_DUMP: every service of the namespace, and with LVS_ATTR_DESTS
 *   (an empty nest) in the request their destinations too; with
 *   LVS_ATTR_NO_STATS (a flag) in the request, without the counters and
 *   rates (LVS_SVC_ATTR_STATS, LVS_DEST_ATTR_STATS), which are most of
 *   a configuration's bytes and of the time to gather it. Each reply
 *   message holds:
 *     LVS_ATTR_SERVICE: nest
 *       LVS_SVC_ATTR_FAMILY, and either LVS_SVC_ATTR_FWMARK or
 *       LVS_SVC_ATTR_PROTOCOL, LVS_SVC_ATTR_ADDR and LVS_SVC_ATTR_PORT;
 *       LVS_SVC_ATTR_SCHED_NAME, the scheduler options
 *       LVS_SVC_ATTR_SCHED_FALLBACK, LVS_SVC_ATTR_SCHED_HASH_PORT and
 *       LVS_SVC_ATTR_MH_TABLE_SIZE, LVS_SVC_ATTR_PERSIST_TIMEOUT,
 *       LVS_SVC_ATTR_PERSIST_PREFIX, LVS_SVC_ATTR_PERSIST_DRAINED and
 *       LVS_SVC_ATTR_ONE_PACKET: as in the request, or their defaults
 *       LVS_SVC_ATTR_DEST_COUNT: u32, out, number of destinations
 *       LVS_SVC_ATTR_STATS: nest, out, see "Statistics" below
 *     LVS_ATTR_DESTS: nest, if the dump asked for it: LVS_ATTR_DEST nests
 *       as LVS_CMD_DEST_GET has them. A service whose destinations do not
 *       fit one message comes in several in a row, each with the service
 *       and the next of its destinations.
 *   A dump that races with a change is flagged NLM_F_DUMP_INTR.
 *
 * LVS_CMD_DEST_NEW
 *   Add a destination to a service, or several. Request:
 *     LVS_ATTR_SERVICE: nest, the service key
 *     LVS_ATTR_DESTS: nest of LVS_ATTR_DEST nests, the destinations to
 *       add, all or none: if one is refused (the extended ACK points into
 *       it), none is added. Or, for one destination:
 *     LVS_ATTR_DEST: nest
 *       LVS_DEST_ATTR_ADDR: binary, of the family ADDR_FAMILY gives
 *         (required)
 *       LVS_DEST_ATTR_ADDR_FAMILY: u16, AF_INET or AF_INET6 (other
 *         families get EAFNOSUPPORT); absent means the service's family.
 *         A destination of the service's family takes any method: TUN
 *         wraps an IPv4 packet in IPv4 (protocol 4, RFC 2003) and an IPv6
 *         one in IPv6 (next header 41, RFC 2473). Only TUN may forward to
 *         the other family, and FWD_METHOD must then say so: IPv4 in
 *         IPv6 (next header 4, RFC 2473), decapsulated by an ip6tnl
 *         device in mode ipip6 or any, or IPv6 in IPv4 (protocol 41,
 *         RFC 4213), decapsulated by sit or by ipip in mode any. Other
 *         methods get EINVAL.
 *       LVS_DEST_ATTR_PORT: be16, 0..65535; absent or 0 means the
 *         service's port, and for a service of all ports or a firewall
 *         mark, the port the client's packet was sent to
 *       LVS_DEST_ATTR_FWD_METHOD: u8, enum lvs_fwd_method; absent means
 *         LVS_FWD_NAT. DR and TUN do not change the port: with them, a
 *         PORT other than the service's gets EINVAL.
 *       LVS_DEST_ATTR_WEIGHT: u32, 0..LVS_WEIGHT_MAX; absent means 1.
 *         0 means the destination takes no new connections.
 *       LVS_DEST_ATTR_U_THRESHOLD: u32, absent or 0 for no limit. Once the
 *         destination has this many connections it is overloaded and takes
 *         no new ones...
 *       LVS_DEST_ATTR_L_THRESHOLD: u32, ...until it is down below this
 *         many. Absent or 0 means three quarters of U_THRESHOLD. Must not
 *         exceed U_THRESHOLD when that is set.
 *   Fails with EEXIST if the service already has ADDR:PORT (of that
 *   family) or the request names it twice, ENOENT if the service does
 *   not exist, EINVAL if it has both LVS_ATTR_DEST and LVS_ATTR_DESTS or
 *   neither, or an empty LVS_ATTR_DESTS.
 *
 * LVS_CMD_DEST_SET
 *   Change a destination: LVS_ATTR_SERVICE with the key, LVS_ATTR_DEST
 *   with ADDR and PORT (and ADDR_FAMILY, which names the destination
 *   with them, as in DEST_DEL) and any of FWD_METHOD, WEIGHT,
 *   U_THRESHOLD and L_THRESHOLD; what is absent keeps its value.
 *   Existing connections are untouched: weight 0 drains the
 *   destination, and each connection keeps the method it was made with.
 *   The method must suit the destination as in DEST_NEW (EINVAL: DR or
 *   TUN to another port than the service's, another method than TUN to
 *   the other family). Fails with ENOENT if there is no such
 *   destination.
 *
 * LVS_CMD_DEST_DEL
 *   Remove a destination from its service. Request: LVS_ATTR_SERVICE and
 *   LVS_ATTR_DEST with ADDR and PORT, and ADDR_FAMILY for a destination
 *   of another family than the service's. The destination gets no new
 *   connections; connections it already has keep flowing until they end.
 *   With LVS_DEST_ATTR_FORCE (flag, DEST_DEL only; NEW and SET refuse it)
 *   its connections and persistence templates are unlinked at once
 *   instead: their next packets no longer reach it (a TCP segment without
 *   SYN is then dropped as a packet of no connection).
 *
 * LVS_CMD_DEST_GET
 *   Dump only (NLM_F_DUMP), with LVS_ATTR_SERVICE naming the service. Each
 *   reply message holds:
 *     LVS_ATTR_DEST: nest
 *       LVS_DEST_ATTR_ADDR, LVS_DEST_ATTR_PORT, LVS_DEST_ATTR_FWD_METHOD,
 *       LVS_DEST_ATTR_WEIGHT: as in the request
 *       LVS_DEST_ATTR_ADDR_FAMILY: the destination's family, always sent
 *       LVS_DEST_ATTR_ACTIVE_CONNS: u32, out, connections in an active
 *         state (TCP or SCTP established)
 *       LVS_DEST_ATTR_INACTIVE_CONNS: u32, out, other connections
 *       LVS_DEST_ATTR_U_THRESHOLD, LVS_DEST_ATTR_L_THRESHOLD: as set
 *       LVS_DEST_ATTR_OVERLOADED: u8, out, 1 while the destination is
 *         over its thresholds
 *       LVS_DEST_ATTR_PERSIST_CONNS: u32, out, persistence templates that
 *         send their clients to the destination
 *       LVS_DEST_ATTR_STATS: nest, out, see "Statistics"
 *
 * LVS_CMD_INFO_GET
 *   The namespace's connection table and what the packet path dropped.
 *   No request attributes. Reply:
 *     LVS_ATTR_INFO: nest
 *       LVS_INFO_ATTR_CONN_COUNT: u32, entries in the connection table
 *       LVS_INFO_ATTR_CONN_MAX: u32, the table's limit (module parameter
 *         conn_max)
 *       LVS_INFO_ATTR_DROP_MALFORMED: u64, packets with truncated or
 *         invalid headers (SCTP: shorter than its common header and one
 *         chunk header), and forwarded IPv4 fragments that could not be
 *         reassembled
 *       LVS_INFO_ATTR_DROP_NO_DEST: u64, new connections refused because
 *         the service had no destination to offer (the client gets an ICMP
 *         port unreachable)
 *       LVS_INFO_ATTR_DROP_NO_CONN: u64, packets to a service that belong
 *         to no connection and cannot open one (a TCP segment without SYN,
 *         an SCTP packet whose first chunk is not INIT)
 *       LVS_INFO_ATTR_DROP_CONN_FULL: u64, new connections refused because
 *         the table was full or their reply tuple was taken
 *       LVS_INFO_ATTR_DROP_XMIT: u64, packets that could not be sent on
 *         (no route, TTL or hop limit expired, too big with DF set or
 *         over IPv6, no memory)
 *       LVS_INFO_ATTR_CONN_EVICTED: u64, entries a full table removed to
 *         make room for a new one (entries not established, such as TCP
 *         handshakes not completed, entries of lone UDP datagrams, unused
 *         FTP data connections or templates placing none), and FTP data
 *         connections a control connection's newer one replaced unused
 *       LVS_INFO_ATTR_CONN_BUCKETS_IN: u32, buckets of the table's side
 *         that clients' packets look entries up in (it grows and shrinks
 *         with the number of entries)
 *       LVS_INFO_ATTR_CONN_BUCKETS_OUT: u32, likewise of the side that
 *         NAT replies look entries up in
 *       LVS_INFO_ATTR_FAST_PATH: u8, 1 while the fast path is on (see
 *         LVS_CMD_INFO_SET)
 *       LVS_INFO_ATTR_FAST_PATH_HELD: u8, the families for which the fast
 *         path, though on, stands aside now because other netfilter hooks
 *         or IPsec policies would have seen its packets:
 *         LVS_FAST_HELD_INET (IPv4), LVS_FAST_HELD_INET6 (IPv6)
 *       LVS_INFO_ATTR_FAST_PACKETS: u64, packets the fast path forwarded
 *       LVS_INFO_ATTR_GENERATION: u32, the configuration generation, which
 *         every change to services, destinations or timeouts moves on (it
 *         wraps): for LVS_CMD_APPLY's check
 *   Counters are per namespace, since it was created or lvs was loaded.
 *
 * LVS_CMD_INFO_SET
 *   Change a setting of the namespace. Request: LVS_ATTR_INFO with
 *     LVS_INFO_ATTR_FAST_PATH: u8, 0 or 1 (required). The fast path
 *       forwards a client's packet of an established connection from the
 *       ingress hook (NF_NETDEV_INGRESS) of the device it arrives on,
 *       before the IP layer: a packet that changes no connection state, of
 *       an entry whose destination's route is cached, with no IP options
 *       or extension headers, a TTL or hop limit above 1, not a fragment,
 *       and that fits the route. Every other packet, and every packet
 *       while netfilter hooks other than lvs's own are registered at
 *       PREROUTING or LOCAL_IN of its family (conntrack, iptables or
 *       nftables chains, the kernel's ip_vs) or IPsec input policies
 *       exist, goes the normal way. Counters are kept as on the normal
 *       way; an entry's expiry is pushed forward at most once a second.
 *   Other attributes of the nest are read-only and refused.
 *
 * LVS_CMD_TIMEOUT_SET
 *   Set connection timeouts of the namespace. Request:
 *     LVS_ATTR_TIMEOUTS: nest, one or more entries (of any type, ignored)
 *       each a nest:
 *         LVS_TIMEOUT_ATTR_PROTOCOL: u8, IPPROTO_TCP, IPPROTO_UDP, or any
 *           other protocol lvs handles (required)
 *         LVS_TIMEOUT_ATTR_STATE: string, at most LVS_STATE_NAME_MAX - 1
 *           bytes, a state name of that protocol as TIMEOUT_GET reports it,
 *           such as "ESTABLISHED" (required)
 *         LVS_TIMEOUT_ATTR_SECONDS: u32, 1..LVS_TIMEOUT_MAX (required)
 *   The request is applied whole or not at all: an unknown protocol
 *   (EPROTONOSUPPORT), an unknown state (EINVAL), a state given twice
 *   (EINVAL) or a value out of range (ERANGE) refuses all of it. Expiry
 *   is computed per packet: a connection takes the new timeout of its
 *   state at its next packet, and an idle one keeps the expiry it had.
 *
 * LVS_CMD_TIMEOUT_GET
 *   No request attributes. Reply: LVS_ATTR_TIMEOUTS with one entry per
 *   state of every protocol, in the protocol's own order of states
 *   (its first state is the one of a connection just created), each with
 *   PROTOCOL, STATE and SECONDS as above. Defaults: TCP NONE 2, SYN_RECV
 *   60, SYN_ACK 60, ESTABLISHED 900, FIN_WAIT 120, CLOSE_WAIT 60,
 *   TIME_WAIT 120, CLOSE 10; UDP 300 (its one state, named "UDP").
 *
 * LVS_CMD_CONN_GET
 *   Dump only (NLM_F_DUMP): the connection table of the namespace,
 *   optionally only the entries of one service (LVS_ATTR_SERVICE with its
 *   key; ENOENT if there is none). Each reply message holds:
 *     LVS_ATTR_CONN: nest
 *       LVS_CONN_ATTR_FAMILY: u16
 *       LVS_CONN_ATTR_PROTOCOL: u8; for a template, its service's (0 for
 *         a firewall-mark service)
 *       LVS_CONN_ATTR_CLIENT_ADDR: binary, LVS_CONN_ATTR_CLIENT_PORT: be16
 *       LVS_CONN_ATTR_VIRT_ADDR: binary, LVS_CONN_ATTR_VIRT_PORT: be16,
 *         where the client sent its packets; for a template of a
 *         firewall-mark service, LVS_CONN_ATTR_FWMARK: u32 instead
 *       LVS_CONN_ATTR_DEST_ADDR: binary, LVS_CONN_ATTR_DEST_PORT: be16,
 *         the real server; the address is of the destination's family,
 *         which for TUN may be the other one (its length tells)
 *       LVS_CONN_ATTR_FWD_METHOD: u8, enum lvs_fwd_method
 *       LVS_CONN_ATTR_STATE: string, the state's name, as in TIMEOUT_GET;
 *         absent for a template
 *       LVS_CONN_ATTR_EXPIRES: u32, seconds until the entry expires unless
 *         a packet comes; 0 once expired (gone within a second or two)
 *       LVS_CONN_ATTR_TEMPLATE: flag, the entry is a persistence template:
 *         CLIENT_ADDR is the client's address masked by the service's
 *         persistence prefix, CLIENT_PORT 0, VIRT_PORT the service's port
 *         and DEST_PORT the destination's, 0 meaning the client's. A
 *         template does not expire while connections it placed exist.
 *   The table is walked without stopping packets: entries created or
 *   removed during a dump may or may not be listed. When the table is
 *   resized during a dump, the walk starts again on the new table and the
 *   messages from then on are flagged NLM_F_DUMP_INTR: entries already
 *   sent may come again.
 *
 * LVS_CMD_CONN_FLUSH
 *   Unlink every connection and template of the namespace or, with
 *   LVS_ATTR_SERVICE, of that service (ENOENT if there is none). A
 *   connection's next packet finds no entry: one that may open a
 *   connection (a UDP datagram, a TCP SYN) is scheduled afresh, a TCP
 *   segment without SYN is dropped.
 *
 * LVS_CMD_ZERO
 *   Zero counters: with LVS_ATTR_SERVICE (its key), those of that service
 *   and its destinations (ENOENT if there is none); without, those of
 *   every service and destination of the namespace. They count from 0
 *   again, and their rates start again from 0; traffic and connections
 *   are untouched.
 *
 * LVS_CMD_APPLY
 *   Several changes as one transaction: all are checked and prepared
 *   before any is made, then all are made at once, or none. Request:
 *     LVS_ATTR_GENERATION: u32, optional: refuse the transaction (ESTALE)
 *       unless the configuration generation (LVS_INFO_ATTR_GENERATION) is
 *       still this one, i.e. nothing changed since it was read
 *     LVS_ATTR_OP: nest, one per change, repeated at the top level, in
 *       order (at least one):
 *       LVS_ATTR_OP_CMD: u8, LVS_CMD_SERVICE_NEW, _SET, _DEL,
 *         LVS_CMD_DEST_NEW, _SET, _DEL or LVS_CMD_TIMEOUT_SET (required)
 *       and the attributes that command's own request has (LVS_ATTR_SERVICE,
 *       LVS_ATTR_DEST, LVS_ATTR_DESTS, LVS_ATTR_TIMEOUTS), with their
 *       meaning, except LVS_SVC_ATTR_FORCE and LVS_DEST_ATTR_FORCE
 *   A service is named by at most one SERVICE_ op, and a destination by at
 *   most one DEST_ op; DEST_ ops may name a service an earlier
 *   SERVICE_NEW of the same transaction creates, but not one it deletes
 *   (EINVAL: the extack names the op). The first op refused refuses the
 *   transaction with that op's error and message, the extack pointing at
 *   the attribute at fault within it. What is made at once: the packet
 *   path sees each service's new destinations, weights, options and
 *   scheduler state together; additions and changes are in place before
 *   the first deletion (deleted destinations and services drain as
 *   DEST_DEL and SERVICE_DEL leave them). The one step that can still
 *   fail after that is a new service's entry in the lookup table (no
 *   memory): the transaction then takes back the new services it had
 *   entered, and nothing else has changed. A weight lowered to 0 may stop
 *   new connections to its destination a moment before the rest is made,
 *   and again take them if the transaction then fails. Reply:
 *     LVS_ATTR_GENERATION: u32, the generation after the transaction
 *   Each change is announced as its own request would announce it, then
 *   the transaction as an LVS_CMD_APPLY event with LVS_ATTR_GENERATION
 *   (after) and LVS_ATTR_OP_COUNT (u32, its ops).
 *
 * Events
 *   Every change to a namespace's configuration is announced to the
 *   sockets of that namespace that joined the multicast group
 *   LVS_MCGRP_EVENTS ("events") of the family, which takes CAP_NET_ADMIN
 *   as requests do. Changes made through the "IPVS" family that lvs
 *   serves for ipvsadm (module parameter ipvs_compat) are announced the
 *   same way. An event is a message with port ID 0 and sequence number
 *   0, sent once the change is in effect; events come in the order the
 *   changes were made, and a request that fails announces nothing. Its
 *   command is that of the request that would make the change, its
 *   attributes those the matching GET reports:
 *     LVS_CMD_SERVICE_NEW, _SET: LVS_ATTR_SERVICE as SERVICE_GET has it,
 *       after the change. A service created with destinations
 *       (LVS_ATTR_DESTS) is followed by one DEST_NEW event for each.
 *     LVS_CMD_SERVICE_DEL: LVS_ATTR_SERVICE as SERVICE_GET had it last,
 *       with LVS_SVC_ATTR_FORCE if the request had it. Its destinations
 *       go with it, without events of their own.
 *     LVS_CMD_SERVICE_FLUSH: one event for the whole flush, with no
 *       attributes, or LVS_ATTR_SERVICE holding only LVS_SVC_ATTR_FORCE
 *       if the request had it: every service of the namespace is gone.
 *     LVS_CMD_DEST_NEW, _SET, _DEL: LVS_ATTR_SERVICE with the key of the
 *       service (FAMILY, and FWMARK or PROTOCOL, ADDR and PORT), and
 *       LVS_ATTR_DEST as DEST_GET has it (for DEL as it was left, weight
 *       0, with LVS_DEST_ATTR_FORCE if the request had it). One event per
 *       destination, also when one request adds several.
 *     LVS_CMD_TIMEOUT_SET: LVS_ATTR_TIMEOUTS, as TIMEOUT_GET has it but
 *       with only the states the request set.
 *     LVS_CMD_INFO_SET: LVS_ATTR_INFO as INFO_GET has it, after the
 *       change.
 *     LVS_CMD_ZERO, LVS_CMD_CONN_FLUSH: LVS_ATTR_SERVICE as SERVICE_GET
 *       has it if the request named a service, else no attributes (every
 *       service).
 *   A listener that reads too slowly, or an event the kernel had no
 *   memory for, makes the listener's next read fail with ENOBUFS: events
 *   were lost, and a listener that keeps a copy of the configuration
 *   should read it again (SERVICE_GET and so on). Events may gain
 *   attributes, at the top level too (such as a generation number for a
 *   change of several objects in one request): listeners must ignore
 *   those they do not know, and commands they do not know.
 *
 * Statistics (LVS_STATS_ATTR_*), all u64, counted since the object was
 * created or last zeroed (LVS_CMD_ZERO):
 *   CONNS: connections scheduled; INPKTS, INBYTES: packets and bytes from
 *   clients; OUTPKTS, OUTBYTES: packets and bytes from real servers (seen
 *   only for NAT, where replies pass the director). Bytes are IP bytes,
 *   headers included.
 * and their rates a second, moving averages of readings every 2 s that
 * weigh each new reading a quarter (a steady rate shows 68 % after 8 s,
 * 90 % after 16 s; one that stops fades likewise): CPS, INPPS, OUTPPS,
 * INBPS, OUTBPS.
 */
#ifndef _UAPI_LINUX_LVS_H
#define _UAPI_LINUX_LVS_H

#define LVS_GENL_NAME		"LVS"
#define LVS_GENL_VERSION	1
/* The multicast group of change events (see "Events" above). */
#define LVS_MCGRP_EVENTS	"events"

/* Including the terminating NUL. */
#define LVS_SCHED_NAME_MAX	16
#define LVS_WEIGHT_MAX		65535

/* Longest persistence timeout, in seconds (30 days). */
#define LVS_PERSIST_MAX		2592000

/* Longest connection timeout, in seconds (30 days). */
#define LVS_TIMEOUT_MAX		2592000
/* Longest state name, including the terminating NUL. */
#define LVS_STATE_NAME_MAX	32

/* Maglev lookup table sizes (primes). */
#define LVS_MH_TABLE_MIN	251
#define LVS_MH_TABLE_DEFAULT	4093
#define LVS_MH_TABLE_MAX	1048573

enum lvs_cmd {
	LVS_CMD_UNSPEC,
	LVS_CMD_SERVICE_NEW,
	LVS_CMD_SERVICE_DEL,
	LVS_CMD_SERVICE_GET,
	LVS_CMD_DEST_NEW,
	LVS_CMD_DEST_DEL,
	LVS_CMD_DEST_GET,
	LVS_CMD_INFO_GET,
	LVS_CMD_SERVICE_SET,
	LVS_CMD_DEST_SET,
	LVS_CMD_TIMEOUT_SET,
	LVS_CMD_TIMEOUT_GET,
	LVS_CMD_CONN_GET,
	LVS_CMD_CONN_FLUSH,
	LVS_CMD_SERVICE_FLUSH,
	LVS_CMD_INFO_SET,
	LVS_CMD_ZERO,
	LVS_CMD_APPLY,
	__LVS_CMD_MAX
};

#define LVS_CMD_MAX (__LVS_CMD_MAX - 1)

enum lvs_attr {
	LVS_ATTR_UNSPEC,
	LVS_ATTR_SERVICE,	/* nest, enum lvs_svc_attr */
	LVS_ATTR_DEST,		/* nest, enum lvs_dest_attr */
	LVS_ATTR_INFO,		/* nest, out, enum lvs_info_attr */
	LVS_ATTR_TIMEOUTS,	/* nest of nests, enum lvs_timeout_attr */
	LVS_ATTR_CONN,		/* nest, out, enum lvs_conn_attr */
	LVS_ATTR_DESTS,		/* nest of LVS_ATTR_DEST nests */
	LVS_ATTR_GENERATION,	/* u32, LVS_CMD_APPLY */
	LVS_ATTR_OP,		/* nest, LVS_CMD_APPLY, repeated */
	LVS_ATTR_OP_CMD,	/* u8, in LVS_ATTR_OP */
	LVS_ATTR_OP_COUNT,	/* u32, out, LVS_CMD_APPLY event */
	LVS_ATTR_NO_STATS,	/* flag, SERVICE_GET and DEST_GET dumps */
	__LVS_ATTR_MAX
};

#define LVS_ATTR_MAX (__LVS_ATTR_MAX - 1)

enum lvs_svc_attr {
	LVS_SVC_ATTR_UNSPEC,
	LVS_SVC_ATTR_PAD,
	LVS_SVC_ATTR_FAMILY,		/* u16 */
	LVS_SVC_ATTR_PROTOCOL,		/* u8 */
	LVS_SVC_ATTR_ADDR,		/* binary, 4 or 16 bytes */
	LVS_SVC_ATTR_PORT,		/* be16 */
	LVS_SVC_ATTR_SCHED_NAME,	/* string */
	LVS_SVC_ATTR_DEST_COUNT,	/* u32, out */
	LVS_SVC_ATTR_STATS,		/* nest, out, enum lvs_stats_attr */
	LVS_SVC_ATTR_SCHED_FALLBACK,	/* u8, 0 or 1 */
	LVS_SVC_ATTR_SCHED_HASH_PORT,	/* u8, 0 or 1 */
	LVS_SVC_ATTR_MH_TABLE_SIZE,	/* u32, prime */
	LVS_SVC_ATTR_FWMARK,		/* u32, nonzero */
	LVS_SVC_ATTR_PERSIST_TIMEOUT,	/* u32, seconds, 0: off */
	LVS_SVC_ATTR_PERSIST_PREFIX,	/* u8, prefix length */
	LVS_SVC_ATTR_FORCE,		/* flag, SERVICE_DEL and _FLUSH only */
	LVS_SVC_ATTR_ONE_PACKET,	/* u8, 0 or 1 */
	LVS_SVC_ATTR_PERSIST_DRAINED,	/* u8, 0 or 1 */
	__LVS_SVC_ATTR_MAX
};

#define LVS_SVC_ATTR_MAX (__LVS_SVC_ATTR_MAX - 1)

enum lvs_fwd_method {
	LVS_FWD_NAT,	/* masquerading: rewrite the destination address */
	LVS_FWD_DR,	/* direct routing: rewrite the MAC address */
	LVS_FWD_TUN,	/* IP-in-IP tunnelling */
	__LVS_FWD_MAX
};

#define LVS_FWD_MAX (__LVS_FWD_MAX - 1)

enum lvs_dest_attr {
	LVS_DEST_ATTR_UNSPEC,
	LVS_DEST_ATTR_PAD,
	LVS_DEST_ATTR_ADDR,		/* binary, 4 or 16 bytes */
	LVS_DEST_ATTR_PORT,		/* be16 */
	LVS_DEST_ATTR_FWD_METHOD,	/* u8, enum lvs_fwd_method */
	LVS_DEST_ATTR_WEIGHT,		/* u32 */
	LVS_DEST_ATTR_ACTIVE_CONNS,	/* u32, out */
	LVS_DEST_ATTR_INACTIVE_CONNS,	/* u32, out */
	LVS_DEST_ATTR_STATS,		/* nest, out, enum lvs_stats_attr */
	LVS_DEST_ATTR_U_THRESHOLD,	/* u32 */
	LVS_DEST_ATTR_L_THRESHOLD,	/* u32 */
	LVS_DEST_ATTR_OVERLOADED,	/* u8, out */
	LVS_DEST_ATTR_FORCE,		/* flag, DEST_DEL only */
	LVS_DEST_ATTR_ADDR_FAMILY,	/* u16, AF_INET or AF_INET6 */
	LVS_DEST_ATTR_PERSIST_CONNS,	/* u32, out */
	__LVS_DEST_ATTR_MAX
};

#define LVS_DEST_ATTR_MAX (__LVS_DEST_ATTR_MAX - 1)

enum lvs_stats_attr {
	LVS_STATS_ATTR_UNSPEC,
	LVS_STATS_ATTR_PAD,
	LVS_STATS_ATTR_CONNS,		/* u64 */
	LVS_STATS_ATTR_INPKTS,		/* u64 */
	LVS_STATS_ATTR_OUTPKTS,		/* u64 */
	LVS_STATS_ATTR_INBYTES,		/* u64 */
	LVS_STATS_ATTR_OUTBYTES,	/* u64 */
	LVS_STATS_ATTR_CPS,		/* u64, connections a second */
	LVS_STATS_ATTR_INPPS,		/* u64, packets a second */
	LVS_STATS_ATTR_OUTPPS,		/* u64 */
	LVS_STATS_ATTR_INBPS,		/* u64, bytes a second */
	LVS_STATS_ATTR_OUTBPS,		/* u64 */
	__LVS_STATS_ATTR_MAX
};

#define LVS_STATS_ATTR_MAX (__LVS_STATS_ATTR_MAX - 1)

enum lvs_info_attr {
	LVS_INFO_ATTR_UNSPEC,
	LVS_INFO_ATTR_PAD,
	LVS_INFO_ATTR_CONN_COUNT,	/* u32 */
	LVS_INFO_ATTR_CONN_MAX,		/* u32 */
	LVS_INFO_ATTR_DROP_MALFORMED,	/* u64 */
	LVS_INFO_ATTR_DROP_NO_DEST,	/* u64 */
	LVS_INFO_ATTR_DROP_NO_CONN,	/* u64 */
	LVS_INFO_ATTR_DROP_CONN_FULL,	/* u64 */
	LVS_INFO_ATTR_DROP_XMIT,	/* u64 */
	LVS_INFO_ATTR_CONN_EVICTED,	/* u64 */
	LVS_INFO_ATTR_CONN_BUCKETS_IN,	/* u32 */
	LVS_INFO_ATTR_CONN_BUCKETS_OUT,	/* u32 */
	LVS_INFO_ATTR_FAST_PATH,	/* u8 */
	LVS_INFO_ATTR_FAST_PATH_HELD,	/* u8, out */
	LVS_INFO_ATTR_FAST_PACKETS,	/* u64, out */
	LVS_INFO_ATTR_GENERATION,	/* u32, out */
	__LVS_INFO_ATTR_MAX
};

#define LVS_INFO_ATTR_MAX (__LVS_INFO_ATTR_MAX - 1)

/* Bits of LVS_INFO_ATTR_FAST_PATH_HELD. */
#define LVS_FAST_HELD_INET	0x1
#define LVS_FAST_HELD_INET6	0x2

enum lvs_timeout_attr {
	LVS_TIMEOUT_ATTR_UNSPEC,
	LVS_TIMEOUT_ATTR_PROTOCOL,	/* u8 */
	LVS_TIMEOUT_ATTR_STATE,		/* string */
	LVS_TIMEOUT_ATTR_SECONDS,	/* u32 */
	__LVS_TIMEOUT_ATTR_MAX
};

#define LVS_TIMEOUT_ATTR_MAX (__LVS_TIMEOUT_ATTR_MAX - 1)

enum lvs_conn_attr {
	LVS_CONN_ATTR_UNSPEC,
	LVS_CONN_ATTR_FAMILY,		/* u16 */
	LVS_CONN_ATTR_PROTOCOL,		/* u8 */
	LVS_CONN_ATTR_CLIENT_ADDR,	/* binary, 4 or 16 bytes */
	LVS_CONN_ATTR_CLIENT_PORT,	/* be16 */
	LVS_CONN_ATTR_VIRT_ADDR,	/* binary, 4 or 16 bytes */
	LVS_CONN_ATTR_VIRT_PORT,	/* be16 */
	LVS_CONN_ATTR_FWMARK,		/* u32 */
	LVS_CONN_ATTR_DEST_ADDR,	/* binary, 4 or 16 bytes */
	LVS_CONN_ATTR_DEST_PORT,	/* be16 */
	LVS_CONN_ATTR_FWD_METHOD,	/* u8, enum lvs_fwd_method */
	LVS_CONN_ATTR_STATE,		/* string */
	LVS_CONN_ATTR_EXPIRES,		/* u32, seconds */
	LVS_CONN_ATTR_TEMPLATE,		/* flag */
	__LVS_CONN_ATTR_MAX
};

#define LVS_CONN_ATTR_MAX (__LVS_CONN_ATTR_MAX - 1)

#endif /* _UAPI_LINUX_LVS_H */
