/**
 * Characters a reader cannot see, named in messages. A validator message such as
 * `unexpected "﻿" where a value was expected` (a second byte-order mark) shows as empty
 * quotes; it reads `unexpected U+FEFF (byte-order mark) where a value was expected` instead.
 */
const NAMES: Record<number, string> = {
  0x0000: 'null', 0x0009: 'tab', 0x000a: 'line feed', 0x000d: 'carriage return',
  0x00a0: 'no-break space', 0x00ad: 'soft hyphen', 0x034f: 'combining grapheme joiner',
  0x061c: 'Arabic letter mark', 0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark',
  0x2028: 'line separator', 0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override', 0x202f: 'narrow no-break space',
  0x2060: 'word joiner', 0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate', 0x2069: 'pop directional isolate', 0x3000: 'ideographic space',
  0xfeff: 'byte-order mark', 0xfffd: 'replacement character',
};

/** Invisible or look-alike-blank characters: controls, format characters, odd spaces. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]/u;
const INVISIBLE_G = new RegExp(INVISIBLE.source, 'gu');
const QUOTED_G = new RegExp(`"(${INVISIBLE.source})"`, 'gu');

export function charName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp];
  return name ? `${hex} (${name})` : hex;
}

/** The text with every invisible character named; plain line feeds and tabs are kept. */
export function nameInvisible(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  return text
    .replace(QUOTED_G, (_m, ch: string) => charName(ch))
    .replace(INVISIBLE_G, (ch) => (ch === '\n' || ch === '\t' ? ch : `⟨${charName(ch)}⟩`));
}
