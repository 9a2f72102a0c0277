// The audit trail: who changed what and when, newest first, with filters.
import { h, Fragment } from '../vendor/preact.module.js';
import { useEffect, useState } from '../vendor/hooks.module.js';
import { api, query } from './api.js';
import { absolute, relative, viewerZone, wallTimeToInstant } from './format.js';
import { Problem } from './ui.js';

const ACTIONS = [
  'schedule.create', 'schedule.update', 'schedule.enable', 'schedule.disable', 'schedule.delete', 'schedule.run-now',
  'run.retry', 'run.cancel', 'token.create', 'token.revoke', 'tenant.create', 'tenant.update', 'tenant.delete',
];

export function AuditView({ admin }) {
  const [filters, setFilters] = useState({ action: '', object_id: '', actor: '', since: '', until: '' });
  const [cursors, setCursors] = useState([null]);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(() => new Set());
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    if (!admin) return;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await api('GET', '/api/v1/audit' + query({
          action: filters.action,
          object_id: filters.object_id.trim(),
          actor: filters.actor.trim(),
          since: wallTimeToInstant(filters.since, viewerZone),
          until: wallTimeToInstant(filters.until, viewerZone),
          limit: 50,
          cursor,
        }));
        if (live) {
          setPage(answer);
          setError(null);
        }
      } catch (e) {
        if (live) setError(e);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filters, cursor, admin]);

  const change = (update) => {
    setFilters((old) => ({ ...old, ...update }));
    setCursors([null]);
  };
  if (!admin) {
    return h('article', { class: 'empty' }, h('h1', null, 'Audit trail'),
      h('p', null, 'The audit trail is for admin tokens. Sign in with a token that has the admin scope to see who changed what.'));
  }
  const input = (key, label, props = {}) =>
    h('input', { name: key, 'aria-label': label, placeholder: label, value: filters[key], onInput: (e) => change({ [key]: e.currentTarget.value }), ...props });
  return h(
    Fragment,
    null,
    h('div', { class: 'list-head' }, h('h1', null, 'Audit trail')),
    h(
      'form',
      { class: 'filters', role: 'search', onSubmit: (e) => e.preventDefault() },
      h('select', { name: 'action', 'aria-label': 'Action', value: filters.action, onChange: (e) => change({ action: e.currentTarget.value }) },
        h('option', { value: '' }, 'Every action'), ACTIONS.map((a) => h('option', { value: a }, a))),
      input('object_id', 'Object id (schedule, run, token)'),
      input('actor', 'Actor token id'),
      h('label', { class: 'inline' }, 'From ', input('since', 'From', { type: 'datetime-local' })),
      h('label', { class: 'inline' }, 'Until ', input('until', 'Until', { type: 'datetime-local' })),
    ),
    h(Problem, { error }),
    !page
      ? h('p', { 'aria-busy': 'true' }, 'Loading the audit trail…')
      : page.items.length === 0
        ? h('article', { class: 'empty' }, h('p', null, Object.values(filters).some(Boolean) ? 'No change matches these filters.' : 'Nothing has changed yet. Every create, change, run-now and token change will be listed here.'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'audit striped' },
              h('thead', null, h('tr', null, ['When', 'Who', 'Action', 'Object', ''].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                null,
                page.items.map((event) =>
                  h(AuditRow, { key: event.id, event, open: open.has(event.id), toggle: () => setOpen((old) => { const next = new Set(old); next.has(event.id) ? next.delete(event.id) : next.add(event.id); return next; }) }),
                ),
              ),
            ),
          ),
    page && (page.next_cursor || cursors.length > 1)
      ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
          h('button', { class: 'secondary outline small', disabled: cursors.length === 1, onClick: () => setCursors((c) => c.slice(0, -1)) }, '← Newer'),
          h('span', null, 'Page ' + cursors.length),
          h('button', { class: 'secondary outline small', disabled: !page.next_cursor, onClick: () => setCursors((c) => [...c, page.next_cursor]) }, 'Older →'))
      : null,
  );
}

function AuditRow({ event, open, toggle }) {
  const object = event.object;
  const name = (event.after && event.after.name) || (event.before && event.before.name);
  return h(
    Fragment,
    null,
    h(
      'tr',
      null,
      h('td', { 'data-label': 'When', title: absolute(event.at, viewerZone, true) }, relative(event.at), h('small', null, absolute(event.at))),
      h('td', { 'data-label': 'Who' }, event.actor.name),
      h('td', { 'data-label': 'Action' }, h('code', null, event.action)),
      h('td', { 'data-label': 'Object' },
        object.type === 'schedule' && event.action !== 'schedule.delete'
          ? h('a', { href: '/schedules/' + object.id }, name || object.id)
          : h('span', null, object.type + ' ' + (name || object.id))),
      h('td', null, h('button', { class: 'secondary outline small', 'aria-expanded': open ? 'true' : 'false', onClick: toggle }, open ? 'Hide change' : 'Show change')),
    ),
    open ? h('tr', { class: 'audit-change' }, h('td', { colSpan: 5 }, h(Change, { before: event.before, after: event.after }))) : null,
  );
}

function Change({ before, after }) {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') {
    return h('pre', null, JSON.stringify(after || before, null, 2));
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && k !== 'updated_at',
  );
  if (!keys.length) return h('p', { class: 'muted' }, 'No visible field changed.');
  return h(
    'table',
    { class: 'change' },
    h('thead', null, h('tr', null, h('th', null, 'Field'), h('th', null, 'Before'), h('th', null, 'After'))),
    h('tbody', null, keys.map((k) => h('tr', null, h('td', null, h('code', null, k)), h('td', null, h('pre', null, JSON.stringify(before[k], null, 1))), h('td', null, h('pre', null, JSON.stringify(after[k], null, 1)))))),
  );
}
