// The sign-in screen: user name and password, the server's refusal told in
// place (wrong credentials, too many attempts with the wait, busy); or,
// for a person holding a setup code, setting their password.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './lib/api.js';
import { t } from './lib/i18n.js';
import { Field } from './lib/ui.jsx';
import { SetPassword } from './setpassword.jsx';

// The text for a refused sign-in; `wait` is the seconds still to wait.
function refusalText(error, wait) {
  if (error.status === 401) return t('signin.invalid');
  if (error.status === 429) return t('signin.too_many', { s: wait });
  if (error.status === 503) return t('signin.busy');
  if (error.status === 0) return t('app.unreachable');
  return error.detail || error.message;
}

// Counts `seconds` down to 0, once a second.
function useCountdown() {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return undefined;
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

export function SignIn({ onSignedIn, notice, languageSwitch }) {
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState({});
  const [error, setError] = useState(null);
  const [working, setWorking] = useState(false);
  const [wait, setWait] = useCountdown();
  const [settingPassword, setSettingPassword] = useState(false);
  const heading = useRef(null);
  const userInput = useRef(null);
  const passwordInput = useRef(null);

  useEffect(() => {
    document.title = `${t('signin.title')} · ${t('app.title')}`;
    userInput.current?.focus();
  }, []);

  async function submit(event) {
    event.preventDefault();
    const absent = { user: !userId.trim(), password: !password };
    setMissing(absent);
    if (absent.user) return userInput.current.focus();
    if (absent.password) return passwordInput.current.focus();
    setWorking(true);
    setError(null);
    try {
      const me = await api.post('/v1/session', { user_id: userId.trim(), password });
      onSignedIn(me);
    } catch (failure) {
      setError(failure.status === undefined ? Object.assign(failure, { status: 0 }) : failure);
      if (failure.status === 429) setWait(failure.retryAfter || 1);
      setPassword('');
      passwordInput.current?.focus();
    } finally {
      setWorking(false);
    }
  }

  const refusal = error && (error.status !== 429 || wait > 0) ? refusalText(error, wait) : '';
  return (
    <div class="signin-page">
      <div class="signin-top">{languageSwitch}</div>
      <main id="main" class="signin-card">
        <div class="signin-emblem" aria-hidden="true">★</div>
        <p class="signin-brand">{t('app.title')}</p>
        <h1 id="page-title" tabIndex={-1} ref={heading}>{t('signin.title')}</h1>
        <p class="signin-intro">{notice || t('signin.intro')}</p>
        {settingPassword
          ? <SetPassword onSignedIn={onSignedIn} onCancel={() => setSettingPassword(false)} />
          : <>
        <form onSubmit={submit} noValidate aria-describedby={refusal ? 'signin-refusal' : undefined}>
          <Field id="signin-user" label={t('signin.user')} error={missing.user ? t('signin.required') : ''}>
            <input id="signin-user" ref={userInput} name="username" autocomplete="username"
              autocapitalize="none" spellcheck={false} value={userId}
              aria-invalid={missing.user ? 'true' : undefined}
              aria-describedby={missing.user ? 'signin-user-error' : undefined}
              onInput={(e) => setUserId(e.currentTarget.value)} />
          </Field>
          <Field id="signin-password" label={t('signin.password')}
            error={missing.password ? t('signin.required') : ''}>
            <input id="signin-password" ref={passwordInput} type="password" name="password"
              autocomplete="current-password" value={password}
              aria-invalid={missing.password ? 'true' : undefined}
              aria-describedby={missing.password ? 'signin-password-error' : undefined}
              onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
          <div id="signin-refusal" class="signin-refusal" role="alert" aria-live="assertive">
            {refusal}
          </div>
          <button type="submit" class="primary wide" disabled={working || wait > 0}>
            {working ? t('signin.working') : t('signin.submit')}
          </button>
        </form>
        <p class="signin-footer">{t('signin.footer')}</p>
        <button type="button" class="link wide" onClick={() => setSettingPassword(true)}>{t('setpw.open')}</button>
          </>}
      </main>
    </div>
  );
}
