// The files the page is made of, as served under `assets/`: the hand-written UI in `ui/` and
// uPlot's prebuilt bundle (MIT, its notice kept). Shared by embed-ui.mjs and the test that checks
// the embedded copy is current.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(packageDirectory, 'package.json'));

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function uiSources() {
  const sources = {};
  const uiDirectory = join(packageDirectory, 'ui');
  for (const name of readdirSync(uiDirectory).sort()) {
    const extension = name.slice(name.lastIndexOf('.'));
    if (!types[extension]) continue;
    sources[name] = { type: types[extension], body: readFileSync(join(uiDirectory, name), 'utf8') };
  }
  const uplotDirectory = dirname(require.resolve('uplot/package.json'));
  const { version } = JSON.parse(readFileSync(join(uplotDirectory, 'package.json'), 'utf8'));
  const notice = `/*! uPlot ${version} (MIT License, Copyright (c) 2022 Leon Sorokin), embedded by @toolwire/inspector */\n`;
  sources['uplot.js'] = {
    type: types['.js'],
    body: notice + readFileSync(join(uplotDirectory, 'dist/uPlot.iife.min.js'), 'utf8'),
  };
  sources['uplot.css'] = {
    type: types['.css'],
    body: notice + readFileSync(join(uplotDirectory, 'dist/uPlot.min.css'), 'utf8'),
  };
  return sources;
}

export const embeddedFile = join(packageDirectory, 'src/ui/ui-assets.ts');
