// Quy trình: the workflow definition drawn from GET /v1/workflow. States
// are laid out top to bottom by the longest path from where an exemplar
// starts; each action that moves an exemplar is an arrow marked with its
// number, and the table under the drawing lists every action with the
// states it starts from, where it leads and the roles that may take it.
// Actions open from nearly every state (retire, mentoring) are listed once
// instead of drawn as a dozen arrows. A role picker highlights one role's
// part.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Problem } from '../lib/ui.jsx';

const kNodeWidth = 150;
const kNodeHeight = 44;
const kColumnGap = 40;
const kRowGap = 62;
const kMargin = 24;
const kBackLane = 70;

// An action open from more than half the states is "from any state".
function isBroad(action, stateCount) {
  return action.from.length > stateCount / 2;
}

// Rank of each state: the longest path from the starting states over the
// moving actions, ignoring the arrows that lead back.
function rankStates(workflow) {
  const names = workflow.states.map((s) => s.name);
  const order = new Map(names.map((name, i) => [name, i]));
  const moves = workflow.actions.filter((a) => a.to && !a.creates && !isBroad(a, names.length));
  const rank = new Map();
  for (const action of workflow.actions) if (action.creates && action.to) rank.set(action.to, 0);
  if (rank.size === 0 && names.length) rank.set(names[0], 0);
  // Forward arrows only (by the definition's order of states), so that the
  // relaxation ends.
  for (let round = 0; round < names.length; round++) {
    for (const action of moves) {
      for (const from of action.from) {
        if (!rank.has(from) || order.get(action.to) <= order.get(from)) continue;
        const next = rank.get(from) + 1;
        if ((rank.get(action.to) ?? -1) < next) rank.set(action.to, next);
      }
    }
  }
  const deepest = Math.max(0, ...rank.values());
  for (const name of names) if (!rank.has(name)) rank.set(name, deepest + 1);
  return rank;
}

function layout(workflow) {
  const rank = rankStates(workflow);
  const rows = [];
  for (const state of workflow.states) {
    const r = rank.get(state.name);
    (rows[r] ||= []).push(state);
  }
  const widest = Math.max(1, ...rows.map((row) => (row ? row.length : 0)));
  const width = kMargin * 2 + widest * kNodeWidth + (widest - 1) * kColumnGap + kBackLane;
  const nodes = new Map();
  rows.forEach((row, r) => {
    if (!row) return;
    const rowWidth = row.length * kNodeWidth + (row.length - 1) * kColumnGap;
    const left = kMargin + ((width - kBackLane - 2 * kMargin) - rowWidth) / 2;
    row.forEach((state, i) => {
      nodes.set(state.name, {
        state,
        rank: r,
        x: left + i * (kNodeWidth + kColumnGap),
        y: kMargin + r * (kNodeHeight + kRowGap),
      });
    });
  });
  const height = kMargin * 2 + rows.length * (kNodeHeight + kRowGap) - kRowGap;
  return { nodes, width, height };
}

// The arrows: one per (action, from) of each moving action that is not
// broad, with the action's number.
function arrows(workflow, numbers) {
  const list = [];
  for (const action of workflow.actions) {
    if (!action.to || action.creates || isBroad(action, workflow.states.length)) continue;
    for (const from of action.from) list.push({ action, from, to: action.to, number: numbers.get(action.name) });
  }
  return list;
}

function arrowPath(a, b, back) {
  if (back) {
    // Up the right-hand lane, outside the rows.
    const x1 = a.x + kNodeWidth;
    const y1 = a.y + kNodeHeight / 2;
    const x2 = b.x + kNodeWidth;
    const y2 = b.y + kNodeHeight / 2;
    const lane = Math.max(x1, x2) + kBackLane * 0.8;
    return { d: `M${x1},${y1} C${lane},${y1} ${lane},${y2} ${x2 + 6},${y2}`, mx: lane - 12, my: (y1 + y2) / 2 };
  }
  const x1 = a.x + kNodeWidth / 2;
  const y1 = a.y + kNodeHeight;
  const x2 = b.x + kNodeWidth / 2;
  const y2 = b.y - 6;
  const bend = (y2 - y1) / 2;
  return {
    d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`,
    mx: (x1 + x2) / 2,
    my: (y1 + y2) / 2,
  };
}

function Diagram({ workflow, numbers, role }) {
  const { nodes, width, height } = useMemo(() => layout(workflow), [workflow]);
  const list = arrows(workflow, numbers);
  const takes = (action) => !role || action.roles.includes(role);
  const start = workflow.actions.find((a) => a.creates);
  return (
    <div class="diagram-wrap">
      <svg class="diagram" viewBox={`0 0 ${width} ${height}`} width={width} height={height}
        role="img" aria-labelledby="diagram-title diagram-desc">
        <title id="diagram-title">{t('process.diagram')}</title>
        <desc id="diagram-desc">{t('process.diagram_desc')}</desc>
        <defs>
          <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
          </marker>
        </defs>
        {list.map((arrow) => {
          const a = nodes.get(arrow.from);
          const b = nodes.get(arrow.to);
          if (!a || !b) return null;
          const back = b.rank <= a.rank;
          const path = arrowPath(a, b, back);
          const on = takes(arrow.action);
          return (
            <g key={`${arrow.action.name}-${arrow.from}`} class={`edge${back ? ' edge-back' : ''}${on ? '' : ' edge-dim'}`}>
              <title>{`${label(arrow.action)}: ${label(a.state)} → ${label(b.state)}`}</title>
              <path d={path.d} marker-end="url(#arrowhead)" />
              <circle cx={path.mx} cy={path.my} r="10" />
              <text x={path.mx} y={path.my + 4} text-anchor="middle">{arrow.number}</text>
            </g>
          );
        })}
        {[...nodes.values()].map((node) => (
          <g key={node.state.name} class={`node${start && start.to === node.state.name ? ' node-start' : ''}`}>
            <rect x={node.x} y={node.y} width={kNodeWidth} height={kNodeHeight} rx="8" />
            <text x={node.x + kNodeWidth / 2} y={node.y + kNodeHeight / 2 + 5} text-anchor="middle">
              {label(node.state)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}

function Roles({ action, roleLabels, role }) {
  return (
    <span class="chips">
      {action.roles.map((name) => (
        <span key={name} class={name === role ? 'chip chip-on' : 'chip'}>{roleLabels.get(name) || name}</span>
      ))}
    </span>
  );
}

function Legend({ workflow, numbers, role }) {
  const stateLabels = new Map(workflow.states.map((s) => [s.name, label(s)]));
  const roleLabels = new Map(workflow.roles.map((r) => [r.name, label(r)]));
  const count = workflow.states.length;
  const fromText = (action) => {
    if (action.creates) return t('process.creates');
    if (isBroad(action, count)) {
      const missing = workflow.states.filter((s) => !action.from.includes(s.name)).map((s) => label(s));
      return `${t('process.any_state')}${missing.length ? ` ${t('process.except')} ${missing.join(', ')}` : ''}`;
    }
    return action.from.map((name) => stateLabels.get(name) || name).join(', ');
  };
  const visible = workflow.actions.filter((a) => !role || a.roles.includes(role));
  return (
    <div class="table-wrap">
      <table class="legend">
        <caption>{t('process.legend')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('process.number')}</th>
            <th scope="col">{t('process.action')}</th>
            <th scope="col">{t('process.from')}</th>
            <th scope="col">{t('process.to')}</th>
            <th scope="col">{t('process.roles')}</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((action) => (
            <tr key={action.name}>
              <td>{numbers.get(action.name) || '—'}</td>
              <th scope="row">{label(action)}</th>
              <td>{fromText(action)}</td>
              <td>{action.to ? stateLabels.get(action.to) || action.to : <em>{t('process.stays')}</em>}</td>
              <td><Roles action={action} roleLabels={roleLabels} role={role} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Process() {
  const [workflow, setWorkflow] = useState(null);
  const [error, setError] = useState(null);
  const [role, setRole] = useState('');

  useEffect(() => {
    api.get('/v1/workflow').then(setWorkflow, setError);
  }, []);

  const numbers = useMemo(() => {
    const map = new Map();
    if (!workflow) return map;
    let next = 1;
    for (const action of workflow.actions) {
      if (action.to && !action.creates && !isBroad(action, workflow.states.length)) map.set(action.name, next++);
    }
    return map;
  }, [workflow]);

  if (error) return <Page title={t('process.title')}><Problem error={error} /></Page>;
  if (!workflow) return <Page title={t('process.title')}><Loading /></Page>;
  return (
    <Page title={`${t('process.title')}: ${label(workflow)}`}>
      <p class="lead">{t('process.intro')} ({t('process.version')} {workflow.version})</p>
      <div class="filters">
        <Field id="process-role" label={t('process.role_filter')}>
          <select id="process-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="">{t('process.all_roles')}</option>
            {workflow.roles.map((r) => <option key={r.name} value={r.name}>{label(r)}</option>)}
          </select>
        </Field>
      </div>
      <Diagram workflow={workflow} numbers={numbers} role={role} />
      <Legend workflow={workflow} numbers={numbers} role={role} />
    </Page>
  );
}
