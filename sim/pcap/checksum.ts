/**
 * The Internet checksum (RFC 1071) as IPv4 (RFC 791 §3.1) and TCP (RFC 9293 §3.1) use it.
 *
 * Models: the 16-bit one's-complement sum of 16-bit big-endian words, with an odd trailing
 * byte padded by a zero byte, and the TCP checksum over the IPv4 pseudo-header (source,
 * destination, zero, protocol 6, TCP length) plus the TCP header and payload.
 * Leaves out: incremental update (RFC 1624) — captures are written once, whole.
 *
 * Wireshark does not verify checksums by default (toolchain.md §4), but strict consumers
 * and `-o tcp.check_checksum:TRUE` do, so every frame carries correct ones.
 */

/**
 * One's-complement sum of `bytes[start, end)` folded to 16 bits, added to `initial`
 * (an unfolded partial sum, so a pseudo-header can be summed first). Not complemented.
 */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  // Pairs of bytes form big-endian words (RFC 1071 §1: byte order does not change the
  // folded result, but big-endian keeps the value readable in tests).
  for (; i + 1 < end; i += 2) {
    sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    // Fold early so the sum stays far below 2^53 for any packet size.
    if (sum > 0xffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  // An odd byte count is padded with one zero byte on the right (RFC 1071 §4.1).
  if (i < end) sum += (bytes[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of `bytes[start, end)`: the complement of the one's-complement sum. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return ~onesComplementSum(bytes, start, end) & 0xffff;
}

/**
 * TCP checksum (RFC 9293 §3.1): over the 12-byte IPv4 pseudo-header and the TCP segment
 * `bytes[start, end)` whose checksum field must be zero while summing.
 */
export function tcpChecksum(
  src: readonly [number, number, number, number],
  dst: readonly [number, number, number, number],
  bytes: Uint8Array, start: number, end: number,
): number {
  const tcpLength = end - start;
  let pseudo = ((src[0] << 8) | src[1]) + ((src[2] << 8) | src[3])
    + ((dst[0] << 8) | dst[1]) + ((dst[2] << 8) | dst[3])
    + 6 /* zero byte, then protocol 6 = TCP */ + tcpLength;
  pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
  return ~onesComplementSum(bytes, start, end, pseudo) & 0xffff;
}
