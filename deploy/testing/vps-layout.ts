import path from 'node:path';

/** Every name the harness creates on the host starts with one of these, so a sweep can find leftovers. */
export const VPS_NAME_PREFIX = 'lp-vps';
export const HOST_VETH_PREFIX = 'lpv';
export const STATE_ROOT = '/run/leakproof-vps';
export const GUEST_IF = 'eth0';
export const MAX_INDEX = 250;

export interface VpsLayout {
  index: number;
  /** Machine name, netns name and guest hostname. */
  name: string;
  netnsPath: string;
  hostVeth: string;
  guestIf: string;
  hostIp: string;
  guestIp: string;
  /** Host dir holding the claim (owner.json), the console log and the client key. */
  stateDir: string;
  /** tmpfs mount point holding overlay upper/work and the merged root. */
  diskDir: string;
  rootDir: string;
  clientDir: string;
}

const NAME_RE = /^lp-vps[a-z0-9-]{0,40}$/;

export function vpsLayout(index: number, name?: string): VpsLayout {
  if (!Number.isInteger(index) || index < 1 || index > MAX_INDEX) {
    throw new Error(`vps index: must be an integer 1..${MAX_INDEX}, got ${String(index)}`);
  }
  const vpsName = name ?? `${VPS_NAME_PREFIX}${index}`;
  if (!NAME_RE.test(vpsName)) {
    throw new Error(`vps name: must match ${NAME_RE.source} (a sweep finds leftovers by prefix), got ${JSON.stringify(vpsName)}`);
  }
  const stateDir = path.join(STATE_ROOT, `vps-${index}`);
  const diskDir = path.join(stateDir, 'disk');
  return {
    index,
    name: vpsName,
    netnsPath: `/run/netns/${vpsName}`,
    hostVeth: `${HOST_VETH_PREFIX}${index}`,
    guestIf: GUEST_IF,
    hostIp: `10.200.${index}.1`,
    guestIp: `10.200.${index}.2`,
    stateDir,
    diskDir,
    rootDir: path.join(diskDir, 'root'),
    clientDir: path.join(stateDir, 'client'),
  };
}

/** Map a path inside the guest to its path on the host, through the overlay mount. */
export function hostPathOf(layout: VpsLayout, guestPath: string): string {
  return path.join(layout.rootDir, guestPath);
}
