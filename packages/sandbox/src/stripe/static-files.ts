import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `packages/sandbox/browser/`, both from `src/stripe/` and from `dist/stripe/`. */
export const BROWSER_DIR = fileURLToPath(new URL('../../browser/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

function notFound(response: ServerResponse): void {
  response.writeHead(404, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Access-Control-Allow-Origin': '*',
  });
  response.end('Not found');
}

/** Serves `GET /js/<file>` from the browser fakes' directory, refusing any path outside it. */
export async function serveBrowserFile(
  urlPath: string,
  response: ServerResponse,
  root = BROWSER_DIR,
): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice('/js/'.length));
  } catch {
    notFound(response);
    return;
  }
  const resolved = path.resolve(root, relative);
  if (relative.includes('\0') || !resolved.startsWith(path.resolve(root) + path.sep)) {
    notFound(response);
    return;
  }
  try {
    if (!(await stat(resolved)).isFile()) throw new Error('not a file');
    const body = await readFile(resolved);
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(resolved)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-cache',
    });
    response.end(body);
  } catch {
    notFound(response);
  }
}
