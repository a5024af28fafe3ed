// The stylesheet and the script of the report page, inlined into it. The script runs in the browser
// with the inlined d3 (global `d3`) and draws every chart from the JSON in #report-data. Plain ES5-ish
// JavaScript kept in a string (no template literals inside, no backticks): it never runs in Node.

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
svg.chart { display: block; width: 100%; height: auto; max-height: 72vh; background: var(--paper); overflow: visible; }
svg.chart text { font-family: inherit; fill: var(--ink); }
svg.chart .chart-title { font-size: 20px; font-weight: bold; }
svg.chart .axis text { font-size: 15px; }
svg.chart .axis-label { font-size: 16px; fill: var(--muted); }
svg.chart .legend text { font-size: 16px; }
svg.chart .line { fill: none; stroke-width: 2.5; }
svg.chart .grid line { stroke: #e6e6e6; }
svg.chart .grid .domain { display: none; }
svg.chart .hover-rule { stroke: #888; stroke-dasharray: 3 3; }
svg.chart .ci { stroke: var(--ink); stroke-width: 2; fill: none; }
svg.chart .value-label { font-size: 14px; }
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
  svg.chart { max-height: none; break-inside: avoid; page-break-inside: avoid; }
  section { break-inside: avoid-page; }
  .table-wrap { max-height: none; overflow: visible; }
  pre.scenario { max-height: none; white-space: pre-wrap; }
}
`;

export const REPORT_JS = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];
  var W = 1000;
  var tip = d3.select('body').append('div').attr('class', 'tooltip').attr('role', 'status');

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    if (a >= 1e6) return d3.format('.4~s')(v).replace('G', 'B');
    if (a !== 0 && a < 1e-3) return d3.format('.2~e')(v);
    if (Number.isInteger(v)) return d3.format(',')(v);
    return d3.format(',.4~r')(v);
  }
  function fmtAxis(v) {
    var a = Math.abs(v);
    if (a >= 1e4) return d3.format('.3~s')(v).replace('G', 'B');
    return d3.format(',.4~g')(v);
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function showTip(html, event) {
    tip.html(html).style('display', 'block');
    var node = tip.node();
    var w = node.offsetWidth, h = node.offsetHeight;
    var x = event.clientX + 16, y = event.clientY + 16;
    if (x + w > window.innerWidth - 8) x = event.clientX - w - 16;
    if (y + h > window.innerHeight - 8) y = event.clientY - h - 16;
    tip.style('left', Math.max(4, x) + 'px').style('top', Math.max(4, y) + 'px');
  }
  function hideTip() { tip.style('display', 'none'); }
  function finite(v) { return v !== null && v !== undefined && isFinite(v); }

  // A fresh chart: title, plot group, inner size.
  function frame(id, height, title, margin) {
    var svg = d3.select('#' + id);
    svg.selectAll('*').remove();
    var m = margin || { top: 48, right: 170, bottom: 64, left: 100 };
    svg.attr('viewBox', '0 0 ' + W + ' ' + height).attr('preserveAspectRatio', 'xMidYMid meet');
    svg.append('text').attr('class', 'chart-title').attr('x', 10).attr('y', 26).text(title);
    var g = svg.append('g').attr('transform', 'translate(' + m.left + ',' + m.top + ')');
    return { svg: svg, g: g, w: W - m.left - m.right, h: height - m.top - m.bottom, m: m };
  }
  function axes(f, x, y, xLabel, yLabel, xTicks) {
    f.g.append('g').attr('class', 'grid').call(d3.axisLeft(y).ticks(6).tickSize(-f.w).tickFormat(''));
    var xa = d3.axisBottom(x);
    if (x.ticks) xa.ticks(xTicks || 10).tickFormat(fmtAxis);
    f.g.append('g').attr('class', 'axis x-axis').attr('transform', 'translate(0,' + f.h + ')').call(xa);
    f.g.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).ticks(6).tickFormat(fmtAxis));
    f.g.append('text').attr('class', 'axis-label').attr('x', f.w / 2).attr('y', f.h + 50).attr('text-anchor', 'middle').text(xLabel);
    f.g.append('text').attr('class', 'axis-label').attr('transform', 'rotate(-90)').attr('x', -f.h / 2).attr('y', -f.m.left + 20)
      .attr('text-anchor', 'middle').text(yLabel);
  }
  function legend(f, items) {
    var lg = f.g.append('g').attr('class', 'legend').attr('transform', 'translate(' + (f.w + 18) + ',4)');
    items.forEach(function (it, i) {
      var row = lg.append('g').attr('transform', 'translate(0,' + i * 26 + ')');
      row.append('path').attr('d', 'M0,8H30').attr('stroke', it.color).attr('stroke-width', 3).attr('stroke-dasharray', it.dash || null);
      row.append('text').attr('x', 38).attr('y', 14).text(it.name);
    });
  }

  // A line chart over ticks with a hover rule and tooltip.
  function lineChart(id, opts) {
    var f = frame(id, opts.height || 420, opts.title);
    var xs = opts.x;
    var x = d3.scaleLinear().domain(d3.extent(xs)).range([0, f.w]);
    var vals = [];
    opts.lines.forEach(function (l) { l.values.forEach(function (v) { if (finite(v)) vals.push(v); }); });
    var lo = d3.min(vals), hi = d3.max(vals);
    if (lo === undefined) { lo = 0; hi = 1; }
    if (opts.yDomain) { lo = Math.min(lo, opts.yDomain[0]); hi = Math.max(hi, opts.yDomain[1]); }
    if (lo > 0 && opts.zero !== false) lo = 0;
    if (lo === hi) { hi = lo + 1; }
    var y = d3.scaleLinear().domain([lo, hi]).nice().range([f.h, 0]);
    axes(f, x, y, opts.xLabel, opts.yLabel);
    opts.lines.forEach(function (l) {
      var line = d3.line().defined(function (d) { return finite(d[1]); })
        .x(function (d) { return x(d[0]); }).y(function (d) { return y(d[1]); });
      f.g.append('path').attr('class', 'line series').attr('data-name', l.name).attr('stroke', l.color)
        .attr('stroke-dasharray', l.dash || null).attr('d', line(xs.map(function (t, i) { return [t, l.values[i]]; })));
    });
    legend(f, opts.lines);
    var rule = f.g.append('line').attr('class', 'hover-rule').attr('y1', 0).attr('y2', f.h).style('display', 'none');
    var dots = f.g.append('g').attr('class', 'hover-dots');
    var bisect = d3.bisector(function (t) { return t; }).center;
    f.g.append('rect').attr('class', 'overlay').attr('width', f.w).attr('height', f.h).attr('fill', 'transparent')
      .on('mousemove', function (event) {
        var px = d3.pointer(event, this)[0];
        var i = bisect(xs, x.invert(px));
        var t = xs[i];
        rule.attr('x1', x(t)).attr('x2', x(t)).style('display', null);
        dots.selectAll('*').remove();
        var html = '<b>' + esc(opts.xLabel) + ' ' + esc(t) + '</b>';
        opts.lines.forEach(function (l) {
          var v = l.values[i];
          if (finite(v)) dots.append('circle').attr('cx', x(t)).attr('cy', y(v)).attr('r', 5).attr('fill', l.color);
          html += '<br><span class="swatch" style="background:' + l.color + '"></span>' + esc(l.name) + ': ' + esc(opts.format ? opts.format(v) : fmt(v));
        });
        showTip(html, event);
      })
      .on('mouseleave', function () { rule.style('display', 'none'); dots.selectAll('*').remove(); hideTip(); });
  }

  function platformColor(name, i) { return name === 'all' ? '#000000' : PALETTE[i % PALETTE.length]; }
  function metricInfo(list, name) {
    for (var i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
    return { name: name, unit: '', description: '' };
  }
  function onPick(draw) {
    var sel = document.getElementById('metric');
    sel.addEventListener('change', function () { hideTip(); draw(sel.value); });
    draw(sel.value);
  }
  function help(text) { var el = document.getElementById('metric-help'); if (el) el.textContent = text; }

  // ----- run -----
  function runReport() {
    var series = DATA.series;
    var several = series.filter(function (s) { return s.platform !== 'all'; }).length > 1;
    var shown = several ? series : series.filter(function (s) { return s.platform !== 'all'; });
    if (shown.length === 0) shown = series;
    var ticks = shown[0].ticks;
    onPick(function (metric) {
      var info = metricInfo(DATA.metrics, metric);
      help(info.description ? metric + ': ' + info.description + (info.unit ? ' (' + info.unit + ')' : '') : metric);
      lineChart('timeseries', {
        title: metric + (info.unit ? ' (' + info.unit + ')' : '') + ' per tick',
        xLabel: 'tick', yLabel: info.unit || metric, x: ticks, zero: info.unit !== 'rating' && info.unit !== 'quality',
        lines: shown.map(function (s, i) {
          return { name: s.platform, color: platformColor(s.platform, i), dash: s.platform === 'all' ? '7 4' : null, values: s.values[metric] || [] };
        }),
      });
    });
    var all = series.filter(function (s) { return s.platform === 'all'; })[0] || series[0];
    var partners = all.values.partners || [];
    var pool = DATA.partnerPool || d3.max(partners.filter(finite)) || 1;
    var pct = d3.format('.1%');
    lineChart('adoption', {
      title: 'Adoption: share of customers and of partners on the platforms',
      xLabel: 'tick', yLabel: 'share', x: all.ticks, yDomain: [0, 1], format: function (v) { return finite(v) ? pct(v) : 'n/a'; },
      lines: [
        { name: 'customers', color: PALETTE[0], values: all.values.customerShare || [] },
        { name: 'partners', color: PALETTE[1], dash: '8 4', values: partners.map(function (v) { return finite(v) ? v / pool : null; }) },
      ],
    });
    moneyFlow();
  }

  function moneyFlow() {
    var m = DATA.money;
    var v = function (k) { return finite(m[k]) ? m[k] : 0; };
    var steps = [];
    var at = 0;
    function add(name, value) { steps.push({ name: name, from: at, to: at + value, value: value, kind: value >= 0 ? 'up' : 'down' }); at += value; }
    function total(name, value) { steps.push({ name: name, from: 0, to: value, value: value, kind: 'total' }); at = value; }
    add('commission', v('commission'));
    add('fees', v('fees'));
    add('subscriptions', v('subscriptions'));
    add('listing fees', v('listingFees'));
    add('house sales', v('houseSales'));
    total('= revenue', v('revenue'));
    add('− orchestration cost', -v('orchestrationCost'));
    total('= orchestrator profit', v('orchestratorProfit'));
    add('+ partner value', v('partnerValue'));
    add('+ customer value', v('customerValue'));
    total('= ecosystem value', v('ecosystemValue'));
    var rowH = 34;
    var f = frame('moneyflow', 48 + steps.length * rowH + 60, 'Money flow over the run (all platforms)', { top: 48, right: 130, bottom: 50, left: 230 });
    var lo = d3.min(steps, function (s) { return Math.min(s.from, s.to); });
    var hi = d3.max(steps, function (s) { return Math.max(s.from, s.to); });
    var x = d3.scaleLinear().domain([Math.min(0, lo), Math.max(0, hi)]).nice().range([0, f.w]);
    var y = d3.scaleBand().domain(steps.map(function (s) { return s.name; })).range([0, f.h]).padding(0.22);
    f.g.append('g').attr('class', 'grid').attr('transform', 'translate(0,' + f.h + ')').call(d3.axisBottom(x).ticks(6).tickSize(-f.h).tickFormat(''));
    f.g.append('g').attr('class', 'axis x-axis').attr('transform', 'translate(0,' + f.h + ')').call(d3.axisBottom(x).ticks(6).tickFormat(fmtAxis));
    f.g.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).tickSize(0).tickPadding(10));
    f.g.append('text').attr('class', 'axis-label').attr('x', f.w / 2).attr('y', f.h + 44).attr('text-anchor', 'middle').text('money');
    var colour = { up: '#009E73', down: '#D55E00', total: '#0072B2' };
    f.g.append('g').selectAll('rect').data(steps).join('rect')
      .attr('class', function (s) { return 'bar ' + s.kind; })
      .attr('x', function (s) { return x(Math.min(s.from, s.to)); })
      .attr('width', function (s) { return Math.max(1, Math.abs(x(s.to) - x(s.from))); })
      .attr('y', function (s) { return y(s.name); }).attr('height', y.bandwidth())
      .attr('fill', function (s) { return colour[s.kind]; })
      .on('mousemove', function (event, s) { showTip('<b>' + esc(s.name) + '</b><br>' + fmt(s.value), event); })
      .on('mouseleave', hideTip);
    f.g.append('path').attr('class', 'zero').attr('d', 'M' + x(0) + ',0V' + f.h).attr('stroke', '#333');
    f.g.append('g').selectAll('text').data(steps).join('text').attr('class', 'value-label')
      .attr('x', function (s) { return x(Math.max(s.from, s.to)) + 6; })
      .attr('y', function (s) { return y(s.name) + y.bandwidth() / 2 + 5; }).text(function (s) { return fmt(s.value); });
  }

  // ----- sweep -----
  function sweepReport() {
    var param = DATA.params[0] || 'point';
    var xv = DATA.points.map(function (p) { return DATA.params.length ? p.values[0] : p.point; });
    var numeric = xv.every(function (v) { return typeof v === 'number'; });
    onPick(function (metric) {
      var d = DATA.data[metric];
      help(metric + ': mean over replications at each point, with its 95% confidence interval');
      var f = frame('response', 460, metric + ' against ' + param);
      var x = numeric ? d3.scaleLinear().domain(d3.extent(xv)).range([0, f.w]) : d3.scalePoint().domain(Array.from(new Set(xv))).range([0, f.w]).padding(0.5);
      if (numeric && x.domain()[0] === x.domain()[1]) x.domain([x.domain()[0] - 1, x.domain()[0] + 1]);
      if (numeric) x.nice();
      var vals = [];
      d.mean.forEach(function (v, i) { [v, d.ciLow[i], d.ciHigh[i]].forEach(function (u) { if (finite(u)) vals.push(u); }); });
      var lo = d3.min(vals), hi = d3.max(vals);
      if (lo === undefined) { lo = 0; hi = 1; }
      if (lo === hi) { lo -= 1; hi += 1; }
      var y = d3.scaleLinear().domain([lo, hi]).nice().range([f.h, 0]);
      axes(f, x, y, param, metric);
      var idx = d3.range(DATA.points.length).filter(function (i) { return finite(d.mean[i]); });
      if (numeric && DATA.params.length === 1) {
        var order = idx.slice().sort(function (a, b) { return xv[a] - xv[b]; });
        f.g.append('path').attr('class', 'line').attr('stroke', PALETTE[0])
          .attr('d', d3.line().x(function (i) { return x(xv[i]); }).y(function (i) { return y(d.mean[i]); })(order));
      }
      f.g.append('g').selectAll('path').data(idx.filter(function (i) { return finite(d.ciLow[i]) && finite(d.ciHigh[i]); })).join('path')
        .attr('class', 'ci').attr('d', function (i) {
          var cx = x(xv[i]), a = y(d.ciLow[i]), b = y(d.ciHigh[i]);
          return 'M' + (cx - 6) + ',' + a + 'H' + (cx + 6) + 'M' + cx + ',' + a + 'V' + b + 'M' + (cx - 6) + ',' + b + 'H' + (cx + 6);
        });
      f.g.append('g').selectAll('circle').data(idx).join('circle').attr('class', 'mean')
        .attr('cx', function (i) { return x(xv[i]); }).attr('cy', function (i) { return y(d.mean[i]); })
        .attr('r', DATA.points.length > 60 ? 4 : 6).attr('fill', PALETTE[1]).attr('stroke', '#000')
        .on('mousemove', function (event, i) {
          var p = DATA.points[i];
          var html = '<b>point ' + p.point + '</b>';
          DATA.params.forEach(function (name, k) { html += '<br>' + esc(name) + ' = ' + esc(p.values[k]); });
          html += '<br>mean ' + fmt(d.mean[i]) + ' [' + fmt(d.ciLow[i]) + ', ' + fmt(d.ciHigh[i]) + ']';
          showTip(html, event);
        })
        .on('mouseleave', hideTip);
      legend(f, [{ name: 'mean', color: PALETTE[1] }, { name: '95% CI', color: '#1a1a1a' }]);
      pointTable(metric);
    });
  }
  function pointTable(metric) {
    var d = DATA.data[metric];
    var table = d3.select('#points-table');
    table.selectAll('*').remove();
    var head = ['point'].concat(DATA.params, ['n', 'mean', 'sd', 'ci low', 'ci high']);
    table.append('thead').append('tr').selectAll('th').data(head).join('th').text(function (h) { return h; });
    var rows = DATA.points.map(function (p, i) {
      return [p.point].concat(p.values.map(function (v) { return typeof v === 'number' ? fmt(v) : v; }),
        [fmt(d.n[i]), fmt(d.mean[i]), fmt(d.sd[i]), fmt(d.ciLow[i]), fmt(d.ciHigh[i])]);
    });
    table.append('tbody').selectAll('tr').data(rows).join('tr').selectAll('td').data(function (r) { return r; }).join('td').text(function (c) { return c; });
    d3.select('#points-caption').text('Points of the sweep with ' + metric + ' (mean over replications, 95% confidence interval)');
  }

  // ----- compare -----
  function compareReport() {
    onPick(function (metric) {
      var rows = DATA.rows[metric];
      help(metric + ': mean of each scenario with its 95% confidence interval, and its difference to the first (' + DATA.scenarios[0] + ')');
      var colour = function (i) { return PALETTE[i % PALETTE.length]; };
      barsWithCi('compare-means', metric + ': mean per scenario', rows.map(function (r, i) {
        return { name: r.scenario, value: r.mean, lo: r.ciLow, hi: r.ciHigh, color: colour(i), extra: 'n = ' + fmt(r.n) };
      }), metric);
      barsWithCi('compare-diff', metric + ': difference to ' + rows[0].scenario, rows.slice(1).map(function (r, i) {
        return { name: r.scenario + ' − ' + rows[0].scenario, value: r.diff, lo: r.diffLow, hi: r.diffHigh, color: colour(i + 1), extra: 'p = ' + fmt(r.p) };
      }), 'difference');
    });
  }
  function barsWithCi(id, title, items, yLabel) {
    var f = frame(id, 400, title, { top: 48, right: 40, bottom: 64, left: 100 });
    var vals = [0];
    items.forEach(function (it) { [it.value, it.lo, it.hi].forEach(function (u) { if (finite(u)) vals.push(u); }); });
    var lo = d3.min(vals), hi = d3.max(vals);
    if (lo === hi) hi = lo + 1;
    var x = d3.scaleBand().domain(items.map(function (it) { return it.name; })).range([0, f.w]).padding(0.35);
    var y = d3.scaleLinear().domain([lo, hi]).nice().range([f.h, 0]);
    axes(f, x, y, '', yLabel);
    f.g.append('g').selectAll('rect').data(items.filter(function (it) { return finite(it.value); })).join('rect').attr('class', 'bar')
      .attr('x', function (it) { return x(it.name); }).attr('width', x.bandwidth())
      .attr('y', function (it) { return y(Math.max(0, it.value)); })
      .attr('height', function (it) { return Math.max(1, Math.abs(y(it.value) - y(0))); })
      .attr('fill', function (it) { return it.color; })
      .on('mousemove', function (event, it) {
        showTip('<b>' + esc(it.name) + '</b><br>' + fmt(it.value) + ' [' + fmt(it.lo) + ', ' + fmt(it.hi) + ']<br>' + esc(it.extra), event);
      })
      .on('mouseleave', hideTip);
    f.g.append('path').attr('class', 'zero').attr('d', 'M0,' + y(0) + 'H' + f.w).attr('stroke', '#333');
    f.g.append('g').selectAll('path').data(items.filter(function (it) { return finite(it.lo) && finite(it.hi); })).join('path').attr('class', 'ci')
      .attr('d', function (it) {
        var cx = x(it.name) + x.bandwidth() / 2, a = y(it.lo), b = y(it.hi);
        return 'M' + (cx - 10) + ',' + a + 'H' + (cx + 10) + 'M' + cx + ',' + a + 'V' + b + 'M' + (cx - 10) + ',' + b + 'H' + (cx + 10);
      });
    if (items.length === 0) f.g.append('text').attr('x', f.w / 2).attr('y', f.h / 2).attr('text-anchor', 'middle').text('only one scenario: nothing to compare with');
  }

  if (DATA.kind === 'run') runReport();
  else if (DATA.kind === 'sweep') sweepReport();
  else if (DATA.kind === 'compare') compareReport();
})();
`;
