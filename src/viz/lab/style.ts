// The lab page's stylesheet: the report's look (large type that reads from the back of a classroom),
// controls on the left, charts on the right.

export const LAB_CSS = String.raw`
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --paper: #fff; --panel: #f6f6f4; --accent: #0072B2; --warn: #D55E00; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; padding: .8rem 1.2rem 2rem; font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: var(--paper); }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
h2 { font-size: 1.1rem; margin: 1rem 0 .3rem; border-bottom: 2px solid var(--rule); }
.bar { display: flex; flex-wrap: wrap; gap: .4rem .6rem; align-items: center; margin: .3rem 0; }
button, select, input { font-size: 1rem; }
button { padding: .3rem .8rem; cursor: pointer; }
#play { min-width: 5.5rem; font-weight: bold; }
#seed { width: 8rem; }
#file { display: none; }
label.file { text-decoration: underline; cursor: pointer; color: var(--accent); }
.status { font-variant-numeric: tabular-nums; color: var(--muted); min-width: 7rem; }
#message { white-space: pre-wrap; font-family: "DejaVu Sans Mono", monospace; font-size: .9rem; }
#message.error { color: var(--warn); border-left: 4px solid var(--warn); padding: .3rem .6rem; background: #fff4ee; }
main { display: grid; grid-template-columns: minmax(300px, 380px) 1fr; gap: 1rem; }
aside { background: var(--panel); padding: .5rem .8rem; border-radius: 4px; align-self: start; }
.group summary { font-weight: bold; cursor: pointer; margin: .4rem 0; }
.control { display: grid; grid-template-columns: 9.5rem 1fr 4.5rem; gap: .3rem; align-items: center; margin: .15rem 0; font-size: .9rem; }
.control input[type=checkbox], .control label.inline { grid-column: auto; }
.control output { font-variant-numeric: tabular-nums; text-align: right; }
.hint { color: var(--muted); font-size: .85rem; margin: .2rem 0; }
#timeline { list-style: none; padding-left: 0; font-size: .9rem; }  /* entries carry the numbers of their markers */
#charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: .8rem; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
.exports { text-align: right; }
.exports button { font-size: .8rem; padding: .1rem .5rem; }
.drop { color: var(--muted); font-size: .85rem; }
`;
