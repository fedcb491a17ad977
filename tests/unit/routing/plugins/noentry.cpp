// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Test plug-in without the ofmf_plugin_entry symbol.
extern "C" __attribute__((visibility("default"))) int ofmf_not_an_entry() { return 0; }
