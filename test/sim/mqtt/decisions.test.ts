import { describe, expect, it } from 'vitest';
import { BROKER_PROFILES } from '../../../sim/profiles/broker-profiles.ts';
import { CLIENT_PROFILES } from '../../../sim/profiles/client-profiles.ts';
import {
  keepAliveCloseAt, negotiateKeepAlive, pendingWillOnReconnect, willOnClientDisconnect,
  willOnTakeover, willTimingAfterClose,
} from '../../../sim/profiles/decisions.ts';

const spec = BROKER_PROFILES.spec;
const mosq = BROKER_PROFILES['mosquitto-2.0'];
const aedes = BROKER_PROFILES.aedes;

describe('every profile field cites its source', () => {
  for (const p of [...Object.values(BROKER_PROFILES), ...Object.values(CLIENT_PROFILES)]) {
    it(p.name, () => {
      for (const [k, v] of Object.entries(p)) {
        if (v && typeof v === 'object' && 'value' in v) {
          // behaviour.md, or where it is silent the upstream file read, as owner/repo path @commit.
          const source = (v as { source: string }).source;
          expect(source, k).toMatch(/behaviour\.md|[\w.-]+\/[\w.-]+ \S+\.\w+ @[0-9a-f]{7}/);
          // A measurement on a real broker must name the test that repeats it.
          if (/\bmeasured on\b/.test(source)) expect(source, k).toMatch(/test\/kernel\/[\w./-]+\.test\.ts/);
        }
      }
    });
  }
});

describe('takeover Will, spec 5.0 decision table (behaviour.md §2.2)', () => {
  const rows: [number, number, boolean, boolean][] = [
    // old WDI, old SEI, new Clean Start, published
    [0, 0, false, true], [0, 60, false, true], [0, 60, true, true], [0, 0, true, true],
    [10, 0, false, true], [10, 0, true, true],
    [10, 60, true, true],
    [10, 60, false, false],
  ];
  for (const [wdi, sei, cs, want] of rows) {
    it(`WDI=${wdi} SEI=${sei} new CleanStart=${cs} → ${want ? 'published' : 'not published'}`, () => {
      const d = willOnTakeover(spec,
        { protocol: '5.0', cleanStart: true, sessionExpirySeconds: sei, willDelaySeconds: wdi }, cs);
      expect(d.publish).toBe(want);
    });
  }
  it('3.1.1: always published ([MQTT-3.1.2-8] read literally)', () => {
    for (const [oc, nc] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const d = willOnTakeover(spec,
        { protocol: '3.1.1', cleanStart: oc, sessionExpirySeconds: oc ? 0 : 0xffffffff, willDelaySeconds: 0 }, nc);
      expect(d.publish).toBe(true);
      expect(d.rule).toBe('MQTT-3.1.2-8');
    }
  });
});

describe('takeover Will, mosquitto 2.0 (behaviour.md §2.4, §10.3)', () => {
  const rows: [string, '3.1.1' | '5.0', boolean, number, number, boolean, boolean][] = [
    // label, protocol, old clean, old SEI, old WDI, new clean, published
    ['3.1.1 clean=1 → clean=1', '3.1.1', true, 0, 0, true, true],
    ['3.1.1 clean=0 → clean=0', '3.1.1', false, 0xffffffff, 0, false, false],
    ['3.1.1 clean=1 → clean=0', '3.1.1', true, 0, 0, false, true],
    ['3.1.1 clean=0 → clean=1', '3.1.1', false, 0xffffffff, 0, true, true],
    ['5.0 SEI=0 WDI=0 → CS=1', '5.0', true, 0, 0, true, true],
    ['5.0 SEI=0 WDI=0 → CS=0', '5.0', true, 0, 0, false, true],
    ['5.0 SEI=60 WDI=0 → CS=0 (spec says yes)', '5.0', false, 60, 0, false, false],
    ['5.0 SEI=60 WDI=0 → CS=1', '5.0', false, 60, 0, true, true],
    ['5.0 SEI=60 WDI=10 → CS=0', '5.0', false, 60, 10, false, false],
    ['5.0 SEI=60 WDI=10 → CS=1 (spec says yes)', '5.0', false, 60, 10, true, false],
    ['5.0 SEI=0 WDI=10 → CS=1', '5.0', true, 0, 10, true, false],
  ];
  for (const [label, protocol, oc, sei, wdi, nc, want] of rows) {
    it(label, () => {
      const d = willOnTakeover(mosq,
        { protocol, cleanStart: oc, sessionExpirySeconds: sei, willDelaySeconds: wdi }, nc);
      expect(d.publish).toBe(want);
    });
  }
});

describe('takeover Will, aedes: always (behaviour.md §2.4, §10.3)', () => {
  for (const [oc, nc] of [[false, false], [true, true], [false, true], [true, false]] as const) {
    it(`clean ${oc} → ${nc}`, () => {
      expect(willOnTakeover(aedes,
        { protocol: '3.1.1', cleanStart: oc, sessionExpirySeconds: 0, willDelaySeconds: 0 }, nc).publish).toBe(true);
    });
  }
});

describe('client DISCONNECT and the Will (behaviour.md §3.2)', () => {
  const rows: [string, typeof spec, '3.1.1' | '5.0', number, boolean][] = [
    ['spec 3.1.1', spec, '3.1.1', 0, false],
    ['spec 5.0 0x00', spec, '5.0', 0x00, false],
    ['spec 5.0 0x04', spec, '5.0', 0x04, true],
    ['spec 5.0 0x80', spec, '5.0', 0x80, true],
    ['mosquitto 5.0 0x04', mosq, '5.0', 0x04, true],
    ['mosquitto 5.0 0x80', mosq, '5.0', 0x80, false],
    ['mosquitto 3.1.1', mosq, '3.1.1', 0, false],
  ];
  for (const [label, p, proto, rc, keep] of rows) {
    it(label, () => { expect(willOnClientDisconnect(p, proto, rc).publish).toBe(keep); });
  }
});

describe('Will Delay', () => {
  it('spec: SEI=0 publishes at close; SEI>0 waits', () => {
    expect(willTimingAfterClose(spec, '5.0', 0, 3)).toEqual({ kind: 'now', sessionEnded: true });
    expect(willTimingAfterClose(spec, '5.0', 60, 3)).toEqual({ kind: 'delay', seconds: 3 });
  });
  it('mosquitto: SEI=0 still waits the delay', () => {
    expect(willTimingAfterClose(mosq, '5.0', 0, 3)).toEqual({ kind: 'delay', seconds: 3 });
  });
  it('reconnect with Clean Start=1 before the delay: spec publishes, mosquitto drops', () => {
    expect(pendingWillOnReconnect(spec, true).publish).toBe(true);
    expect(pendingWillOnReconnect(mosq, true).publish).toBe(false);
    expect(pendingWillOnReconnect(spec, false).publish).toBe(false);
  });
});

describe('broker keep-alive deadline', () => {
  it('spec: exactly 1.5 K after the last packet', () => {
    expect(keepAliveCloseAt(spec, 10, 1_234_567, 0)).toBe(1_234_567 + 15_000_000);
  });
  it('aedes: 1.5 K + 1 ms', () => {
    expect(keepAliveCloseAt(aedes, 2, 30_000, 0)).toBe(30_000 + 3_001_000);
  });
  it('mosquitto: inside the measured windows of behaviour.md §10.2', () => {
    const last = 30_000; // CONNECT arriving 30 ms after broker start
    const after = (k: number) => (keepAliveCloseAt(mosq, k, last, 0) - last) / 1e6;
    expect(after(2)).toBeGreaterThanOrEqual(4.6);
    expect(after(2)).toBeLessThanOrEqual(7.3);
    expect(Math.abs(after(10) - 17.3)).toBeLessThan(0.5);
    expect(Math.abs(after(5) - 11.37)).toBeLessThan(0.5);
    expect(after(1)).toBeGreaterThanOrEqual(5.0);
  });
  it('mosquitto: never before floor(1.5K)+1 whole seconds', () => {
    for (let last = 0; last < 7_000_000; last += 250_000) {
      for (const k of [1, 2, 3, 10, 60]) {
        const at = keepAliveCloseAt(mosq, k, last, 0);
        expect(at - last).toBeGreaterThan(Math.floor((3 * k) / 2) * 1e6);
        expect(at - last).toBeLessThanOrEqual((Math.floor((3 * k) / 2) + 8) * 1e6);
      }
    }
  });
});

describe('keep-alive negotiation', () => {
  it('spec 5.0: Server Keep Alive replaces K [MQTT-3.2.2-21]', () => {
    expect(negotiateKeepAlive(spec, '5.0', 60, 30, null)).toMatchObject({ keepAliveSeconds: 30, serverKeepAlive: 30 });
  });
  it('mosquitto max_keepalive: v5 gets Server Keep Alive, v3 is refused with 0x02', () => {
    expect(negotiateKeepAlive(mosq, '5.0', 600, null, 60)).toMatchObject({ keepAliveSeconds: 60, serverKeepAlive: 60 });
    expect(negotiateKeepAlive(mosq, '5.0', 0, null, 60)).toMatchObject({ keepAliveSeconds: 60, serverKeepAlive: 60 });
    expect(negotiateKeepAlive(mosq, '3.1.1', 600, null, 60).rejectCode).toBe(2);
    expect(negotiateKeepAlive(mosq, '3.1.1', 30, null, 60).rejectCode).toBe(null);
    expect(negotiateKeepAlive(mosq, '5.0', 60, 30, null).serverKeepAlive).toBe(null);
  });
  it('aedes keepaliveLimit: return code 6', () => {
    expect(negotiateKeepAlive(aedes, '3.1.1', 0, null, 60).rejectCode).toBe(6);
    expect(negotiateKeepAlive(aedes, '3.1.1', 30, null, 60).rejectCode).toBe(null);
  });
});
