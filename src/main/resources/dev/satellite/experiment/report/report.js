/* Draws a Satellite chaos journal with uPlot. Every journal string reaches the page through textContent. */
(function () {
  'use strict';

  var report = window.satelliteReport = {
    charts: {}, bands: [], bandsDrawn: {}, membership: [], activities: 0, ready: false,
    errors: window.satelliteReportErrors || []
  };

  var KIND_COLORS = { fault: 'rgba(192, 57, 43, 0.16)', action: 'rgba(41, 98, 255, 0.14)', probe: 'rgba(120, 120, 120, 0.14)' };
  var KIND_EDGES = { fault: 'rgba(192, 57, 43, 0.8)', action: 'rgba(41, 98, 255, 0.8)', probe: 'rgba(90, 90, 90, 0.8)' };
  var STATE_COLORS = { starting: '#f2c14e', serving: '#2f8f46', down: '#c0392b', frozen: '#3b7dd8', stopped: '#8a94a6' };
  var STATES = ['starting', 'serving', 'down', 'frozen', 'stopped'];

  var journal = JSON.parse(document.getElementById('journal').textContent);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function fixed(v, digits) { return num(v) === null ? '' : v.toFixed(digits); }
  function array(v) { return Array.isArray(v) ? v : []; }
  function chartWidth() { return Math.max(480, Math.min(1200, document.querySelector('main').clientWidth || 900)); }

  // ---- verdict -------------------------------------------------------------------------------------------
  var experiment = journal.experiment || {};
  var summary = journal.summary || {};
  var verdict = summary.verdict || journal.status || 'unknown';
  document.getElementById('title').textContent = experiment.title || 'Chaos experiment';
  var badge = document.getElementById('verdict-badge');
  badge.textContent = verdict;
  badge.classList.add(String(verdict).replace(/[^a-z]/gi, ''));
  var facts = document.getElementById('facts');
  function fact(name, value) {
    if (value === undefined || value === null || value === '') { return; }
    var div = el('div');
    div.appendChild(el('dt', name));
    div.appendChild(el('dd', value));
    facts.appendChild(div);
  }
  fact('verdict', verdict);
  fact('status', journal.status);
  fact('deviated', journal.deviated === undefined ? null : String(journal.deviated));
  fact('duration (s)', num(journal.duration) === null ? null : journal.duration.toFixed(1));
  fact('seed', journal.seed);
  fact('start', journal.start);
  fact('end', journal.end);
  var load = summary.load;
  if (load && typeof load === 'object') {
    fact('requests sent', load.sent);
    fact('throughput (ok/s)', fixed(load.throughput, 1));
    fact('error rate', num(load.errorRate) === null ? null : (100 * load.errorRate).toFixed(2) + ' %');
    fact('p50 / p99 (ms)', fixed(load.p50, 1) + ' / ' + fixed(load.p99, 1));
  }
  // what the runner has to say about the run itself: a node that never got ready, the load's first transport failures
  array(journal.satellite_notes).forEach(function (n) { fact('note', String(n)); });

  // ---- time axis shared by every chart ---------------------------------------------------------------------
  var timeline = array(journal.timeline).filter(function (e) { return e && num(e.t) !== null; });
  timeline.sort(function (a, b) { return a.t - b.t; });
  var markers = array(journal.markers).filter(function (m) { return m && num(m.start) !== null; }).map(function (m) {
    var end = num(m.end) === null ? m.start : Math.max(m.start, m.end);
    return { name: String(m.name === undefined ? '' : m.name), kind: String(m.kind || 'action'), start: m.start, end: end };
  });
  report.bands = markers;
  var membership = array(journal.membership).filter(function (m) { return m && num(m.t) !== null && m.node !== undefined; });
  membership.sort(function (a, b) { return a.t - b.t; });

  var xMax = 1;
  timeline.forEach(function (e) { xMax = Math.max(xMax, e.t + 1); });
  markers.forEach(function (m) { xMax = Math.max(xMax, m.end); });
  membership.forEach(function (m) { xMax = Math.max(xMax, m.t); });
  if (num(journal.duration) !== null) { xMax = Math.max(xMax, journal.duration); }
  var xMin = 0;
  markers.forEach(function (m) { xMin = Math.min(xMin, m.start); });
  membership.forEach(function (m) { xMin = Math.min(xMin, m.t); });

  function xScale() {
    return { time: false, range: function () { return [xMin, xMax]; } };
  }

  // ---- marker bands: a uPlot plugin that shades [start, end] under the series and labels it on top ----------
  function bandsPlugin(chartName) {
    function each(u, fn) {
      var top = u.bbox.top, height = u.bbox.height;
      markers.forEach(function (m, i) {
        var x0 = u.valToPos(m.start, 'x', true);
        var x1 = u.valToPos(m.end, 'x', true);
        var w = Math.max(2 * devicePixelRatio, x1 - x0);
        fn(m, i, x0, w, top, height);
      });
    }
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          each(u, function (m, i, x, w, top, height) {
            ctx.fillStyle = KIND_COLORS[m.kind] || KIND_COLORS.action;
            ctx.fillRect(x, top, w, height);
          });
          ctx.restore();
        }],
        draw: [function (u) {
          var ctx = u.ctx;
          var drawn = 0;
          ctx.save();
          ctx.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
          ctx.textBaseline = 'top';
          each(u, function (m, i, x, w, top) {
            ctx.fillStyle = KIND_EDGES[m.kind] || KIND_EDGES.action;
            ctx.fillRect(x, top, Math.max(1, devicePixelRatio), u.bbox.height);
            var row = i % 3; // stagger labels of neighbouring markers
            ctx.fillText(m.name, x + 3 * devicePixelRatio, top + (2 + 13 * row) * devicePixelRatio);
            drawn++;
          });
          ctx.restore();
          report.bandsDrawn[chartName] = drawn;
        }]
      }
    };
  }

  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }

  function yAxis(label, format) {
    var axis = { label: label, size: 60 };
    if (format) { axis.values = function (u, ticks) { return ticks.map(format); }; }
    return axis;
  }

  function lineChart(name, title, target, series, data, yLabel, yValue) {
    var opts = {
      title: title,
      width: chartWidth(),
      height: 220,
      scales: { x: xScale(), y: { range: fromZero } },
      series: [{ label: 't (s)' }].concat(series),
      axes: [{ label: 'seconds since start' }, yAxis(yLabel, yValue)],
      plugins: [bandsPlugin(name)]
    };
    var chart = new uPlot(opts, data, document.getElementById(target));
    report.charts[name] = chart;
    return chart;
  }

  function column(key) { return timeline.map(function (e) { return num(e[key]); }); }

  if (timeline.length > 0) {
    var ts = timeline.map(function (e) { return e.t; });
    lineChart('throughput', 'Throughput', 'chart-throughput',
      [{ label: 'ok/s', stroke: '#2f8f46', width: 2 }, { label: 'sent/s', stroke: '#8a94a6', dash: [4, 4] }],
      [ts, column('throughput'), column('sent')], 'requests / s');
    lineChart('errorRate', 'Error rate', 'chart-errors',
      [{ label: 'error rate', stroke: '#c0392b', width: 2, value: function (u, v) { return v === null ? '' : (100 * v).toFixed(2) + ' %'; } }],
      [ts, column('errorRate')], 'errors', function (v) { return (100 * v).toFixed(0) + ' %'; });
    lineChart('latency', 'Latency (from intended send time)', 'chart-latency',
      [{ label: 'p50 ms', stroke: '#3b7dd8', width: 2 }, { label: 'p99 ms', stroke: '#7b3fb8', width: 2 }],
      [ts, column('p50'), column('p99')], 'ms');
  } else {
    document.getElementById('load-empty').hidden = false;
  }

  // ---- markers table ----------------------------------------------------------------------------------------
  var markerBody = document.querySelector('#markers tbody');
  markers.forEach(function (m) {
    var tr = el('tr');
    tr.appendChild(el('td', m.name));
    tr.appendChild(el('td', m.kind));
    tr.appendChild(el('td', m.start.toFixed(2)));
    tr.appendChild(el('td', m.end.toFixed(2)));
    markerBody.appendChild(tr);
  });

  // ---- membership: one state strip per node ------------------------------------------------------------------
  var nodes = [];
  membership.forEach(function (m) { if (nodes.indexOf(String(m.node)) < 0) { nodes.push(String(m.node)); } });
  nodes.forEach(function (node) {
    var changes = membership.filter(function (m) { return String(m.node) === node; });
    changes.forEach(function (m, i) {
      var end = i + 1 < changes.length ? changes[i + 1].t : xMax;
      report.membership.push({ node: node, state: String(m.state), start: m.t, end: end });
    });
  });
  if (nodes.length > 0) {
    // data: change times, and per node its state code at each time (held until the next change)
    var times = [];
    membership.forEach(function (m) { if (times.indexOf(m.t) < 0) { times.push(m.t); } });
    if (times.indexOf(xMax) < 0) { times.push(xMax); }
    times.sort(function (a, b) { return a - b; });
    var data = [times];
    nodes.forEach(function (node) {
      data.push(times.map(function (t) {
        var state = null;
        report.membership.forEach(function (s) { if (s.node === node && s.start <= t) { state = STATES.indexOf(s.state); } });
        return state;
      }));
    });
    var rowOf = function (node) { return nodes.indexOf(node); };
    var stripPlugin = {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          report.membership.forEach(function (s) {
            var row = rowOf(s.node);
            var y0 = u.valToPos(row + 0.85, 'y', true);
            var y1 = u.valToPos(row + 0.15, 'y', true);
            var x0 = u.valToPos(s.start, 'x', true);
            var x1 = u.valToPos(s.end, 'x', true);
            ctx.fillStyle = STATE_COLORS[s.state] || '#444';
            ctx.fillRect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
          });
          ctx.restore();
        }]
      }
    };
    var stateName = function (u, v) { return v === null || v === undefined ? '' : (STATES[v] || String(v)); };
    var chart = new uPlot({
      title: 'Nodes',
      width: chartWidth(),
      height: 70 + 40 * nodes.length,
      scales: { x: xScale(), y: { range: [0, nodes.length] } },
      series: [{ label: 't (s)' }].concat(nodes.map(function (node) {
        return { label: node, stroke: 'transparent', points: { show: false }, value: stateName, paths: function () { return null; } };
      })),
      axes: [{ label: 'seconds since start' }, {
        size: 80,
        splits: function () { return nodes.map(function (n, i) { return i + 0.5; }); },
        values: function (u, splits) { return splits.map(function (s) { return nodes[Math.floor(s)] || ''; }); },
        grid: { show: false }
      }],
      plugins: [bandsPlugin('membership'), stripPlugin]
    }, data, document.getElementById('chart-membership'));
    report.charts.membership = chart;
    var legend = document.getElementById('membership-legend');
    STATES.forEach(function (s) {
      var span = el('span');
      var swatch = el('i');
      swatch.style.background = STATE_COLORS[s];
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(s));
      legend.appendChild(span);
    });
  } else {
    document.getElementById('membership-empty').hidden = false;
  }

  // ---- activities -------------------------------------------------------------------------------------------------
  var startMs = Date.parse(journal.start);
  function offset(iso) {
    var t = Date.parse(iso);
    return isNaN(t) || isNaN(startMs) ? '' : ((t - startMs) / 1000).toFixed(2);
  }
  function summarize(result) {
    var text;
    if (Array.isArray(result.exception) && result.exception.length > 0) {
      text = String(result.exception[result.exception.length - 1]).trim();
    } else if (result.output === undefined || result.output === null) {
      text = '';
    } else if (typeof result.output === 'string') {
      text = result.output;
    } else {
      try { text = JSON.stringify(result.output); } catch (e) { text = String(result.output); }
    }
    return text.length > 160 ? text.slice(0, 159) + '\u2026' : text;
  }
  var rows = [];
  var steady = journal.steady_states || {};
  function addAll(phase, results) {
    array(results).forEach(function (r) { if (r && typeof r === 'object') { rows.push({ phase: phase, result: r }); } });
  }
  addAll('steady state before', steady.before && steady.before.probes);
  addAll('method', journal.run);
  addAll('steady state during', steady.during && steady.during.probes);
  addAll('steady state after', steady.after && steady.after.probes);
  addAll('rollback', journal.rollbacks);
  var body = document.querySelector('#activities tbody');
  rows.forEach(function (row) {
    var r = row.result;
    var activity = r.activity || {};
    var tr = el('tr');
    tr.appendChild(el('td', row.phase));
    tr.appendChild(el('td', activity.name));
    tr.appendChild(el('td', activity.type));
    tr.appendChild(el('td', r.status, 'status-' + String(r.status).replace(/[^a-z]/gi, '')));
    tr.appendChild(el('td', r.tolerance_met === undefined || r.tolerance_met === null ? '' : String(r.tolerance_met)));
    tr.appendChild(el('td', offset(r.start)));
    tr.appendChild(el('td', fixed(r.duration, 2)));
    var out = el('td', summarize(r), 'output');
    tr.appendChild(out);
    body.appendChild(tr);
  });
  report.activities = rows.length;

  // uPlot draws in a microtask after construction: ready once every chart has drawn
  setTimeout(function () { report.ready = true; }, 0);
})();
