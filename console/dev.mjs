// A development server for the console: bundles console/src on every page
// load and passes /v1/* to a running `exemplar serve`.
//   node console/dev.mjs --api http://127.0.0.1:8080 [--port 5173] [--token exm_…]
// With --token, requests reach the server with that bearer token, so a
// screen can be worked on before signing in exists in the server at hand.
import * as esbuild from 'esbuild';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:8080' },
    port: { type: 'string', default: '5173' },
    token: { type: 'string', default: '' },
  },
});
const here = new URL('.', import.meta.url).pathname;
const upstream = new URL(values.api);

const page = `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exemplar</title><link rel="stylesheet" href="/dev/main.css"></head>
<body><div id="app"></div><script type="module" src="/dev/main.js"></script></body></html>`;

async function bundle() {
  const result = await esbuild.build({
    entryPoints: [`${here}src/main.jsx`],
    bundle: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: '/dev',
    loader: { '.css': 'css' },
    sourcemap: 'inline',
  });
  return Object.fromEntries(result.outputFiles.map((f) => [f.path, f.contents]));
}

function proxy(request, response) {
  const headers = { ...request.headers, host: upstream.host };
  if (values.token && !headers.cookie) headers.authorization = `Bearer ${values.token}`;
  const forward = http.request(
    { hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers },
    (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
  forward.on('error', (error) => {
    response.writeHead(502, { 'Content-Type': 'text/plain' });
    response.end(String(error));
  });
  request.pipe(forward);
}

http.createServer(async (request, response) => {
  if (!request.url.startsWith('/dev/') && request.url !== '/' && !request.url.startsWith('/?')) {
    return proxy(request, response);
  }
  if (!request.url.startsWith('/dev/')) {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return response.end(page);
  }
  try {
    const files = await bundle();
    const body = files[request.url];
    if (!body) {
      response.writeHead(404);
      return response.end();
    }
    const type = request.url.endsWith('.css') ? 'text/css' : 'text/javascript';
    response.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
    response.end(body);
  } catch (error) {
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(String(error));
  }
}).listen(Number(values.port), '127.0.0.1', () => {
  console.log(`console on http://127.0.0.1:${values.port}/ (API: ${upstream.href})`);
});
