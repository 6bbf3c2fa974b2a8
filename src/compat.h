/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_COMPAT_H
#define _LVS_COMPAT_H

int lvs_compat_init(void);
void lvs_compat_exit(void);

#endif /* _LVS_COMPAT_H */
