// Sign-in with an API token; the token stays in this tab (sessionStorage) and nowhere else.
import { h } from '../vendor/preact.module.js';
import { useState } from '../vendor/hooks.module.js';

export function SignIn({ message, onToken }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const text = value.trim();
    if (!text) {
      setError('Paste an API token; it starts with chime_.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onToken(text);
    } finally {
      setBusy(false);
    }
  };
  return h(
    'main',
    { class: 'container signin' },
    h(
      'article',
      null,
      h('header', null, h('h1', null, 'Sign in to Chime')),
      message ? h('p', { class: 'notice', role: 'status' }, message) : null,
      h(
        'form',
        { onSubmit: submit, noValidate: true },
        h('label', { for: 'token' }, 'API token'),
        h('input', {
          id: 'token',
          name: 'token',
          type: 'password',
          autocomplete: 'off',
          placeholder: 'chime_…',
          value,
          'aria-invalid': error ? 'true' : undefined,
          'aria-describedby': 'token-help',
          onInput: (e) => setValue(e.currentTarget.value),
          autofocus: true,
        }),
        h(
          'small',
          { id: 'token-help', class: error ? 'error' : undefined },
          error ||
            'The admin token of a new installation is in data/admin-token beside Chime; an admin makes others with POST /api/v1/tokens. The token is kept in this browser tab only.',
        ),
        h('button', { type: 'submit', 'aria-busy': busy ? 'true' : undefined, disabled: busy }, 'Sign in'),
      ),
    ),
  );
}
