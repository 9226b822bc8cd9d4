/**
 * Share links: the scenario JSON, deflated (fflate, raw DEFLATE), base64url-encoded, after
 * `#scenario=` in the URL fragment (never sent to any server, so a static host works).
 *
 * Decoding trusts nothing: the fragment may come from anyone. It refuses payloads whose
 * encoded form or decompressed size is over the limits (a small link can inflate to
 * gigabytes: inflation runs in small steps and stops as soon as the limit is passed), bad
 * base64url, bad DEFLATE data and bad UTF-8. The JSON itself is checked by parseScenario.
 */
import { deflateSync, Inflate, strToU8 } from 'fflate';

export const SHARE_PREFIX = '#scenario=';
/** Largest decompressed scenario a link may carry. */
export const MAX_DECODED_BYTES = 200_000;
/** Largest payload (base64url characters) we even try to decode. */
export const MAX_ENCODED_CHARS = 300_000;

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  let bin: string;
  try { bin = atob(b64); } catch { return null; }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The payload that follows `#scenario=` for this scenario JSON text. */
export function encodeSharePayload(json: string): string {
  return toBase64Url(deflateSync(strToU8(json), { level: 9 }));
}

export type DecodeResult = { ok: true; json: string } | { ok: false; message: string };

/** Inflates at most `limit` bytes; null when the data is bad or larger than that. */
function inflateLimited(data: Uint8Array, limit: number): Uint8Array | 'too-large' | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) { tooLarge = true; throw new Error('too large'); }
    chunks.push(chunk);
  });
  const STEP = 1024; // at most ~1 MB of output per step, even for a crafted stream
  try {
    for (let i = 0; i < data.length; i += STEP) {
      inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch {
    return tooLarge ? 'too-large' : null;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** Decodes a payload (the part after `#scenario=`) to JSON text, or says why not. */
export function decodeSharePayload(payload: string): DecodeResult {
  if (payload.length === 0) return { ok: false, message: 'The share link is empty.' };
  if (payload.length > MAX_ENCODED_CHARS) {
    return { ok: false, message: `The share link is too long (${payload.length} characters; the limit is ${MAX_ENCODED_CHARS}).` };
  }
  const bytes = fromBase64Url(payload);
  if (!bytes) return { ok: false, message: 'The share link is malformed: it is not base64url text.' };
  const raw = inflateLimited(bytes, MAX_DECODED_BYTES);
  if (raw === 'too-large') {
    return { ok: false, message: `The share link is too large: the scenario exceeds ${MAX_DECODED_BYTES / 1000} kB.` };
  }
  if (!raw) return { ok: false, message: 'The share link is malformed: its data is not a compressed scenario.' };
  try {
    return { ok: true, json: new TextDecoder('utf-8', { fatal: true }).decode(raw) };
  } catch {
    return { ok: false, message: 'The share link is malformed: its text is not UTF-8.' };
  }
}

/** The payload of a location hash, or null when the hash is not a share link. */
export function payloadFromHash(hash: string): string | null {
  return hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : null;
}

export function shareUrl(base: string, json: string): string {
  const noHash = base.split('#')[0] ?? base;
  return `${noHash}${SHARE_PREFIX}${encodeSharePayload(json)}`;
}
