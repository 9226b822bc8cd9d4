/**
 * Decision functions: what a broker or client profile does in one situation, computed from
 * the profile data alone (no `if (profile === 'x')`). Pure and table-tested
 * (test/sim/mqtt/decisions.test.ts). Each answer carries the statement id or source and a
 * plain-language `why` for the trace.
 */
import type { ProtocolVersion } from '../scenario/types.ts';
import type { BrokerProfile } from './broker-profiles.ts';

const US = 1_000_000;

// ---- Will on takeover ------------------------------------------------------------------

/** What the broker knows about the connection being taken over. */
export interface TakenOverConnection {
  protocol: ProtocolVersion;
  cleanStart: boolean;
  /** MQTT 5 Session Expiry Interval; 3.1.1 CleanSession=0 counts as "never" (> 0). */
  sessionExpirySeconds: number;
  willDelaySeconds: number;
}

export interface WillDecision { publish: boolean; rule: string; why: string }

export function willOnTakeover(
  p: BrokerProfile, old: TakenOverConnection, newCleanStart: boolean,
): WillDecision {
  if (old.protocol === '3.1.1' && p.takeoverWill311.value === 'always') {
    return {
      publish: true, rule: 'MQTT-3.1.2-8',
      why: '[MQTT-3.1.2-8] the old Network Connection closed without DISCONNECT, so its Will is published',
    };
  }
  if (p.takeoverWill5.value === 'mosquitto-rule' || p.takeoverWill311.value === 'if-either-clean-session') {
    // src/handle_connect.c: send the Will only if the old session is not continued.
    const ends = (old.protocol === '5.0' && old.sessionExpirySeconds === 0)
      || (old.protocol === '3.1.1' && old.cleanStart)
      || newCleanStart;
    if (!ends) {
      return {
        publish: false, rule: 'mosquitto-2.0',
        why: 'the session continues (no clean session on either side), so mosquitto drops the old Will',
      };
    }
    if (old.willDelaySeconds > 0) {
      return {
        publish: false, rule: 'mosquitto-2.0',
        why: 'mosquitto schedules the delayed Will and deletes it at once (will_delay__remove): never published',
      };
    }
    return {
      publish: true, rule: 'mosquitto-2.0',
      why: 'the old session ends (SEI=0, CleanSession=1 or new Clean Start=1), so mosquitto publishes the Will',
    };
  }
  // MQTT 5 decision table, behaviour.md §2.2.
  if (old.willDelaySeconds === 0) {
    return {
      publish: true, rule: 'MQTT-3.1.4-3',
      why: '[MQTT-3.1.4-3] Will Delay is 0, so the Will is sent at the close of the existing connection',
    };
  }
  if (old.sessionExpirySeconds === 0) {
    return {
      publish: true, rule: 'MQTT-3.1.2-8',
      why: 'the old Session Expiry is 0, so the original session ends on takeover and the Will is sent',
    };
  }
  if (newCleanStart) {
    return {
      publish: true, rule: 'MQTT-3.1.2-8',
      why: 'the new connection has Clean Start=1, so the session ends and the Will is sent',
    };
  }
  return {
    publish: false, rule: 'MQTT-3.1.3-9',
    why: '[MQTT-3.1.3-9] a new connection to the session arrived before the Will Delay elapsed',
  };
}

// ---- Will on a client DISCONNECT --------------------------------------------------------

export function willOnClientDisconnect(
  p: BrokerProfile, protocol: ProtocolVersion, reasonCode: number,
): WillDecision {
  if (protocol === '3.1.1') {
    return {
      publish: false, rule: 'MQTT-3.14.4-3',
      why: '[MQTT-3.14.4-3] on DISCONNECT the Server MUST discard the Will without publishing it',
    };
  }
  if (reasonCode === 0x00) {
    return {
      publish: false, rule: 'MQTT-3.14.4-3',
      why: '[MQTT-3.14.4-3] DISCONNECT with reason 0x00 deletes the Will',
    };
  }
  if (reasonCode === 0x04) {
    return {
      publish: true, rule: 'MQTT-3.14.2.1',
      why: 'DISCONNECT 0x04 "Disconnect with Will Message" asks the Server to publish the Will',
    };
  }
  if (p.disconnectWill.value === 'all-except-0x04') {
    return {
      publish: false, rule: 'mosquitto-2.0',
      why: `mosquitto deletes the Will on any DISCONNECT reason except 0x04 (got 0x${hex(reasonCode)})`,
    };
  }
  return {
    publish: true, rule: 'MQTT-3.1.2-8',
    why: `[MQTT-3.1.2-8] closed without DISCONNECT 0x00 (reason 0x${hex(reasonCode)}), so the Will stays`,
  };
}

function hex(n: number): string { return n.toString(16).padStart(2, '0'); }

// ---- Will Delay after a close ------------------------------------------------------------

export type WillTiming =
  | { kind: 'now'; sessionEnded: boolean }
  | { kind: 'delay'; seconds: number };

/**
 * When a Will that is to be published goes out, MQTT 5 §3.1.3.2.2: after the Will Delay or
 * when the session ends, whichever is first. SEI=0 ends the session at close.
 */
export function willTimingAfterClose(
  p: BrokerProfile, protocol: ProtocolVersion, sessionExpirySeconds: number, willDelaySeconds: number,
): WillTiming {
  if (protocol === '3.1.1' || willDelaySeconds === 0) return { kind: 'now', sessionEnded: false };
  if (sessionExpirySeconds === 0 && p.willAtCloseWhenSessionEnds.value) {
    return { kind: 'now', sessionEnded: true };
  }
  return { kind: 'delay', seconds: willDelaySeconds };
}

/** A new connection for the ClientId arrives while a delayed Will waits. */
export function pendingWillOnReconnect(p: BrokerProfile, cleanStart: boolean): WillDecision {
  if (!cleanStart) {
    return {
      publish: false, rule: 'MQTT-3.1.3-9',
      why: '[MQTT-3.1.3-9] a new connection to the session arrived before the Will Delay elapsed',
    };
  }
  if (p.cleanStartDuringWillDelay.value === 'publish') {
    return {
      publish: true, rule: 'MQTT-3.1.2-8',
      why: 'Clean Start=1 ends the old session, and a session end publishes a pending Will (§3.1.3.2.2)',
    };
  }
  return {
    publish: false, rule: 'mosquitto-2.0',
    why: 'mosquitto cancels a pending delayed Will on any reconnect, even with Clean Start=1',
  };
}

// ---- Keep-alive negotiation ---------------------------------------------------------------

export interface KeepAliveNegotiation {
  /** CONNACK code that refuses the connection, or null. */
  rejectCode: number | null;
  /** Keep-alive in force for the connection (seconds). */
  keepAliveSeconds: number;
  /** Server Keep Alive to put in the v5 CONNACK, or null. */
  serverKeepAlive: number | null;
  why: string;
}

export function negotiateKeepAlive(
  p: BrokerProfile, protocol: ProtocolVersion, clientK: number,
  serverKeepAliveSeconds: number | null, maxKeepAliveSeconds: number | null,
): KeepAliveNegotiation {
  const over = maxKeepAliveSeconds !== null && maxKeepAliveSeconds > 0
    && (clientK > maxKeepAliveSeconds || clientK === 0);
  const policy = p.maxKeepAlive.value;
  if (policy === 'aedes-reject-6' && over) {
    return {
      rejectCode: 6, keepAliveSeconds: clientK, serverKeepAlive: null,
      why: `aedes keepaliveLimit ${maxKeepAliveSeconds} s: K=${clientK} refused with return code 6`,
    };
  }
  if (protocol === '5.0') {
    if (p.serverKeepAliveOption.value && serverKeepAliveSeconds !== null) {
      return {
        rejectCode: null, keepAliveSeconds: serverKeepAliveSeconds, serverKeepAlive: serverKeepAliveSeconds,
        why: `[MQTT-3.2.2-21] Server Keep Alive ${serverKeepAliveSeconds} s replaces the client's ${clientK} s`,
      };
    }
    if (over) {
      return {
        rejectCode: null, keepAliveSeconds: maxKeepAliveSeconds, serverKeepAlive: maxKeepAliveSeconds,
        why: `K=${clientK} exceeds the maximum ${maxKeepAliveSeconds} s: Server Keep Alive ${maxKeepAliveSeconds} s`,
      };
    }
  } else if (over && policy === 'mosquitto') {
    return {
      rejectCode: 2, keepAliveSeconds: clientK, serverKeepAlive: null,
      why: `mosquitto max_keepalive ${maxKeepAliveSeconds} s: a 3.1.1 client with K=${clientK} ` +
        'is refused with CONNACK 0x02 (it cannot be told a Server Keep Alive)',
    };
  }
  return { rejectCode: null, keepAliveSeconds: clientK, serverKeepAlive: null, why: '' };
}

// ---- Broker keep-alive deadline -------------------------------------------------------------

/**
 * The instant the broker closes an idle connection whose last packet arrived at
 * `lastRecvUs`, with K > 0. `brokerStartUs` anchors mosquitto's integer clock; its scans come
 * every gap + 1 seconds counted from `scanOriginS` (the clock second of its last scan out of
 * turn: 0, the start, until a scan at SIGCONT moves it, connection.ts keepAliveScanAtResume).
 */
export function keepAliveCloseAt(
  p: BrokerProfile, keepAliveSeconds: number, lastRecvUs: number, brokerStartUs: number, scanOriginS = 0,
): number {
  const model = p.keepAlive.value;
  if (model.kind === 'exact') return lastRecvUs + keepAliveSeconds * 1_500_000 + model.extraUs;
  // mosquitto 2.0: now_s - last_in_s > K*3/2 (integer division), checked on scans at
  // now_s = origin + (gap+1)·n, n ≥ 1 (src/keepalive.c: last_keepalive_check + gap < now_s).
  const lastInS = clockSecond(lastRecvUs, brokerStartUs, model.clockPhaseUs);
  const needS = lastInS + Math.floor((keepAliveSeconds * 3) / 2) + 1;
  const period = model.scanGapSeconds + 1;
  let scanS = scanOriginS + Math.ceil((needS - scanOriginS) / period) * period;
  if (scanS < scanOriginS + period) scanS = scanOriginS + period;
  return clockSecondStart(scanS, brokerStartUs, model.clockPhaseUs);
}

/** Integer-second clock of a broker started at `startUs`, ticking `phaseUs` after each second. */
export function clockSecond(tUs: number, startUs: number, phaseUs: number): number {
  return Math.floor((tUs - startUs + phaseUs) / US);
}

/** First instant at which the clock reads `s`. */
export function clockSecondStart(s: number, startUs: number, phaseUs: number): number {
  return startUs + s * US - phaseUs;
}

/**
 * When a whole-second timer ("fires when due_s < now_s", mosquitto will_delay.c and
 * session_expiry.c) started at `fromUs` with `seconds` fires; exact profiles fire at
 * fromUs + seconds.
 */
export function sessionTimerAt(p: BrokerProfile, fromUs: number, seconds: number, brokerStartUs: number): number {
  if (p.sessionClock.value === 'exact') return fromUs + seconds * US;
  const phase = p.keepAlive.value.kind === 'scan' ? p.keepAlive.value.clockPhaseUs : 0;
  const dueS = clockSecond(fromUs, brokerStartUs, phase) + seconds + 1;
  return clockSecondStart(dueS, brokerStartUs, phase);
}

/** Statement id of the server keep-alive rule for the protocol. */
export function keepAliveRule(protocol: ProtocolVersion): string {
  return protocol === '5.0' ? 'MQTT-3.1.2-22' : 'MQTT-3.1.2-24';
}
