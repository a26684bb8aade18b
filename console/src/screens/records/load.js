// What the record screens share: loading from the server into state, the
// workflow definition (the source of every workflow label), and the route's
// query in the hash.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { label } from '../../lib/i18n.js';

// Runs `fetcher` whenever `deps` change; {data, error, loading, reload}.
// An answer that arrives after a newer request started is dropped.
export function useLoad(fetcher, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((old) => ({ ...old, error: null, loading: true }));
    fetcher().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error) => current && setState({ data: null, error, loading: false }));
    return () => { current = false; };
  }, [...deps, generation]);
  return { ...state, reload: () => setGeneration((n) => n + 1) };
}

let workflowPromise = null;

// The definition's public part, fetched once per page load.
function loadWorkflow() {
  if (!workflowPromise) {
    workflowPromise = api.get('/v1/workflow').catch((error) => {
      workflowPromise = null;
      throw error;
    });
  }
  return workflowPromise;
}

export function useWorkflow() {
  return useLoad(loadWorkflow, []);
}

export function named(list, name) {
  return (list || []).find((item) => item.name === name);
}

// The label of a state, action or role by its name (the name when the
// definition has none).
export function stateLabel(workflow, name) {
  return label(named(workflow && workflow.states, name)) || name || '';
}
export function actionLabel(workflow, name) {
  return label(named(workflow && workflow.actions, name)) || name || '';
}
export function roleLabel(workflow, name) {
  return label(named(workflow && workflow.roles, name)) || name || '';
}

// A field's choices as [{value, vi, en}], from `choices` or bare `values`.
export function choicesOf(field) {
  if (!field) return [];
  if (Array.isArray(field.choices)) return field.choices;
  return (field.values || []).map((value) =>
    typeof value === 'object' ? value : { value, vi: value, en: value });
}

export function choiceLabel(field, value) {
  const choice = choicesOf(field).find((c) => c.value === value);
  return choice ? label(choice) : value;
}

// The field of the creating action that the definition's `subject` names
// (e.g. subject.kind_field → the subject kind field with its choices).
export function subjectField(workflow, role) {
  if (!workflow || !workflow.subject) return null;
  const name = workflow.subject[role];
  const creating = (workflow.actions || []).find((a) => a.creates);
  return creating ? named(creating.fields, name) || null : null;
}

// Replaces the route's query (kept in the hash, so a view can be shared and
// the back button works).
export function navigate(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  location.hash = text ? `#${path}?${text}` : `#${path}`;
}
