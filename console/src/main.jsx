// The console's entry: who is signed in, the hash route, the frame around
// every screen (skip link, header, navigation, language, sign-out).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onSignedOut, setCsrfToken } from './lib/api.js';
import { label, lang, setLang, t } from './lib/i18n.js';
import { Loading, Problem } from './lib/ui.jsx';
import { Frame } from './frame.jsx';
import { screens } from './screens.js';
import { SignIn } from './signin.jsx';
import './style.css';

// The route in the hash: "#/exemplars/E1?x=1" → {path, query}.
function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(search || '')) };
}

// The screen whose pattern matches `path`, with its `:name` parameters;
// null when none does.
function match(path) {
  const segments = path.split('/').filter(Boolean);
  for (const screen of screens) {
    const pattern = screen.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params = {};
    const fits = pattern.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segments[i]);
        return true;
      }
      return part === segments[i];
    });
    if (fits) return { screen, params };
  }
  return null;
}

// Moves the keyboard and the screen reader to the new page's heading (or
// the main region while the screen loads), as a page load would.
function focusHeading() {
  requestAnimationFrame(() => {
    const target = document.getElementById('page-title') || document.getElementById('main');
    if (target) target.focus({ preventScroll: false });
  });
}

function LanguageSwitch({ onChange }) {
  const other = lang() === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="language" lang={other}
      onClick={() => { setLang(other); onChange(other); }}>
      {t('app.language')}
    </button>
  );
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [me, setMe] = useState(undefined);  // undefined: asking; null: signed out
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState(null);
  const [language, setLanguage] = useState(lang());

  function signedIn(body) {
    setCsrfToken(body.csrf_token);
    setNotice('');
    setMe(body);
    focusHeading();
  }

  function signedOut(message) {
    setCsrfToken('');
    setNotice(message || '');
    setMe(null);
  }

  function askSession() {
    setFailure(null);
    api.get('/v1/session').then(signedIn, (error) => {
      if (error.status === 401) signedOut();
      else setFailure(error);
    });
  }

  useEffect(() => {
    const onHash = () => {
      setRoute(currentRoute());
      focusHeading();
    };
    addEventListener('hashchange', onHash);
    onSignedOut(() => signedOut(t('app.session_ended')));
    askSession();
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // The first screen's render, for the browser's performance timeline.
  useEffect(() => {
    if (me !== undefined && !performance.getEntriesByName('console-ready').length) {
      performance.mark('console-ready');
    }
  }, [me]);

  const found = match(route.path);
  useEffect(() => {
    const title = found ? label(found.screen) : t('app.not_found');
    if (me) document.title = `${title} · ${t('app.title')}`;
  }, [me, found && found.screen, language]);

  const languageSwitch = <LanguageSwitch onChange={setLanguage} />;
  if (failure) {
    return (
      <main id="main" class="standalone">
        <Problem error={failure} />
        <button type="button" onClick={askSession}>{t('app.retry')}</button>
      </main>
    );
  }
  if (me === undefined) return <main id="main" class="standalone"><Loading /></main>;
  if (me === null) return <SignIn onSignedIn={signedIn} notice={notice} languageSwitch={languageSwitch} />;

  async function signOut() {
    try {
      await api.del('/v1/session');
    } catch (error) {
      if (error.status !== 401) return setFailure(error);
    }
    signedOut();
  }

  const Screen = found && found.screen.component;
  return (
    <Frame me={me} current={found && found.screen} languageSwitch={languageSwitch} onSignOut={signOut}>
      {Screen
        ? <Screen key={`${route.path}|${language}`} me={me} params={found.params} query={route.query} />
        : <section class="page"><h1 id="page-title" tabIndex={-1}>{t('app.not_found')}</h1></section>}
    </Frame>
  );
}

document.documentElement.lang = lang();
render(<App />, document.getElementById('app'));
