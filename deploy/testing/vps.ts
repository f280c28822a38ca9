/** The harness's public surface, for deploy/ and rollback/ tests (vitest helpers live in vps-vitest.ts). */
export { bootVps } from './boot-vps.ts';
export type { BootVpsOptions } from './boot-vps.ts';
export type { Vps, JournalEntry, JournalQuery, SshArgOptions } from './vps-handle.ts';
export type { TeardownResult } from './vps-teardown.ts';
export { sweepStaleVpses } from './sweep-stale-vpses.ts';
export { requireVpsSupport } from './vps-support.ts';
export { dropPackets, resetConnections, randomDrop, linkDown, slowLink } from './network-faults.ts';
export type { Fault } from './network-faults.ts';
export { killSshSessions, fullDisk, denyWrite, changeHostKey } from './guest-faults.ts';
export { installUnit, simpleServiceUnit, writeGuestFile, waitInGuest } from './guest-units.ts';
export { sudoCommands, renderSudoers, DEFAULT_UNIT, DEFAULT_REVERT_TIMER } from './sudoers-rules.ts';
export { runCommand } from './run-command.ts';
export { shQuote } from '../remote/sh-quote.ts';
export type { CommandResult } from './run-command.ts';
