/**
 * Test helper: a minimal little-endian pcapng reader (SHB, IDB, EPB and their options), so
 * the writer's layout can be checked byte by byte without tshark.
 */
export interface Block { type: number; body: DataView; options: { code: number; value: Uint8Array }[] }

const decoder = new TextDecoder();
export const text = (v: Uint8Array): string => decoder.decode(v);

/** Splits a file into blocks; checks each block's leading and trailing lengths agree. */
export function readBlocks(bytes: Uint8Array): Block[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Block[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = view.getUint32(at, true);
    const len = view.getUint32(at + 4, true);
    if (len % 4 !== 0 || view.getUint32(at + len - 4, true) !== len) throw new Error(`bad block at ${at}`);
    const body = new DataView(bytes.buffer, bytes.byteOffset + at + 8, len - 12);
    // Where the options start depends on the block type.
    let optAt = type === 0x0a0d0d0a ? 16 : type === 1 ? 8 : type === 6 ? 20 + ((body.getUint32(12, true) + 3) & ~3) : body.byteLength;
    const options: Block['options'] = [];
    while (optAt + 4 <= body.byteLength) {
      const code = body.getUint16(optAt, true);
      const olen = body.getUint16(optAt + 2, true);
      if (code === 0) break;
      options.push({ code, value: new Uint8Array(body.buffer, body.byteOffset + optAt + 4, olen) });
      optAt += 4 + ((olen + 3) & ~3);
    }
    blocks.push({ type, body, options });
    at += len;
  }
  return blocks;
}

/** The captured packet bytes of an EPB. */
export function epbPacket(b: Block): Uint8Array {
  const len = b.body.getUint32(12, true);
  return new Uint8Array(b.body.buffer, b.body.byteOffset + 20, len);
}

/** An EPB's timestamp in units of the interface's resolution (µs here). */
export function epbTimestamp(b: Block): number {
  return b.body.getUint32(4, true) * 4294967296 + b.body.getUint32(8, true);
}
