import type { Page } from 'playwright-core';

export function importUntilDrawn(page: Page, url: string, file: string, beforeImport?: () => Promise<void>): Promise<number>;
