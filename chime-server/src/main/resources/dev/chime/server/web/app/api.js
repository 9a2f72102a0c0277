// The REST API as the page uses it: the visitor's token (kept in this tab's sessionStorage only),
// JSON in and out, and failures as ApiError with the problem+json answer in words.

const TOKEN_KEY = 'chime.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Takes a token from `#token=...` into the session and removes it from the address bar at once. */
export function takeTokenFromFragment() {
  const match = /^#token=(.+)$/.exec(location.hash);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(history.state, '', location.pathname + location.search);
  return true;
}

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem || {};
  }

  /** The field errors of a 400/409/422 answer as {field: reason}. */
  fieldErrors() {
    const errors = {};
    for (const error of this.problem.errors || []) {
      if (error.field && !(error.field in errors)) errors[error.field] = error.reason;
    }
    if (this.problem.field && !(this.problem.field in errors)) {
      errors[this.problem.field] = this.problem.detail;
    }
    return errors;
  }
}

const listeners = new Set();

/** Called with the ApiError when a call is answered 401: the token is gone or was never good. */
export function onUnauthorized(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const early = new Map();

/**
 * Asks for a page now, before the code that shows it runs; the first api('GET', path) takes this
 * answer instead of asking again. Saves the first list a round trip behind the token check.
 */
export function prefetch(path) {
  const answer = api('GET', path);
  answer.catch(() => {}); // whoever takes it handles its failure; nobody may, if it is not shown
  early.set(path, answer);
}

export async function api(method, path, body) {
  if (method === 'GET' && early.has(path)) {
    const answer = early.get(path);
    early.delete(path);
    return answer;
  }
  const headers = { Accept: 'application/json' };
  const current = token();
  if (current) headers.Authorization = 'Bearer ' + current;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, null, 'Chime did not answer. Is it running, and is the network up?');
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json, describe(response.status, json));
    if (response.status === 401) listeners.forEach((listener) => listener(error));
    throw error;
  }
  return json;
}

function describe(status, problem) {
  if (problem && problem.detail) return problem.detail;
  if (problem && problem.title) return problem.title;
  switch (status) {
    case 401: return 'Chime did not accept the token. Sign in again.';
    case 403: return 'This token may not do that.';
    case 404: return 'That is not there (any more).';
    case 429: return 'Too many tries; wait a minute.';
    case 503: return 'Chime cannot reach its database just now; try again in a moment.';
    default: return 'Chime answered ' + status + '.';
  }
}

/** A query string of the non-empty values, such as `?q=report&limit=50`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

const previews = new Map();

/** What a cron expression means, once per expression and zone for the life of the page. */
export function cronDescription(expr, timezone) {
  const key = expr + '\n' + timezone;
  if (!previews.has(key)) {
    previews.set(
      key,
      api('GET', '/api/v1/cron/preview' + query({ expr, timezone, count: 1 }))
        .then((preview) => preview.description)
        .catch(() => null),
    );
  }
  return previews.get(key);
}
