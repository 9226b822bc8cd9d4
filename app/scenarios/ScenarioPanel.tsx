/** The scenario drawer: the gallery of shipped scenarios, and the editor. */
import type { JSX } from 'react';
import { getAppStore, useApp } from '../store/store.ts';
import { fetchScenarioText } from './gallery.ts';
import { Markdown } from './Markdown.tsx';
import { ScenarioEditor } from './ScenarioEditor.tsx';
import { closeScenarioPanel, setTab, useEditorUi } from './editorUi.ts';

function Gallery(): JSX.Element {
  const gallery = useApp((s) => s.gallery);
  const source = useApp((s) => s.scenarioSource);
  const st = getAppStore().getState;
  if (gallery.length === 0) return <p className="hint">No shipped scenarios found (scenarios/index.json).</p>;
  return (
    <ul className="gallery">
      {gallery.map((g) => (
        <li key={g.file} className={source === g.file ? 'current' : ''}>
          <button type="button" className="gallery-open" onClick={async () => {
            const text = await fetchScenarioText(g.file);
            if (text === null) st().showMessage({ tone: 'error', text: `Could not load ${g.file}.` });
            else { st().importScenario(text, g.file); st().setScenarioPanelOpen(false); }
          }}>{g.name}</button>
          {g.description && <Markdown text={g.description} />}
        </li>
      ))}
    </ul>
  );
}

export function ScenarioPanel(): JSX.Element | null {
  const open = useApp((s) => s.scenarioPanelOpen);
  const tab = useEditorUi((u) => u.tab);
  if (!open) return null;
  return (
    <aside className="scenario-panel" aria-label="Scenarios">
      <div className="panel-head">
        <div role="tablist" aria-label="Scenario panel">
          <button role="tab" type="button" aria-selected={tab === 'gallery'} onClick={() => setTab('gallery')}>Gallery</button>
          <button role="tab" type="button" aria-selected={tab === 'edit'} onClick={() => setTab('edit')}>Edit this scenario</button>
        </div>
        <button type="button" className="icon" aria-label="Close scenario panel" onClick={closeScenarioPanel}>✕</button>
      </div>
      <div className="panel-body">{tab === 'gallery' ? <Gallery /> : <ScenarioEditor />}</div>
    </aside>
  );
}
