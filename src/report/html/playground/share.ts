/**
 * Share links: the edited scenario compressed into the URL hash (`#s=…`), with the browsers' own
 * CompressionStream('deflate-raw') and base64url, so opening the link reproduces the run with no server and no
 * library. Not here: running it (main.ts).
 */

const PREFIX = '#s=';

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The hash that carries `yaml`. */
export async function shareHash(yaml: string): Promise<string> {
  return PREFIX + toBase64Url(await through(new TextEncoder().encode(yaml), new CompressionStream('deflate-raw')));
}

/** The scenario a hash carries; undefined when the hash carries none, an Error when it is damaged. */
export async function scenarioFromHash(hash: string): Promise<string | Error | undefined> {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await through(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('deflate-raw')));
  } catch (err) {
    return new Error(`the link's scenario cannot be read (${err instanceof Error ? err.message : String(err)}); it may have been cut short`);
  }
}
