// The console's one way to the server: same origin, the session cookie,
// the console's language, and the CSRF token on every change.
import { lang, t } from './i18n.js';

// The server's word for a personal value whose key was destroyed.
const kErased = '[erased]';

// `value` with every erased personal value in the console's language.
export function showErased(value) {
  if (value === kErased) return t('app.erased');
  if (Array.isArray(value)) return value.map(showErased);
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) value[key] = showErased(value[key]);
  }
  return value;
}

// Where a 401 refuses the credentials sent (a password, a setup code), not
// a session that ended.
const kCredentialPaths = ['/v1/session', '/v1/password'];

let csrfToken = '';
let whenSignedOut = () => {};

// `callback(error)` runs when the server answers 401 to any request but
// those sending credentials: the session ended (idle, signed out elsewhere).
export function onSignedOut(callback) {
  whenSignedOut = callback;
}

// Remembers the session's CSRF token (from the Me body of /v1/session).
export function setCsrfToken(token) {
  csrfToken = token || '';
}

// A refusal from the server, as its problem+json says.
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.code = (problem && problem.code) || '';
    this.field = (problem && problem.field) || '';
    this.detail = this.message;
    this.problem = problem || {};
    this.retryAfter = 0;  // seconds, from Retry-After (429, 503)
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request(method, path, { query, body, headers } = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { 'Accept-Language': lang(), Accept: 'application/json', ...headers },
  };
  if (method !== 'GET' && method !== 'HEAD') {
    init.headers['X-CSRF-Token'] = csrfToken;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(withQuery(path, query), init);
  if (response.status === 204 || response.status === 304) return null;
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? showErased(await response.json()) : await response.text();
  if (!response.ok) {
    const error = new ApiError(response.status, typeof payload === 'object' ? payload : null);
    error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
    if (response.status === 401 && !kCredentialPaths.includes(path)) whenSignedOut(error);
    throw error;
  }
  return payload;
}

// POSTs `file` (a File or Blob) as the raw body, with its media type
// (`mediaType`, else the file's own), the session's CSRF token and the
// console's language: a document upload. Through XMLHttpRequest, for the
// upload's progress: `onProgress(fraction)` as the bytes go. `signal` (an
// AbortSignal) stops it. Resolves with the JSON answer; rejects with an
// ApiError (status 0 and code "network" when the connection failed,
// "aborted" when stopped).
function upload(path, query, file, { mediaType, onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path, query));
    xhr.setRequestHeader('Accept-Language', lang());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', mediaType || file.type || 'application/octet-stream');
    if (onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total) onProgress(event.loaded / event.total);
      };
    }
    const failed = (code) => {
      const error = new ApiError(0, { type: code, code });
      reject(error);
    };
    xhr.onload = () => {
      const type = xhr.getResponseHeader('Content-Type') || '';
      let payload = null;
      if (type.includes('json')) {
        try {
          payload = showErased(JSON.parse(xhr.responseText));
        } catch {
          payload = null;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(payload);
      // The server's problem+json names its code `type`.
      const error = new ApiError(xhr.status, payload && { code: payload.type, ...payload });
      error.retryAfter = Number(xhr.getResponseHeader('Retry-After')) || 0;
      if (xhr.status === 401) whenSignedOut(error);
      return reject(error);
    };
    xhr.onerror = () => failed('network');
    xhr.ontimeout = () => failed('network');
    xhr.onabort = () => failed('aborted');
    if (signal) {
      if (signal.aborted) return failed('aborted');
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
    return undefined;
  });
}

export const api = {
  get: (path, query, headers) => request('GET', path, { query, headers }),
  post: (path, body, headers) => request('POST', path, { body, headers }),
  del: (path) => request('DELETE', path),
  upload,
  // Fetches an export and hands it to the browser as a file download.
  async download(path, query, filename) {
    const response = await fetch(withQuery(path, query), {
      credentials: 'same-origin',
      // The server picks an export's format by Accept.
      headers: { 'Accept-Language': lang(), Accept: filename.endsWith('.csv') ? 'text/csv' : '*/*' },
    });
    if (!response.ok) {
      const type = response.headers.get('Content-Type') || '';
      throw new ApiError(response.status, type.includes('json') ? await response.json() : null);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
};
