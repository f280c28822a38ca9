import { z } from 'zod';

const packageMap = z.record(z.string(), z.string());

/** package.json as the checks read it: the dependency maps and the scripts; every other key is kept as it is. */
export const PackageManifest = z.looseObject({
  dependencies: packageMap.optional(),
  devDependencies: packageMap.optional(),
  scripts: packageMap.optional(),
});
export type PackageManifest = z.infer<typeof PackageManifest>;

/** The one way the checks parse package.json: not JSON, or not this shape, is a reason, never a throw. */
export function parsePackageManifest(text: string): { ok: true; manifest: PackageManifest } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `package.json is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = PackageManifest.safeParse(json);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return { ok: false, reason: `package.json: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}` };
}
