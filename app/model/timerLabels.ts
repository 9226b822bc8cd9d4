/** What each timer means to a student: the timeline's ribbon label, the log's line when it goes off. */
import type { TimerName } from '../../sim/index.ts';

export const TIMER_LABELS: Record<TimerName, string> = {
  'client.ping': 'PINGREQ due',
  'client.pingresp': 'give up if no PINGRESP',
  'client.reconnect': 'reconnect',
  'client.connect-timeout': 'CONNACK timeout',
  'client.publish': 'next PUBLISH',
  'broker.keepalive': 'keep-alive deadline',
  'broker.connect-wait': 'CONNECT wait',
  'broker.will-delay': 'Will Delay',
  'broker.session-expiry': 'session expiry',
  'broker.autosave': 'store autosave',
  'tcp.rto': 'TCP retransmit (RTO)',
  'tcp.tlp': 'TCP loss probe',
  'tcp.syn': 'SYN retransmit',
  'tcp.keepalive': 'TCP keepalive probe',
  'tcp.time-wait': 'TIME-WAIT',
  'nat.idle': 'NAT idle timeout',
};


/** The log's line when a timer goes off (timer.fire), before what it does. */
export const TIMER_FIRED: Record<TimerName, string> = {
  'client.ping': 'keep-alive interval passed: a PINGREQ is due',
  'client.pingresp': 'waited for PINGRESP long enough',
  'client.reconnect': 'reconnect delay over',
  'client.connect-timeout': 'connect timeout went off',
  'client.publish': 'time for the next PUBLISH',
  'broker.keepalive': 'keep-alive deadline went off',
  'broker.connect-wait': 'wait for CONNECT over',
  'broker.will-delay': 'Will Delay went off',
  'broker.session-expiry': 'session expiry went off',
  'broker.autosave': 'autosave interval passed: the broker writes its store',
  'tcp.rto': 'TCP retransmission timeout went off',
  'tcp.tlp': 'TCP loss probe timer went off',
  'tcp.syn': 'SYN retransmission timer went off',
  'tcp.keepalive': 'TCP keepalive timer went off',
  'tcp.time-wait': 'TIME-WAIT over',
  'nat.idle': 'NAT idle timeout went off',
};
