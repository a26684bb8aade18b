// Setting one's password with the one-time setup code an admin issued
// (POST /v1/password), then signing in with it. Reached from the sign-in
// screen; the server's refusal (a wrong or spent code, a short password, too
// many attempts) is shown at its field or under the form.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './lib/api.js';
import { t } from './lib/i18n.js';
import { Field } from './lib/ui.jsx';

const kMinPasswordLength = 10;  // the server's rule, said before sending

// The fields' names as the server's refusals name them.
const kFields = ['user_id', 'setup_code', 'password'];

export function SetPassword({ onSignedIn, onCancel }) {
  const [values, setValues] = useState({ user_id: '', setup_code: '', password: '', repeat: '' });
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState('');
  const [working, setWorking] = useState(false);
  const first = useRef(null);
  useEffect(() => first.current?.focus(), []);
  const bind = (name) => ({
    id: `setpw-${name}`,
    value: values[name],
    'aria-invalid': errors[name] ? 'true' : undefined,
    'aria-describedby': errors[name] ? `setpw-${name}-error` : undefined,
    onInput: (e) => setValues((v) => ({ ...v, [name]: e.currentTarget.value })),
  });

  // What is wrong before asking the server, by field.
  function check() {
    const found = {};
    for (const name of ['user_id', 'setup_code', 'password', 'repeat']) {
      if (!values[name]) found[name] = t('signin.required');
    }
    if (values.password && values.password.length < kMinPasswordLength) {
      found.password = t('setpw.too_short', { n: kMinPasswordLength });
    }
    if (values.repeat && values.repeat !== values.password) found.repeat = t('setpw.mismatch');
    return found;
  }

  async function submit(event) {
    event.preventDefault();
    const found = check();
    setErrors(found);
    setFailure('');
    if (Object.keys(found).length) return;
    setWorking(true);
    const user = values.user_id.trim();
    try {
      await api.post('/v1/password', { user_id: user, setup_code: values.setup_code.trim(), password: values.password });
      onSignedIn(await api.post('/v1/session', { user_id: user, password: values.password }));
    } catch (refusal) {
      if (kFields.includes(refusal.field)) setErrors({ [refusal.field]: refusal.detail });
      else if (refusal.status === 401) setErrors({ setup_code: t('setpw.invalid_code') });
      else setFailure(refusal.status === undefined ? t('app.unreachable') : refusal.detail);
    } finally {
      setWorking(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="setpw-title">
      <h2 id="setpw-title">{t('setpw.title')}</h2>
      <p class="hint">{t('setpw.about', { n: kMinPasswordLength })}</p>
      <Field id="setpw-user_id" label={t('signin.user')} error={errors.user_id}>
        <input {...bind('user_id')} ref={first} autocomplete="username" autocapitalize="none" spellcheck={false} />
      </Field>
      <Field id="setpw-setup_code" label={t('setpw.code')} error={errors.setup_code}>
        <input {...bind('setup_code')} autocomplete="one-time-code" autocapitalize="characters" spellcheck={false} />
      </Field>
      <Field id="setpw-password" label={t('setpw.password')} error={errors.password}>
        <input {...bind('password')} type="password" autocomplete="new-password" />
      </Field>
      <Field id="setpw-repeat" label={t('setpw.repeat')} error={errors.repeat}>
        <input {...bind('repeat')} type="password" autocomplete="new-password" />
      </Field>
      <div class="signin-refusal" role="alert" aria-live="assertive">{failure}</div>
      <button type="submit" class="primary wide" disabled={working}>
        {working ? t('signin.working') : t('setpw.submit')}
      </button>
      <button type="button" class="link wide" onClick={onCancel}>{t('setpw.back')}</button>
    </form>
  );
}
