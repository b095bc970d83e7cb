// The Satellite console: signs in with an admin token (exchanged for an HttpOnly session cookie), then renders the
// node's state from the server-sent event stream /admin/console/stream once a second. No framework, no build step;
// data is only ever put into the page as text, never as HTML.
'use strict';

(() => {
  const $ = (sel) => document.querySelector(sel);
  const KINDS = ['ok', 'refused', 'failed', 'client']; // how an outcome ended; the node says which outcome is which
  const COLOURS = { ok: '#2e7d32', refused: '#f9a825', failed: '#c62828', client: '#757575' };
  const POINTS = 60;
  let session = null;   // {name, role, csrf, expires}
  let source = null;    // the EventSource
  const series = {};    // route -> {x: [], rate: {kind: []}, p99: {kind: []}, chart, last: {t, counts}}

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('data-')) el.setAttribute(k, v);
      else el[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function notice(text, bad) {
    const n = $('#notice');
    n.textContent = text;
    n.className = bad ? 'error' : '';
  }

  async function call(method, path, body) {
    const headers = {};
    if (session && session.csrf && method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    const text = await res.text();
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    return { status: res.status, json, retryAfter: res.headers.get('Retry-After') };
  }

  function showSignIn(message) {
    if (source) { source.close(); source = null; }
    session = null;
    $('#main').hidden = true;
    $('#signin').hidden = false;
    $('#signin-error').textContent = message || '';
    $('#token').focus();
  }

  function showMain() {
    $('#signin').hidden = true;
    $('#main').hidden = false;
    $('#who').textContent = session.name + ' (' + session.role + ')';
    connect();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource('/admin/console/stream');
    source.addEventListener('state', (e) => {
      $('#link').textContent = 'live';
      $('#link').className = 'badge good';
      render(JSON.parse(e.data));
    });
    source.onerror = async () => {
      $('#link').textContent = 'reconnecting';
      $('#link').className = 'badge bad';
      const closed = source.readyState === EventSource.CLOSED; // refused (503, 429): the browser will not retry
      const r = await call('GET', '/admin/session').catch(() => null);
      if (r && r.status === 401) showSignIn('The session ended: sign in again.');
      else if (closed && session) setTimeout(() => { if (session) connect(); }, 5000);
    };
  }

  async function signIn(event) {
    event.preventDefault();
    const field = $('#token');
    const r = await call('POST', '/admin/session', { token: field.value });
    field.value = '';
    if (r.status === 200) {
      session = r.json;
      showMain();
    } else if (r.status === 429) {
      $('#signin-error').textContent = 'Too many wrong tokens from here: try again in ' + r.retryAfter + ' s.';
    } else {
      $('#signin-error').textContent = (r.json && r.json.detail) || ('Sign-in failed (' + r.status + ').');
    }
  }

  async function signOut() {
    await call('DELETE', '/admin/session').catch(() => null);
    showSignIn('Signed out.');
  }

  async function inject(spec) {
    const r = await call('POST', '/admin/chaos/faults', spec);
    if (r.status === 201) notice('Injected ' + r.json.id + ': ' + spec.type + ' on ' + (spec.target || 'node') + '.');
    else notice('Not injected (' + r.status + '): ' + ((r.json && r.json.detail) || ''), true);
  }

  async function revert(id) {
    const r = await call('DELETE', '/admin/chaos/faults' + (id ? '/' + encodeURIComponent(id) : ''));
    if (r.status === 204 || r.status === 200) notice(id ? 'Reverted ' + id + '.' : 'Reverted every fault.');
    else notice('Not reverted (' + r.status + '): ' + ((r.json && r.json.detail) || ''), true);
  }

  function canOperate(state) {
    return state.node.chaos && session && session.role === 'operate';
  }

  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
  }

  function render(state) {
    const n = state.node;
    $('#node-id').textContent = n.node;
    $('#node-facts').textContent = 'v' + n.version + ' · ' + n.phase + ' · up ' + n.uptimeSeconds + ' s'
      + (n.clustered ? ' · clustered' : ' · standalone') + (n.chaos ? ' · chaos on' : '');
    renderMembers(state);
    renderTree(state);
    renderRoutes(state);
    renderFaults(state);
    renderEvents(state.events || []);
  }

  function renderMembers(state) {
    const body = $('#members tbody');
    const c = state.cluster || {};
    const ejected = c.ejected || {};
    const awaiting = c.awaitingFirstTick || [];
    const rows = c.clustered
      ? (c.members || []).map((m) => h('tr', { 'data-member': m.id || m.address },
        h('td', {}, (m.id || '?') + (m.local ? ' (this node)' : '')), h('td', {}, m.address || ''),
        h('td', {}, m.state || ''), h('td', {}, m.since ? ago(m.since) : ''),
        ejectedCell(m.id, ejected, awaiting)))
      : [h('tr', { 'data-member': state.node.node }, h('td', {}, state.node.node + ' (this node)'), h('td', {}, 'standalone'),
        h('td', {}, state.node.phase), h('td', {}, state.node.uptimeSeconds + ' s'), h('td', {}, 'no'))];
    body.replaceChildren(...rows);
  }

  function ejectedCell(id, ejected, awaiting) {
    if (ejected[id]) {
      return h('td', { class: 'bad' }, 'yes: ' + ejected[id].reason);
    }
    return awaiting.includes(id) ? h('td', { class: 'facts' }, 'no; gets no requests until its first tick') : h('td', {}, 'no');
  }

  function renderTree(state) {
    const operate = canOperate(state);
    const node = (sup) => h('li', { class: 'supervisor', 'data-supervisor': sup.id },
      h('span', { class: 'name' }, sup.id),
      h('span', { class: 'badge ' + (sup.state === 'running' ? 'good' : 'bad') }, sup.state),
      h('span', { class: 'facts' }, sup.strategy + ', at most ' + sup.maxRestarts + ' restarts in ' + sup.period
        + ', ' + sup.recentCrashes + ' recent crashes'),
      h('ul', {}, ...(sup.children || []).map((c) => (c.kind === 'supervisor' || c.children) ? node(c) : child(c, operate))));
    const tree = state.supervision && state.supervision.id ? h('ul', { class: 'tree' }, node(state.supervision)) : '';
    $('#tree').replaceChildren(tree);
  }

  function child(c, operate) {
    const crash = c.lastCrash ? (typeof c.lastCrash === 'object'
      ? (c.lastCrash.kind || '') + ' ' + (c.lastCrash.reason || '') + (c.lastCrash.at ? ' (' + ago(c.lastCrash.at) + ' ago)' : '')
      : String(c.lastCrash)) : 'none';
    return h('li', { class: 'child', 'data-child': c.id },
      h('span', { class: 'name' }, c.id),
      h('span', { class: 'badge ' + (c.status === 'running' ? 'good' : 'bad') }, c.status),
      h('span', { class: 'facts' }, 'instances ', h('b', { class: 'alive' }, c.alive + '/' + c.wanted),
        ' · restarts ', h('b', { class: 'restarts' }, c.restarts),
        ' · backoff ', h('b', { class: 'backoff' }, (c.backoffMs || 0) + ' ms'),
        ' · last crash ', h('span', { class: 'last-crash' }, crash)),
      operate && c.kind === 'actor'
        ? h('button', { type: 'button', class: 'crash', 'data-crash': c.id, title: 'inject one crash (a fault, audited)',
          onclick: () => inject({ type: 'crash', target: c.id, count: 1 }) }, 'crash one')
        : null);
  }

  function rates(s, outcomes, kinds, at) {
    const t = Date.parse(at) / 1000;
    const out = { ok: null, refused: null, failed: null, client: null };
    if (s.last && t > s.last.t) {
      for (const kind of KINDS) out[kind] = 0;
      for (const [outcome, count] of Object.entries(outcomes)) {
        const kind = kinds[outcome] || 'failed';
        out[kind] += Math.max(0, count - (s.last.counts[outcome] || 0)) / (t - s.last.t);
      }
    }
    s.last = { t, counts: outcomes };
    return out;
  }

  function fmt(x) {
    return x === null || x === undefined ? '–' : x >= 100 ? Math.round(x) : Math.round(x * 10) / 10;
  }

  function renderRoutes(state) {
    const body = $('#routes tbody');
    const routes = (state.edges && state.edges.routes) || [];
    const seen = new Set();
    for (const r of routes) {
      const name = r.route;
      seen.add(name);
      if (!series[name]) {
        series[name] = { x: [], rate: {}, p99: {}, last: null, chart: null };
        for (const k of KINDS) { series[name].rate[k] = []; series[name].p99[k] = []; }
      }
      const s = series[name];
      const rate = rates(s, r.outcomes || {}, state.outcomeKinds || {}, state.at);
      const p99 = (state.latency && state.latency[name]) || {};
      s.x.push(Date.parse(state.at) / 1000);
      for (const k of KINDS) {
        s.rate[k].push(rate[k]);
        s.p99[k].push(p99[k] === undefined ? null : p99[k]);
      }
      if (s.x.length > POINTS) {
        s.x.shift();
        for (const k of KINDS) { s.rate[k].shift(); s.p99[k].shift(); }
      }

      let row = body.querySelector('tr[data-route="' + CSS.escape(name) + '"]');
      if (!row) {
        row = h('tr', { 'data-route': name }, h('td', { class: 'name' }, name + (r.target ? ' → ' + r.target : '')),
          h('td', { class: 'breaker' }), h('td', { class: 'rate-limit' }), h('td', { class: 'bulkhead' }),
          h('td', { class: 'rates' }), h('td', { class: 'p99' }), h('td', { class: 'chart' }));
        body.append(row);
      }
      const b = r.breaker;
      const cell = row.querySelector('.breaker');
      cell.textContent = b ? b.state + (b.refused ? ' (' + b.refused + ' refused)' : '') : 'off';
      cell.className = 'breaker ' + (b && b.state !== 'closed' ? 'bad' : 'good');
      const rl = r.rateLimit;
      row.querySelector('.rate-limit').textContent = rl ? fmt(rl.tokensLeft) + ' left of ' + rl.burst + ', '
        + rl.refused + ' refused' : 'off';
      const bh = r.bulkhead;
      row.querySelector('.bulkhead').textContent = bh ? bh.inFlight + ' / ' + bh.limit + ' in flight, ' + bh.refused
        + ' refused' : 'off';
      row.querySelector('.rates').textContent = KINDS.map((k) => fmt(rate[k])).join(' · ');
      const p99s = KINDS.filter((k) => p99[k] !== null && p99[k] !== undefined).map((k) => k + ' ' + fmt(p99[k]));
      row.querySelector('.p99').textContent = p99s.length ? p99s.join(' · ') + ' ms' : '–';
      draw(s, row.querySelector('.chart'));
    }
    body.querySelectorAll('tr[data-route]').forEach((row) => {
      if (!seen.has(row.getAttribute('data-route'))) row.remove();
    });
  }

  function draw(s, cell) {
    if (typeof uPlot === 'undefined') return;
    // requests/s of each kind (solid, left axis), then p99 of each kind (dashed, right axis, ms)
    const data = [s.x, ...KINDS.map((k) => s.rate[k]), ...KINDS.map((k) => s.p99[k])];
    if (!s.chart) {
      const line = (k, dashed) => ({ stroke: COLOURS[k], scale: dashed ? 'ms' : 'y', dash: dashed ? [4, 2] : undefined,
        spanGaps: true, points: { show: false } });
      s.chart = new uPlot({
        width: 260, height: 70, legend: { show: false }, cursor: { show: false },
        scales: { x: { time: true }, ms: { auto: true } },
        axes: [{ show: false }, { size: 36, font: '10px sans-serif' }, { scale: 'ms', side: 1, size: 36, font: '10px sans-serif', grid: { show: false } }],
        series: [{}, ...KINDS.map((k) => line(k, false)), ...KINDS.map((k) => line(k, true))],
      }, data, cell);
    } else {
      s.chart.setData(data);
    }
  }

  function renderFaults(state) {
    const panel = $('#faults-panel');
    const operate = canOperate(state);
    panel.hidden = !state.node.chaos;
    $('#fault-form').hidden = !operate;
    $('#revert-all').hidden = !operate;
    const rows = (state.faults || []).map((f) => h('tr', { 'data-fault': f.id },
      h('td', {}, f.id), h('td', {}, f.type), h('td', {}, f.target), h('td', {}, Math.round(f.remainingMs / 1000) + ' s'),
      h('td', {}, operate ? h('button', { type: 'button', onclick: () => revert(f.id) }, 'revert') : '')));
    $('#faults tbody').replaceChildren(...rows);
  }

  function renderEvents(events) {
    const list = $('#events');
    const newest = events.slice(-50).reverse();
    list.replaceChildren(...newest.map((e) => h('li', { class: 'event ' + e.kind, 'data-seq': e.seq },
      h('time', {}, e.at.substring(11, 19)), ' ', h('span', { class: 'kind' }, e.kind), ' ', e.text)));
  }

  async function submitFault(event) {
    event.preventDefault();
    const spec = { type: $('#fault-type').value };
    const target = $('#fault-target').value.trim();
    if (target) spec.target = target;
    const extra = $('#fault-extra').value.trim();
    if (extra) {
      try {
        Object.assign(spec, JSON.parse(extra));
      } catch (e) {
        notice('The extra fields are not JSON: ' + e.message, true);
        return;
      }
    }
    await inject(spec);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('#signin-form').addEventListener('submit', signIn);
    $('#signout').addEventListener('click', signOut);
    $('#fault-form').addEventListener('submit', submitFault);
    $('#revert-all').addEventListener('click', () => revert(null));
    const r = await call('GET', '/admin/session').catch(() => null);
    if (r && r.status === 200 && r.json.via === 'session') {
      session = r.json;
      showMain();
    } else {
      showSignIn('');
    }
  });
})();
