/**
 * A strict well-formedness check for the XML the renderers write (no DTDs, no CDATA): tags nest,
 * attributes are quoted and unique, entities are known. Returns the element names in document order.
 */
export function checkXml(xml: string): { ok: true; elements: string[] } | { ok: false; reason: string } {
  const elements: string[] = [];
  const stack: string[] = [];
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of xml.matchAll(token)) {
    const [, close, name, attrs, selfClose, text, stray] = m;
    if (stray) return { ok: false, reason: `stray '<' at ${m.index}` };
    const chunk = text ?? attrs ?? '';
    const bad = chunk.match(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
    if (bad) return { ok: false, reason: `bad entity at ${m.index}` };
    if (!name) continue;
    if (close) {
      if (stack.pop() !== name) return { ok: false, reason: `unexpected </${name}> at ${m.index}` };
      continue;
    }
    const names = [...(attrs ?? '').matchAll(/([A-Za-z_][\w.:-]*)\s*=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) return { ok: false, reason: `duplicate attribute in <${name}>` };
    elements.push(name);
    if (!selfClose) stack.push(name);
  }
  if (stack.length) return { ok: false, reason: `unclosed <${stack.join('>, <')}>` };
  return { ok: true, elements };
}
