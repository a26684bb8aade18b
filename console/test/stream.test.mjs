// The Server-Sent Events parser of the shared stream, on the server's
// framing: id, event, data, heartbeat comments, and chunks split anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../src/lib/stream.js';

function parse(chunks) {
  const messages = [];
  const parser = new SseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return messages;
}

test('events with id and name, heartbeats ignored', () => {
  const text = 'id: 42\nevent: exemplar_detected\ndata: {"position":42}\n\n: heartbeat\n\n'
    + 'id: 43\nevent: dropped\ndata: {"reason":"slow_consumer","resume_from":44}\n\n';
  assert.deepEqual(parse([text]), [
    { id: '42', event: 'exemplar_detected', data: '{"position":42}' },
    { id: '43', event: 'dropped', data: '{"reason":"slow_consumer","resume_from":44}' },
  ]);
});

test('a message split across chunks anywhere, CRLF and multi-line data', () => {
  const text = 'id: 7\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n';
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(parse([text.slice(0, cut), text.slice(cut)]), [{ id: '7', event: 'x', data: 'a\nb' }], `cut at ${cut}`);
  }
});

test('a message without an event name is a "message"; one without data is nothing', () => {
  assert.deepEqual(parse(['data: {}\n\nid: 9\n\n']), [{ id: undefined, event: 'message', data: '{}' }]);
});
