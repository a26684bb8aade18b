// Acting on an exemplar: the server says which actions the signed-in
// person may take now and why not the others (GET
// /v1/exemplars/{id}/actions); each allowed one opens its generated form.
import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { label, t } from '../../lib/i18n.js';
import { Field, Loading, Problem } from '../../lib/ui.jsx';
import { ActionForm } from './action-form.jsx';
import { ChoiceSelect } from './controls.jsx';
import { roleLabel, useLoad } from './load.js';

// Refusals that only say "not your role" or "not from this state" go
// under a disclosure; the others (four eyes, deadlines, criteria, …) are
// the rules a person needs to see next to what they may do.
const kQuietRefusals = ['role_not_permitted', 'not_in_scope', 'not_authorised', 'invalid_transition', 'forbidden'];

function latestCampaign(view) {
  const nominations = (view && view.nominations) || [];
  const last = nominations[nominations.length - 1];
  return (last && last.nominated && last.nominated.fields && last.nominated.fields.campaign_id) || '';
}

function Refusal({ action }) {
  return (
    <li class="sc-refused">
      <span class="sc-refused-action">{label(action)}</span>
      {': '}
      <span class="sc-refused-reason">{label(action.refusal)}</span>
    </li>
  );
}

// The grant to act under, for a person holding several: the server then
// judges (and records) the action under that role and unit.
function RolePicker({ me, workflow, value, onChange }) {
  const grants = (me && me.grants) || [];
  if (grants.length < 2) return null;
  const choices = grants.map((g) => ({ value: g.grant_id, text: `${roleLabel(workflow, g.role)} · ${g.unit_name || g.unit_id}` }));
  return (
    <Field id="acting-role" label={t('acting.role')}>
      <ChoiceSelect id="acting-role" value={value} choices={choices} onChange={onChange} allLabel={t('acting.role_auto')} />
    </Field>
  );
}

function grantText(me, workflow, grantId) {
  const grant = ((me && me.grants) || []).find((g) => g.grant_id === grantId);
  return grant ? roleLabel(workflow, grant.role) : '';
}

function actingHeaders(me, grantId) {
  const grant = ((me && me.grants) || []).find((g) => g.grant_id === grantId);
  return grant ? { 'X-Acting-Role': grant.role, 'X-Acting-Unit': grant.unit_id } : {};
}

// The actions of exemplar `id` for `me`, under grant `grantId`, or when
// none is picked, each under the first of the person's grants that allows
// it: the server calls an action more than one of them could take
// ambiguous_role, so the person is asked once per grant, and an action no
// grant allows keeps its most telling refusal (a rule over "not your role").
async function loadActions(id, me, grantId) {
  const path = `/v1/exemplars/${encodeURIComponent(id)}/actions`;
  const answer = await api.get(path, undefined, actingHeaders(me, grantId));
  const actions = answer.actions || [];
  const ambiguous = (a) => a.refusal && a.refusal.code === 'ambiguous_role';
  if (grantId || !actions.some(ambiguous)) return actions;
  const grants = (me && me.grants) || [];
  const perGrant = await Promise.all(grants.map((g) => api.get(path, undefined, actingHeaders(me, g.grant_id))));
  return actions.map((action) => {
    if (!ambiguous(action)) return action;
    const answers = perGrant.map((other, i) => ({
      ...(other.actions || []).find((a) => a.action === action.action), grantId: grants[i].grant_id,
    }));
    return answers.find((a) => a.allowed)
      || answers.find((a) => a.refusal && !kQuietRefusals.includes(a.refusal.code))
      || answers.find((a) => a.refusal) || action;
  });
}

export function ActingPanel({ id, view, workflow, me, onDone }) {
  const [grantId, setGrantId] = useState('');
  const actions = useLoad(async () => ({ actions: await loadActions(id, me, grantId) }), [id, view.version, grantId]);
  const campaignId = latestCampaign(view);
  const campaign = useLoad(() => (campaignId ? api.get(`/v1/campaigns/${encodeURIComponent(campaignId)}`) : Promise.resolve(null)), [campaignId]);
  const [open, setOpen] = useState('');
  const [notice, setNotice] = useState('');
  if (actions.error) return <Problem error={actions.error} />;
  if (!actions.data) return <Loading />;
  const list = actions.data.actions || [];
  const allowed = list.filter((a) => a.allowed);
  const refused = list.filter((a) => !a.allowed && a.refusal);
  const visible = refused.filter((a) => !kQuietRefusals.includes(a.refusal.code));
  const quiet = refused.filter((a) => kQuietRefusals.includes(a.refusal.code));
  const current = allowed.find((a) => a.action === open);
  const submit = async (body) => {
    const headers = actingHeaders(me, grantId || (current && current.grantId));
    try {
      const answer = await api.post(`/v1/exemplars/${encodeURIComponent(id)}/${open}`, body, { ...headers, 'If-Match': `"${view.version}"` });
      setOpen('');
      setNotice(t('acting.done'));
      onDone(answer && answer.position);
    } catch (error) {
      if (error.status === 412) {
        setOpen('');
        setNotice(t('acting.stale'));
        onDone();
        return;
      }
      throw error;
    }
  };
  return (
    <section class="sc-acting" aria-labelledby="acting-title">
      <h2 id="acting-title">{t('acting.title')}</h2>
      <p class="sc-notice" role="status">{notice}</p>
      <RolePicker me={me} workflow={workflow} value={grantId} onChange={(value) => { setOpen(''); setGrantId(value); }} />
      {allowed.length ? (
        <div class="sc-action-buttons">
          {allowed.map((action) => (
            <button key={action.action} type="button" aria-expanded={open === action.action}
              class={open === action.action ? 'sc-button-primary' : ''}
              onClick={() => { setNotice(''); setOpen(open === action.action ? '' : action.action); }}>
              {label(action)}
              {action.grantId ? <span class="sc-button-role"> · {grantText(me, workflow, action.grantId)}</span> : null}
            </button>
          ))}
        </div>
      ) : <p>{t('acting.none')}</p>}
      {current ? (
        <ActionForm key={current.action} action={current} submit={submit} onCancel={() => setOpen('')}
          context={{ workflow, criteria: campaign.data ? campaign.data.criteria : [] }} />
      ) : null}
      {visible.length ? <ul class="sc-refusals">{visible.map((a) => <Refusal key={a.action} action={a} />)}</ul> : null}
      {quiet.length ? (
        <details class="sc-other-actions">
          <summary>{t('acting.others')} ({quiet.length})</summary>
          <ul class="sc-refusals">{quiet.map((a) => <Refusal key={a.action} action={a} />)}</ul>
        </details>
      ) : null}
    </section>
  );
}
