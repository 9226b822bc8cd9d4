/**
 * Drill-down: the device whose sequence diagram (with the broker) the Timeline shows alone
 * (TimelineSlot, drill.ts), or null for every lane. A small store of its own, so the app's
 * store and the timeline stay as they are.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

const focus = createStore<{ device: string | null }>(() => ({ device: null }));

export function setFleetFocus(device: string | null): void { focus.setState({ device }); }
export function useFleetFocus(): string | null { return useStore(focus, (s) => s.device); }
