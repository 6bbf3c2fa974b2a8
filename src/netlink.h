/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_H
#define _LVS_NETLINK_H

int lvs_netlink_init(void);
void lvs_netlink_exit(void);

#endif /* _LVS_NETLINK_H */
