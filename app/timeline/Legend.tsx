/** The key to the diagram, always visible: what each colour, line, bar and icon means. */
import type { JSX } from 'react';
import { COLORS, MARKER_COLORS, RIBBON_COLORS } from './palette.ts';

function Swatch(props: { children: JSX.Element | JSX.Element[]; w?: number }): JSX.Element {
  return <svg width={props.w ?? 26} height={12} aria-hidden="true" className="tl-swatch">{props.children}</svg>;
}

function Icon(props: { tone: keyof typeof MARKER_COLORS; glyph: string }): JSX.Element {
  const c = MARKER_COLORS[props.tone];
  return (
    <Swatch w={14}>
      <circle cx={7} cy={6} r={6} fill={c.fill} />
      <text x={7} y={6.5} textAnchor="middle" dominantBaseline="middle" fontSize={8} fill={c.text}>{props.glyph}</text>
    </Swatch>
  );
}

export function Legend(): JSX.Element {
  return (
    <ul className="tl-legend" aria-label="Legend">
      <li title="an MQTT packet in a TCP segment, from send to receipt"><Swatch><line x1={1} y1={6} x2={20} y2={6} stroke={COLORS.mqtt} strokeWidth={1.8} /><path d="M25 6 L19 3 L19 9 Z" fill={COLORS.mqtt} /></Swatch>MQTT packet</li>
      <li title="a TCP segment with no MQTT data: SYN, ACK, FIN or RST"><Swatch><line x1={1} y1={6} x2={22} y2={6} stroke={COLORS.control} strokeWidth={1} /><path d="M25 6 L21 4 L21 8 Z" fill={COLORS.control} /></Swatch>TCP only</li>
      <li title="a TCP retransmission"><Swatch><line x1={1} y1={6} x2={22} y2={6} stroke={COLORS.mqtt} strokeWidth={1.5} strokeDasharray="4 3" /></Swatch>sent again</li>
      <li title="a segment that never arrived; the cross is where it died"><Swatch w={16}><path d="M3 2 L12 10 M12 2 L3 10" stroke={COLORS.drop} strokeWidth={2.2} /></Swatch>lost</li>
      <li title="this end believes the TCP connection is open (one row per end)"><Swatch><rect x={1} y={2} width={24} height={8} fill={COLORS.open} rx={1} /></Swatch>open (as this end sees it)</li>
      <li title="half-open: this end has closed or forgotten the connection, the other end still believes it is open"><Swatch><rect x={1} y={2} width={24} height={8} fill="url(#tl-hatch-half)" stroke={COLORS.halfOpen} strokeDasharray="3 2" /></Swatch>half-open</li>
      <li title="a timer from when it was armed to when it is due; a thick end means it went off"><Swatch><rect x={1} y={2} width={12} height={8} fill={RIBBON_COLORS.self.fill} stroke={RIBBON_COLORS.self.stroke} /><rect x={13} y={2} width={12} height={8} fill={RIBBON_COLORS.peer.fill} stroke={RIBBON_COLORS.peer.stroke} /></Swatch>timer (client | broker)</li>
      <li title="a fault window: power off, crash or cut link"><Swatch><rect x={1} y={1} width={24} height={10} fill="url(#tl-hatch-fault)" /></Swatch>fault</li>
      <li title="the client got a successful CONNACK"><Icon tone="ok" glyph="✓" />connected</li>
      <li title="a keep-alive deadline passed: the broker or the client gives up on the connection"><Icon tone="alert" glyph="◷" />keep-alive ran out</li>
      <li title="a CONNECT with the same ClientId made the broker drop the old connection"><Icon tone="takeover" glyph="⇄" />takeover</li>
      <li title="the broker published (or scheduled, or discarded) a Will"><Icon tone="will" glyph="✉" />Will</li>
      <li title="the current time; later events are faded"><Swatch w={14}><line x1={7} y1={0} x2={7} y2={12} stroke={COLORS.cursor} strokeWidth={2} /><rect x={8} y={0} width={6} height={12} fill="#fff" opacity={0.7} /></Swatch>now</li>
    </ul>
  );
}

/** Hatch patterns shared by the legend and the diagram (defined once per page). */
export function Patterns(): JSX.Element {
  return (
    <svg width={0} height={0} style={{ position: 'absolute' }} aria-hidden="true">
      <defs>
        <pattern id="tl-hatch-half" width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width={6} height={6} fill="#fff7e6" />
          <line x1={0} y1={0} x2={0} y2={6} stroke={COLORS.halfOpen} strokeWidth={3} />
        </pattern>
        <pattern id="tl-hatch-fault" width={8} height={8} patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
          <rect width={8} height={8} fill="#f1f1f1" />
          <line x1={0} y1={0} x2={0} y2={8} stroke="#d6d6d6" strokeWidth={3} />
        </pattern>
      </defs>
    </svg>
  );
}
