// Small pieces the views share: a side panel, a confirmation, a field with its error, badges.
import { h } from '../vendor/preact.module.js';
import { useEffect, useRef } from '../vendor/hooks.module.js';
import { STATUS_WORDS } from './format.js';

/** A panel beside the list (over it on a phone); Escape or the close button leaves it. */
export function Panel({ title, close, children, label }) {
  const ref = useRef(null);
  useEffect(() => {
    const opener = document.activeElement;
    const heading = ref.current && ref.current.querySelector('h2');
    if (heading) heading.focus();
    const onKey = (event) => {
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) close();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  return h(
    'aside',
    { class: 'panel', ref, 'aria-label': label || title },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { tabIndex: -1 }, title),
      h('button', { class: 'secondary outline close', onClick: close, 'aria-label': 'Close panel', title: 'Close (Esc)' }, '×'),
    ),
    h('div', { class: 'panel-body' }, children),
  );
}

/** A modal question: showModal() keeps focus inside it, Escape cancels. */
export function Confirm({ title, text, confirm, danger, onConfirm, onCancel }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const cancel = (event) => {
      event.preventDefault();
      onCancel();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, []);
  return h(
    'dialog',
    { ref, 'aria-labelledby': 'confirm-title' },
    h(
      'article',
      null,
      h('h3', { id: 'confirm-title' }, title),
      h('p', null, text),
      h(
        'footer',
        null,
        h('button', { class: 'secondary', onClick: onCancel }, 'Cancel'),
        h('button', { class: danger ? 'danger' : undefined, onClick: onConfirm, autofocus: true }, confirm),
      ),
    ),
  );
}

/** A labelled input with its error (or help) right below it. */
export function Field({ id, label, error, help, children }) {
  return h(
    'div',
    { class: 'field' },
    label ? h('label', { for: id }, label) : null,
    children,
    error
      ? h('small', { id: id + '-error', class: 'error', role: 'alert' }, error)
      : help
        ? h('small', { id: id + '-help' }, help)
        : null,
  );
}

/** Props for an input that has an error slot: invalid state and what describes it. */
export function invalid(id, error) {
  return {
    id,
    name: id,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? id + '-error' : id + '-help',
  };
}

export function StatusBadge({ status }) {
  if (!status) return h('span', { class: 'badge none' }, 'never ran');
  return h('span', { class: 'badge ' + status }, STATUS_WORDS[status] || status);
}

export function Problem({ error, onRetry }) {
  if (!error) return null;
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('span', null, error.message || String(error)),
    onRetry ? h('button', { class: 'secondary outline small', onClick: onRetry }, 'Try again') : null,
  );
}
