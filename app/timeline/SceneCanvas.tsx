/** The canvas under the SVG overlay; repainted when the window, size, toggles or items change. */
import { memo, useEffect, useRef } from 'react';
import type { JSX } from 'react';
import type { LaneBox } from './laneGeometry.ts';
import { drawScene, type Scene } from './drawScene.ts';

export interface SceneCanvasProps {
  scene: Scene;
  boxes: readonly LaneBox[];
  t0: number; t1: number; width: number; height: number; gutterW: number;
  showControl: boolean; showTimers: boolean;
}

function SceneCanvasImpl(p: SceneCanvasProps): JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    let ctx: CanvasRenderingContext2D | null = null;
    try { ctx = canvas?.getContext('2d') ?? null; } catch { ctx = null; }
    if (!canvas || !ctx) return; // a DOM without canvas (tests): the overlay still works
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    const w = Math.round(p.width * dpr);
    const h = Math.round(p.height * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const span = p.t1 - p.t0 || 1;
    const x = (t: number): number => p.gutterW + ((t - p.t0) / span) * (p.width - p.gutterW);
    drawScene(ctx, p.scene, x, p.boxes, {
      width: p.width, height: p.height, gutterW: p.gutterW, showControl: p.showControl, showTimers: p.showTimers,
    });
  }, [p.scene, p.boxes, p.t0, p.t1, p.width, p.height, p.gutterW, p.showControl, p.showTimers]);
  return <canvas ref={ref} className="tl-layer tl-canvas" style={{ width: p.width, height: p.height }} aria-hidden="true" />;
}

export const SceneCanvas = memo(SceneCanvasImpl);
