/**
 * Segment arrival for a known connection (RFC 9293 §3.10.7 "SEGMENT ARRIVES"), in the
 * standard's order: sequence check, RST, SYN, ACK, then the segment text and FIN.
 *
 * Deviations and choices, each as Linux behaves:
 * - RST is accepted only with seq == RCV.NXT; an in-window RST or a SYN on a synchronized
 *   connection gets a challenge ACK (RFC 5961 §3, §4).
 * - Data arriving after the app closed the socket is answered with RST and the socket is
 *   dropped (tcp_rcv_state_process; RFC 2525 §2.17: "data was lost").
 * - Out-of-order segments (link jitter) are held; the receiver ACKs at once on out-of-order
 *   arrival (RFC 5681 §4.2). An in-order segment arriving while data is held is handled as
 *   Linux tcp_data_queue + tcp_ofo_queue do: the whole in-order run (this segment, then what it
 *   unlocks) is queued first, then ONE cumulative ACK goes out at once (the queue emptied:
 *   ICSK_ACK_NOW, RFC 5681 §4.2; still held: __tcp_ack_snd_check sends at once without SACK),
 *   and only then does the app read the run, piece by piece. Without held data the ordinary
 *   path (accept) runs unchanged.
 * Left out: urgent data, window updates (the window is fixed), PAWS and timestamps.
 */
import { type Chunk, type TcpConnState, recycleChunk } from './conn-state.ts';
import { ackBeforeApp, dataReceived, enterQuickack } from './ack.ts';
import { ACK, FIN, RST, SYN, WINDOW, type Segment, seqAdd, seqDiff, seqGe, seqGt, seqLe } from './segment.ts';
import { rttSample } from './timing.ts';
import { onSegmentsAcked } from './recovery.ts';
import { ackVerdict } from './listen-queue.ts';

export function receiveSegment(c: TcpConnState, seg: Segment): void {
  const now = c.host.env.engine.now();
  const flags = seg.flags;
  c.curAck = seg.ack;
  if (c.state === 'SYN-SENT') {
    synSent(c, seg, now);
    return;
  }
  if (c.state === 'SYN-RECEIVED' && (flags & (SYN | ACK)) === SYN && seg.seq === c.irs) {
    // The peer retransmitted its SYN: our SYN-ACK was lost; answer it again.
    const head = c.rtxQ[0];
    if (head !== undefined) c.transmit(head.flags, head.seq, null, true);
    return;
  }
  const dataLen = seg.len;
  const segLen = dataLen + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
  if (!acceptable(c, seg.seq, segLen)) {
    // Old duplicate, keepalive probe, retransmitted FIN in TIME-WAIT: re-ACK (§3.10.7.4).
    if (!(flags & RST)) {
      if (segLen > 0 && seqDiff(seg.seq, c.rcvNxt) < 0) enterQuickack(c); // our ACK was lost
      c.sendAck();
    }
    return;
  }
  if (flags & RST) {
    if (seg.seq === c.rcvNxt) onReset(c);
    else c.sendAck(); // RFC 5961 §3.2 challenge ACK
    return;
  }
  if (flags & SYN) {
    c.sendAck(); // RFC 5961 §4.2 challenge ACK
    return;
  }
  if (!(flags & ACK)) return;
  if (c.state === 'SYN-RECEIVED') {
    if (!(seqGt(seg.ack, c.sndUna) && seqLe(seg.ack, c.sndNxt))) {
      c.transmit(RST, seg.ack, null, false);
      return;
    }
    const l = c.listener;
    if (l !== null) {
      // tcp_check_req → syn_recv_sock: no child while the accept queue is full (listen-queue.ts).
      const v = ackVerdict(c.host.settings, l.backlog, l.acceptQ.length, c.cookie);
      if (v !== 'accept') {
        c.listenOverflow(v, seg.ack);
        return;
      }
    }
    processAck(c, seg.ack, now);
    c.established();
  } else if (!processAck(c, seg.ack, now)) {
    return;
  }
  if (c.dead) return;
  if (dataLen > 0 || flags & FIN) processText(c, seg.seq, seg.payload, (flags & FIN) !== 0);
  c.settleAck();
}

function acceptable(c: TcpConnState, seq: number, segLen: number): boolean {
  const d = seqDiff(seq, c.rcvNxt);
  if (d >= 0 && d < WINDOW) return true;
  if (segLen === 0) return false;
  const e = d + segLen - 1;
  return e >= 0 && e < WINDOW;
}

function synSent(c: TcpConnState, seg: Segment, now: number): void {
  const f = seg.flags;
  if (f & ACK && seg.ack !== seqAdd(c.iss, 1)) {
    if (!(f & RST)) c.transmit(RST, seg.ack, null, false);
    return;
  }
  if (f & RST) {
    if (f & ACK) c.fail('rst', 'connection refused: RST in answer to SYN');
    return;
  }
  if ((f & (SYN | ACK)) === (SYN | ACK)) {
    c.irs = seg.seq;
    c.rcvNxt = seqAdd(seg.seq, 1);
    processAck(c, seg.ack, now);
    c.sendAck(); // the handshake's third segment goes out at once
    c.established();
  }
  // A bare SYN (simultaneous open) is not modelled: dropped.
}

/** Returns false when the segment must not be processed further. */
function processAck(c: TcpConnState, ack: number, now: number): boolean {
  if (seqGt(ack, c.sndNxt)) {
    c.sendAck(); // acknowledges something not yet sent
    return false;
  }
  c.heard(now);
  if (!seqGt(ack, c.sndUna)) return true; // duplicate ACK: no fast retransmit in this model
  c.sndUna = ack;
  const q = c.rtxQ;
  let n = 0;
  while (n < q.length) {
    const ch = q[n]!;
    if (seqLe(seqAdd(ch.seq, ch.len), ack)) {
      n++;
      continue;
    }
    if (seqGt(ack, ch.seq) && ch.data !== null) {
      const off = seqDiff(ack, ch.seq);
      ch.data = ch.data.subarray(off);
      ch.seq = ack;
      ch.len -= off;
    }
    break;
  }
  if (n === 1) recycleChunk(q.shift()!); // the common case; splice would allocate the removed array
  else if (n > 1) q.splice(0, n);
  onSegmentsAcked(c, n, ack);
  if (c.rttActive && seqGe(ack, c.rttEnd)) {
    c.rttActive = false;
    rttSample(c, now - c.rttStart);
  }
  c.ackedNewData();
  if (c.finSent && ack === c.sndNxt) {
    switch (c.state) {
      case 'FIN-WAIT-1':
        c.setState('FIN-WAIT-2');
        c.startWaitTimer(false);
        break;
      case 'CLOSING':
        c.setState('TIME-WAIT');
        c.startWaitTimer(true);
        break;
      case 'LAST-ACK':
        c.destroy();
        return false;
      default:
        break;
    }
  }
  // Room in the windows: lost segments (in recovery), new data, a waiting FIN (connection.ts).
  if ((c.unsent.length > 0 || c.lostLeft > 0 || (c.finPending && !c.finSent)) &&
      c.state !== 'SYN-RECEIVED' && c.state !== 'SYN-SENT') c.flush();
  return true;
}

function textState(c: TcpConnState): boolean {
  const st = c.state;
  return st === 'ESTABLISHED' || st === 'FIN-WAIT-1' || st === 'FIN-WAIT-2';
}

function processText(c: TcpConnState, seq: number, data: Uint8Array | null, fin: boolean): void {
  if (!textState(c)) return; // after the peer's FIN, text is ignored (§3.10.7.4 step 7)
  const d = seqDiff(seq, c.rcvNxt);
  if (d > 0) {
    stash(c, seq, data, fin);
    c.ackNow = true; // duplicate ACK tells the sender where the gap is
    return;
  }
  if (c.ooo !== null) acceptRun(c, trim(data, -d), fin);
  else accept(c, trim(data, -d), fin);
}

function trim(data: Uint8Array | null, off: number): Uint8Array | null {
  if (data === null || off <= 0) return data;
  return off >= data.length ? null : data.subarray(off);
}

/** In-order text: hand bytes to the app, then process a FIN. False when processing stops. */
function accept(c: TcpConnState, bytes: Uint8Array | null, fin: boolean): boolean {
  if (bytes !== null && bytes.length > 0) {
    if (c.userClosed) {
      // The app closed the socket; nobody will read this: reset (Linux, RFC 2525 §2.17).
      c.transmit(RST, c.curAck, null, false);
      c.destroy();
      return false;
    }
    c.rcvNxt = seqAdd(c.rcvNxt, bytes.length);
    c.ackOwed += bytes.length;
    const now = c.host.env.engine.now();
    dataReceived(c, bytes.length, now);
    // The kernel's ACK decision comes before the app reads and answers (ack.ts).
    if (ackBeforeApp(c)) c.sendAck();
    c.deliver(bytes);
    if (c.dead) return false;
  }
  if (fin) {
    finArrived(c);
    return false;
  }
  return textState(c);
}

/** The peer's FIN, in order (after the app read the data before it). */
function finArrived(c: TcpConnState): void {
  c.rcvNxt = seqAdd(c.rcvNxt, 1);
  c.ackNow = true;
  switch (c.state) {
    case 'ESTABLISHED':
      c.setState('CLOSE-WAIT');
      peerClosed(c);
      break;
    case 'FIN-WAIT-1':
      c.setState('CLOSING');
      break;
    case 'FIN-WAIT-2':
      c.setState('TIME-WAIT');
      c.startWaitTimer(true);
      break;
    default:
      break;
  }
}

/**
 * In-order text while out-of-order data is held (Linux tcp_data_queue's in-order branch):
 * 1. queue this segment (tcp_event_data_recv counts it alone: tcp_ofo_queue does not call it
 *    for the segments it moves), then everything it unlocks (tcp_ofo_queue), up to a FIN;
 * 2. one ACK decision (__tcp_ack_snd_check), before the app runs: always "now" here — the held
 *    queue emptied (ICSK_ACK_NOW, RFC 5681 §4.2: "SHOULD send an immediate ACK when a segment
 *    arrives that fills in all or part of a gap") or still holds data (no SACK: send_now);
 * 3. the app reads the run in order (tcp_data_ready only wakes it);
 * 4. a FIN in the run is processed as accept() does.
 * Not the hot path: it may allocate.
 */
function acceptRun(c: TcpConnState, bytes: Uint8Array | null, fin: boolean): void {
  const now = c.host.env.engine.now();
  const from = c.rcvNxt;
  if (bytes !== null && bytes.length > 0) {
    if (c.userClosed) {
      // As in accept(): nobody will read this data.
      c.transmit(RST, c.curAck, null, false);
      c.destroy();
      return;
    }
    c.rcvNxt = seqAdd(c.rcvNxt, bytes.length);
    c.ackOwed += bytes.length;
    dataReceived(c, bytes.length, now);
  }
  let runFin = fin;
  let more: Uint8Array[] | null = null;
  const q = c.ooo!;
  while (!runFin && q.length > 0) {
    const ch = q[0]!;
    const d = seqDiff(ch.seq, c.rcvNxt);
    if (d > 0) break;
    q.shift();
    if (d + ch.len <= 0) continue; // entirely old
    const b = trim(ch.data, -d);
    if (b !== null && b.length > 0) {
      c.rcvNxt = seqAdd(c.rcvNxt, b.length);
      c.ackOwed += b.length;
      (more ?? (more = [])).push(b);
    }
    if (ch.flags & FIN) runFin = true;
  }
  if (q.length === 0) c.ooo = null;
  // A lone FIN (no data advanced) is ACKed after its processing, as in accept().
  if (c.rcvNxt !== from) c.sendAck();
  if (bytes !== null && bytes.length > 0) c.deliver(bytes);
  if (c.dead) return;
  if (more !== null) {
    for (const b of more) {
      if (c.userClosed) {
        // The app closed with acknowledged data unread: Linux tcp_close resets (RFC 2525 §2.17).
        c.transmit(RST, c.curAck, null, false);
        c.destroy();
        return;
      }
      c.deliver(b);
      if (c.dead) return;
    }
  }
  if (runFin && textState(c)) finArrived(c);
}

/**
 * The peer closed: tell the app, then close our half unless the app did (or aborted), or will
 * when it reads the end of the stream (`'later'`: a stopped process; CLOSE-WAIT until then).
 */
function peerClosed(c: TcpConnState): void {
  const h = c.endApp('fin', 'peer sent FIN (orderly close)');
  const later = h !== null && h.onClose('fin') === 'later';
  if (!later && !c.userClosed && !c.dead) c.closeBy('peer closed; the socket closes its half too');
}

function stash(c: TcpConnState, seq: number, data: Uint8Array | null, fin: boolean): void {
  const q = c.ooo ?? (c.ooo = []);
  const chunk: Chunk = {
    seq, data, flags: fin ? FIN : 0, len: (data === null ? 0 : data.length) + (fin ? 1 : 0), firstSentAt: 0, sentAt: 0,
  };
  let i = q.length;
  while (i > 0 && seqGt(q[i - 1]!.seq, seq)) i--;
  if (i > 0 && q[i - 1]!.seq === seq) return; // duplicate
  q.splice(i, 0, chunk);
}

function onReset(c: TcpConnState): void {
  const st = c.state;
  if (st === 'ESTABLISHED' || st === 'FIN-WAIT-1' || st === 'FIN-WAIT-2' || st === 'CLOSE-WAIT') {
    c.fail('rst', 'peer sent RST (connection reset)');
  } else {
    c.destroy();
  }
}
