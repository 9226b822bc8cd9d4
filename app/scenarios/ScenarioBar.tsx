/**
 * The scenario strip: its name and description, and the file actions — Export scenario,
 * Import scenario, Share link, download the trace (NDJSON) and the capture (pcapng).
 */
import { useRef, useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getAppStore, useApp } from '../store/store.ts';
import { exportScenarioText } from '../store/persistence.ts';
import { download, slug } from '../io/download.ts';
import { shareUrl, MAX_DECODED_BYTES } from '../share/shareLink.ts';
import { Markdown, plainSummary } from './Markdown.tsx';
import { ExpectationBadge } from './ExpectationList.tsx';
import { closeScenarioPanel, openEditor } from './editorUi.ts';
import './editor.css';

/** Files larger than this are refused before being read. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** A byte count in the binary units the limit is stated in ("10 MiB", "12.5 MiB", "300 KiB"). */
export function byteSize(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Import a file chosen with Import scenario or dropped on the page. */
export async function importFileObject(file: File): Promise<void> {
  const st = getAppStore().getState;
  if (file.size > MAX_IMPORT_BYTES) {
    st().showMessage({ tone: 'error', text: `Import refused: ${file.name} is ${byteSize(file.size)} (${file.size.toLocaleString('en-US')} bytes); the limit is ${byteSize(MAX_IMPORT_BYTES)} (${MAX_IMPORT_BYTES.toLocaleString('en-US')} bytes). The current scenario is unchanged.` });
    return;
  }
  await st().importFile(file, file.name);
}

export function ScenarioBar(): JSX.Element {
  const s = useApp(useShallow((st) => ({
    name: st.scenario.name, description: st.scenario.description ?? '', source: st.scenarioSource,
    ready: st.runStatus === 'ready', runStatus: st.runStatus, open: st.scenarioPanelOpen, hasNdjson: st.ndjson.length > 0,
    expectations: st.expectations, draftProblems: st.draft ? st.draftProblems.length : -1,
  })));
  const st = getAppStore().getState;
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    await importFileObject(file);
  };

  const share = async () => {
    const json = JSON.stringify(st().scenario);
    if (new TextEncoder().encode(json).length > MAX_DECODED_BYTES) {
      st().showMessage({ tone: 'error', text: `This scenario is too large for a link (over ${MAX_DECODED_BYTES / 1000} kB): use Export scenario instead.` });
      return;
    }
    const url = shareUrl(window.location.href, json);
    window.history.replaceState(null, '', url);
    let copied = false;
    try { await navigator.clipboard.writeText(url); copied = true; } catch { /* not allowed here */ }
    st().showMessage({ tone: 'info', text: copied ? 'Share link copied to the clipboard (also in the address bar).' : 'Share link is in the address bar; copy it from there.', link: url });
  };

  const capture = async () => {
    setBusy(true);
    const r = await st().captureBytes();
    setBusy(false);
    if (r.ok) download(`${slug(st().scenario.name)}.pcapng`, r.bytes, 'application/vnd.tcpdump.pcap');
    else st().showMessage({ tone: 'error', text: r.message });
  };

  return (
    <div className="scenario-bar">
      <button type="button" className="scenario-name" aria-expanded={s.open}
        onClick={() => { if (s.open) closeScenarioPanel(); else st().setScenarioPanelOpen(true); }} title="Choose or edit a scenario">
        <span className="label">Scenario</span> <strong>{s.name}</strong> <span aria-hidden="true">▾</span>
      </button>
      <details className="scenario-description">
        <summary>{plainSummary(s.description) || 'No description.'}</summary>
        <div className="description-popover">
          <Markdown text={s.description} />
          <p className="hint">Source: {s.source}</p>
        </div>
      </details>
      {s.draftProblems >= 0 && !s.open && (
        <button type="button" className="draft-badge" onClick={openEditor}>
          Edits not applied ({s.draftProblems} problem{s.draftProblems === 1 ? '' : 's'}): fix them
        </button>
      )}
      {s.expectations.length > 0 && <ExpectationBadge expectations={s.expectations} />}
      <div className="file-buttons">
        <button type="button" onClick={() => download(`${slug(s.name)}.json`, exportScenarioText(st()), 'application/json')}>Export scenario</button>
        <button type="button" onClick={() => fileInput.current?.click()}>Import scenario</button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden aria-hidden="true" tabIndex={-1}
          onChange={(e) => { void onFile(e.currentTarget.files?.[0]); e.currentTarget.value = ''; }} />
        <button type="button" onClick={() => { void share(); }}>Share link</button>
        <button type="button" disabled={!s.ready || !s.hasNdjson} title="The trace as NDJSON, byte for byte what `halfopen run FILE --trace -` writes"
          onClick={() => download(`${slug(s.name)}.trace.ndjson`, st().ndjson, 'application/x-ndjson')}>Download trace</button>
        <button type="button" disabled={!s.ready || busy} title="The packets on the wire, for Wireshark"
          onClick={() => { void capture(); }}>{busy ? 'Preparing…' : 'Download capture'}</button>
      </div>
    </div>
  );
}
