/**
 * One isolated measurement, bundled to plain JS and run as `node --expose-gc measure-child.mjs '<request JSON>'`.
 * Prints the sample as one JSON line. The parent (measure-isolated.ts) is the only caller.
 */
import { WARMUP_CONFIG } from './bench-config.ts';
import { inProcessMeasure } from './measure-in-process.ts';
import { MeasureRequest } from './measure-request.ts';

const request = MeasureRequest.safeParse(JSON.parse(process.argv[2] ?? 'null'));
if (!request.success) {
  console.error(`measure-child: bad request: ${request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { implementation, scenario, config } = request.data;
const measure = inProcessMeasure();
// JIT warm-up of exactly the code about to be timed, in this process, untimed.
const warm = await measure(implementation, scenario, WARMUP_CONFIG);
const measured = warm.ok ? await measure(implementation, scenario, config) : warm;
if (!measured.ok) {
  console.error(`measure-child: ${measured.reason}`);
  process.exit(1);
}
console.log(JSON.stringify(measured.sample));
