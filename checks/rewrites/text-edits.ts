import type { SourceFile } from 'ts-morph';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Edits planned on one file's unchanged tree (so every node is asked before any is forgotten), applied
 * in one replacement from the end of the file back. Returns the files that were edited.
 */
export function applyTextEdits(edits: ReadonlyMap<SourceFile, readonly TextEdit[]>): SourceFile[] {
  return [...edits].filter(([, es]) => es.length > 0).map(([sf, es]) => {
    let text = sf.getFullText();
    const unique = [...new Map(es.map((e) => [e.start, e])).values()];
    for (const e of unique.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    sf.replaceWithText(text);
    return sf;
  });
}

/** Collects edits per file. */
export function editList(): { add(sf: SourceFile, e: TextEdit): void; edits: Map<SourceFile, TextEdit[]> } {
  const edits = new Map<SourceFile, TextEdit[]>();
  return {
    edits,
    add(sf, e) {
      const list = edits.get(sf) ?? [];
      edits.set(sf, list);
      list.push(e);
    },
  };
}
