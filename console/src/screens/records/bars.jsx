// Horizontal bars in plain HTML and CSS (no chart library): each bar is
// labelled text, so a screen reader reads the numbers, not the picture.
// A row may carry a `ghost` value drawn lighter behind its bar (e.g. the
// approved exemplars behind those that count towards a quota), and a
// `marker` (e.g. the minimum).
export function Bars({ title, rows, max, marker }) {
  const top = Math.max(max || 0, ...rows.map((r) => Math.max(r.value, r.ghost || 0, r.marker || 0)), 1);
  return (
    <figure class="sc-bars">
      <figcaption>{title}</figcaption>
      <ul>
        {rows.map((row) => (
          <li key={row.key}>
            <span class="sc-bar-label">{row.label}</span>
            <span class="sc-bar-track">
              {row.ghost ? <span class="sc-bar sc-bar-ghost" style={{ width: `${(100 * row.ghost) / top}%` }} /> : null}
              <span class={`sc-bar ${row.tone ? `sc-bar-${row.tone}` : ''}`} style={{ width: `${(100 * row.value) / top}%` }} />
              {row.marker !== undefined || marker !== undefined ? (
                <span class="sc-bar-marker" style={{ left: `${(100 * (row.marker ?? marker)) / top}%` }} aria-hidden="true" />
              ) : null}
            </span>
            <span class="sc-bar-value">{row.text ?? row.value}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
