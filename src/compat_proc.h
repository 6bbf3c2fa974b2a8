/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_COMPAT_PROC_H
#define _LVS_COMPAT_PROC_H

/* /proc/net/ip_vs and its siblings in every namespace (compat_proc.c). */
int lvs_compat_proc_init(void);
void lvs_compat_proc_exit(void);

#endif /* _LVS_COMPAT_PROC_H */
