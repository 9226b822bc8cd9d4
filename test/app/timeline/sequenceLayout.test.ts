import { describe, it, expect } from 'vitest';
import { buildSequenceLayout, mergeFaults, packRows } from '../../../app/view-model/sequenceLayout.ts';
import { controlLabel, joinPacketNames, LINK_DROP_FRACTION } from '../../../app/view-model/segmentArrows.ts';
import { TraceBuilder } from './traceBuilder.ts';
import { buildStoryTrace, STORY_DURATION_MS, STORY_NODES } from './storyTrace.ts';

const NODES = ['broker', 'c1'];

describe('arrows', () => {
  it('run from the send time on the sender lane to the receive time on the receiver lane', () => {
    const b = new TraceBuilder(10);
    b.packet(1000, 'c1', 'broker', 'c1/1', 'PINGREQ', 2);
    b.packet(1010, 'broker', 'c1', 'c1/1', 'PINGRESP', 2);
    const layout = buildSequenceLayout(b.build(), NODES, 5000);
    const mqtt = layout.arrows.filter((a) => a.kind === 'mqtt');
    expect(mqtt.map((a) => [a.label, a.fromLane, a.sendMs, a.toLane, a.endMs, a.outcome])).toEqual([
      ['PINGREQ', 1, 1000, 0, 1010, 'delivered'],
      ['PINGRESP', 0, 1010, 1, 1020, 'delivered'],
    ]);
    // The pure ACKs are control arrows without a packet name.
    const acks = layout.arrows.filter((a) => a.kind === 'control');
    expect(acks).toHaveLength(2);
    expect(acks.every((a) => a.label === '')).toBe(true);
  });

  it('select the mqtt.send event when clicked, and map both mqtt events to the arrow', () => {
    const b = new TraceBuilder(10);
    b.packet(0, 'c1', 'broker', 'c1/1', 'CONNECT', 30, { clientId: 'x' });
    const trace = b.build();
    const layout = buildSequenceLayout(trace, NODES, 100);
    const arrow = layout.arrows[0]!;
    expect(trace[arrow.selectSeq]!.kind).toBe('mqtt.send');
    const recv = trace.findIndex((e) => e.kind === 'mqtt.recv');
    expect(layout.itemBySeq.get(recv)).toEqual({ type: 'arrow', index: 0 });
  });

  it('name a segment after every packet it carries, as seg.send `packets` numbers them', () => {
    const b = new TraceBuilder(10);
    b.add(0, 'mqtt.send', { node: 'c1', peer: 'broker', conn: 'k', packet: 'PUBLISH', bytes: 10 });
    b.add(0, 'mqtt.send', { node: 'c1', peer: 'broker', conn: 'k', packet: 'PINGREQ', bytes: 2 });
    b.add(0, 'mqtt.send', { node: 'c1', peer: 'broker', conn: 'k', packet: 'PUBACK', bytes: 4 });
    b.seg(0, 'c1', 'broker', 'k', 'PSH,ACK', 12, { packets: [1, 2] });
    b.seg(5, 'c1', 'broker', 'k', 'PSH,ACK', 4, { packets: [3] });
    b.seg(6, 'c1', 'broker', 'k', 'PSH,ACK', 4); // data the trace does not attribute
    const layout = buildSequenceLayout(b.build(), NODES, 100);
    expect(layout.arrows.map((a) => a.label)).toEqual(['PUBLISH+PINGREQ', 'PUBACK', 'data']);
    expect(joinPacketNames(['PUBLISH', 'PUBLISH', 'PUBLISH', 'PINGREQ'])).toBe('PUBLISH×3+PINGREQ');
  });

  it('read control flags written as words or letters', () => {
    expect(controlLabel('SYN')).toBe('SYN');
    expect(controlLabel('SYN,ACK')).toBe('SYN-ACK');
    expect(controlLabel('FIN,ACK')).toBe('FIN');
    expect(controlLabel('RST')).toBe('RST');
    expect(controlLabel('ACK')).toBe('');
    expect(controlLabel('S.')).toBe('SYN-ACK');
    expect(controlLabel('R')).toBe('RST');
  });
});

describe('dropped segments', () => {
  it('lost on the link: a cross part-way along the path, at the send time plus a fraction of the latency', () => {
    const b = new TraceBuilder(10);
    b.packet(0, 'c1', 'broker', 'c1/1', 'CONNECT', 30);
    b.packet(2000, 'broker', 'c1', 'c1/1', 'PINGRESP', 2, {}, 'loss');
    const layout = buildSequenceLayout(b.build(), NODES, 5000);
    const lost = layout.arrows.find((a) => a.label === 'PINGRESP')!;
    expect(lost.outcome).toBe('dropped');
    expect(lost.dropReason).toBe('loss');
    expect(lost.dropMs).toBe(2000);
    expect(lost.endMs).toBeCloseTo(2000 + LINK_DROP_FRACTION * 10, 9);
    expect(lost.endLanePos).toBeCloseTo(0 + LINK_DROP_FRACTION * (1 - 0), 9);
  });

  it('host down: the cross is at the arrival time on the receiver lane', () => {
    const b = new TraceBuilder(10);
    b.seg(3000, 'broker', 'c1', 'c1/1', 'FIN,ACK', 0, { drop: 'host-down' });
    const layout = buildSequenceLayout(b.build(), NODES, 5000);
    const a = layout.arrows[0]!;
    expect([a.outcome, a.dropReason, a.endMs, a.endLanePos, a.label]).toEqual(['dropped', 'host-down', 3010, 1, 'FIN']);
  });

  it('a retransmission is named after the packets it resends', () => {
    const b = new TraceBuilder(10);
    b.packet(0, 'c1', 'broker', 'k', 'PUBLISH', 20, {}, 'loss');
    b.seg(200, 'c1', 'broker', 'k', 'PSH,ACK', 20, { retransmit: true, packets: [1] });
    const layout = buildSequenceLayout(b.build(), NODES, 1000);
    expect(layout.arrows.map((a) => [a.label, a.retransmit, a.outcome])).toEqual([
      ['PUBLISH', false, 'dropped'], ['PUBLISH', true, 'delivered'],
    ]);
  });
});

describe('connection bands', () => {
  it('a half-open connection gives two bands that disagree from the first close to the second', () => {
    const b = new TraceBuilder(10);
    b.handshake(0, 'c1', 'broker', 'c1/1');
    b.add(5000, 'action', { do: 'power-off', node: 'c1' });
    b.add(5000, 'conn.closed', { node: 'c1', peer: 'broker', conn: 'c1/1', cause: 'local', host: 'off' });
    b.add(5000, 'host.state', { node: 'c1', state: 'off' });
    b.add(20_000, 'broker.keepalive-expired', { node: 'broker', clientId: 'c1', conn: 'c1/1', lastRecvMs: 40 });
    b.add(20_000, 'conn.closed', { node: 'broker', peer: 'c1', conn: 'c1/1', cause: 'timeout' });
    const layout = buildSequenceLayout(b.build(), NODES, 30_000);
    const client = layout.bands.find((x) => x.node === 'c1')!;
    const broker = layout.bands.find((x) => x.node === 'broker')!;
    expect([client.fromMs, client.toMs, client.cause]).toEqual([20, 5000, 'power-off']);
    expect([broker.fromMs, broker.toMs, broker.cause]).toEqual([30, 20_000, 'timeout']);
    // Both drawn in the client's lane, on adjacent rows, so they can be compared.
    expect([client.lane, broker.lane]).toEqual([1, 1]);
    expect(client.row).not.toBe(broker.row);
    expect(layout.halfOpen).toHaveLength(1);
    const h = layout.halfOpen[0]!;
    expect([h.fromMs, h.toMs, h.openNode, h.closedNode]).toEqual([5000, 20_000, 'broker', 'c1']);
    expect([h.closedRow, h.openRow]).toEqual([client.row, broker.row]);
  });

  it('an orderly close (a few ms out of step) is not half-open', () => {
    const b = new TraceBuilder(10);
    b.handshake(0, 'c1', 'broker', 'c1/1');
    // The closing end's FIN is on its way (closing, not half-open); once it lands the broker
    // is in CLOSE-WAIT and no longer believes the connection is open.
    b.add(1000, 'conn.closed', { node: 'c1', peer: 'broker', conn: 'c1/1', cause: 'local' });
    b.add(1000, 'tcp.state', { node: 'c1', peer: 'broker', conn: 'c1/1', from: 'ESTABLISHED', to: 'FIN-WAIT-1' });
    b.seg(1000, 'c1', 'broker', 'c1/1', 'FIN,ACK', 0);
    b.add(1010, 'tcp.state', { node: 'broker', peer: 'c1', conn: 'c1/1', from: 'ESTABLISHED', to: 'CLOSE-WAIT' });
    b.add(1020, 'conn.closed', { node: 'broker', peer: 'c1', conn: 'c1/1', cause: 'fin' });
    const layout = buildSequenceLayout(b.build(), NODES, 2000);
    expect(layout.bands).toHaveLength(2);
    expect(layout.halfOpen).toHaveLength(0);
  });

  it('a band still open at the end runs to the end of the axis', () => {
    const b = new TraceBuilder(10);
    b.handshake(0, 'c1', 'broker', 'c1/1');
    const layout = buildSequenceLayout(b.build(), NODES, 9000);
    expect(layout.bands.map((x) => [x.toMs, x.cause])).toEqual([[9000, null], [9000, null]]);
  });
});

describe('timer ribbons', () => {
  it('span from set to due when they fire, to the clear or re-arm otherwise', () => {
    const b = new TraceBuilder(10);
    b.add(0, 'timer.set', { node: 'c1', timer: 'client.ping', dueMs: 10_000, conn: 'k' });
    b.add(10_000, 'timer.fire', { node: 'c1', timer: 'client.ping', conn: 'k' });
    b.add(10_000, 'timer.set', { node: 'c1', timer: 'client.ping', dueMs: 20_000, conn: 'k' });
    b.add(10_000, 'timer.set', { node: 'c1', timer: 'client.pingresp', dueMs: 20_000, conn: 'k' });
    b.add(10_020, 'timer.clear', { node: 'c1', timer: 'client.pingresp', conn: 'k' });
    b.add(12_000, 'timer.set', { node: 'c1', timer: 'client.ping', dueMs: 22_000, conn: 'k' });
    b.add(30, 'timer.set', { node: 'broker', timer: 'broker.keepalive', dueMs: 15_030, conn: 'k', clientId: 'c1' });
    b.add(15_030, 'timer.fire', { node: 'broker', timer: 'broker.keepalive', conn: 'k', clientId: 'c1' });
    b.add(22_000, 'timer.fire', { node: 'c1', timer: 'client.ping', conn: 'k' });
    b.add(0, 'conn.open', { node: 'c1', peer: 'broker', conn: 'k' });
    const layout = buildSequenceLayout(b.build(), NODES, 30_000);
    const rows = layout.ribbons.map((r) => [r.node, r.timer, r.setMs, r.endMs, r.outcome]);
    expect(rows).toEqual([
      ['c1', 'client.ping', 0, 10_000, 'fired'],
      ['broker', 'broker.keepalive', 30, 15_030, 'fired'],
      ['c1', 'client.ping', 10_000, 12_000, 'replaced'],
      ['c1', 'client.pingresp', 10_000, 10_020, 'cleared'],
      ['c1', 'client.ping', 12_000, 22_000, 'fired'],
    ]);
    // The broker's deadline for c1's connection is drawn in c1's lane.
    expect(layout.ribbons.every((r) => r.lane === 1)).toBe(true);
    expect(layout.ribbons.find((r) => r.timer === 'broker.keepalive')!.label).toBe('keep-alive deadline');
  });

  it('end where the trace clears them when their host loses power', () => {
    const b = new TraceBuilder(10);
    b.add(0, 'timer.set', { node: 'c1', timer: 'client.ping', dueMs: 10_000 });
    b.add(4000, 'action', { do: 'power-off', node: 'c1' });
    b.add(4000, 'timer.clear', { node: 'c1', timer: 'client.ping', why: 'host powered off' });
    const layout = buildSequenceLayout(b.build(), NODES, 30_000);
    expect([layout.ribbons[0]!.endMs, layout.ribbons[0]!.outcome]).toEqual([4000, 'cleared']);
  });

  it('pack into rows, keeping a timer kind on its row', () => {
    const items = [
      { start: 0, end: 10, row: -1, lane: 0, timer: 'a' },
      { start: 0, end: 5, row: -1, lane: 0, timer: 'b' },
      { start: 10, end: 20, row: -1, lane: 0, timer: 'a' },
      { start: 6, end: 8, row: -1, lane: 0, timer: 'b' },
    ];
    expect(packRows(items, 3, (i) => i.timer)).toBe(2);
    expect(items.map((i) => i.row)).toEqual([0, 1, 0, 1]);
  });
});

describe('the story fixture', () => {
  const trace = buildStoryTrace();
  const layout = buildSequenceLayout(trace, STORY_NODES, STORY_DURATION_MS);

  it('has the half-open connections, the lost PINGRESP, the takeover and the Wills', () => {
    expect(layout.halfOpen.map((h) => [h.conn, h.fromMs, h.toMs])).toEqual([
      ['meter/1', 25_000, 36_040], ['sensor/1', 60_040, 68_070],
    ]);
    const lost = layout.arrows.filter((a) => a.label === 'PINGRESP' && a.outcome === 'dropped');
    expect(lost[0]!.dropReason).toBe('loss');
    expect(lost.slice(1).every((a) => a.retransmit && a.dropReason === 'cut')).toBe(true);
    expect(layout.markers.filter((m) => m.kind === 'will.published').map((m) => m.tMs)).toEqual([36_040, 68_070]);
    expect(layout.markers.find((m) => m.kind === 'broker.takeover')!.lane).toBe(0);
  });

  it('shades the power-off and the cut, and adds only new windows from props', () => {
    expect(layout.faults.map((f) => [f.label, f.fromMs, f.toMs, f.lanes])).toEqual([
      ['meter powered off', 25_000, 90_000, [2]], ['link sensor–broker cut', 40_100, 65_000, [1]],
    ]);
    const merged = mergeFaults(layout, [
      { fromMs: 25_000, toMs: 90_000, label: 'meter powered off', node: 'meter' }, // duplicate
      { fromMs: 70_000, toMs: 80_000, label: 'loss 30% on sensor–broker', link: ['sensor', 'broker'] },
      { fromMs: 75_000, toMs: 75_000, label: 'sensor disconnects', node: 'sensor' }, // an instant
    ]);
    expect(merged.map((f) => f.label)).toEqual(['meter powered off', 'link sensor–broker cut', 'loss 30% on sensor–broker']);
    expect(merged[2]!.lanes).toEqual([1]);
    expect(layout.faults).toHaveLength(2); // the memoized layout is left alone
  });

  it('gives every event a time and, where it has a node, a lane', () => {
    expect(layout.eventMs.length).toBe(trace.length);
    trace.forEach((e, i) => expect(layout.eventMs[i]).toBe(e.tMs));
    const power = trace.findIndex((e) => e.kind === 'host.state');
    expect(layout.eventLane[power]).toBe(2);
  });
});
