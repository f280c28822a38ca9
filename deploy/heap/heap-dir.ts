/**
 * The service's private dir for heap snapshots (its systemd StateDirectory, 0700, the service user's):
 * Node's --heapsnapshot-signal writes there, never over HTTP. Shards share it; the file names carry the pid.
 */
export const heapStateDir = (service: string) => `leakproof-heap/${service.replace(/\.service$/, '')}`;
export const heapDir = (service: string) => `/var/lib/${heapStateDir(service)}`;
/** SIGUSR2 is free in the app; SIGUSR1 would start the inspector. */
export const HEAP_SIGNAL = 'SIGUSR2';
