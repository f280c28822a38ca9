/**
 * Whether a private key needs a passphrase: PEM keys say so in a header; OpenSSH keys carry the cipher
 * name right after the `openssh-key-v1\0` magic ("none" when unencrypted).
 */
export function keyIsEncrypted(text: string): boolean {
  if (/Proc-Type: 4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(text)) return true;
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return false;
  const blob = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (blob.subarray(0, magic.length).toString('latin1') !== magic) return false;
  const len = blob.readUInt32BE(magic.length);
  return blob.subarray(magic.length + 4, magic.length + 4 + len).toString('ascii') !== 'none';
}
