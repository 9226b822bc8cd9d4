/**
 * The Fleet region (CONTRACT.md §5, issue 13 part 5): a scenario's devices in aggregate. The
 * dashboard's lie as a chart (ClientIds the broker believes online against devices truly alive
 * and connected), connects and disconnects per second, dropped handshakes (SYN drops and the
 * broker's full listen queue), CONNACK latency, Wills;
 * what happened after each action; the groups as one node each (GroupTopology) and as
 * collapsed lanes that open onto a few devices, each a drill-down to its own sequence diagram
 * in the Timeline. Everything here was computed in the worker (sim/fleet via
 * app/fleet/runFleet.ts); this only draws it.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, getAppStore, nodeIds } from '../store/store.ts';
import { Chart } from './Chart.tsx';
import type { ChartSeries } from './Chart.tsx';
import { GroupTopology } from './GroupTopology.tsx';
import { setFleetFocus, useFleetFocus } from './focus.ts';
import { levelAt, num, phaseFacts, phaseTitle, reportHeadline, sec } from './words.ts';
import type { FleetData } from './fleetData.ts';

const BLUE = '#2457c5';
// Dark enough for its words on white (WCAG AA 4.5:1; #1f8a3a was 4.3:1).
const GREEN = '#1b7a33';

function sumOf(a: ArrayLike<number>): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]!; return s; }

function Groups(props: { fleet: FleetData; cursorMs: number; open: number | null; setOpen(i: number | null): void; lanes: string[] }): JSX.Element {
  const { report: f } = props.fleet;
  const s = f.series;
  const focus = useFleetFocus();
  const drill = (id: string): void => {
    setFleetFocus(id);
    getAppStore().getState().selectNode(id);
    document.querySelector('[aria-label="Timeline"]')?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <table className="table fleet-groups" aria-label="Groups">
      <thead><tr><th>Group</th><th>Devices</th><th>Believed online</th><th>Truly alive</th><th>Lanes</th></tr></thead>
      <tbody>
        {f.groups.map((g, i) => {
          const believed = levelAt(s.groupBelieved, s.bucketMs, props.cursorMs, i * s.buckets, s.buckets);
          const alive = levelAt(s.groupAlive, s.bucketMs, props.cursorMs, i * s.buckets, s.buckets);
          const members = props.lanes.filter((id) => id === g.id || id.startsWith(`${g.id}-`) && /^\d+$/.test(id.slice(g.id.length + 1)));
          const open = props.open === i;
          return (
            <tr key={g.id} className={believed > alive ? 'lie' : ''}>
              <td>{g.id}</td><td>{num(g.count)}</td><td>{num(believed)}</td><td>{num(alive)}</td>
              <td>
                <button type="button" aria-expanded={open} onClick={() => props.setOpen(open ? null : i)}>
                  {open ? 'Collapse' : `Open ${members.length === g.count ? '' : `${members.length} of `}${num(g.count)}`}
                </button>
                {open && (
                  <span className="fleet-members">
                    {members.map((id) => (
                      <button type="button" key={id} aria-pressed={focus === id} onClick={() => drill(id)}
                        aria-label={`Show ${id}'s sequence diagram`}>{id}</button>
                    ))}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function FleetRegion(): JSX.Element | null {
  const st = useApp(useShallow((x) => ({ fleet: x.fleet, cursorMs: x.cursorMs, durationMs: x.durationMs, scenario: x.scenario })));
  const focus = useFleetFocus();
  const [open, setOpen] = useState<number | null>(null);
  // A new run's fleet is drawn in a transition (React renders it in slices between other
  // tasks), after the rest of the run is installed: no single task does both.
  const fleet = useDeferredValue(st.fleet);
  const charts = useMemo(() => {
    if (!fleet) return null;
    const s = fleet.report.series;
    const c = s.counters;
    const lie: ChartSeries[] = [
      { label: 'believed online (the broker, the dashboard)', values: s.believed, color: BLUE },
      { label: 'truly alive and connected', values: s.alive, color: GREEN, dash: '5 3' },
    ];
    return {
      lie,
      conn: [{ label: 'connects', values: s.connects, color: GREEN }, { label: 'disconnects', values: s.disconnects, color: '#c62828', down: true }],
      // A storm's SYNs die at the broker's full listen queue far more than on the way: both,
      // stacked, so that "SYN drops: 0" never sits beside half a million dropped handshakes.
      syn: [
        { label: 'SYN or SYN-ACK lost on the way', values: c.synDrops ?? new Int32Array(s.buckets), color: '#8a4700' },
        { label: "dropped by the broker's full listen queue", values: c.listenDrops ?? new Int32Array(s.buckets), color: '#e0a040' },
      ],
      connack: [{ label: 'median', values: s.connackP50, color: BLUE }, { label: 'p99', values: s.connackP99, color: '#7a3fb0', dash: '4 2' }],
      wills: [{ label: 'Wills published', values: c.willsPublished ?? new Int32Array(s.buckets), color: '#7a3fb0' }],
      totals: {
        conn: sumOf(s.connects), disc: sumOf(s.disconnects), syn: sumOf(c.synDrops ?? []), listen: sumOf(c.listenDrops ?? []),
        wills: sumOf(c.willsPublished ?? []),
      },
    };
  }, [fleet]);
  if (!fleet || !charts) return null;
  const f = fleet.report;
  const s = f.series;
  const store = getAppStore();
  const onSeek = (t: number): void => { store.getState().pause(); store.getState().seek(t); };
  const believed = levelAt(s.believed, s.bucketMs, st.cursorMs);
  const alive = levelAt(s.alive, s.bucketMs, st.cursorMs);
  const lanes = nodeIds(st.scenario).slice(1);
  const per = s.bucketMs === 1000 ? 'per second' : `per ${sec(s.bucketMs)}`;
  const common = { bucketMs: s.bucketMs, buckets: s.buckets, endMs: f.endMs, cursorMs: st.cursorMs, onSeek };
  const groupsWords = f.groups.filter((g) => g.count > 1).map((g) => `${g.id} (${num(g.count)})`).join(', ');
  return (
    <section aria-label="Fleet" className="region fleet-region">
      <h2>Fleet</h2>
      <div className="fleet-body">
        <div className="fleet-main">
          <p className="fleet-intro">
            {num(f.devices)} devices{groupsWords ? ` in groups ${groupsWords}` : ''}. The <b style={{ color: BLUE }}>blue line</b> is
            what the broker believes (what a dashboard shows as online); the <b style={{ color: GREEN }}>green dashed line</b> is how
            many devices are really alive and connected. Where blue is above green (<span className="fleet-gap-key">shaded red</span>),
            the dashboard is wrong: those devices are dead, and the broker has not noticed yet.
            {fleet.sampled && ` This run is large: every device is counted here, while the Timeline, Event log and trace download show ${fleet.sampled.lanes.length - 1} sample devices.`}
          </p>
          <p className="fleet-now" data-believed={believed} data-alive={alive} aria-label="Fleet at the cursor">
            At {sec(st.cursorMs)}: <b>{num(believed)}</b> believed online, <b>{num(alive)}</b> truly alive
            {believed > alive ? <> — <b className="fleet-lie">{num(believed - alive)} believed online but not alive</b></> : ''}.
          </p>
          <Chart {...common} title="Believed online vs truly alive" unit="devices" kind="lines" gap levels height={170}
            series={charts.lie} summary={`${reportHeadline(f)} At the cursor (${sec(st.cursorMs)}): ${num(believed)} believed online, ${num(alive)} truly alive.`} />
          <div className="fleet-small">
            <Chart {...common} title="Connects / disconnects" unit={per} kind="bars" height={90} series={charts.conn}
              summary={`${num(charts.totals.conn)} connects and ${num(charts.totals.disc)} disconnects in all, as the broker saw them, per ${sec(s.bucketMs)}.`} />
            <Chart {...common} title="Dropped handshakes" unit={per} kind="bars" height={90} series={charts.syn}
              summary={`${num(charts.totals.syn)} SYN or SYN-ACK segments lost on the way and ${num(charts.totals.listen)} SYNs or handshake ACKs dropped by the broker's full listen queue, in all.`} />
            <Chart {...common} title="CONNACK latency" unit="ms" kind="lines" height={90} series={charts.connack}
              summary={f.connack.count > 0 ? `Over ${num(f.connack.count)} CONNACKs: median ${f.connack.p50} ms, p99 ${f.connack.p99} ms, max ${f.connack.max} ms.` : 'No CONNACK.'} />
            <Chart {...common} title="Wills published" unit={per} kind="bars" height={90} series={charts.wills}
              summary={`${num(charts.totals.wills)} Wills published in all.`} />
          </div>
        </div>
        <div className="fleet-side">
          <GroupTopology report={f} broker={st.scenario.broker.id} cursorMs={st.cursorMs} onPick={(i) => setOpen(i)} />
          <Groups fleet={fleet} cursorMs={st.cursorMs} open={open} setOpen={setOpen} lanes={lanes} />
          {focus && (
            <p className="fleet-focus">Timeline: {focus} and the broker alone. <button type="button" onClick={() => setFleetFocus(null)}>Back to all lanes</button></p>
          )}
          <ol className="fleet-phases" aria-label="What happened after each action">
            {f.phases.map((p) => (
              <li key={p.index}>
                <button type="button" className="linkish" onClick={() => onSeek(p.atMs)}>{phaseTitle(p)}</button>
                <ul>{phaseFacts(p).map((t) => <li key={t}>{t}</li>)}</ul>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
