// Horizontal bars in plain HTML and CSS (no chart library): each bar is
// labelled text, so a screen reader reads the numbers, not the picture.
export function Bars({ title, rows, max, marker }) {
  const top = Math.max(max || 0, ...rows.map((r) => r.value), 1);
  return (
    <figure class="sc-bars">
      <figcaption>{title}</figcaption>
      <ul>
        {rows.map((row) => (
          <li key={row.key}>
            <span class="sc-bar-label">{row.label}</span>
            <span class="sc-bar-track">
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
