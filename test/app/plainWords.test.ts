/**
 * The event log's plain-language line (app/log/plainWords.ts): every trace kind has words, and
 * every value of the jargon fields (close causes, TCP states, drop reasons, timers, host
 * states) has its own, so a new kind or value without words fails here, not in front of a student.
 */
import { describe, expect, it } from 'vitest';
import { plainLine } from '../../app/log/plainWords.ts';
import { CLOSE_CAUSES, DROP_REASONS, HOST_STATES, TCP_STATES, TIMER_NAMES, TRACE_SCHEMA } from '../../sim/trace/schema.ts';
import type { TraceEvent } from '../../sim/trace/types.ts';
import { TIMERS } from '../../sim/index.ts';

const ev = (fields: Record<string, unknown>): TraceEvent => ({ seq: 0, tMs: 0, ...fields }) as unknown as TraceEvent;

describe('plainLine', () => {
  it('has words for every trace kind', () => {
    for (const kind of Object.keys(TRACE_SCHEMA)) {
      expect(plainLine(ev({ kind, node: 'n', peer: 'p' })), kind).not.toBe('');
    }
  });

  it('says what a close cause means, the local one as this side closing', () => {
    expect(plainLine(ev({ kind: 'conn.closed', cause: 'local' }))).toBe('closed by this side’s own application (not the other side)');
    const seen = new Set(CLOSE_CAUSES.map((cause) => plainLine(ev({ kind: 'conn.closed', cause }))));
    expect(seen.size).toBe(CLOSE_CAUSES.length);
  });

  it('says a delivered segment arrived, and what its flags mean when sent', () => {
    expect(plainLine(ev({ kind: 'seg.deliver', node: 'sensor', peer: 'broker' }))).toBe('a segment arrived at broker');
    expect(plainLine(ev({ kind: 'seg.send', flags: 'FIN,ACK', len: 0 }))).toMatch(/goodbye \(FIN\)/);
    expect(plainLine(ev({ kind: 'seg.send', flags: 'RST', len: 0 }))).toMatch(/reset \(RST\)/);
    expect(plainLine(ev({ kind: 'seg.send', flags: 'PSH,ACK', len: 12, retransmit: true }))).toBe('sent again (no acknowledgement came): 12 bytes of data');
  });

  it('has its own words for every TCP state, drop reason, timer and host state', () => {
    for (const to of TCP_STATES) expect(plainLine(ev({ kind: 'tcp.state', node: 'n', to })), to).not.toBe(`n: ${to}`);
    for (const reason of DROP_REASONS) expect(plainLine(ev({ kind: 'seg.drop', reason })), reason).not.toBe('a segment was lost');
    for (const timer of TIMER_NAMES) expect(plainLine(ev({ kind: 'timer.set', timer })), timer).not.toMatch(/a deadline$/);
    // ...the simulator's words for it (sim/trace/timers.ts), the ones the Inspector and the timeline show.
    expect(plainLine(ev({ kind: 'timer.fire', timer: 'broker.will-delay' }))).toBe(`a timer went off: ${TIMERS['broker.will-delay'].meaning}`);
    expect(new Set(TIMER_NAMES.map((timer) => plainLine(ev({ kind: 'timer.set', timer })))).size).toBe(TIMER_NAMES.length);
    // A timer that moves under another name says both: what starts, and what stops waiting.
    expect(plainLine(ev({ kind: 'timer.set', timer: 'client.ping', replaces: 'client.pingresp' })))
      .toBe(`a timer starts: ${TIMERS['client.ping'].meaning}, in place of one that stops without going off: ${TIMERS['client.pingresp'].meaning}`);
    const hosts = new Set(HOST_STATES.map((state) => plainLine(ev({ kind: 'host.state', state }))));
    expect(hosts.size).toBe(HOST_STATES.length);
  });
});
