export const ROOT: string;
export function buildApp(outDir: string, options?: { sourcemap?: boolean }): void;
export function serveApp(dist: string, port: number): Promise<{ url: string; stop: () => void }>;
