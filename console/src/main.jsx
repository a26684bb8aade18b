// The console's entry: who is signed in, the hash route, the navigation.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken } from './lib/api.js';
import { label, lang, setLang, t } from './lib/i18n.js';
import { Loading, Problem } from './lib/ui.jsx';
import { screens } from './screens.js';
import './style.css';

// The route in the hash: "#/exemplars/E1?x=1" → {path, query}.
function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(search || '')) };
}

// The screen whose pattern matches `path`, with its `:name` parameters.
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
  return { screen: screens[0], params: {} };
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  const [, setLanguage] = useState(lang());

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    api.get('/v1/session').then((body) => {
      setCsrfToken(body.csrf_token);
      setMe(body);
    }, setError);
  }, []);

  if (error) return <Problem error={error} />;
  if (!me) return <Loading />;
  const { screen, params } = match(route.path);
  const Screen = screen.component;
  const visible = screens.filter((s) => !s.hidden && (!s.roles || me.admin));
  return (
    <div class="app">
      <header class="topbar">
        <span class="brand">{t('app.title')}</span>
        <nav aria-label={t('app.title')}>
          {visible.map((s) => (
            <a key={s.path} href={`#${s.path}`} aria-current={s === screen ? 'page' : undefined}>
              {label(s)}
            </a>
          ))}
        </nav>
        <button type="button" onClick={() => { setLang(lang() === 'vi' ? 'en' : 'vi'); setLanguage(lang()); }}>
          {t('app.language')}
        </button>
      </header>
      <main id="main">
        <Screen me={me} params={params} query={route.query} />
      </main>
    </div>
  );
}

document.documentElement.lang = lang();
render(<App />, document.getElementById('app'));
