// Quy trình: the workflow definition drawn from GET /v1/workflow. States
// are laid out top to bottom by the longest path from where an exemplar
// starts; each action that moves an exemplar is an arrow marked with its
// number, and the table under the drawing lists every action with the
// states it starts from, where it leads and the roles that may take it.
// Actions open from nearly every state (retire, mentoring) are listed once
// instead of drawn as a dozen arrows. A role picker highlights one role's
// part.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { label, t } from '../lib/i18n.js';
import { Field, Loading, Page, Problem } from '../lib/ui.jsx';

const kNodeWidth = 200;
const kNodeHeight = 48;
const kColumnGap = 48;
const kRowGap = 56;
const kMargin = 24;
const kSideRoom = 120;
const kLaneStep = 14;

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
  const body = widest * kNodeWidth + (widest - 1) * kColumnGap;
  const backs = countBackArrows(workflow, rank);
  const width = kMargin * 2 + body + 2 * kSideRoom + backs * kLaneStep;
  const nodes = new Map();
  rows.forEach((row, r) => {
    if (!row) return;
    const rowWidth = row.length * kNodeWidth + (row.length - 1) * kColumnGap;
    const left = kMargin + kSideRoom + (body - rowWidth) / 2;
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
  return { nodes, width, height, laneStart: kMargin + kSideRoom + body + kSideRoom / 2 };
}

function countBackArrows(workflow, rank) {
  return arrows(workflow, new Map()).filter((a) => rank.get(a.to) <= rank.get(a.from)).length;
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

// The point at `t` of the cubic Bézier p0..p3 (each [x, y]).
function bezierAt([p0, p1, p2, p3], t) {
  const u = 1 - t;
  const at = (i) => u * u * u * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t * t * t * p3[i];
  return [at(0), at(1)];
}

// The curve of one arrow: down to the next row; around the side for one
// that skips rows (the side the target lies on); up its own lane on the
// right for one that leads back.
function arrowCurve(a, b, lane) {
  const midA = a.x + kNodeWidth / 2;
  const midB = b.x + kNodeWidth / 2;
  if (lane !== null) {
    const y1 = a.y + kNodeHeight / 2;
    const y2 = b.y + kNodeHeight / 2;
    return [[a.x + kNodeWidth, y1], [lane, y1], [lane, y2], [b.x + kNodeWidth + 6, y2]];
  }
  const span = b.rank - a.rank;
  if (span <= 1) {
    const y1 = a.y + kNodeHeight;
    const y2 = b.y - 6;
    const bend = (y2 - y1) / 2;
    return [[midA, y1], [midA, y1 + bend], [midB, y2 - bend], [midB, y2]];
  }
  const right = midB > midA;
  const x1 = right ? a.x + kNodeWidth : a.x;
  const x2 = right ? b.x + kNodeWidth + 6 : b.x - 6;
  const bulge = 40 + 14 * span;
  const outer = right ? Math.max(x1, x2) + bulge : Math.min(x1, x2) - bulge;
  const y1 = a.y + kNodeHeight / 2;
  const y2 = b.y + kNodeHeight / 2;
  return [[x1, y1], [outer, y1], [outer, y2], [x2, y2]];
}

// A state's name on one or two lines.
function NodeLabel({ x, y, text }) {
  const words = text.split(' ');
  if (text.length <= 22 || words.length < 2) {
    return <text x={x} y={y + 5} text-anchor="middle">{text}</text>;
  }
  let split = 1;
  while (split < words.length - 1 && words.slice(0, split + 1).join(' ').length <= text.length / 2) split++;
  return (
    <text x={x} y={y - 3} text-anchor="middle">
      <tspan x={x}>{words.slice(0, split).join(' ')}</tspan>
      <tspan x={x} dy="16">{words.slice(split).join(' ')}</tspan>
    </text>
  );
}

function Diagram({ workflow, numbers, role }) {
  const { nodes, width, height, laneStart } = useMemo(() => layout(workflow), [workflow]);
  let lanes = 0;
  const list = arrows(workflow, numbers);
  const takes = (action) => !role || action.roles.includes(role);
  const start = workflow.actions.find((a) => a.creates);
  const wrap = useRef(null);
  // On a narrow screen the drawing scrolls: start with its middle in view.
  useEffect(() => {
    const el = wrap.current;
    if (el) el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
  }, [width]);
  return (
    <div class="diagram-wrap" ref={wrap} tabIndex={0} aria-label={t('process.diagram')}>
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
          const curve = arrowCurve(a, b, back ? laneStart + kLaneStep * lanes++ : null);
          const [mx, my] = bezierAt(curve, back ? 0.5 : 0.45);
          const [p0, p1, p2, p3] = curve;
          const d = `M${p0} C${p1} ${p2} ${p3}`;
          const on = takes(arrow.action);
          return (
            <g key={`${arrow.action.name}-${arrow.from}`} class={`edge${back ? ' edge-back' : ''}${on ? '' : ' edge-dim'}`}>
              <title>{`${label(arrow.action)}: ${label(a.state)} → ${label(b.state)}`}</title>
              <path d={d} marker-end="url(#arrowhead)" />
              <circle cx={mx} cy={my} r="10" />
              <text x={mx} y={my + 4} text-anchor="middle">{arrow.number}</text>
            </g>
          );
        })}
        {[...nodes.values()].map((node) => (
          <g key={node.state.name} class={`node${start && start.to === node.state.name ? ' node-start' : ''}`}>
            <title>{label(node.state)}</title>
            <rect x={node.x} y={node.y} width={kNodeWidth} height={kNodeHeight} rx="8" />
            <NodeLabel x={node.x + kNodeWidth / 2} y={node.y + kNodeHeight / 2} text={label(node.state)} />
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
              <td data-label={t('process.number')}>{numbers.get(action.name) || '—'}</td>
              <th scope="row">{label(action)}</th>
              <td data-label={t('process.from')}>{fromText(action)}</td>
              <td data-label={t('process.to')}>{action.to ? stateLabels.get(action.to) || action.to : <em>{t('process.stays')}</em>}</td>
              <td data-label={t('process.roles')}><Roles action={action} roleLabels={roleLabels} role={role} /></td>
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
