import { controlValue, type NumberControl, type PolicyControl } from './controls.js';
import { el } from './dom.js';

// One policy control in the page: a slider with its value (and an "unlimited" box for a value that
// may be null), or a list of choices. It reports a change when the user lets go of the slider, not
// on every pixel of the drag, so that one move is one intervention.

function shown(c: NumberControl, v: number | null): string {
  if (v === null) return 'unlimited';
  return c.integer ? String(v) : String(Number(v.toPrecision(4)));
}

/** The row of one policy control; `change` is called with the value the user set. */
export function controlRow(c: PolicyControl, value: unknown, change: (key: string, value: unknown) => void): HTMLElement {
  const row = el('div', { class: 'control', title: c.description });
  const label = el('label', { for: `policy-${c.key}` }, c.key);
  row.append(label);
  if (c.kind === 'choice') {
    const select = el('select', { id: `policy-${c.key}`, 'data-key': c.key });
    for (const o of c.options) select.append(el('option', { value: o }, o));
    select.value = String(value);
    select.addEventListener('change', () => change(c.key, select.value));
    row.append(select);
    return row;
  }
  const input = el('input', { id: `policy-${c.key}`, type: 'range', min: String(c.min), max: String(c.max), step: String(c.step), 'data-key': c.key });
  const out = el('output', { for: `policy-${c.key}` });
  const v = typeof value === 'number' ? value : null;
  input.value = String(v ?? c.max);
  out.textContent = shown(c, v);
  if (c.max <= c.min) {
    input.disabled = true;
    row.title = `${c.description} (no room for house partners in this scenario: give the platform a houseSupply in the file)`;
  }
  input.addEventListener('input', () => (out.textContent = shown(c, controlValue(c, Number(input.value)))));
  input.addEventListener('change', () => {
    if (unlimited !== undefined) unlimited.checked = false;
    change(c.key, controlValue(c, Number(input.value)));
  });
  row.append(input, out);
  let unlimited: HTMLInputElement | undefined;
  if (c.nullable) {
    unlimited = el('input', { type: 'checkbox', id: `policy-${c.key}-null`, title: 'unlimited' });
    unlimited.checked = v === null;
    unlimited.addEventListener('change', () => {
      if (unlimited!.checked) {
        out.textContent = 'unlimited';
        change(c.key, null);
      } else change(c.key, controlValue(c, Number(input.value)));
    });
    row.append(el('label', { for: `policy-${c.key}-null`, class: 'inline' }, 'unlimited'), unlimited);
  }
  return row;
}

