import type { Finding } from './finding.ts';

/** SARIF 2.1.0, the shape code-scanning UIs and editors read. Pure: reports/ may render it too. */
export interface SarifRuleMeta {
  id: string;
  title: string;
  why: string;
  severity: Finding['severity'];
}

const LEVEL: Record<Finding['severity'], 'error' | 'warning' | 'note'> = { critical: 'error', major: 'error', minor: 'warning' };

export function toSarif(findings: readonly Finding[], rules: readonly SarifRuleMeta[] = []) {
  const ruleIds = [...new Set([...rules.map((r) => r.id), ...findings.map((f) => f.specId)])];
  const meta = new Map(rules.map((r) => [r.id, r]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'leakproof-checks',
            informationUri: 'https://github.com/leakproof/leakproof',
            rules: ruleIds.map((id) => {
              const m = meta.get(id);
              const severity = m?.severity ?? findings.find((f) => f.specId === id)?.severity ?? 'major';
              return {
                id,
                shortDescription: { text: m?.title ?? id },
                ...(m ? { fullDescription: { text: m.why } } : {}),
                defaultConfiguration: { level: LEVEL[severity] },
                properties: { severity },
              };
            }),
          },
        },
        columnKind: 'unicodeCodePoints' as const,
        results: findings.map((f) => ({
          ruleId: f.specId,
          ruleIndex: ruleIds.indexOf(f.specId),
          kind: f.ok ? ('pass' as const) : ('fail' as const),
          level: f.ok ? ('none' as const) : LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.col },
              },
            },
          ],
          properties: { check: f.check, ...(f.deferredTo ? { deferredTo: f.deferredTo } : {}) },
        })),
      },
    ],
  };
}

export type SarifLog = ReturnType<typeof toSarif>;
