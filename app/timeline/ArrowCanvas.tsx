/** The canvas between the two SVG layers, redrawn when the window, size or toggles change. */
import { memo, useEffect, useRef } from 'react';
import type { JSX } from 'react';
import type { Arrow } from './layoutTypes.ts';
import type { LaneBox } from './laneGeometry.ts';
import { drawArrows } from './drawArrows.ts';

export interface ArrowCanvasProps {
  arrows: readonly Arrow[];
  boxes: readonly LaneBox[];
  t0: number; t1: number; width: number; height: number; gutterW: number;
  showControl: boolean;
}

function ArrowCanvasImpl(p: ArrowCanvasProps): JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext?.('2d') ?? null;
    if (!canvas || !ctx) return; // e.g. a DOM without canvas support (tests)
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    canvas.width = Math.round(p.width * dpr);
    canvas.height = Math.round(p.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const span = p.t1 - p.t0 || 1;
    const x = (t: number): number => p.gutterW + ((t - p.t0) / span) * (p.width - p.gutterW);
    drawArrows(ctx, p.arrows, x, p.boxes, {
      width: p.width, height: p.height, gutterW: p.gutterW, showControl: p.showControl,
    });
  }, [p.arrows, p.boxes, p.t0, p.t1, p.width, p.height, p.gutterW, p.showControl]);
  return <canvas ref={ref} className="tl-layer tl-canvas" style={{ width: p.width, height: p.height }} aria-hidden="true" />;
}

export const ArrowCanvas = memo(ArrowCanvasImpl);
