import type { QaResult, WhatGrewReport, WhatGrewRow } from '../schemas/qa-result.ts';
import { escapeXml as h, mdCell } from './escape.ts';
import { fmtMb, fmtMs } from './format.ts';

export const WHAT_GREW_TITLE = 'What grew, and what holds it';
const HEAD = ['Process', 'Object kind', 'Objects', 'Grew by', 'Held by'];
const MB = 1024 * 1024;

const cells = (source: string, r: WhatGrewRow) => [
  source,
  r.kind,
  `${r.countBefore} → ${r.countAfter}`,
  fmtMb((r.bytesAfter - r.bytesBefore) / MB),
  r.retainerShare === undefined ? r.retainerPath : `${r.retainerPath} (${Math.round(r.retainerShare * 100)}% of new ones)`,
];

const note = (w: WhatGrewReport) =>
  w.result.ok
    ? `${w.source}: memlab read two heap snapshots in ${fmtMs(w.result.analysisMs)}` +
      (w.result.snapshotMs === undefined ? '' : `, written in ${fmtMs(w.result.snapshotMs)} (${w.result.snapshotMb ?? '?'} MB)`)
    : `${w.source}: no reading — ${w.result.reason}`;

const readings = (result: QaResult): WhatGrewReport[] => (result.soak.ran ? result.soak.whatGrew : []);

const rowsOf = (w: WhatGrewReport) => (w.result.ok ? w.result.rows.map((r) => cells(w.source, r)) : []);

/** The table as Markdown lines; empty when no process was read. */
export const whatGrewMarkdown = (result: QaResult): string[] => whatGrewTable(readings(result));

/** The table of any readings (QA's soak, a deploy's host snapshots) as Markdown lines. */
export function whatGrewTable(reports: readonly WhatGrewReport[]): string[] {
  if (reports.length === 0) return [];
  return [
    `## ${WHAT_GREW_TITLE}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...reports.flatMap(rowsOf).map((c) => `| ${c.map(mdCell).join(' | ')} |`),
    '',
    ...reports.map((w) => `- ${note(w)}`),
    '',
  ];
}

/** The table as an HTML section; empty when no process was read. */
export function whatGrewHtml(result: QaResult): string {
  const reports = readings(result);
  if (reports.length === 0) return '';
  const head = `<tr>${HEAD.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`;
  const body = reports
    .flatMap(rowsOf)
    .map((c) => `<tr>${c.map((x, i) => `<td>${i === 4 ? `<code>${h(x)}</code>` : h(x)}</td>`).join('')}</tr>`)
    .join('');
  return `<h2>${h(WHAT_GREW_TITLE)}</h2>\n<table>${head}${body}</table>\n<ul>${reports.map((w) => `<li>${h(note(w))}</li>`).join('')}</ul>\n`;
}
