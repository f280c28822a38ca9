import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { HostRun } from '../pipeline/host-run.ts';
import type { OnStep, StepEvent } from '../remote/step.ts';

/** Shows per-host step progress while the fleet runs. Always on stderr: stdout stays for --json. */
export interface Progress {
  onStep: OnStep;
  around(work: () => Promise<HostRun[]>): Promise<HostRun[]>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function stepLine(e: Extract<StepEvent, { phase: 'end' }>): string {
  return `${e.host}: ${e.step} ${e.ok ? 'ok' : 'FAILED'} ${seconds(e.durationMs)}${e.reason ? ` — ${e.reason}` : ''}`;
}

/** CI logs: one line per finished step, nothing redrawn. */
export function plainProgress(write: (line: string) => void): Progress {
  return {
    onStep: (e) => {
      if (e.phase === 'end') write(`${stepLine(e)}\n`);
    },
    around: (work) => work(),
  };
}

/**
 * listr2 picks its renderer by whether *stdout* is a TTY; ours draws on stderr, whose TTY-ness was
 * already checked, so `deploy --json | jq` in a terminal keeps the live view and a clean stdout.
 */
class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

interface HostView {
  title: string;
  output: string;
  task?: { title: string; output: string };
  /** The host's run once the fleet is done (null: never started); applied when listr has started the task. */
  result?: HostRun | null;
  settle?: () => void;
}

/**
 * A terminal: one listr2 task per host, its title the running step, its output the last finished one.
 * Hosts the fleet never reached (it stopped at a failure) end as skipped.
 */
export function listrProgress(hosts: readonly string[], stream: NodeJS.WriteStream = process.stderr): Progress {
  const views = new Map<string, HostView>(hosts.map((h) => [h, { title: h, output: '' }]));
  const show = (v: HostView) => {
    if (!v.task) return;
    v.task.title = v.title;
    v.task.output = v.output;
  };
  const list = new Listr(
    [...views].map(([h, v]) => ({
      title: h,
      rendererOptions: { persistentOutput: true },
      task: (_: unknown, task: { title: string; output: string; skip(message?: string): void }) =>
        new Promise<void>((resolve, reject) => {
          v.task = task;
          show(v);
          v.settle = () => {
            const run = v.result;
            if (run === undefined) return;
            v.settle = undefined;
            if (run === null) {
              task.skip(`${h}: not started (the fleet stopped)`);
              resolve();
              return;
            }
            v.title = `${h}: ${run.finalState}`;
            show(v);
            if (run.exitCode === 0) resolve();
            else reject(new Error(`${h}: ${run.finalState}${run.reason ? ` — ${run.reason}` : ''}`));
          };
          v.settle();
        }),
    })),
    {
      concurrent: true,
      exitOnError: false,
      renderer: StderrRenderer,
      rendererOptions: { collapseErrors: false, logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }) },
    },
  );
  const finish = (h: string, run: HostRun | null) => {
    const v = views.get(h);
    if (!v) return;
    v.result ??= run;
    v.settle?.();
  };
  return {
    onStep: (e) => {
      const v = views.get(e.host);
      if (!v) return;
      if (e.phase === 'start') v.title = `${e.host}: ${e.step}…`;
      else v.output = stepLine(e);
      show(v);
    },
    async around(work) {
      const shown = list.run().catch(() => undefined);
      try {
        const runs = await work();
        for (const h of views.keys()) finish(h, runs.find((r) => r.name === h) ?? null);
        return runs;
      } finally {
        for (const h of views.keys()) finish(h, null);
        await shown;
      }
    },
  };
}

/** Live view when stderr is a terminal, plain lines otherwise (CI). */
export function progressFor(hosts: readonly string[], stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? listrProgress(hosts, stream) : plainProgress((l) => stream.write(l));
}
