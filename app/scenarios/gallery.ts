/**
 * The gallery of shipped scenarios: public/scenarios/index.json lists them. Accepted shapes
 * (the file is written by hand): an array, or { scenarios: [...] }, of file names or of
 * objects with `file` (or `path`), `name` (or `title`) and `description` (or `summary`).
 */
import type { GalleryEntry } from '../store/types.ts';

function entryOf(item: unknown): GalleryEntry | null {
  if (typeof item === 'string') return { file: item, name: item.replace(/\.json$/, ''), description: '' };
  if (typeof item !== 'object' || item === null) return null;
  const r = item as Record<string, unknown>;
  const file = typeof r['file'] === 'string' ? r['file'] : typeof r['path'] === 'string' ? r['path'] : null;
  if (!file) return null;
  const name = typeof r['name'] === 'string' ? r['name'] : typeof r['title'] === 'string' ? r['title'] : file;
  const description = typeof r['description'] === 'string' ? r['description']
    : typeof r['summary'] === 'string' ? r['summary'] : '';
  return { file, name, description };
}

export function parseGalleryIndex(json: unknown): GalleryEntry[] {
  const list = Array.isArray(json) ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { scenarios?: unknown }).scenarios)
      ? (json as { scenarios: unknown[] }).scenarios : [];
  return list.map(entryOf).filter((e): e is GalleryEntry => e !== null)
    // Only plain relative file names inside scenarios/: the index must not point elsewhere.
    .filter((e) => /^[A-Za-z0-9_.-]+\.json$/.test(e.file.replace(/^scenarios\//, '')))
    .map((e) => ({ ...e, file: e.file.replace(/^scenarios\//, '') }));
}

export async function loadGallery(): Promise<GalleryEntry[]> {
  try {
    const res = await fetch('scenarios/index.json');
    if (!res.ok) return [];
    return parseGalleryIndex(await res.json());
  } catch {
    return [];
  }
}

export async function fetchScenarioText(file: string): Promise<string | null> {
  try {
    const res = await fetch(`scenarios/${file}`);
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}
