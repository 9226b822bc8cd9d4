/**
 * Drill-down: the device whose sequence diagram the Timeline shows first, right under the
 * broker (the timeline adds the other lanes of the trace after it), or null for the usual
 * lane order. A small store of its own, so the app's store and the timeline stay as
 * they are; TimelineSlot reads it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

const focus = createStore<{ device: string | null }>(() => ({ device: null }));

export function setFleetFocus(device: string | null): void { focus.setState({ device }); }
export function useFleetFocus(): string | null { return useStore(focus, (s) => s.device); }
