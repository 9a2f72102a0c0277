// The runs of one schedule, newest first, kept current while the panel is open.
import { h, Fragment } from '../vendor/preact.module.js';
import { useEffect, useRef, useState } from '../vendor/hooks.module.js';
import { api, cronDescription, query } from './api.js';
import { ERROR_WORDS, absolute, duration, host, isSecretHeader, millis, relative, short, triggerWords, viewerZone } from './format.js';
import { Confirm, Panel, Problem, StatusBadge } from './ui.js';

const REFRESH_MS = 2000;
const PAGE = 25;

export function RunsPanel({ id, runId, changed, close }) {
  const [schedule, setSchedule] = useState(null);
  const [runs, setRuns] = useState(null);
  const [older, setOlder] = useState({ items: [], cursor: undefined });
  const [error, setError] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [open, setOpen] = useState(() => new Set(runId ? [runId] : []));
  // the run a link named, when it is older than the first page of runs
  const [named, setNamed] = useState(null);
  const [words, setWords] = useState(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [now, setNow] = useState(Date.now());
  const timer = useRef(null);
  const generation = useRef(0);

  const refresh = async () => {
    clearTimeout(timer.current);
    const mine = ++generation.current;
    try {
      const [s, page] = await Promise.all([
        api('GET', '/api/v1/schedules/' + id),
        api('GET', '/api/v1/schedules/' + id + '/runs' + query({ limit: PAGE })),
      ]);
      if (mine !== generation.current) return; // a newer look is on its way, or the panel closed
      setSchedule(s);
      setRuns(page);
      setOlder((old) => (old.cursor === undefined ? { items: [], cursor: page.next_cursor } : old));
      setError(null);
      setNow(Date.now());
    } catch (e) {
      if (mine !== generation.current) return;
      setError(e);
      if (e.status === 404) return;
    }
    // the next look waits for this one, and for the tab to be seen
    timer.current = setTimeout(function again() {
      if (document.hidden) timer.current = setTimeout(again, REFRESH_MS);
      else refresh();
    }, REFRESH_MS);
  };

  useEffect(() => {
    refresh();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, [id]);

  useEffect(() => {
    if (!runId || !runs || named || runs.items.some((r) => r.id === runId)) return;
    api('GET', '/api/v1/runs/' + runId)
      .then((run) => { if (run.schedule_id === id) setNamed(run); })
      .catch(setActionError);
  }, [runId, runs]);

  useEffect(() => {
    const item = runId && document.querySelector('[data-run="' + runId + '"]');
    if (item && item.scrollIntoView) item.scrollIntoView({ block: 'nearest' });
  }, [runId, runs !== null, named]);

  useEffect(() => {
    if (schedule && schedule.trigger.type === 'cron') {
      cronDescription(schedule.trigger.expr, schedule.trigger.timezone || 'UTC').then(setWords);
    }
  }, [schedule && schedule.trigger.expr, schedule && schedule.trigger.timezone]);

  const act = async (method, path) => {
    setActionError(null);
    try {
      await api(method, path);
      changed();
      refresh();
    } catch (e) {
      setActionError(e);
    }
  };

  const loadOlder = async () => {
    try {
      const page = await api('GET', '/api/v1/schedules/' + id + '/runs' + query({ limit: PAGE, cursor: older.cursor }));
      setOlder((old) => ({ items: [...old.items, ...page.items], cursor: page.next_cursor }));
    } catch (e) {
      setActionError(e);
    }
  };

  const title = schedule ? schedule.name : 'Runs';
  if (error && !schedule) return h(Panel, { title, close }, h(Problem, { error, onRetry: refresh }));
  if (!schedule || !runs) return h(Panel, { title, close }, h('p', { 'aria-busy': 'true' }, 'Loading runs…'));

  const seen = new Set(runs.items.map((r) => r.id));
  const all = [...runs.items, ...older.items.filter((r) => !seen.has(r.id))];
  if (named && !all.some((r) => r.id === named.id)) all.unshift(named);
  const toggle = (runId) => setOpen((old) => { const next = new Set(old); next.has(runId) ? next.delete(runId) : next.add(runId); return next; });
  const t = schedule.trigger;

  return h(
    Panel,
    { title, close, label: 'Runs of ' + schedule.name },
    h(
      'div',
      { class: 'schedule-summary' },
      h('p', null,
        h('strong', null, t.type === 'cron' ? (words || t.expr) + ', ' + (t.timezone || 'UTC') : triggerWords(t)),
        t.type === 'cron' ? h('code', null, t.expr) : null),
      schedule.target.type === 'checkin'
        ? h('p', null, 'Check-in: each run waits up to ' + duration(schedule.target.grace_s) + ' for the job’s ping')
        : h('p', null, schedule.target.method + ' ', h('span', { class: 'mono' }, schedule.target.url),
            schedule.target.body_format === 'envelope' ? h('small', null, ' · payload in an envelope') : null),
      h('p', null,
        schedule.enabled
          ? schedule.next_fire_at
            ? 'Next fire ' + relative(schedule.next_fire_at, now) + ' · ' + short(schedule.next_fire_at) +
              (t.timezone && t.timezone !== viewerZone ? ' · ' + short(schedule.next_fire_at, t.timezone) : '')
            : 'Will not fire again'
          : 'Off: fires only when run by hand',
        schedule.consecutive_failures ? h('span', { class: 'failing' }, ' · ' + schedule.consecutive_failures + ' failures in a row') : null),
      schedule.disabled_reason ? h('p', { class: 'error' }, schedule.disabled_reason) : null,
      h(
        'div',
        { class: 'panel-actions' },
        h('button', { class: 'small', onClick: () => act('POST', '/api/v1/schedules/' + id + '/run-now') }, 'Run now'),
        h('a', { href: '/schedules/' + id + '/edit', role: 'button', class: 'secondary small' }, 'Edit'),
        h('button', { class: 'secondary outline small', onClick: () => act('POST', '/api/v1/schedules/' + id + (schedule.enabled ? '/disable' : '/enable')) }, schedule.enabled ? 'Disable' : 'Enable'),
        h('button', { class: 'danger outline small', onClick: () => setConfirmDelete(true) }, 'Delete'),
      ),
    ),
    h(Problem, { error: actionError }),
    error ? h(Problem, { error }) : null,
    h('h3', { class: 'runs-title' }, 'Runs', h('small', { class: 'muted' }, ' · refreshed every 2 s')),
    all.length === 0
      ? h('article', { class: 'empty' }, h('p', null, schedule.enabled
          ? 'No runs yet. The first comes at the next fire; “Run now” makes one at once.'
          : 'No runs yet. The schedule is off; “Run now” makes one at once.'))
      : h(
          'ol',
          { class: 'runs' },
          all.map((run) => h(RunItem, { key: run.id, run, schedule, open: open.has(run.id), toggle, act, now })),
        ),
    older.cursor ? h('button', { class: 'secondary outline small', onClick: loadOlder }, 'Older runs') : null,
    confirmDelete
      ? h(Confirm, {
          title: 'Delete ' + schedule.name + '?',
          text: 'This deletes the schedule and all of its runs. It cannot be undone.',
          confirm: 'Delete',
          danger: true,
          onCancel: () => setConfirmDelete(false),
          onConfirm: async () => {
            setConfirmDelete(false);
            try {
              await api('DELETE', '/api/v1/schedules/' + id);
              changed();
              close();
            } catch (e) {
              setActionError(e);
            }
          },
        })
      : null,
  );
}

function lateness(run) {
  if (!run.started_at) return '';
  const ms = new Date(run.started_at) - new Date(run.scheduled_at);
  return ms >= 0 ? '+' + millis(ms) : '−' + millis(-ms);
}

function RunItem({ run, schedule, open, toggle, act, now }) {
  const retryable = ['failed', 'timeout', 'cancelled'].includes(run.status);
  const cancellable = run.status === 'queued' || (run.status === 'running' && run.http_status === 202);
  const detailsId = 'run-' + run.id;
  return h(
    'li',
    { class: 'run ' + run.status, 'data-run': run.id },
    h(
      'div',
      { class: 'run-line' },
      h(
        'button',
        { class: 'run-toggle', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailsId, onClick: () => toggle(run.id) },
        h(StatusBadge, { status: run.status }),
        h('span', { class: 'when', title: absolute(run.scheduled_at, viewerZone, true) }, relative(run.scheduled_at, now)),
      ),
      h('span', { class: 'cell', title: 'How late the call started after its scheduled instant' }, run.started_at ? 'started ' + lateness(run) : run.status === 'queued' ? 'waiting' : ''),
      h('span', { class: 'cell' }, run.duration_ms !== null ? millis(run.duration_ms) : ''),
      h('span', { class: 'cell' }, 'attempt ' + run.attempt),
      h('span', { class: 'cell' }, run.http_status ? 'HTTP ' + run.http_status : ''),
      h(
        'span',
        { class: 'run-actions' },
        retryable ? h('button', { class: 'secondary small', onClick: () => act('POST', '/api/v1/runs/' + run.id + '/retry') }, 'Retry') : null,
        cancellable ? h('button', { class: 'secondary outline small', onClick: () => act('POST', '/api/v1/runs/' + run.id + '/cancel') }, 'Cancel') : null,
      ),
    ),
    open ? h(RunDetails, { run, schedule, id: detailsId }) : null,
  );
}

function RunDetails({ run, schedule, id }) {
  const row = (term, value) => (value === null || value === undefined || value === '' ? null : h(Fragment, null, h('dt', null, term), h('dd', null, value)));
  const headers = Object.entries(schedule.target.headers || {});
  return h(
    'div',
    { class: 'run-details', id },
    run.error_code
      ? h('p', { class: run.status === 'skipped' || run.status === 'cancelled' ? 'muted' : 'error' },
          (ERROR_WORDS[run.error_code] || run.error_code) + (run.error_message ? ': ' + run.error_message : ''))
      : null,
    h(
      'dl',
      null,
      row('Scheduled', absolute(run.scheduled_at, viewerZone, true)),
      row('Started', run.started_at && absolute(run.started_at, viewerZone, true) + ' (' + lateness(run) + ')'),
      row('Finished', run.finished_at && absolute(run.finished_at, viewerZone, true)),
      row('Origin', run.origin === 'manual' ? 'by hand (run now or retry)' : 'on schedule'),
      row('Trace id', run.trace_id && h('code', null, run.trace_id)),
      row('Run key', h('code', null, run.run_key)),
      row('Run id', h('code', null, run.id)),
    ),
    run.response_excerpt ? h(Fragment, null, h('h4', null, 'Response (start)'), h('pre', null, run.response_excerpt)) : null,
    run.result !== null && run.result !== undefined ? h(Fragment, null, h('h4', null, 'Reported result'), h('pre', null, JSON.stringify(run.result, null, 2))) : null,
    schedule.target.type === 'checkin' ? null : h('h4', null, 'Request'),
    schedule.target.type === 'checkin' ? null : h(
      'pre',
      { class: 'request' },
      schedule.target.method + ' ' + schedule.target.url + '\n' +
        'Idempotency-Key: ' + run.run_key + '\n' +
        'Chime-Run-Id: ' + run.id + '\n' +
        'Chime-Attempt: ' + run.attempt + '\n' +
        (run.trace_id ? 'traceparent: 00-' + run.trace_id + '-…-01\n' : '') +
        headers.map(([name, value]) => name + ': ' + (isSecretHeader(name) || value?.secret ? '••••••' : value?.value ?? value) + '\n').join('') +
        (schedule.payload !== null && !['GET', 'HEAD'].includes(schedule.target.method) ? '\n' + JSON.stringify(schedule.payload, null, 2) : ''),
    ),
    schedule.target.type === 'checkin' ? null : h('small', { class: 'muted' }, 'The request as the schedule makes it now, to ' + host(schedule.target.url) + '; secret headers masked.'),
  );
}
