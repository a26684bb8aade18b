// What the verification, feed, administration and process tests share: a
// demo server and a browser signed in as one person, the page's script
// errors, and commands as the demo's admin.
import assert from 'node:assert/strict';
import { collectPageErrors, openBrowser, signIn, skipReason, startDemoServer } from './support.mjs';

// node:test's `skip` for these tests: the reason, or false to run.
export const skip = skipReason || false;

// A demo server and a browser signed in as `user`: {server, browser, page,
// errors (script errors from then on), close()}.
export async function openSignedIn(user) {
  const server = await startDemoServer();
  const { browser, page } = await openBrowser();
  await signIn(page, server.url, user);
  return {
    server,
    browser,
    page,
    errors: collectPageErrors(page),
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

// The script errors among what collectPageErrors gathered (a refused
// request is logged by the browser too, and is no script error).
export function scriptErrors(errors) {
  return errors.filter((error) => !error.includes('Failed to load resource'));
}

// POSTs `body` to `path` as the demo's admin; expects 201, returns the body.
export async function adminCommand(server, path, body) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  return JSON.parse(text);
}
