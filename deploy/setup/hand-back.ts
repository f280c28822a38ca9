import { onlyAsRoot } from '../remote/privilege.ts';
import { shQuote } from '../remote/sh-quote.ts';

/**
 * After a root login wrote into the app dir, hands what root created back to the app dir's owner, so a
 * later deploy as that user can replace, back up and prune it. A no-op for any other login (and for an
 * app dir root owns). The revert script does the same before it restores.
 */
export function handBackCommand(appDir: string): string {
  const dir = shQuote(appDir);
  return onlyAsRoot(`owner=$(stat -c %u:%g -- ${dir}) && case $owner in 0:*) ;; *) chown -R --from=0:0 -- "$owner" ${dir} ;; esac`);
}
