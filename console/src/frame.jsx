// The frame of every screen once signed in: a skip link, the header (the
// product, who is signed in, language, sign-out) and the navigation from
// the screen registry, folded behind a menu button on a phone's width.
import { useEffect, useState } from 'preact/hooks';
import { label, t } from './lib/i18n.js';
import { screens } from './screens.js';
import { HeadWatch } from './screens/verify.jsx';

// The screens `me` sees in the navigation: the server still decides what
// each may read and do.
function visibleScreens(me) {
  return screens.filter((s) => !s.hidden && (!s.roles || s.roles.length === 0
    || (s.roles.includes('admin') && me.admin)
    || (me.grants || []).some((grant) => s.roles.includes(grant.role))));
}

// What the person is, in a line: their grants' units and roles.
function scopeLine(me) {
  const units = [...new Set((me.grants || []).map((g) => g.unit_name || g.unit_id))];
  return units.join(', ');
}

// The navigation's entry for `screen`: itself, or for a screen the
// navigation does not list (one exemplar), the listed one it belongs to.
function navigationEntry(screen) {
  if (!screen || !screen.hidden) return screen;
  return screens.find((s) => !s.hidden && s.path !== '/' && screen.path.startsWith(`${s.path}/`));
}

function skipToMain(event) {
  event.preventDefault();  // the hash is the route: do not change it
  const target = document.getElementById('page-title') || document.getElementById('main');
  if (target) target.focus();
}

export function Frame({ me, current, languageSwitch, onSignOut, children }) {
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [current]);
  const scope = scopeLine(me);
  const entry = navigationEntry(current);
  return (
    <div class="app">
      <a class="skip-link" href="#main" onClick={skipToMain}>{t('app.skip')}</a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="#/">
            <span class="brand-mark" aria-hidden="true">★</span>
            <span>{t('app.title')}</span>
          </a>
          <button type="button" class="menu-toggle" aria-expanded={menuOpen ? 'true' : 'false'}
            aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
            <span class="menu-icon" aria-hidden="true" />
            {t('app.menu')}
          </button>
          <div class="account">
            <span class="who">
              <span class="visually-hidden">{t('app.signed_in_as')}: </span>
              <strong>{me.full_name || me.user_id}</strong>
              {scope ? <span class="who-scope">{scope}</span> : null}
            </span>
            {languageSwitch}
            {me.auth === 'session'
              ? <button type="button" class="sign-out" onClick={onSignOut}>{t('app.sign_out')}</button>
              : null}
          </div>
        </div>
        <nav id="main-nav" class={menuOpen ? 'mainnav open' : 'mainnav'} aria-label={t('app.nav')}>
          <ul>
            {visibleScreens(me).map((s) => (
              <li key={s.path}>
                <a href={`#${s.path}`} aria-current={s === current ? 'page' : s === entry ? 'true' : undefined}>{label(s)}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <HeadWatch />
        {children}
      </main>
    </div>
  );
}
