// The stylesheet of the report page, inlined into it. The charts bring their own look (theme.ts):
// the page only sizes them to the column.

export const REPORT_CSS = String.raw`
:root {
  --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --paper: #ffffff; --panel: #f6f6f4;
  --blue: #0072B2; --orange: #E69F00; --green: #009E73; --vermillion: #D55E00; --purple: #CC79A7; --sky: #56B4E9;
}
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; padding: 1.2rem 2rem 3rem; font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif;
  color: var(--ink); background: var(--paper); line-height: 1.45; max-width: 1400px; }
h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 1.8rem 0 .5rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: .7rem; margin: .8rem 0; }
.card { background: var(--panel); border-left: 6px solid var(--blue); padding: .55rem .8rem; border-radius: 4px; }
.card .label { font-size: .85rem; color: var(--muted); }
.card .value { font-size: 1.6rem; font-weight: bold; }
.card.warn { border-left-color: var(--vermillion); }
.card.good { border-left-color: var(--green); }
.controls { margin: .6rem 0; font-size: 1rem; }
.controls label { font-weight: bold; margin-right: .5rem; }
select { font-size: 1rem; padding: .25rem .4rem; max-width: 100%; }
.metric-help { color: var(--muted); margin: .2rem 0 .4rem; }
.chart { margin: .4rem 0 1rem; }
.chart svg { display: block; width: 100%; height: auto; max-height: 80vh; }
.chart.empty { color: var(--muted); font-style: italic; padding: 1rem; background: var(--panel); }
.tooltip { position: fixed; display: none; pointer-events: none; z-index: 10; background: #ffffff; color: var(--ink);
  border: 1px solid #888; border-radius: 4px; padding: .35rem .55rem; font-size: .95rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); white-space: nowrap; }
.tooltip .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: middle; }
table.data { border-collapse: collapse; font-size: .9rem; margin: .5rem 0; }
table.data th, table.data td { border-bottom: 1px solid var(--rule); padding: .2rem .6rem; text-align: right; }
table.data th:first-child, table.data td:first-child { text-align: left; }
table.data thead th { background: var(--panel); position: sticky; top: 0; }
.table-wrap { max-height: 28rem; overflow: auto; }
details { margin: 1rem 0; }
summary { cursor: pointer; font-weight: bold; font-size: 1.1rem; }
pre.scenario { background: var(--panel); padding: .8rem; font-size: .85rem; overflow: auto; max-height: 30rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  html { font-size: 11pt; }
  body { padding: 0; max-width: none; }
  .controls, .tooltip { display: none !important; }
  .chart svg { max-height: none; break-inside: avoid; page-break-inside: avoid; }
  section { break-inside: avoid-page; }
  .table-wrap { max-height: none; overflow: visible; }
  pre.scenario { max-height: none; white-space: pre-wrap; }
}
`;
