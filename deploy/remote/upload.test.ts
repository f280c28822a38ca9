import { describe, expect, it } from 'vitest';
import type { RemoteShell } from './ssh-session.ts';
import { uploadFiles } from './upload.ts';

/** Records commands; a real host is exercised by the e2e tests, this pins the edge cases cheaply. */
function recordingShell(): { shell: RemoteShell; commands: string[] } {
  const commands: string[] = [];
  const shell = {
    exec: async (command: string) => {
      commands.push(command);
      return { code: 0, stdout: '', stderr: '' };
    },
    put: async () => ({ ok: true, reason: '' }),
  } as unknown as RemoteShell;
  return { shell, commands };
}

describe('uploadFiles', () => {
  it('sends nothing and succeeds when no file changed (a redeploy of the same release)', async () => {
    const { shell, commands } = recordingShell();
    const r = await uploadFiles(shell, '/srv/app', [], 'tok', 1000);
    expect(r.ok).toBe(true);
    expect(r.evidence.uploaded).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('creates the target directories, quoted, before sending files', async () => {
    const { shell, commands } = recordingShell();
    const file = { path: 'app/a b.ts', localPath: '/tmp/x', sha256: 'e3b0', mode: 0o644, size: 0 };
    await uploadFiles(shell, "/srv/it's $(x)", [file], 'tok', 1000);
    expect(commands[0]).toBe(`mkdir -p -- '/srv/it'\\''s $(x)/app'`);
  });
});
