/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_HOOKS_H
#define _LVS_HOOKS_H

struct lvs_net;

int lvs_hooks_register(struct lvs_net *ln);
void lvs_hooks_unregister(struct lvs_net *ln);

#endif /* _LVS_HOOKS_H */
