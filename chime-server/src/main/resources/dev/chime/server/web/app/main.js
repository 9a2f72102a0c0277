// Chime's page: who is signed in, which view the address names, and the frame around the views.
import { h, render } from '../vendor/preact.module.js';
import { useEffect, useState, useCallback } from '../vendor/hooks.module.js';
import { api, onUnauthorized, prefetch, setToken, takeTokenFromFragment, token } from './api.js';
import { SignIn } from './signin.js';
import { ScheduleList, filtersFrom, listPath } from './list.js';
import { Editor } from './editor.js';
import { RunsPanel } from './runs.js';
import { AuditView } from './audit.js';
import { navigate, useRoute } from './router.js';

// before anything else: a token in the address must not stay there
takeTokenFromFragment();
// the list's first page is asked for beside the token check, not after it
if (token() && location.pathname !== '/audit') {
  prefetch(listPath(filtersFrom(new URLSearchParams(location.search)), null));
}

function App() {
  const route = useRoute();
  const [auth, setAuth] = useState({ state: 'checking' });
  const [listVersion, setListVersion] = useState(0);
  const changed = useCallback(() => setListVersion((v) => v + 1), []);

  const check = useCallback(async (reason) => {
    try {
      const who = await api('GET', '/api/v1/tokens/current');
      setAuth({ state: 'in', who, off: who.state === 'auth_off' });
    } catch (e) {
      if (e.status === 401) {
        const hadToken = !!token();
        setToken(null);
        setAuth({
          state: 'out',
          message: reason || (hadToken ? 'Chime did not accept that token (revoked or expired?). Sign in again.' : null),
        });
      } else {
        setAuth({ state: 'error', message: e.message });
      }
    }
  }, []);

  useEffect(() => {
    check();
    // a #token= given to a page that is already open signs in as well
    const onHash = () => {
      if (takeTokenFromFragment()) check();
    };
    window.addEventListener('hashchange', onHash);
    const stop = onUnauthorized(() => {
      setToken(null);
      setAuth({ state: 'out', message: 'Your token stopped working (revoked or expired). Sign in again.' });
    });
    return () => {
      stop();
      window.removeEventListener('hashchange', onHash);
    };
  }, [check]);

  if (auth.state === 'checking') {
    return h('main', { class: 'container' }, h('p', { 'aria-busy': 'true' }, 'Loading Chime…'));
  }
  if (auth.state === 'error') {
    return h(
      'main',
      { class: 'container' },
      h('article', { class: 'problem', role: 'alert' }, h('p', null, auth.message),
        h('button', { onClick: () => check() }, 'Try again')),
    );
  }
  if (auth.state === 'out') {
    return h(SignIn, {
      message: auth.message,
      onToken: async (value) => {
        setToken(value);
        await check('Chime did not accept that token. Check that you copied all of it.');
      },
    });
  }

  const signOut = () => {
    setToken(null);
    setAuth({ state: 'out', message: 'Signed out.' });
  };
  const admin = auth.who.scopes && auth.who.scopes.includes('admin');
  let view;
  let panel = null;
  if (route.path === '/audit') {
    view = h(AuditView, { admin, route });
  } else {
    view = h(ScheduleList, { route, version: listVersion, changed, who: auth.who });
    const match = /^\/schedules\/([^/]+)(?:(\/edit)|\/runs\/([^/]+))?$/.exec(route.path);
    if (route.path === '/schedules/new') {
      panel = h(Editor, { key: 'new', params: route.params, changed, close: () => navigate('/') });
    } else if (match && match[2]) {
      panel = h(Editor, { key: 'edit-' + match[1], id: match[1], changed, close: () => navigate('/schedules/' + match[1]) });
    } else if (match) {
      // /schedules/{id}/runs/{runId} (the link in an alert) opens that run in the panel
      panel = h(RunsPanel, { key: 'runs-' + match[1] + (match[3] || ''), id: match[1], runId: match[3], changed, close: () => navigate('/') });
    }
  }
  return h(
    'div',
    { class: panel ? 'app with-panel' : 'app' },
    h(Header, { who: auth.who, off: auth.off, admin, route, signOut }),
    h('main', { class: 'container-fluid view' }, view),
    panel,
  );
}

function Header({ who, off, admin, route, signOut }) {
  const link = (href, text, active) =>
    h('li', null, h('a', { href, 'aria-current': active ? 'page' : undefined }, text));
  return h(
    'header',
    { class: 'container-fluid top' },
    h(
      'nav',
      { 'aria-label': 'Chime' },
      h('ul', null, h('li', null, h('a', { href: '/', class: 'brand' }, 'Chime'))),
      h(
        'ul',
        null,
        link('/', 'Schedules', route.path !== '/audit'),
        admin ? link('/audit', 'Audit', route.path === '/audit') : null,
        h(
          'li',
          { class: 'who' },
          off
            ? h('span', { class: 'badge warn', title: 'CHIME_AUTH=off: anyone who reaches this port acts as the admin' }, 'auth off')
            : h('span', { title: 'tenant ' + who.tenant_id + '; scopes ' + (who.scopes || []).join(', ') },
                who.name + ' · ' + who.tenant_id),
        ),
        off ? null : h('li', null, h('button', { class: 'secondary outline small', onClick: signOut }, 'Sign out')),
      ),
    ),
  );
}

render(h(App), document.getElementById('app'));
