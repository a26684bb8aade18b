// Quản trị (admins): the unit tree, the users and their grants over time,
// the campaigns, and every change through the API's own commands: units,
// users, grants and their revocation, campaigns launched and closed, one-time setup codes, tokens (listed, never their
// secrets) and their revocation.
// A secret the server shows once (a setup code, a token) is shown once
// here too, with what to do with it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatDate, formatDateTime, label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Problem } from '../lib/ui.jsx';
import { flattenUnits } from '../lib/units.js';
import { DayInput } from './records/controls.jsx';

// The instant (µs since the epoch) a civil day yyyy-mm-dd, `plus` days
// later, starts in Vietnam (UTC+7): a grant is valid from the start of its
// first day to the start of the day after its last.
function dayStartMicros(day, plus = 0) {
  return (Date.parse(`${day}T00:00:00Z`) + plus * 86400000 - 7 * 3600000) * 1000;
}

const kLevels = ['central', 'province', 'district', 'commune', 'branch', 'department', 'bloc'];
const levelName = (level) => (kLevels.includes(level) ? t(`admin.level.${level}`) : level);

// A form's state: its values, a refusal with its field, and whether it is
// sending. `send(values)` resolves to what to say on success; the values
// are cleared then unless `keep` (a form that edits what it shows).
function useForm(initial, send, keep = false) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const bind = (name) => ({
    id: name,
    value: values[name],
    onInput: (e) => setValues((v) => ({ ...v, [name]: e.currentTarget.value })),
  });
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await send(values));
      if (!keep) setValues(initial);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name) => (error && error.field === name ? error.detail : '');
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  return { values, bind, set, submit, error, busy, done, fieldError };
}

function UnitTree({ units, selected, onSelect }) {
  return (
    <ul class="unit-tree" aria-label={t('admin.units')} tabIndex={0}>
      {units.map((unit) => (
        <li key={unit.id} style={{ paddingInlineStart: `${unit.depth * 1.25}rem` }} class={unit.open === false ? 'unit-closed' : ''}>
          <button type="button" class={unit.id === selected ? 'link selected' : 'link'} aria-pressed={unit.id === selected}
            onClick={() => onSelect(unit.id)}>
            <span class="unit-name">{unit.name}</span>
          </button>{' '}
          <code>{unit.id}</code> <span class="unit-level">{levelName(unit.level)}</span>
          {unit.open === false ? <span class="chip">{t('admin.closed')}</span> : null}
        </li>
      ))}
    </ul>
  );
}

// Rename, move or close the unit picked in the tree.
function EditUnit({ unit, units, onChange }) {
  const path = `/v1/units/${encodeURIComponent(unit.id)}`;
  const rename = useForm({ 'rename-name': unit.name }, async (v) => {
    onChange(await api.post(`${path}/rename`, { name: v['rename-name'].trim() }));
    return t('admin.saved');
  }, true);
  const move = useForm({ 'move-parent': unit.parent_id || '' }, async (v) => {
    onChange(await api.post(`${path}/move`, { parent_id: v['move-parent'] }));
    return t('admin.saved');
  }, true);
  const close = useForm({ 'close-reason': '' }, async (v) => {
    onChange(await api.post(`${path}/close`, { reason: v['close-reason'].trim() }));
    return t('admin.saved');
  });
  const others = units.filter((u) => u.id !== unit.id);
  return (
    <section class="card admin-forms" aria-labelledby="edit-unit-title">
      <h3 id="edit-unit-title" class="span-all">{unit.name} <code>{unit.id}</code></h3>
      <p class="span-all"><a href={`#/units?unit=${encodeURIComponent(unit.id)}`}>{t('units.open_lineage')}</a></p>
      <form class="admin-form" onSubmit={rename.submit} aria-labelledby="rename-title">
        <h4 id="rename-title">{t('admin.rename')}</h4>
        <Field id="rename-name" label={t('admin.unit_name')} error={rename.fieldError('name')}><input {...rename.bind('rename-name')} required /></Field>
        <button type="submit" disabled={rename.busy}>{t('admin.rename')}</button>
        <Outcome form={rename} />
      </form>
      <form class="admin-form" onSubmit={move.submit} aria-labelledby="move-title">
        <h4 id="move-title">{t('admin.move')}</h4>
        <UnitSelect id="move-parent" units={others} bind={move.bind} label={t('admin.parent')} error={move.fieldError('parent_id')} />
        <button type="submit" disabled={move.busy}>{t('admin.move')}</button>
        <Outcome form={move} />
      </form>
      {unit.open === false ? null : (
        <form class="admin-form" onSubmit={close.submit} aria-labelledby="close-title">
          <h4 id="close-title">{t('admin.close_unit')}</h4>
          <Field id="close-reason" label={t('admin.reason')} error={close.fieldError('reason')}><input {...close.bind('close-reason')} required /></Field>
          <button type="submit" class="danger" disabled={close.busy}>{t('admin.close_unit')}</button>
          <Outcome form={close} />
        </form>
      )}
    </section>
  );
}

function UnitSelect({ id, units, bind, label: text, error, optional }) {
  return (
    <Field id={id} label={text} error={error}>
      <select {...bind(id)}>
        <option value="">{optional ? t('admin.none') : t('admin.choose')}</option>
        {units.map((u) => <option key={u.id} value={u.id}>{'\u00a0\u00a0'.repeat(u.depth)}{u.name}</option>)}
      </select>
    </Field>
  );
}

function NewUnit({ units, onChange }) {
  const form = useForm({ 'unit-id': '', 'unit-name': '', 'unit-level': 'commune', 'unit-parent': '' }, async (v) => {
    const body = { unit_id: v['unit-id'].trim(), name: v['unit-name'].trim(), level: v['unit-level'] };
    if (v['unit-parent']) body.parent_id = v['unit-parent'];
    const result = await api.post('/v1/units', body);
    onChange(result);
    return `${t('admin.created')} ${body.unit_id}`;
  });
  return (
    <form class="card admin-form" onSubmit={form.submit} aria-labelledby="new-unit-title">
      <h3 id="new-unit-title">{t('admin.new_unit')}</h3>
      <Field id="unit-id" label={t('admin.unit_id')} error={form.fieldError('unit_id')}><input {...form.bind('unit-id')} required /></Field>
      <Field id="unit-name" label={t('admin.unit_name')} error={form.fieldError('name')}><input {...form.bind('unit-name')} required /></Field>
      <Field id="unit-level" label={t('admin.level')} error={form.fieldError('level')}>
        <select {...form.bind('unit-level')}>
          {kLevels.map((level) => (
            <option key={level} value={level}>{t(`admin.level.${level}`)}</option>
          ))}
        </select>
      </Field>
      <UnitSelect id="unit-parent" units={units} bind={form.bind} label={t('admin.parent')} error={form.fieldError('parent_id')} optional />
      <button type="submit" class="primary" disabled={form.busy}>{t('admin.create')}</button>
      <Outcome form={form} />
    </form>
  );
}

function NewUser({ units, onChange }) {
  const form = useForm({ 'user-id': '', 'user-name': '', 'user-home': '' }, async (v) => {
    const body = { user_id: v['user-id'].trim(), full_name: v['user-name'].trim(), home_unit_id: v['user-home'] };
    const result = await api.post('/v1/users', body);
    onChange(result, body.user_id);
    return `${t('admin.created')} ${body.user_id}`;
  });
  return (
    <form class="card admin-form" onSubmit={form.submit} aria-labelledby="new-user-title">
      <h3 id="new-user-title">{t('admin.new_user')}</h3>
      <Field id="user-id" label={t('admin.user_id')} error={form.fieldError('user_id')}><input {...form.bind('user-id')} required autoComplete="off" /></Field>
      <Field id="user-name" label={t('admin.full_name')} error={form.fieldError('full_name')}><input {...form.bind('user-name')} required /></Field>
      <UnitSelect id="user-home" units={units} bind={form.bind} label={t('admin.home_unit')} error={form.fieldError('home_unit_id')} />
      <button type="submit" class="primary" disabled={form.busy}>{t('admin.create')}</button>
      <Outcome form={form} />
    </form>
  );
}

function Outcome({ form }) {
  if (form.error) return <Problem error={form.error} />;
  if (!form.done) return null;
  if (typeof form.done === 'string') return <p class="done" role="status">{form.done}</p>;
  return form.done;
}

// A secret shown once: a setup code or a token.
function Secret({ title, value, expires, hint }) {
  return (
    <div class="secret" role="status">
      <strong>{title}</strong>
      <code class="secret-value">{value}</code>
      {expires ? <span>{t('admin.expires')} {formatDateTime(expires)}</span> : null}
      <small>{hint}</small>
    </div>
  );
}

// The cell saying until when a grant or a token holds: its revocation,
// else its end, else open-ended.
function Until({ revokedAt, until }) {
  if (revokedAt) return <td>{t('admin.revoked_at')} {formatDateTime(revokedAt)}</td>;
  return <td>{formatDateTime(until) || t('admin.open_ended')}</td>;
}

// The cell with the revoke button of `what`, when it may still be revoked.
function RevokeCell({ shown, what, onRevoke }) {
  return (
    <td>{shown ? (
      <button type="button" class="danger" onClick={onRevoke} aria-label={`${t('admin.revoke')} ${what}`}>
        {t('admin.revoke')}
      </button>) : null}
    </td>
  );
}

function Grants({ user, roleLabels, unitNames, onChange }) {
  const [error, setError] = useState(null);
  const revoke = async (grant) => {
    setError(null);
    try {
      onChange(await api.post(`/v1/users/${encodeURIComponent(user.id)}/grants/${encodeURIComponent(grant.id)}/revoke`,
        { reason: t('admin.revoked_reason') }));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <Problem error={error} />
      {user.grants.length === 0 ? <p class="empty">{t('admin.no_grants')}</p> : (
        <div class="table-wrap">
          <table>
            <caption>{t('admin.grants_of')} {user.full_name}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.unit')}</th>
                <th scope="col">{t('admin.from')}</th><th scope="col">{t('admin.to')}</th>
                <th scope="col">{t('admin.now')}</th><th scope="col"><span class="visually-hidden">{t('admin.revoke')}</span></th>
              </tr>
            </thead>
            <tbody>
              {user.grants.map((grant) => (
                <tr key={grant.id} class={grant.valid_now ? '' : 'grant-past'}>
                  <td>{roleLabels.get(grant.role) || grant.role}</td>
                  <td>{unitNames.get(grant.unit_id) || grant.unit_id}</td>
                  <td>{formatDateTime(grant.valid_from)}</td>
                  <Until revokedAt={grant.revoked_at} until={grant.valid_to} />
                  <td>{grant.valid_now ? <span aria-label={t('admin.valid')}>✓</span> : <span aria-label={t('admin.not_valid')}>—</span>}</td>
                  <RevokeCell shown={grant.valid_now} what={`${roleLabels.get(grant.role) || grant.role} @ ${grant.unit_id}`}
                    onRevoke={() => revoke(grant)} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

// A user's API tokens (never their secrets: the server keeps only their
// hashes), each active one with its revoke button. `generation` changes
// when a token was issued.
function Tokens({ user, generation }) {
  const path = `/v1/users/${encodeURIComponent(user.id)}/tokens`;
  const [tokens, setTokens] = useState(null);
  const [error, setError] = useState(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    api.get(path).then((answer) => live && setTokens(answer.tokens), (failure) => live && setError(failure));
    return () => { live = false; };
  }, [path, generation, reloads]);
  const revoke = async (token) => {
    setError(null);
    try {
      await api.del(`/v1/tokens/${encodeURIComponent(token.token_id)}`);
      setReloads((n) => n + 1);
    } catch (failure) {
      setError(failure);
    }
  };
  if (!tokens) return error ? <Problem error={error} /> : <Loading />;
  return (
    <>
      <Problem error={error} />
      {tokens.length === 0 ? <p class="empty">{t('admin.no_tokens')}</p> : (
        <div class="table-wrap">
          <table class="token-list">
            <caption>{t('admin.tokens_of')} {user.full_name}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.token_id')}</th><th scope="col">{t('admin.issued')}</th>
                <th scope="col">{t('admin.to')}</th><th scope="col">{t('admin.state')}</th>
                <th scope="col"><span class="visually-hidden">{t('admin.revoke')}</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.token_id} class={token.state === 'active' ? '' : 'grant-past'}>
                  <td><code>{token.token_id}</code></td>
                  <td>{formatDateTime(token.issued_at)}</td>
                  <Until revokedAt={token.revoked_at} until={token.expires_at} />
                  <td>{t(`admin.token_state.${token.state}`)}</td>
                  <RevokeCell shown={token.state === 'active'} what={token.token_id} onRevoke={() => revoke(token)} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function UserPanel({ user, units, roles, onChange }) {
  const [issuedTokens, setIssuedTokens] = useState(0);
  const roleLabels = useMemo(() => new Map(roles.map((r) => [r.name, label(r)])), [roles]);
  const unitNames = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const path = `/v1/users/${encodeURIComponent(user.id)}`;
  const grant = useForm({ 'grant-role': '', 'grant-unit': '', 'grant-from': '', 'grant-to': '' }, async (v) => {
    const body = { role: v['grant-role'], unit_id: v['grant-unit'] };
    for (const [name, field, plus] of [['grant-from', 'valid_from_us', 0], ['grant-to', 'valid_to_us', 1]]) {
      if (!v[name]) continue;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v[name])) {
        throw Object.assign(new Error(t('common.bad_day')), { field, detail: t('common.bad_day') });
      }
      body[field] = dayStartMicros(v[name], plus);
    }
    onChange(await api.post(`${path}/grants`, body));
    return `${t('admin.granted')} ${roleLabels.get(v['grant-role']) || v['grant-role']}`;
  });
  const setup = useForm({}, async () => {
    const code = await api.post(`${path}/setup-codes`, {});
    return <Secret title={t('admin.setup_code')} value={code.setup_code} expires={code.expires_at} hint={t('admin.setup_hint')} />;
  });
  const token = useForm({ 'token-days': '90' }, async (v) => {
    const issued = await api.post(`${path}/tokens`, { expires_in_days: Number(v['token-days']) });
    setIssuedTokens((n) => n + 1);
    return <Secret title={`${t('admin.token')} ${issued.token_id}`} value={issued.token} expires={issued.expires_at} hint={t('admin.token_hint')} />;
  });
  const deactivate = useForm({ 'deactivate-reason': '' }, async (v) => {
    onChange(await api.post(`${path}/deactivate`, { reason: v['deactivate-reason'] }));
    return t('admin.deactivated');
  });
  return (
    <section class="card user-panel" aria-labelledby="user-panel-title">
      <h2 id="user-panel-title">{user.full_name} <code>{user.id}</code> {user.active ? null : <span class="chip">{t('admin.inactive')}</span>}</h2>
      <p>{t('admin.home_unit')}: {unitNames.get(user.home_unit_id) || user.home_unit_id}</p>
      <h3>{t('admin.grants')}</h3>
      <Grants user={user} roleLabels={roleLabels} unitNames={unitNames} onChange={onChange} />
      <h3>{t('admin.tokens')}</h3>
      <Tokens user={user} generation={issuedTokens} />
      <div class="admin-forms">
        <form class="admin-form" onSubmit={grant.submit} aria-labelledby="grant-title">
          <h3 id="grant-title">{t('admin.grant')}</h3>
          <Field id="grant-role" label={t('admin.role')} error={grant.fieldError('role')}>
            <select {...grant.bind('grant-role')} required>
              <option value="">{t('admin.choose')}</option>
              {roles.map((r) => <option key={r.name} value={r.name}>{label(r)}</option>)}
            </select>
          </Field>
          <UnitSelect id="grant-unit" units={units} bind={grant.bind} label={t('admin.unit')} error={grant.fieldError('unit_id')} />
          <Field id="grant-from" label={t('admin.grant_from')} error={grant.fieldError('valid_from_us')}>
            <DayInput id="grant-from" value={grant.values['grant-from']} onChange={(day) => grant.set('grant-from', day)} />
          </Field>
          <Field id="grant-to" label={t('admin.grant_to')} error={grant.fieldError('valid_to_us')}>
            <DayInput id="grant-to" value={grant.values['grant-to']} onChange={(day) => grant.set('grant-to', day)} />
          </Field>
          <button type="submit" class="primary" disabled={grant.busy}>{t('admin.grant')}</button>
          <Outcome form={grant} />
        </form>
        <form class="admin-form" onSubmit={setup.submit} aria-labelledby="setup-title">
          <h3 id="setup-title">{t('admin.setup_code')}</h3>
          <p class="hint">{t('admin.setup_about')}</p>
          <button type="submit" disabled={setup.busy}>{t('admin.issue_setup')}</button>
          <Outcome form={setup} />
        </form>
        <form class="admin-form" onSubmit={token.submit} aria-labelledby="token-title">
          <h3 id="token-title">{t('admin.tokens')}</h3>
          <Field id="token-days" label={t('admin.token_days')} error={token.fieldError('expires_in_days')}>
            <input {...token.bind('token-days')} type="number" min="1" max="3650" inputMode="numeric" />
          </Field>
          <button type="submit" disabled={token.busy}>{t('admin.issue_token')}</button>
          <Outcome form={token} />
        </form>
        {user.active ? (
          <form class="admin-form" onSubmit={deactivate.submit} aria-labelledby="deactivate-title">
            <h3 id="deactivate-title">{t('admin.deactivate')}</h3>
            <Field id="deactivate-reason" label={t('admin.reason')} error={deactivate.fieldError('reason')}>
              <input {...deactivate.bind('deactivate-reason')} required />
            </Field>
            <button type="submit" class="danger" disabled={deactivate.busy}>{t('admin.deactivate')}</button>
            <Outcome form={deactivate} />
          </form>
        ) : null}
      </div>
    </section>
  );
}

// Emulation campaigns (phong trào thi đua): each with its period, set of
// criteria and state, an open one with its close form; and a new one.
function Campaigns({ units, criteriaSets }) {
  const [campaigns, setCampaigns] = useState(null);
  const [error, setError] = useState(null);
  const unitNames = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const reload = () => api.get('/v1/campaigns').then((body) => setCampaigns(body.campaigns), setError);
  useEffect(() => { reload(); }, []);
  const launch = useForm({ 'campaign-id': '', 'campaign-name': '', 'campaign-unit': '', 'campaign-set': '', 'campaign-start': '', 'campaign-end': '' }, async (v) => {
    await api.post('/v1/campaigns', {
      campaign_id: v['campaign-id'].trim(), name: v['campaign-name'].trim(), unit_id: v['campaign-unit'],
      criteria_set: v['campaign-set'], period_start: v['campaign-start'], period_end: v['campaign-end'],
    });
    reload();
    return `${t('admin.launched')} ${v['campaign-name'].trim()}`;
  });
  const close = useForm({ 'campaign-close': '', 'campaign-reason': '' }, async (v) => {
    await api.post(`/v1/campaigns/${encodeURIComponent(v['campaign-close'])}/close`, { reason: v['campaign-reason'].trim() });
    reload();
    return t('admin.campaign_closed');
  });
  const day = (form, name) => <DayInput id={name} value={form.values[name]} onChange={(value) => form.set(name, value)} required />;
  const open = (campaigns || []).filter((c) => c.open);
  return (
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{t('admin.campaigns')}</h2>
      <Problem error={error} />
      {!campaigns ? <Loading /> : (
        <div class="table-wrap">
          <table class="campaign-list">
            <caption class="visually-hidden">{t('admin.campaigns')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.campaign_name')}</th><th scope="col">{t('admin.unit')}</th>
                <th scope="col">{t('admin.period')}</th><th scope="col">{t('admin.criteria_set')}</th>
                <th scope="col">{t('admin.state')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.campaign_id} class={c.open ? '' : 'grant-past'}>
                  <td>{c.name} <code>{c.campaign_id}</code></td>
                  <td>{unitNames.get(c.unit_id) || c.unit_id}</td>
                  <td>{formatDate(c.period_start)}–{formatDate(c.period_end)}</td>
                  <td>{label(criteriaSets.find((set) => set.name === c.criteria_set)) || c.criteria_set}</td>
                  <td>{c.open ? t('admin.campaign_open') : t('admin.campaign_ended')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="admin-forms">
        <form class="admin-form" onSubmit={launch.submit} aria-labelledby="launch-title">
          <h3 id="launch-title">{t('admin.launch')}</h3>
          <Field id="campaign-id" label={t('admin.campaign_id')} error={launch.fieldError('campaign_id')}><input {...launch.bind('campaign-id')} required autoComplete="off" /></Field>
          <Field id="campaign-name" label={t('admin.campaign_name')} error={launch.fieldError('name')}><input {...launch.bind('campaign-name')} required /></Field>
          <UnitSelect id="campaign-unit" units={units} bind={launch.bind} label={t('admin.campaign_unit')} error={launch.fieldError('unit_id')} />
          <Field id="campaign-set" label={t('admin.criteria_set')} error={launch.fieldError('criteria_set')}>
            <select {...launch.bind('campaign-set')} required>
              <option value="">{t('admin.choose')}</option>
              {criteriaSets.map((set) => <option key={set.name} value={set.name}>{label(set)}</option>)}
            </select>
          </Field>
          <Field id="campaign-start" label={t('admin.period_start')} error={launch.fieldError('period_start')}>{day(launch, 'campaign-start')}</Field>
          <Field id="campaign-end" label={t('admin.period_end')} error={launch.fieldError('period_end')}>{day(launch, 'campaign-end')}</Field>
          <button type="submit" class="primary" disabled={launch.busy}>{t('admin.launch')}</button>
          <Outcome form={launch} />
        </form>
        {open.length ? (
          <form class="admin-form" onSubmit={close.submit} aria-labelledby="close-campaign-title">
            <h3 id="close-campaign-title">{t('admin.close_campaign')}</h3>
            <Field id="campaign-close" label={t('admin.campaign_name')} error={close.fieldError('campaign_id')}>
              <select {...close.bind('campaign-close')} required>
                <option value="">{t('admin.choose')}</option>
                {open.map((c) => <option key={c.campaign_id} value={c.campaign_id}>{c.name}</option>)}
              </select>
            </Field>
            <Field id="campaign-reason" label={t('admin.reason')} error={close.fieldError('reason')}><input {...close.bind('campaign-reason')} required /></Field>
            <button type="submit" class="danger" disabled={close.busy}>{t('admin.close_campaign')}</button>
            <Outcome form={close} />
          </form>
        ) : null}
      </div>
    </section>
  );
}

export default function Admin({ query }) {
  const [units, setUnits] = useState(null);
  const [users, setUsers] = useState(null);
  const [roles, setRoles] = useState([]);
  const [criteriaSets, setCriteriaSets] = useState([]);
  const [error, setError] = useState(null);
  const [selected, setSelected] = useState(query.user || '');
  const [search, setSearch] = useState('');
  const [unitId, setUnitId] = useState('');

  // Reads again, at least as fresh as the change just made.
  const load = (position) => {
    const fresh = position ? { min_position: position } : undefined;
    Promise.all([api.get('/v1/units', fresh), api.get('/v1/users', fresh)]).then(([unitBody, userBody]) => {
      setUnits(flattenUnits(unitBody));
      setUsers(userBody.users || userBody);
    }, setError);
  };
  useEffect(() => {
    load();
    api.get('/v1/workflow').then((w) => {
      setRoles(w.roles);
      setCriteriaSets(w.criteria_sets || []);
    }, setError);
  }, []);
  const changed = (result, userId) => {
    if (userId) setSelected(userId);
    load(result && result.position);
  };

  if (error) return <Page title={t('admin.title')}><Problem error={error} /></Page>;
  if (!units || !users) return <Page title={t('admin.title')}><Loading /></Page>;
  const needle = search.trim().toLowerCase();
  const listed = users.filter((u) => !needle || `${u.id} ${u.full_name}`.toLowerCase().includes(needle));
  const user = users.find((u) => u.id === selected);
  const unit = units.find((u) => u.id === unitId);
  const roleName = (name) => label(roles.find((r) => r.name === name)) || name;
  return (
    <Page title={t('admin.title')}>
      <div class="admin-layout">
        <section class="card" aria-labelledby="units-title">
          <h2 id="units-title">{t('admin.units')}</h2>
          <UnitTree units={units} selected={unitId} onSelect={setUnitId} />
          {unit ? <EditUnit key={unit.id} unit={unit} units={units} onChange={changed} /> : null}
          <NewUnit units={units} onChange={changed} />
        </section>
        <section class="card" aria-labelledby="users-title">
          <h2 id="users-title">{t('admin.users')}</h2>
          <Field id="user-search" label={t('admin.search')}>
            <input id="user-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </Field>
          <ul class="user-list">
            {listed.map((u) => (
              <li key={u.id}>
                <button type="button" class={u.id === selected ? 'link selected' : 'link'} aria-pressed={u.id === selected}
                  onClick={() => setSelected(u.id)}>
                  {u.full_name} <code>{u.id}</code>
                </button>
                <span class="user-grants">{u.grants.filter((g) => g.valid_now).map((g) => roleName(g.role)).join(', ')}</span>
                {u.active ? null : <span class="chip">{t('admin.inactive')}</span>}
              </li>
            ))}
          </ul>
          <NewUser units={units} onChange={changed} />
        </section>
      </div>
      {user ? <UserPanel key={user.id} user={user} units={units} roles={roles} onChange={changed} /> : null}
      <Campaigns units={units} criteriaSets={criteriaSets} />
    </Page>
  );
}
