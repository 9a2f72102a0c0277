// The editor: create or change a schedule, with a live preview of its next fires and the server's
// errors beside the fields they belong to.
import { h, Fragment } from '../vendor/preact.module.js';
import { useEffect, useMemo, useState } from '../vendor/hooks.module.js';
import { api, ApiError, query } from './api.js';
import { duration, isSecretHeader, short, viewerZone } from './format.js';
import { navigate } from './router.js';
import { DEFAULTS, OVERLAP_WORDS, emptyForm, formFromParams, formFromSchedule, parsePayload, toInput } from './schedule-form.js';
import { Field, Panel, Problem, invalid } from './ui.js';

const METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
// the fields that have a place for their error; any other goes to the top of the form
const SLOTS = [
  'name', 'description', 'labels', 'enabled', 'trigger.expr', 'trigger.timezone', 'trigger.seconds', 'trigger.at',
  'target.grace_s', 'target.method', 'target.url', 'target.headers', 'target.timeout_ms', 'target.body_format', 'payload', 'retry_policy.max_attempts',
  'retry_policy.backoff', 'retry_policy.initial_s', 'retry_policy.multiplier', 'retry_policy.max_s',
  'retry_policy.jitter', 'catchup_window_s', 'max_concurrency', 'overlap_policy', 'auto_disable_after',
];

let zoneList = null;
function zones() {
  if (!zoneList) {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zoneList = [...new Set(['UTC', ...list])];
  }
  return zoneList;
}

/** Which slot an error of the API belongs to: "labels.team" -> "labels", "trigger" -> "trigger.expr". */
function slotOf(field, kind, kindOfTarget) {
  if (SLOTS.includes(field)) return field;
  const prefix = SLOTS.filter((slot) => field.startsWith(slot + '.') || field.startsWith(slot + '[')).sort((a, b) => b.length - a.length)[0];
  if (prefix) return prefix;
  if (field === 'trigger' || field === 'trigger.type') return { cron: 'trigger.expr', interval: 'trigger.seconds', once: 'trigger.at' }[kind];
  if (field === 'target' || field === 'target.type') return kindOfTarget === 'checkin' ? 'target.grace_s' : 'target.url';
  if (field === 'retry_policy') return 'retry_policy.max_attempts';
  return null;
}

function capital(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

export function Editor({ id, params, changed, close }) {
  const [form, setForm] = useState(() => (id ? null : params && [...params.keys()].length ? formFromParams(params) : emptyForm()));
  const [original, setOriginal] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [serverErrors, setServerErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const [touched, setTouched] = useState(() => new Set());
  const [saving, setSaving] = useState(false);
  const [tried, setTried] = useState(false);
  const zoneSet = useMemo(() => new Set(zones()), []);

  useEffect(() => {
    if (!id) return;
    api('GET', '/api/v1/schedules/' + id)
      .then((schedule) => {
        setOriginal(schedule);
        setForm(formFromSchedule(schedule));
      })
      .catch(setLoadError);
  }, [id]);

  const preview = usePreview(form);

  if (loadError) return h(Panel, { title: 'Edit schedule', close }, h(Problem, { error: loadError }));
  if (!form) return h(Panel, { title: 'Edit schedule', close }, h('p', { 'aria-busy': 'true' }, 'Loading…'));

  const { input, errors: local } = toInput(form, zoneSet);
  // the page's own checks show once a field was left or a save was tried; the server's at once
  const shown = {};
  for (const [field, reason] of Object.entries(local)) {
    if (tried || touched.has(field)) shown[field] = reason;
  }
  if (preview.error) Object.assign(shown, preview.error);
  for (const [field, reason] of Object.entries(serverErrors)) {
    const slot = slotOf(field, form.kind, form.targetKind);
    if (slot && !shown[slot]) shown[slot] = capital(reason);
  }
  const unplaced = Object.entries(serverErrors).filter(([field]) => !slotOf(field, form.kind, form.targetKind));

  const set = (update) => {
    setForm((old) => ({ ...old, ...update }));
    // an error of the server is about what was sent; a field changed since is no longer that
    setServerErrors((old) => {
      const next = { ...old };
      for (const key of Object.keys(update)) {
        for (const field of Object.keys(next)) if (fieldOfForm(field) === key) delete next[field];
      }
      return next;
    });
  };
  const leave = (field) => () => setTouched((old) => new Set(old).add(field));
  const text = (key, field, props = {}) =>
    h('input', {
      ...invalid(field.replace(/\./g, '-'), shown[field]),
      value: form[key],
      onInput: (e) => set({ [key]: e.currentTarget.value }),
      onBlur: leave(field),
      ...props,
    });
  const slot = (field, label, help, control) =>
    h(Field, { id: field.replace(/\./g, '-'), label, error: shown[field], help }, control);

  const save = async (event) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(local).length) {
      setGeneral('Some fields need a look before Chime can save the schedule.');
      focusFirstError();
      return;
    }
    setSaving(true);
    setGeneral(null);
    try {
      const saved = id
        ? await api('PUT', '/api/v1/schedules/' + id, input)
        : await api('POST', '/api/v1/schedules', input);
      changed();
      navigate('/schedules/' + saved.id);
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fieldErrors()).length) {
        setServerErrors(e.fieldErrors());
        setGeneral(e.problem.title ? e.problem.title + ': fix the fields marked below.' : e.message);
        focusFirstError();
      } else {
        setGeneral(e.message);
      }
    } finally {
      setSaving(false);
    }
  };

  return h(
    Panel,
    { title: id ? 'Edit ' + (original ? original.name : 'schedule') : 'New schedule', close, label: 'Schedule editor' },
    h(
      'form',
      { class: 'editor', onSubmit: save, noValidate: true },
      general
        ? h('div', { class: 'problem', role: 'alert' }, general, unplaced.length ? h('ul', null, unplaced.map(([f, r]) => h('li', null, f + ': ' + r))) : null)
        : null,
      h(
        'fieldset',
        null,
        h('legend', null, 'What'),
        slot('name', 'Name', 'Unique among your schedules, such as nightly-report', text('name', 'name', { autocomplete: 'off', maxLength: 200 })),
        slot('description', 'Description', 'Optional: what it is for, who to ask',
          h('textarea', { ...invalid('description', shown.description), rows: 2, value: form.description, onInput: (e) => set({ description: e.currentTarget.value }) })),
        slot('labels', 'Labels', 'Optional: name=value pairs separated by commas, such as team=billing, env=prod', text('labels', 'labels', { autocomplete: 'off' })),
        h('label', null, h('input', { type: 'checkbox', role: 'switch', name: 'enabled', checked: form.enabled, onChange: (e) => set({ enabled: e.currentTarget.checked }) }), ' Enabled: fires on its own'),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'When'),
        h(
          'div',
          { role: 'radiogroup', class: 'kinds', 'aria-label': 'Kind of trigger' },
          [['cron', 'Cron'], ['interval', 'Every …'], ['once', 'Once']].map(([kind, label]) =>
            h('label', null, h('input', { type: 'radio', name: 'kind', value: kind, checked: form.kind === kind, onChange: () => set({ kind }) }), ' ' + label),
          ),
        ),
        form.kind === 'cron'
          ? h(
              Fragment,
              null,
              slot('trigger.expr', 'Cron expression', 'minute hour day-of-month month day-of-week, optionally seconds first; @daily, @hourly …',
                text('expr', 'trigger.expr', { class: 'mono', autocomplete: 'off', spellcheck: false, placeholder: '0 9 * * 1-5' })),
              zoneInput(form, set, shown, leave),
            )
          : form.kind === 'interval'
            ? slot('trigger.seconds', 'Every how many seconds', form.seconds && /^\d+$/.test(form.seconds) ? 'Every ' + duration(+form.seconds) : 'Such as 300 for every five minutes',
                text('seconds', 'trigger.seconds', { type: 'number', min: 1, inputMode: 'numeric' }))
            : h(
                Fragment,
                null,
                slot('trigger.at', 'Date and time', 'In the time zone below', text('at', 'trigger.at', { type: 'datetime-local' })),
                zoneInput(form, set, shown, leave),
              ),
        h(PreviewBox, { form, preview }),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Call'),
        h(
          'div',
          { role: 'radiogroup', class: 'kinds', 'aria-label': 'Kind of target' },
          [['http', 'Call a URL'], ['checkin', 'Wait for a check-in']].map(([kind, label]) =>
            h('label', null, h('input', { type: 'radio', name: 'target-kind', value: kind, checked: form.targetKind === kind, onChange: () => set({ targetKind: kind }) }), ' ' + label),
          ),
        ),
        form.targetKind === 'checkin'
          ? slot('target.grace_s', 'Grace (s)', 'Nothing is called: the job pings Chime within this many seconds of each instant (default ' + CHECKIN_GRACE_S + '); its ping URL comes from “checkin-token”',
              text('grace_s', 'target.grace_s', { type: 'number', min: 1, placeholder: String(CHECKIN_GRACE_S) }))
          : h(HttpFields, { form, set, slot, text, shown }),
        form.targetKind === 'checkin' ? null : slot('payload', 'JSON payload', form.method === 'GET' || form.method === 'HEAD' ? 'Not sent with ' + form.method : 'Sent as the body; leave empty for none',
          h('textarea', {
            ...invalid('payload', shown.payload || parsePayload(form.payload).error),
            class: 'mono',
            rows: 6,
            spellcheck: false,
            value: form.payload,
            placeholder: '{"report": "daily"}',
            onInput: (e) => set({ payload: e.currentTarget.value }),
          })),
        form.targetKind !== 'checkin' && parsePayload(form.payload).error && !shown.payload
          ? h('small', { class: 'error', id: 'payload-error', role: 'alert' }, parsePayload(form.payload).error)
          : null,
      ),
      h(Policies, { form, set, slot, text }),
      h(
        'div',
        { class: 'editor-actions' },
        h('button', { type: 'submit', 'aria-busy': saving ? 'true' : undefined, disabled: saving }, id ? 'Save changes' : 'Create schedule'),
        h('button', { type: 'button', class: 'secondary outline', onClick: close }, 'Cancel'),
      ),
    ),
  );
}

/** Which form key an API field is about, so that editing the field clears its error. */
function fieldOfForm(field) {
  const map = { 'trigger.expr': 'expr', 'trigger.timezone': 'timezone', 'trigger.seconds': 'seconds', 'trigger.at': 'at', 'target.url': 'url', 'target.method': 'method', 'target.timeout_ms': 'timeout_ms', 'target.headers': 'headers', 'target.grace_s': 'grace_s', 'target.body_format': 'body_format' };
  for (const [prefix, key] of Object.entries(map)) if (field === prefix || field.startsWith(prefix + '.')) return key;
  if (field.startsWith('retry_policy.')) return field.split('.')[1].replace(/\[.*$/, '');
  return field.split(/[.[]/)[0];
}

function zoneInput(form, set, shown, leave) {
  return h(
    Field,
    { id: 'trigger-timezone', label: 'Time zone', error: shown['trigger.timezone'], help: 'Type to search, such as Berlin or Shanghai; your browser is in ' + viewerZone },
    h('input', {
      ...invalid('trigger-timezone', shown['trigger.timezone']),
      list: 'zones',
      autocomplete: 'off',
      value: form.timezone,
      onInput: (e) => set({ timezone: e.currentTarget.value }),
      onBlur: leave('trigger.timezone'),
    }),
    h('datalist', { id: 'zones' }, zones().map((zone) => h('option', { value: zone }))),
  );
}

/** The next five fires and the words of a cron, asked of the server a moment after typing stops. */
function usePreview(form) {
  const [state, setState] = useState({});
  const expr = form && form.kind === 'cron' ? form.expr.trim() : '';
  const zone = form ? form.timezone : '';
  useEffect(() => {
    if (!expr) {
      setState({});
      return;
    }
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const preview = await api('GET', '/api/v1/cron/preview' + query({ expr, timezone: zone, count: 5 }));
        if (live) setState({ preview });
      } catch (e) {
        if (!live) return;
        const errors = {};
        for (const [field, reason] of Object.entries(e.fieldErrors ? e.fieldErrors() : {})) {
          errors[field === 'timezone' ? 'trigger.timezone' : 'trigger.expr'] = capital(reason);
        }
        setState({ error: Object.keys(errors).length ? errors : { 'trigger.expr': e.message } });
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [expr, zone]);
  return state;
}

function PreviewBox({ form, preview }) {
  let title = null;
  let fires = [];
  const zone = form.timezone;
  if (form.kind === 'cron') {
    if (!form.expr.trim()) return h('div', { class: 'preview muted', 'aria-live': 'polite' }, 'Type a cron expression to see when it fires.');
    if (preview.error) return h('div', { class: 'preview muted', 'aria-live': 'polite' }, 'No preview until the expression is right.');
    if (!preview.preview) return h('div', { class: 'preview', 'aria-busy': 'true', 'aria-live': 'polite' }, 'Working out the next fires…');
    title = preview.preview.description + (zone ? ', ' + zone : '');
    fires = preview.preview.fires.map((f) => f.utc);
  } else if (form.kind === 'interval') {
    const seconds = +form.seconds;
    if (!seconds || seconds < 1) return h('div', { class: 'preview muted', 'aria-live': 'polite' }, 'Give a number of seconds to see when it fires.');
    title = 'Every ' + duration(seconds) + ', counted from when it is saved or enabled';
    const start = Date.now();
    fires = [1, 2, 3, 4, 5].map((k) => new Date(start + k * seconds * 1000).toISOString());
  } else {
    const at = toInput(form).input.trigger.at;
    if (!at) return h('div', { class: 'preview muted', 'aria-live': 'polite' }, 'Pick a date and time to see when it fires.');
    title = 'Once';
    fires = [at];
  }
  const otherZone = zone && zone !== viewerZone && form.kind !== 'interval';
  return h(
    'div',
    { class: 'preview', 'aria-live': 'polite' },
    h('strong', { class: 'preview-words' }, title),
    h(
      'ol',
      { class: 'fires' },
      fires.map((fire) =>
        h('li', null, h('span', null, short(fire, otherZone ? zone : viewerZone)), otherZone ? h('small', null, ' · ' + short(fire) + ' for you') : null),
      ),
    ),
  );
}

const CHECKIN_GRACE_S = 300;

function HttpFields({ form, set, slot, text, shown }) {
  return h(
    Fragment,
    null,
    h(
      'div',
      { class: 'grid method-url' },
      slot('target.method', 'Method', null,
        h('select', { ...invalid('target-method', shown['target.method']), value: form.method, onChange: (e) => set({ method: e.currentTarget.value }) },
          METHODS.map((m) => h('option', { value: m }, m)))),
      slot('target.url', 'URL', 'http or https', text('url', 'target.url', { type: 'url', autocomplete: 'off', placeholder: 'https://example.com/hooks/report' })),
    ),
    h(Headers, { form, set, error: shown['target.headers'] }),
    slot('target.timeout_ms', 'Timeout (ms)', 'Default ' + DEFAULTS.timeout_ms + ' (30 s), from connecting to the last byte',
      text('timeout_ms', 'target.timeout_ms', { type: 'number', min: 1, placeholder: String(DEFAULTS.timeout_ms) })),
    slot('target.body_format', 'Body', 'The envelope wraps the payload with the run’s id for workers that report back by job_run_id',
      h('select', { ...invalid('target-body_format', shown['target.body_format']), value: form.body_format, onChange: (e) => set({ body_format: e.currentTarget.value }) },
        h('option', { value: 'payload' }, 'The payload (default)'),
        h('option', { value: 'envelope' }, 'The payload in an envelope'))),
  );
}

function Headers({ form, set, error }) {
  const [shown, setShown] = useState(() => new Set());
  const update = (i, change) => set({ headers: form.headers.map((header, j) => (i === j ? { ...header, ...change } : header)) });
  return h(
    'div',
    { class: 'field headers' },
    h('span', { class: 'label-text', id: 'headers-label' }, 'Headers'),
    form.headers.length === 0 ? h('small', null, 'None besides the ones Chime adds (Idempotency-Key, Chime-Run-Id, traceparent, …).') : null,
    form.headers.map((header, i) => {
      const secret = (header.secret || isSecretHeader(header.name)) && !shown.has(i);
      return h(
        'div',
        { class: 'header-row', role: 'group', 'aria-label': 'Header ' + (i + 1) },
        h('input', { 'aria-label': 'Header name', placeholder: 'Name', value: header.name, onInput: (e) => update(i, { name: e.currentTarget.value }) }),
        h('input', { 'aria-label': 'Header value', placeholder: header.kept ? 'Kept secret: type to replace' : 'Value', type: secret ? 'password' : 'text', autocomplete: 'off', value: header.value, onInput: (e) => update(i, { value: e.currentTarget.value }) }),
        h('label', { class: 'secret-toggle' }, h('input', { type: 'checkbox', 'aria-label': 'Secret header ' + (header.name || i + 1), checked: !!header.secret, onChange: (e) => update(i, { secret: e.currentTarget.checked }) }), ' Secret'),
        isSecretHeader(header.name) && !header.kept
          ? h('button', { type: 'button', class: 'secondary outline small', onClick: () => setShown((old) => { const next = new Set(old); next.has(i) ? next.delete(i) : next.add(i); return next; }) }, secret ? 'Show' : 'Hide')
          : null,
        h('button', { type: 'button', class: 'secondary outline small', 'aria-label': 'Remove header ' + (header.name || i + 1), onClick: () => set({ headers: form.headers.filter((_, j) => j !== i) }) }, 'Remove'),
      );
    }),
    h('button', { type: 'button', class: 'secondary outline small', onClick: () => set({ headers: [...form.headers, { name: '', value: '', secret: false, kept: false }] }) }, 'Add header'),
    error ? h('small', { class: 'error', id: 'target-headers-error', role: 'alert' }, error) : null,
  );
}

function Policies({ form, set, slot, text }) {
  return h(
    'details',
    { class: 'policies' },
    h('summary', null, 'Retries, overlap and catch-up (defaults shown)'),
    h(
      'div',
      { class: 'grid' },
      slot('retry_policy.max_attempts', 'Attempts in all', 'Default ' + DEFAULTS.max_attempts + '; 1 means no retry',
        text('max_attempts', 'retry_policy.max_attempts', { type: 'number', min: 1, max: 20, placeholder: String(DEFAULTS.max_attempts) })),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'backoff-mode' }, 'Waits between attempts'),
        h('select', { id: 'backoff-mode', value: form.backoffMode, onChange: (e) => set({ backoffMode: e.currentTarget.value }) },
          h('option', { value: 'list' }, 'A list of waits'),
          h('option', { value: 'exponential' }, 'Growing waits')),
      ),
    ),
    form.backoffMode === 'list'
      ? slot('retry_policy.backoff', 'Waits (seconds)', 'Default ' + DEFAULTS.backoff + '; the last repeats', text('backoff', 'retry_policy.backoff', { placeholder: DEFAULTS.backoff }))
      : h(
          'div',
          { class: 'grid' },
          slot('retry_policy.initial_s', 'First wait (s)', 'Default ' + DEFAULTS.initial_s, text('initial_s', 'retry_policy.initial_s', { type: 'number', placeholder: String(DEFAULTS.initial_s) })),
          slot('retry_policy.multiplier', 'Multiplier', 'Default ' + DEFAULTS.multiplier, text('multiplier', 'retry_policy.multiplier', { type: 'number', step: '0.1', placeholder: String(DEFAULTS.multiplier) })),
          slot('retry_policy.max_s', 'Longest wait (s)', 'Default ' + DEFAULTS.max_s, text('max_s', 'retry_policy.max_s', { type: 'number', placeholder: String(DEFAULTS.max_s) })),
          slot('retry_policy.jitter', 'Jitter (0–1)', 'Default ' + DEFAULTS.jitter, text('jitter', 'retry_policy.jitter', { type: 'number', step: '0.05', placeholder: String(DEFAULTS.jitter) })),
        ),
    h(
      'div',
      { class: 'grid' },
      slot('max_concurrency', 'Runs at once', 'Default ' + DEFAULTS.max_concurrency, text('max_concurrency', 'max_concurrency', { type: 'number', min: 1, placeholder: String(DEFAULTS.max_concurrency) })),
      slot('overlap_policy', 'When a fire finds a run still going', null,
        h('select', { id: 'overlap_policy', value: form.overlap_policy, onChange: (e) => set({ overlap_policy: e.currentTarget.value }) },
          Object.entries(OVERLAP_WORDS).map(([value, words]) => h('option', { value }, words)))),
    ),
    h(
      'div',
      { class: 'grid' },
      slot('catchup_window_s', 'Catch-up window (s)', 'Default ' + DEFAULTS.catchup_window_s + ' (15 min): how late a fire missed in downtime may still go',
        text('catchup_window_s', 'catchup_window_s', { type: 'number', min: 0, placeholder: String(DEFAULTS.catchup_window_s) })),
      slot('auto_disable_after', 'Disable after failures in a row', 'Default: never', text('auto_disable_after', 'auto_disable_after', { type: 'number', min: 1, placeholder: 'never' })),
    ),
  );
}

function focusFirstError() {
  setTimeout(() => {
    const first = document.querySelector('.editor [aria-invalid="true"]');
    if (first) first.focus();
  }, 0);
}
