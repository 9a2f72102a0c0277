// The address bar as the page's state: which view, which schedule, which filters.
import { useEffect, useState } from '../vendor/hooks.module.js';

const listeners = new Set();

function current() {
  return {
    path: location.pathname.replace(/\/+$/, '') || '/',
    params: new URLSearchParams(location.search),
  };
}

export function navigate(url, replace = false) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((listener) => listener(current()));
}

export function useRoute() {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(setRoute);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(setRoute);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

// links inside the page move within it instead of loading it again
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="/"]');
  if (!link || link.target || link.hasAttribute('download')) return;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.getAttribute('href').startsWith('/api/')) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
