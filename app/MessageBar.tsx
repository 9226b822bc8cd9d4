/** Messages to the user (import refused, breakpoint hit, share link made), with problem paths. */
import type { JSX } from 'react';
import { getAppStore, useApp } from './store/store.ts';
import { nameInvisible } from './model/visibleText.ts';

function clip(text: string, max: number): string {
  return nameInvisible(text.length > max ? `${text.slice(0, max)}…` : text);
}

export function MessageBar(): JSX.Element | null {
  const m = useApp((s) => s.message);
  if (!m) return null;
  return (
    <div className={`message ${m.tone}`} role={m.tone === 'error' ? 'alert' : 'status'}>
      <div className="message-text">
        <span>{nameInvisible(m.text)}</span>
        {m.link && <input className="share-url" readOnly value={m.link} aria-label="Share link URL" onFocus={(e) => e.currentTarget.select()} />}
        {m.problems && m.problems.length > 0 && (
          <ul className="problem-list">
            {m.problems.slice(0, 100).map((p, i) => (
              <li key={i}><code>{clip(p.path, 120)}</code>: {clip(p.message, 300)}</li>
            ))}
            {m.problems.length > 100 && <li>…and {m.problems.length - 100} more</li>}
          </ul>
        )}
      </div>
      <button type="button" className="icon" aria-label="Dismiss message" onClick={() => getAppStore().getState().showMessage(null)}>✕</button>
    </div>
  );
}

/** Edits another scenario replaced: kept in this browser, offered back until restored or discarded. */
export function SetAsideBar(): JSX.Element | null {
  const aside = useApp((s) => s.setAside);
  if (!aside) return null;
  const st = getAppStore().getState;
  return (
    <div className="message set-aside" role="note" aria-label="Edits set aside">
      <div className="message-text">
        <span>Your edits to “{nameInvisible(aside.name)}” were set aside when another scenario opened; they are kept in this browser.</span>
      </div>
      <button type="button" onClick={() => st().restoreSetAside()}>Restore my edits</button>
      <button type="button" onClick={() => st().discardSetAside()}>Discard them</button>
    </div>
  );
}
