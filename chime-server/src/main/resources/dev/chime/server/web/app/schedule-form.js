// A schedule as the editor's form holds it (text in every field), and back to the API's JSON,
// with the mistakes the page can see before asking the server.
import { instantToWallTime, viewerZone, wallTimeToInstant } from './format.js';

export const DEFAULTS = {
  method: 'POST',
  timeout_ms: 30000,
  max_attempts: 3,
  backoff: '30, 60',
  initial_s: 30,
  multiplier: 2,
  max_s: 3600,
  jitter: 0,
  catchup_window_s: 900,
  max_concurrency: 1,
  overlap_policy: 'skip',
};

export const OVERLAP_WORDS = {
  skip: 'skip the new fire (default)',
  queue_one: 'queue one fire until the running one ends',
  allow: 'allow them to overlap',
  cancel_running: 'cancel the running one and start the new',
};

export function emptyForm() {
  return {
    name: '',
    description: '',
    enabled: true,
    labels: '',
    kind: 'cron',
    expr: '',
    timezone: viewerZone,
    seconds: '',
    at: '',
    targetKind: 'http',
    grace_s: '',
    method: DEFAULTS.method,
    url: '',
    headers: [],
    body_format: 'payload',
    // members of the loaded target the form has no field for, sent back as they came
    targetExtra: { kind: 'http', fields: {} },
    timeout_ms: '',
    async_timeout_s: null,
    payload: '',
    max_attempts: '',
    backoffMode: 'list',
    backoff: '',
    initial_s: '',
    multiplier: '',
    max_s: '',
    jitter: '',
    catchup_window_s: '',
    max_concurrency: '',
    overlap_policy: DEFAULTS.overlap_policy,
    auto_disable_after: '',
  };
}

/** A form filled from a link such as /schedules/new?name=...&expr=...&url=...&payload=... */
export function formFromParams(params) {
  const form = emptyForm();
  for (const key of ['name', 'description', 'labels', 'expr', 'timezone', 'seconds', 'url', 'payload']) {
    if (params.get(key) !== null) form[key] = params.get(key);
  }
  if (params.get('method')) form.method = params.get('method').toUpperCase();
  if (params.get('seconds')) form.kind = 'interval';
  if (params.get('at')) {
    form.kind = 'once';
    form.at = instantToWallTime(params.get('at'), form.timezone) || params.get('at');
  }
  if (params.get('payload')) {
    try {
      form.payload = JSON.stringify(JSON.parse(params.get('payload')), null, 2);
    } catch (e) {
      form.payload = params.get('payload');
    }
  }
  return form;
}

const HTTP_FIELDS = ['type', 'method', 'url', 'headers', 'timeout_ms', 'async_timeout_s', 'body_format'];
const CHECKIN_FIELDS = ['type', 'grace_s'];

/** A header as the form holds it; a secret one shows no value, and an empty one keeps Chime's. */
function headerOfTarget(name, value) {
  if (value === null || typeof value !== 'object') return { name, value: String(value), secret: false, kept: false };
  const kept = !!value.secret && value.value === SECRET_MASK;
  return { name, value: kept ? '' : value.value, secret: !!value.secret, kept };
}

export const SECRET_MASK = '****';

export function formFromSchedule(s) {
  const form = emptyForm();
  const text = (value) => (value === null || value === undefined ? '' : String(value));
  const target = s.target || {};
  const checkin = target.type === 'checkin';
  const known = checkin ? CHECKIN_FIELDS : HTTP_FIELDS;
  form.targetExtra = {
    kind: checkin ? 'checkin' : 'http',
    fields: Object.fromEntries(Object.entries(target).filter(([key]) => !known.includes(key))),
  };
  Object.assign(form, {
    name: s.name,
    description: s.description || '',
    enabled: s.enabled,
    labels: Object.entries(s.labels || {}).map(([k, v]) => (v ? k + '=' + v : k)).join(', '),
    kind: s.trigger.type,
    targetKind: checkin ? 'checkin' : 'http',
    grace_s: checkin ? text(target.grace_s) : '',
    method: target.method || DEFAULTS.method,
    url: target.url || '',
    headers: Object.entries(target.headers || {}).map(([name, value]) => headerOfTarget(name, value)),
    body_format: target.body_format || 'payload',
    timeout_ms: text(target.timeout_ms === DEFAULTS.timeout_ms || target.timeout_ms === undefined ? '' : target.timeout_ms),
    async_timeout_s: target.async_timeout_s === undefined ? null : target.async_timeout_s,
    payload: s.payload === null || s.payload === undefined ? '' : JSON.stringify(s.payload, null, 2),
    catchup_window_s: text(s.catchup_window_s === DEFAULTS.catchup_window_s ? '' : s.catchup_window_s),
    max_concurrency: text(s.max_concurrency === DEFAULTS.max_concurrency ? '' : s.max_concurrency),
    overlap_policy: s.overlap_policy,
    auto_disable_after: text(s.auto_disable_after),
  });
  if (s.trigger.type === 'cron') {
    form.expr = s.trigger.expr;
    form.timezone = s.trigger.timezone || 'UTC';
  } else if (s.trigger.type === 'interval') {
    form.seconds = text(s.trigger.seconds);
  } else if (s.trigger.type === 'once') {
    form.at = instantToWallTime(s.trigger.at, form.timezone);
  }
  const retry = s.retry_policy || {};
  form.max_attempts = text(retry.max_attempts === DEFAULTS.max_attempts ? '' : retry.max_attempts);
  if (retry.backoff) {
    form.backoffMode = 'list';
    const list = retry.backoff.join(', ');
    form.backoff = list === DEFAULTS.backoff ? '' : list;
  } else if (retry.initial_s !== undefined) {
    form.backoffMode = 'exponential';
    form.initial_s = text(retry.initial_s);
    form.multiplier = text(retry.multiplier);
    form.max_s = text(retry.max_s);
    form.jitter = text(retry.jitter);
  }
  return form;
}

/** Checks a payload's text: {value} when it is JSON (or empty: no payload), {error} when not. */
export function parsePayload(text) {
  if (!text.trim()) return { value: null };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: 'Not valid JSON: ' + e.message.replace(/^JSON\.parse: /, '') };
  }
}

const LABEL_NAME = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

function parseLabels(text, errors) {
  const labels = {};
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const [name, ...rest] = part.split('=');
    const value = rest.join('=');
    if (!LABEL_NAME.test(name.trim())) {
      errors.labels = `“${name}” is not a label name: lower-case letters, digits and . _ / -, up to 63`;
    } else if (!LABEL_VALUE.test(value.trim())) {
      errors.labels = `“${value}” is not a label value: letters, digits and . _ -, up to 63`;
    } else {
      labels[name.trim()] = value.trim();
    }
  }
  return labels;
}

function whole(text, field, errors, { min = 0, optional = true } = {}) {
  const trimmed = String(text).trim();
  if (!trimmed) {
    if (!optional) errors[field] = 'is required';
    return undefined;
  }
  if (!/^\d+$/.test(trimmed) || +trimmed < min) {
    errors[field] = 'must be a whole number' + (min ? ' of at least ' + min : '');
    return undefined;
  }
  return +trimmed;
}

function decimal(text, field, errors) {
  const trimmed = String(text).trim();
  if (!trimmed) return undefined;
  if (isNaN(+trimmed)) {
    errors[field] = 'must be a number';
    return undefined;
  }
  return +trimmed;
}

function httpTarget(form, errors) {
  const headers = {};
  form.headers.forEach((header, i) => {
    if (!header.name.trim() && !header.value && !header.kept) return;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(header.name.trim())) {
      errors['target.headers'] = `Header ${i + 1}: “${header.name}” is not a header name`;
    }
    // a secret left empty keeps the value Chime holds: the mask says so
    headers[header.name.trim()] = header.secret
      ? { value: header.kept && !header.value ? SECRET_MASK : header.value, secret: true }
      : header.value;
  });
  const target = { type: 'http', method: form.method, url: form.url.trim(), headers };
  if (!target.url) errors['target.url'] = 'Give the URL Chime calls, such as https://example.com/hooks/report';
  const timeout = whole(form.timeout_ms, 'target.timeout_ms', errors, { min: 1 });
  if (timeout !== undefined) target.timeout_ms = timeout;
  if (form.async_timeout_s !== null && form.async_timeout_s !== undefined) target.async_timeout_s = form.async_timeout_s;
  if (form.body_format !== 'payload') target.body_format = form.body_format;
  return target;
}

/** The API's input for a form, and what the page already knows is wrong with it. */
export function toInput(form, zones) {
  const errors = {};
  const input = { name: form.name.trim(), description: form.description, enabled: form.enabled };
  if (!input.name) errors.name = 'A schedule needs a name';
  input.labels = parseLabels(form.labels, errors);

  if (form.kind === 'cron') {
    if (!form.expr.trim()) errors['trigger.expr'] = 'Give a cron expression, such as 0 9 * * 1-5';
    if (zones && !zones.has(form.timezone)) errors['trigger.timezone'] = `“${form.timezone}” is not a time zone; pick one from the list`;
    input.trigger = { type: 'cron', expr: form.expr.trim(), timezone: form.timezone };
  } else if (form.kind === 'interval') {
    input.trigger = { type: 'interval', seconds: whole(form.seconds, 'trigger.seconds', errors, { min: 1, optional: false }) };
  } else {
    const at = wallTimeToInstant(form.at, form.timezone);
    if (!form.at) errors['trigger.at'] = 'Pick the date and time to fire';
    else if (!at) errors['trigger.at'] = 'is not a date and time';
    input.trigger = { type: 'once', at };
  }

  const extra = form.targetExtra.kind === form.targetKind ? form.targetExtra.fields : {};
  if (form.targetKind === 'checkin') {
    input.target = { ...extra, type: 'checkin' };
    const grace = whole(form.grace_s, 'target.grace_s', errors, { min: 1 });
    if (grace !== undefined) input.target.grace_s = grace;
  } else {
    input.target = { ...extra, ...httpTarget(form, errors) };
  }

  const payload = parsePayload(form.payload);
  if (payload.error) errors.payload = payload.error;
  input.payload = payload.value === undefined ? null : payload.value;

  const retry = {};
  const attempts = whole(form.max_attempts, 'retry_policy.max_attempts', errors, { min: 1 });
  if (attempts !== undefined) retry.max_attempts = attempts;
  if (form.backoffMode === 'list') {
    if (form.backoff.trim()) {
      const waits = form.backoff.split(/[,\s]+/).filter(Boolean);
      if (waits.some((w) => !/^\d+$/.test(w) || +w < 1)) errors['retry_policy.backoff'] = 'must be whole seconds separated by commas, such as 30, 60';
      else retry.backoff = waits.map(Number);
    }
  } else {
    for (const key of ['initial_s', 'max_s']) {
      const value = whole(form[key], 'retry_policy.' + key, errors, { min: 1 });
      retry[key] = value === undefined ? DEFAULTS[key] : value;
    }
    for (const key of ['multiplier', 'jitter']) {
      const value = decimal(form[key], 'retry_policy.' + key, errors);
      retry[key] = value === undefined ? DEFAULTS[key] : value;
    }
  }
  input.retry_policy = retry;
  for (const key of ['catchup_window_s', 'max_concurrency']) {
    const value = whole(form[key], key, errors, { min: key === 'max_concurrency' ? 1 : 0 });
    if (value !== undefined) input[key] = value;
  }
  input.overlap_policy = form.overlap_policy;
  const autoDisable = whole(form.auto_disable_after, 'auto_disable_after', errors, { min: 1 });
  input.auto_disable_after = autoDisable === undefined ? null : autoDisable;
  return { input, errors };
}
