// The schedules list: filters, pages by cursor, the enabled switch, selection and bulk actions.
import { h, Fragment } from '../vendor/preact.module.js';
import { useEffect, useMemo, useRef, useState } from '../vendor/hooks.module.js';
import { api, cronDescription, query } from './api.js';
import { absolute, host, relative, short, triggerWords, viewerZone } from './format.js';
import { navigate } from './router.js';
import { Confirm, Problem, StatusBadge } from './ui.js';

const PAGE_SIZES = [25, 50, 100, 200];
const REFRESH_MS = 10000;
const ACTIONS = {
  enable: { verb: 'Enable', done: 'enabled' },
  disable: { verb: 'Disable', done: 'disabled' },
  'run-now': { verb: 'Run now', done: 'queued to run now' },
  delete: { verb: 'Delete', done: 'deleted', danger: true },
};
let painted = false;

/** The API path of a page of the list, as the list asks for it. */
export function listPath(filters, cursor) {
  return '/api/v1/schedules' + query({ ...filters, cursor });
}

export function filtersFrom(params) {
  return {
    q: params.get('q') || '',
    label: params.get('label') || '',
    enabled: params.get('enabled') || '',
    last_status: params.get('last_status') || '',
    limit: PAGE_SIZES.includes(+params.get('limit')) ? +params.get('limit') : 50,
  };
}

export function ScheduleList({ route, version, changed }) {
  const [filters, setFilters] = useState(() => filtersFrom(route.params));
  const [typed, setTyped] = useState({ q: filters.q, label: filters.label });
  const [cursors, setCursors] = useState([null]); // the cursor of each page seen so far
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState(() => new Set());
  const [sort, setSort] = useState({ by: null, up: true });
  const [bulk, setBulk] = useState(null); // the action waiting for its confirmation
  const [outcome, setOutcome] = useState(null);
  const [now, setNow] = useState(Date.now());
  const cursor = cursors[cursors.length - 1];
  const request = useRef(0);

  const load = async (quiet) => {
    const mine = ++request.current;
    if (!quiet) setLoading(true);
    try {
      const answer = await api('GET', listPath(filters, cursor));
      if (mine !== request.current) return;
      setPage(answer);
      setError(null);
      setNow(Date.now());
    } catch (e) {
      if (mine === request.current) setError(e);
    } finally {
      if (mine === request.current) setLoading(false);
    }
  };

  useEffect(() => {
    load(false);
  }, [filters, cursor, version]);

  // quietly keep the page current: last results, next fires, switches changed elsewhere
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) load(true);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [filters, cursor]);

  // the address shows the filters, so a reload or a shared link keeps them
  useEffect(() => {
    if (route.path !== '/') return;
    const search = query({ ...filters, limit: filters.limit === 50 ? '' : filters.limit });
    if (search !== location.search) navigate('/' + search, true);
  }, [filters, route.path]);

  // typing waits for a pause before it asks the server
  useEffect(() => {
    const timer = setTimeout(() => {
      if (typed.q !== filters.q || typed.label !== filters.label) change({ q: typed.q.trim(), label: typed.label.trim() });
    }, 300);
    return () => clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    if (page && !painted) {
      painted = true;
      // after the frame that shows the rows has been painted
      requestAnimationFrame(() => setTimeout(() => performance.mark('chime:list-painted'), 0));
    }
  }, [page]);

  const change = (update) => {
    setFilters((old) => ({ ...old, ...update }));
    setCursors([null]);
    setSelected(new Set());
  };

  const filtered = filters.q || filters.label || filters.enabled || filters.last_status;
  const items = useMemo(() => sorted(page ? page.items : [], sort), [page, sort]);

  const toggle = (id) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOnPage = items.length > 0 && items.every((s) => selected.has(s.id));
  const toggleAll = () =>
    setSelected((old) => {
      const next = new Set(old);
      items.forEach((s) => (allOnPage ? next.delete(s.id) : next.add(s.id)));
      return next;
    });

  const replaceRow = (schedule) =>
    setPage((old) => old && { ...old, items: old.items.map((s) => (s.id === schedule.id ? schedule : s)) });

  const runBulk = async (action) => {
    setBulk(null);
    const ids = [...selected];
    try {
      const answer = await api('POST', '/api/v1/schedules/bulk', { action, ids });
      setOutcome({ action, counts: answer.counts, results: answer.results });
      setSelected(new Set());
      changed();
    } catch (e) {
      setOutcome({ error: e });
    }
  };

  return h(
    Fragment,
    null,
    h(
      'div',
      { class: 'list-head' },
      h('h1', null, 'Schedules'),
      h('a', { href: '/schedules/new', role: 'button', class: 'new' }, 'New schedule'),
    ),
    h(Filters, { filters, typed, setTyped, change }),
    selected.size > 0
      ? h(
          'div',
          { class: 'bulk', role: 'region', 'aria-label': 'Selected schedules' },
          h('strong', null, selected.size + ' selected'),
          Object.entries(ACTIONS).map(([action, a]) =>
            h('button', { class: (a.danger ? 'danger ' : 'secondary ') + 'small', onClick: () => setBulk(action), 'data-action': action }, a.verb),
          ),
          h('button', { class: 'secondary outline small', onClick: () => setSelected(new Set()) }, 'Clear selection'),
        )
      : null,
    outcome ? h(BulkOutcome, { outcome, dismiss: () => setOutcome(null) }) : null,
    h(Problem, { error, onRetry: () => load(false) }),
    page && page.items.length === 0 && cursors.length === 1
      ? h(Empty, { filtered, clear: () => { setTyped({ q: '', label: '' }); change({ q: '', label: '', enabled: '', last_status: '' }); } })
      : page
        ? h(Table, { items, selected, toggle, allOnPage, toggleAll, sort, setSort, replaceRow, now, loading, setError })
        : h('p', { 'aria-busy': 'true' }, 'Loading schedules…'),
    page && (page.next_cursor || cursors.length > 1)
      ? h(
          'nav',
          { class: 'pager', 'aria-label': 'Pages' },
          h('button', { class: 'secondary outline small', disabled: cursors.length === 1, onClick: () => setCursors((c) => c.slice(0, -1)) }, '← Previous'),
          h('span', null, 'Page ' + cursors.length),
          h('button', { class: 'secondary outline small', disabled: !page.next_cursor, onClick: () => setCursors((c) => [...c, page.next_cursor]) }, 'Next →'),
        )
      : null,
    bulk
      ? h(Confirm, {
          title: ACTIONS[bulk].verb + ' ' + plural(selected.size, 'schedule') + '?',
          text:
            bulk === 'delete'
              ? 'This deletes ' + plural(selected.size, 'schedule') + ' and all of their runs. It cannot be undone.'
              : ACTIONS[bulk].verb + ' the ' + plural(selected.size, 'selected schedule') + '.',
          confirm: ACTIONS[bulk].verb + ' ' + selected.size,
          danger: ACTIONS[bulk].danger,
          onConfirm: () => runBulk(bulk),
          onCancel: () => setBulk(null),
        })
      : null,
  );
}

function Filters({ filters, typed, setTyped, change }) {
  return h(
    'form',
    { class: 'filters', role: 'search', onSubmit: (e) => e.preventDefault() },
    h('input', {
      type: 'search',
      name: 'q',
      placeholder: 'Search name or description',
      'aria-label': 'Search name or description',
      value: typed.q,
      onInput: (e) => setTyped({ ...typed, q: e.currentTarget.value }),
    }),
    h('input', {
      type: 'search',
      name: 'label',
      placeholder: 'Labels: team=billing,env!=dev',
      'aria-label': 'Label selector, such as team=billing,env!=dev',
      value: typed.label,
      onInput: (e) => setTyped({ ...typed, label: e.currentTarget.value }),
    }),
    h(
      'select',
      { name: 'enabled', 'aria-label': 'On or off', value: filters.enabled, onChange: (e) => change({ enabled: e.currentTarget.value }) },
      h('option', { value: '' }, 'On and off'),
      h('option', { value: 'true' }, 'On'),
      h('option', { value: 'false' }, 'Off'),
    ),
    h(
      'select',
      { name: 'last_status', 'aria-label': 'Last result', value: filters.last_status, onChange: (e) => change({ last_status: e.currentTarget.value }) },
      h('option', { value: '' }, 'Any last result'),
      h('option', { value: 'success' }, 'Last succeeded'),
      h('option', { value: 'failed' }, 'Last failed'),
      h('option', { value: 'timeout' }, 'Last timed out'),
      h('option', { value: 'none' }, 'Never ran'),
    ),
    h(
      'select',
      { name: 'limit', 'aria-label': 'Schedules per page', value: String(filters.limit), onChange: (e) => change({ limit: +e.currentTarget.value }) },
      PAGE_SIZES.map((size) => h('option', { value: String(size) }, size + ' a page')),
    ),
  );
}

const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'trigger', label: 'When' },
  { key: 'enabled', label: 'On' },
  { key: 'next', label: 'Next fire' },
  { key: 'last', label: 'Last result' },
  { key: 'failures', label: 'Failures in a row' },
  { key: 'target', label: 'Target' },
];
const SORTABLE = { name: (s) => s.name.toLowerCase(), next: (s) => s.next_fire_at || '~', last: (s) => s.last_fire_at || '', failures: (s) => s.consecutive_failures };

function sorted(items, sort) {
  if (!sort.by) return items;
  const key = SORTABLE[sort.by];
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * (sort.up ? 1 : -1);
  });
}

function Table({ items, selected, toggle, allOnPage, toggleAll, sort, setSort, replaceRow, now, loading, setError }) {
  return h(
    'div',
    { class: 'table-wrap', 'aria-busy': loading ? 'true' : undefined },
    h(
      'table',
      { class: 'schedules striped' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { class: 'pick' }, h('input', { type: 'checkbox', checked: allOnPage, onChange: toggleAll, 'aria-label': 'Select every schedule on this page' })),
          COLUMNS.map((column) =>
            h(
              'th',
              { scope: 'col', 'aria-sort': sort.by === column.key ? (sort.up ? 'ascending' : 'descending') : undefined },
              SORTABLE[column.key]
                ? h(
                    'button',
                    {
                      class: 'sort',
                      title: 'Sort this page by ' + column.label.toLowerCase(),
                      onClick: () => setSort({ by: column.key, up: sort.by === column.key ? !sort.up : true }),
                    },
                    column.label,
                    sort.by === column.key ? (sort.up ? ' ▲' : ' ▼') : '',
                  )
                : column.label,
            ),
          ),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h(
        'tbody',
        null,
        items.map((schedule) =>
          h(Row, { key: schedule.id, schedule, picked: selected.has(schedule.id), toggle, replaceRow, now, setError }),
        ),
      ),
    ),
  );
}

function Row({ schedule, picked, toggle, replaceRow, now, setError }) {
  const [words, setWords] = useState(null);
  const [switching, setSwitching] = useState(false);
  const trigger = schedule.trigger;
  useEffect(() => {
    if (trigger.type !== 'cron') return;
    let live = true;
    cronDescription(trigger.expr, trigger.timezone || 'UTC').then((text) => live && setWords(text));
    return () => {
      live = false;
    };
  }, [trigger.expr, trigger.timezone]);

  const flip = async () => {
    setSwitching(true);
    try {
      replaceRow(await api('POST', '/api/v1/schedules/' + schedule.id + (schedule.enabled ? '/disable' : '/enable')));
    } catch (e) {
      setError(e);
    } finally {
      setSwitching(false);
    }
  };
  const zone = trigger.type === 'cron' ? trigger.timezone || 'UTC' : null;
  return h(
    'tr',
    { 'data-id': schedule.id, class: schedule.enabled ? undefined : 'off' },
    h('td', { class: 'pick' }, h('input', { type: 'checkbox', checked: picked, onChange: () => toggle(schedule.id), 'aria-label': 'Select ' + schedule.name })),
    h(
      'td',
      { 'data-label': 'Name', class: 'name' },
      h('a', { href: '/schedules/' + schedule.id, title: 'Runs of ' + schedule.name }, schedule.name),
      schedule.description ? h('small', { class: 'description' }, schedule.description) : null,
      Object.keys(schedule.labels || {}).length
        ? h('span', { class: 'labels' }, Object.entries(schedule.labels).map(([k, v]) => h('span', { class: 'label' }, v ? k + '=' + v : k)))
        : null,
    ),
    h(
      'td',
      { 'data-label': 'When' },
      trigger.type === 'cron'
        ? h(Fragment, null, h('span', null, words || trigger.expr), h('small', null, (words ? trigger.expr + ' · ' : '') + zone))
        : triggerWords(trigger),
    ),
    h(
      'td',
      { 'data-label': 'On' },
      h('input', {
        type: 'checkbox',
        role: 'switch',
        checked: schedule.enabled,
        disabled: switching,
        onChange: flip,
        'aria-label': (schedule.enabled ? 'Disable ' : 'Enable ') + schedule.name,
      }),
      schedule.disabled_reason ? h('small', { class: 'error' }, schedule.disabled_reason) : null,
    ),
    h(
      'td',
      { 'data-label': 'Next fire' },
      schedule.next_fire_at
        ? h(
            Fragment,
            null,
            h('span', { title: absolute(schedule.next_fire_at, viewerZone, true) }, relative(schedule.next_fire_at, now)),
            h('small', null, short(schedule.next_fire_at)),
            zone && zone !== viewerZone ? h('small', null, short(schedule.next_fire_at, zone)) : null,
          )
        : h('span', { class: 'muted' }, schedule.enabled ? 'not again' : 'off'),
    ),
    h(
      'td',
      { 'data-label': 'Last result' },
      h(StatusBadge, { status: schedule.last_status }),
      schedule.last_fire_at ? h('small', { title: absolute(schedule.last_fire_at, viewerZone, true) }, relative(schedule.last_fire_at, now)) : null,
    ),
    h('td', { 'data-label': 'Failures in a row', class: schedule.consecutive_failures ? 'failing' : undefined }, String(schedule.consecutive_failures)),
    h('td', { 'data-label': 'Target', class: 'target' }, schedule.target.type === 'checkin'
      ? h('span', { title: 'Waits up to ' + schedule.target.grace_s + ' s for the job’s ping' }, 'check-in')
      : h('span', { title: schedule.target.method + ' ' + schedule.target.url }, host(schedule.target.url))),
    h('td', { class: 'actions' }, h('a', { href: '/schedules/' + schedule.id + '/edit', class: 'secondary', 'aria-label': 'Edit ' + schedule.name }, 'Edit')),
  );
}

function Empty({ filtered, clear }) {
  if (filtered) {
    return h(
      'article',
      { class: 'empty' },
      h('p', null, 'No schedule matches these filters.'),
      h('button', { class: 'secondary', onClick: clear }, 'Clear the filters'),
    );
  }
  return h(
    'article',
    { class: 'empty' },
    h('h2', null, 'No schedules yet'),
    h('p', null, 'A schedule calls an HTTP address of yours on a timetable — a cron in a time zone, every so many seconds, or once — and Chime records every call as a run.'),
    h('p', null, h('a', { href: '/schedules/new', role: 'button' }, 'Create your first schedule')),
    h('p', null, h('small', null, 'Scripts can do the same with POST /api/v1/schedules; the API is described at /api/v1/openapi.json.')),
  );
}

function BulkOutcome({ outcome, dismiss }) {
  if (outcome.error) return h(Problem, { error: outcome.error, onRetry: dismiss });
  const { counts, results, action } = outcome;
  const parts = [];
  if (counts.done) parts.push(plural(counts.done, 'schedule') + ' ' + ACTIONS[action].done);
  if (counts.unchanged) parts.push(counts.unchanged + ' already so');
  if (counts.not_found) parts.push(counts.not_found + ' no longer there');
  if (counts.refused) parts.push(counts.refused + ' refused');
  const refused = results.filter((r) => r.result === 'refused');
  return h(
    'div',
    { class: counts.refused ? 'outcome problem' : 'outcome', role: 'status' },
    h('span', null, (parts.join(', ') || 'Nothing to do') + '.'),
    refused.length ? h('ul', null, refused.slice(0, 5).map((r) => h('li', null, r.detail))) : null,
    h('button', { class: 'secondary outline small', onClick: dismiss, 'aria-label': 'Dismiss' }, 'OK'),
  );
}

export function plural(count, noun) {
  return count + ' ' + noun + (count === 1 ? '' : 's');
}
