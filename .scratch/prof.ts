import { msgPerSecondFor, readMemoryHigh } from '../checks/soak/production-profile.ts';
console.log(msgPerSecondFor(10, ['1m', '5m', '30m', '4h']), await readMemoryHigh(process.cwd()));
