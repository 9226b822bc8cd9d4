/** Messages to the user (import refused, breakpoint hit, share link made), with problem paths. */
import type { JSX } from 'react';
import { getAppStore, useApp } from './store/store.ts';

export function MessageBar(): JSX.Element | null {
  const m = useApp((s) => s.message);
  if (!m) return null;
  return (
    <div className={`message ${m.tone}`} role={m.tone === 'error' ? 'alert' : 'status'}>
      <div className="message-text">
        <span>{m.text}</span>
        {m.link && <input className="share-url" readOnly value={m.link} aria-label="Share link URL" onFocus={(e) => e.currentTarget.select()} />}
        {m.problems && m.problems.length > 0 && (
          <ul className="problem-list">
            {m.problems.slice(0, 100).map((p, i) => (
              <li key={i}><code>{p.path.length > 120 ? `${p.path.slice(0, 120)}…` : p.path}</code>: {p.message.length > 300 ? `${p.message.slice(0, 300)}…` : p.message}</li>
            ))}
            {m.problems.length > 100 && <li>…and {m.problems.length - 100} more</li>}
          </ul>
        )}
      </div>
      <button type="button" className="icon" aria-label="Dismiss message" onClick={() => getAppStore().getState().showMessage(null)}>✕</button>
    </div>
  );
}
