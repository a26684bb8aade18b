// The unit tree as GET /v1/units gives it (nested `children`), flattened
// in tree order with each unit's depth, for selects, indentation and
// "this unit or below" tests.
export function flattenUnits(body) {
  const roots = Array.isArray(body) ? body : body.units || body.roots || [body];
  const list = [];
  const walk = (unit, depth) => {
    list.push({ ...unit, depth });
    for (const child of unit.children || []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return list;
}

// True when unit `id` is `top` or lies below it.
export function isWithin(units, id, top) {
  const parents = new Map(units.map((u) => [u.id, u.parent_id]));
  for (let at = id, steps = 0; at && steps < 64; at = parents.get(at), steps++) {
    if (at === top) return true;
  }
  return false;
}
