import { describe, it, expect } from 'vitest';
import { deflateSync } from 'fflate';
import {
  decodeSharePayload, encodeSharePayload, fromBase64Url, MAX_DECODED_BYTES, payloadFromHash, shareUrl,
  toBase64Url,
} from '../../app/share/shareLink.ts';
import { DEFAULT_SCENARIO } from '../../app/defaultScenario.ts';

describe('share links', () => {
  it('round-trips a scenario through #scenario=', () => {
    const json = JSON.stringify(DEFAULT_SCENARIO);
    const url = shareUrl('http://x/app/#old', json);
    expect(url.startsWith('http://x/app/#scenario=')).toBe(true);
    const payload = payloadFromHash(new URL(url).hash)!;
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSharePayload(payload)).toEqual({ ok: true, json });
  });

  it('is compact: the default scenario fits in well under 1 kB of URL', () => {
    expect(encodeSharePayload(JSON.stringify(DEFAULT_SCENARIO)).length).toBeLessThan(1000);
  });

  it('base64url round-trips every byte value and rejects other alphabets', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url('ab+/')).toBeNull();
    expect(fromBase64Url('a')).toBeNull();
  });

  it('refuses malformed payloads with a message', () => {
    for (const bad of ['', '%%%', 'AAAA', toBase64Url(new Uint8Array([1, 2, 3, 4, 5]))]) {
      const r = decodeSharePayload(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/share link/i);
    }
  });

  it('refuses a link that inflates beyond the limit (a deflate bomb), without inflating it all', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(5_000_000).fill(32), { level: 9 }));
    expect(bomb.length).toBeLessThan(10_000);
    const r = decodeSharePayload(bomb);
    expect(r).toEqual({ ok: false, message: `The share link is too large: the scenario exceeds ${MAX_DECODED_BYTES / 1000} kB.` });
  });

  it('accepts a scenario of exactly the limit and refuses one byte more', () => {
    const exact = ' '.repeat(MAX_DECODED_BYTES);
    expect(decodeSharePayload(toBase64Url(deflateSync(new TextEncoder().encode(exact)))).ok).toBe(true);
    expect(decodeSharePayload(toBase64Url(deflateSync(new TextEncoder().encode(`${exact} `)))).ok).toBe(false);
  });

  it('refuses invalid UTF-8', () => {
    const r = decodeSharePayload(toBase64Url(deflateSync(new Uint8Array([0xff, 0xfe, 0x7b]))));
    expect(r.ok).toBe(false);
  });
});
