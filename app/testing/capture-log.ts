/** A logger double that records message texts, for asserting on the exact contract lines. */
export function captureLog() {
  const lines: string[] = [];
  const errors: Array<{ obj: object; msg: string }> = [];
  return {
    lines,
    errors,
    info: (msg: string) => void lines.push(msg),
    error: (obj: object, msg: string) => {
      errors.push({ obj, msg });
      lines.push(msg);
    },
  };
}
