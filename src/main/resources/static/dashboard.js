// The stream-inference dashboard: a live view over Server-Sent Events, and lookups over the query API.
// Every value that comes from events is written with textContent, never as markup.
(() => {
  'use strict';
  const KEY = 'stream-inference.api-key';
  const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
  const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], []];
  const WINDOW = 300;
  const $ = (id) => document.getElementById(id);

  // ---- the API, with the key the user gave (kept for this tab only) ----
  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const key = sessionStorage.getItem(KEY);
    if (key) h['X-API-Key'] = key;
    return h;
  }
  // A signed-in user's write: the session cookie, and the XSRF-TOKEN cookie's value back (Spring Security's CSRF).
  function sessionHeaders() {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
    return csrf ? { 'X-XSRF-TOKEN': decodeURIComponent(csrf.substring('XSRF-TOKEN='.length)) } : {};
  }
  class HttpError extends Error {
    constructor(status, problem) { super((problem && (problem.detail || problem.title)) || ('HTTP ' + status)); this.status = status; }
  }
  async function api(path, options) {
    const response = await fetch(path, Object.assign({}, options, { headers: headers(options && options.headers) }));
    if (response.status === 401) askForKey();
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (e) { /* not JSON */ }
      throw new HttpError(response.status, problem);
    }
    return response.json();
  }
  function askForKey() {
    $('key-form').hidden = false;
    setStatus('API key needed', 'down');
  }
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('api-key').value);
    $('key-form').hidden = true;
    reconnectNow();
    loadModels();
    loadDeadLetters();
  });

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const fmt = (n) => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 });

  // ---- live feed ----
  let history = [];
  let controller = null;
  let retryMs = 1000;
  let retryTimer = null;

  function setStatus(text, kind) {
    const pill = $('feed-status');
    pill.textContent = text;
    pill.className = 'pill ' + (kind || '');
  }
  function reconnectNow() {
    if (controller) controller.abort();
    clearTimeout(retryTimer);
    connect();
  }
  async function connect() {
    controller = new AbortController();
    const mine = controller;
    try {
      const response = await fetch('api/v1/live', { headers: headers({ Accept: 'text/event-stream' }), signal: mine.signal });
      if (response.status === 401) { askForKey(); return; }
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      setStatus('live', 'live');
      retryMs = 1000;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handle(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (mine.signal.aborted) return;
    }
    // The stream ended (app restarted, timeout, network): try again, backing off to 5 s.
    setStatus('reconnecting…', 'down');
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(5000, retryMs * 2);
  }
  function handle(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!data.length) return;
    const payload = JSON.parse(data.join('\n'));
    if (event === 'history') {
      history = payload.slice(-WINDOW);
      if (history.length) render(history[history.length - 1]);
      charts.redraw(true);
    } else if (event === 'snapshot') {
      history.push(payload);
      if (history.length > WINDOW) history.shift();
      render(payload);
      charts.redraw(false);
    }
  }

  function render(s) {
    $('live-time').textContent = new Date(s.t).toLocaleTimeString();
    const body = $('stages').tBodies[0];
    body.replaceChildren(...s.stages.map((stage) => {
      const paused = stage.state !== 'running';
      return el('tr', { 'data-stage': stage.stage, class: paused ? 'paused' : '' },
        el('th', { scope: 'row' }, stage.stage),
        el('td', { class: 'num per-s' }, fmt(stage.per_s)),
        el('td', { class: 'num consumed' }, fmt(stage.consumed)),
        el('td', { class: 'num lag' }, fmt(stage.lag)),
        el('td', { class: 'state state-' + stage.state }, stage.state));
    }));
    $('p50').textContent = s.latency ? fmt(s.latency.p50_ms) : '–';
    $('p99').textContent = s.latency ? fmt(s.latency.p99_ms) : '–';
    $('latency-count').textContent = s.latency ? '(' + fmt(s.latency.count) + ' stored)' : '(nothing stored)';
    $('dead-letter-reasons').tBodies[0].replaceChildren(...(s.dead_letters || []).map((d) =>
      el('tr', { 'data-reason': d.reason }, el('td', {}, d.stage), el('td', {}, d.reason),
        el('td', { class: 'num' }, fmt(d.last_minute)), el('td', { class: 'num' }, fmt(d.total)))));
    $('model-cards').replaceChildren(...(s.models || []).map(modelCard));
  }

  function modelCard(m) {
    const labels = Object.entries(m.labels || {});
    const total = labels.reduce((sum, [, n]) => sum + n, 0);
    const peak = Math.max(1, ...m.histogram);
    const bars = el('div', { class: 'bars', role: 'img',
      'aria-label': 'score histogram: ' + m.histogram.map((n, i) => (i / 10).toFixed(1) + '–' + ((i + 1) / 10).toFixed(1) + ': ' + n).join(', ') });
    m.histogram.forEach((n, i) => {
      const bar = el('span', { title: (i / 10).toFixed(1) + '–' + ((i + 1) / 10).toFixed(1) + ': ' + n, class: i >= 5 ? 'high' : '' });
      bar.style.height = (100 * n / peak) + '%';
      bars.append(bar);
    });
    return el('div', { class: 'card', 'data-model': m.model, 'data-version': m.version },
      el('h3', {}, m.model + ' ', el('small', {}, 'version ' + m.version + ' · ' + m.stage)),
      el('p', {}, fmt(m.per_s) + ' predictions/s · ',
        labels.map(([label, n]) => label + ' ' + (total ? Math.round(100 * n / total) : 0) + '%').join(' · ')),
      bars, el('div', { class: 'axis' }, el('span', {}, '0'), el('span', {}, '0.5'), el('span', {}, '1')));
  }

  // ---- charts (uPlot), rebuilt when the set of stages changes ----
  const charts = (() => {
    const made = {};
    function build(id, names, dashes) {
      const target = $(id);
      const width = Math.max(280, target.clientWidth || 320);
      const series = [{}].concat(names.map((name, i) => ({
        label: name, stroke: COLOURS[i % COLOURS.length], width: 2,
        dash: dashes ? dashes(i) : DASHES[i % DASHES.length], points: { show: false } })));
      target.replaceChildren();
      return new uPlot({ width, height: 200, series, scales: { x: { time: true } },
        axes: [{}, { size: 60 }], legend: { live: false } }, [[]].concat(names.map(() => [])), target);
    }
    function stageData(field) {
      const names = [...new Set(history.flatMap((s) => s.stages.map((x) => x.stage)))];
      const xs = history.map((s) => s.t / 1000);
      const ys = names.map((n) => history.map((s) => {
        const stage = s.stages.find((x) => x.stage === n);
        return stage && stage[field] !== undefined && stage[field] !== null ? stage[field] : null;
      }));
      return { names, data: [xs].concat(ys) };
    }
    function update(id, names, data, dashes) {
      const key = names.join('|');
      if (!made[id] || made[id].key !== key) made[id] = { key, plot: build(id, names, dashes) };
      made[id].plot.setData(data);
    }
    function redraw() {
      if (typeof uPlot === 'undefined' || !history.length) return;
      const rate = stageData('per_s');
      update('chart-rate', rate.names, rate.data);
      const lag = stageData('lag');
      update('chart-lag', lag.names, lag.data);
      const xs = history.map((s) => s.t / 1000);
      update('chart-latency', ['p50', 'p99'], [xs, history.map((s) => s.latency ? s.latency.p50_ms : null),
        history.map((s) => s.latency ? s.latency.p99_ms : null)], (i) => (i === 0 ? [] : [6, 3]));
    }
    window.addEventListener('resize', () => {
      for (const [id, chart] of Object.entries(made)) chart.plot.setSize({ width: Math.max(280, $(id).clientWidth), height: 200 });
    });
    return { redraw };
  })();

  // ---- an event's journey ----
  $('journey-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = $('journey-id').value.trim();
    const out = $('journey-result');
    out.replaceChildren(el('p', {}, 'Looking up…'));
    try {
      out.replaceChildren(journeyView(await api('api/v1/events/' + encodeURIComponent(id) + '/journey')));
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error', 'data-testid': 'journey-error' }, err.message));
    }
  });
  function where(s) {
    return s.topic === undefined ? '' : s.topic + ' · partition ' + s.partition + ' · offset ' + s.offset;
  }
  function journeyView(j) {
    const first = j.stages.find((s) => s.at);
    const t0 = first ? Date.parse(first.at) : 0;
    const steps = el('ol', { class: 'timeline' }, ...j.stages.map((s) => el('li',
      { class: s.stage === 'dead_lettered' ? 'dead' : '', 'data-step': s.stage },
      el('strong', {}, s.stage.replace('_', ' ')), ' ',
      s.at ? new Date(s.at).toISOString().replace('T', ' ').replace('Z', ' UTC') : '', ' ',
      s.at && t0 ? el('small', {}, '+' + (Date.parse(s.at) - t0) + ' ms') : null, ' ',
      el('span', { class: 'where' }, where(s)))));
    const parts = [el('p', {}, 'Event ', el('code', {}, j.event_id), ' of ', el('code', { 'data-testid': 'journey-entity' }, j.entity_key || '?'),
      ': ', el('strong', { 'data-testid': 'journey-status' }, j.status.replace('_', ' '))), steps];
    if (j.prediction) {
      const p = j.prediction;
      parts.push(el('p', { 'data-testid': 'journey-prediction' }, 'Model ', el('code', {}, p.model_name), ' version ',
        el('strong', { 'data-testid': 'journey-version' }, String(p.model_version)), ' answered ',
        el('strong', {}, p.label), ' (score ' + p.score.toFixed(4) + ')'));
    }
    if (j.dead_letter) {
      const d = j.dead_letter;
      parts.push(el('div', { 'data-testid': 'journey-dead-letter' },
        el('p', {}, 'Dead-lettered by ', el('strong', {}, d.stage || '?'), ' into ', el('code', {}, d.topic),
          ': ', el('strong', { 'data-testid': 'journey-reason' }, d.reason)),
        el('p', {}, d.detail || ''), el('pre', { class: 'preview' }, d.preview || '')));
    }
    return el('div', {}, ...parts);
  }

  // ---- an entity ----
  $('entity-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('entity-key').value;
    const out = $('entity-result');
    out.replaceChildren(el('p', {}, 'Loading…'));
    try {
      const path = 'api/v1/entities/' + encodeURIComponent(key);
      const predictions = await api(path + '/predictions?limit=20');
      let sessions = null;
      try { sessions = await api(path + '/sessions?limit=10'); } catch (err) { /* sessions off */ }
      const rows = predictions.predictions.map((p) => el('tr', {}, el('td', {}, p.event_id), el('td', {}, p.event_time),
        el('td', {}, p.label), el('td', { class: 'num' }, p.score.toFixed(4)), el('td', {}, p.model_name + ' v' + p.model_version)));
      const parts = [el('h3', {}, 'Predictions of ', el('code', {}, predictions.entity_key), ', newest first'),
        el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, ...['event', 'event time', 'label', 'score', 'model'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...rows)))];
      if (sessions && sessions.sessions) {
        parts.push(el('h3', {}, 'Sessions'), el('div', { class: 'table-wrap' }, el('table', {},
          el('thead', {}, el('tr', {}, ...['session', 'start', 'events', 'label', 'score'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...sessions.sessions.map((s) => el('tr', {}, el('td', {}, s.session_id), el('td', {}, s.start),
            el('td', { class: 'num' }, s.event_count), el('td', {}, s.label + (s.final ? '' : ' (early)')),
            el('td', { class: 'num' }, s.score.toFixed(4))))))));
      }
      out.replaceChildren(...parts);
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  });

  // ---- dead letters ----
  async function loadDeadLetters() {
    const out = $('dead-letter-list');
    try {
      const view = await api('api/v1/dead-letters?limit=5');
      if (!view.kinds.length) { out.replaceChildren(el('p', {}, 'No dead letters.')); return; }
      const topics = [...new Set(view.kinds.map((k) => k[0].topic))];
      out.replaceChildren(...topics.map((topic) => {
        const rows = view.kinds.filter((k) => k[0].topic === topic).flat().map((d) => el('tr', { 'data-reason': d.reason },
          el('td', {}, d.reason), el('td', {}, d.id || '–'), el('td', {}, d.key || '–'),
          el('td', { class: 'where' }, (d.source_topic || '?') + ':' + d.source_partition + ':' + d.source_offset),
          el('td', {}, d.detail || ''), el('td', {}, el('pre', { class: 'preview' }, d.preview))));
        const head = el('tr', {}, ...['reason', 'id', 'key', 'from', 'detail', 'value'].map((h) => el('th', { scope: 'col' }, h)));
        return el('div', { 'data-topic': topic },
          el('h3', {}, el('code', {}, topic), ' ', el('button', { type: 'button', 'data-redrive': topic }, 'Redrive ' + topic)),
          el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows))));
      }));
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  }
  $('dead-letter-list').addEventListener('click', async (e) => {
    const topic = e.target.getAttribute && e.target.getAttribute('data-redrive');
    if (!topic || !window.confirm('Replay every dead letter of ' + topic + ' to its source topic?')) return;
    try {
      // An operator's: signed in (the page's "sign in" link), not with an API key, which only reads.
      const response = await fetch('api/v1/dead-letters/' + encodeURIComponent(topic) + '/redrive',
        { method: 'POST', headers: sessionHeaders() });
      const body = await response.json().catch(() => ({}));
      window.alert(response.ok ? 'Redrive: ' + JSON.stringify(body) : 'Redrive refused: ' + (body.detail || body.error || response.status));
    } catch (err) {
      window.alert('Redrive failed: ' + err.message);
    }
  });
  $('dead-letters-refresh').addEventListener('click', loadDeadLetters);
  setInterval(() => { if (!document.hidden) loadDeadLetters(); }, 5000);

  // ---- models the server serves ----
  async function loadModels() {
    try {
      const models = await api('api/v1/models');
      $('served-models').tBodies[0].replaceChildren(...models.map((m) => el('tr', { 'data-model': m.name },
        el('th', { scope: 'row' }, m.name),
        el('td', {}, m.pinned_version ? 'version ' + m.pinned_version : m.pinned_label ? 'label ' + m.pinned_label
          + (m.label_version ? ' → ' + m.label_version : '') : 'latest'),
        el('td', { class: m.error ? 'error' : '' }, m.error ? 'model server did not answer: ' + m.error
          : Object.entries(m.versions).map(([v, state]) => v + ' ' + state.toLowerCase()).join(', ') || 'none'))));
      const rows = [];
      for (const m of models) {
        const detail = await api('api/v1/models/' + encodeURIComponent(m.name) + '/versions');
        for (const v of detail.versions) {
          const e = v.evaluation;
          const fixed = (x) => (x === null || x === undefined ? '–' : x.toFixed(3));
          rows.push(el('tr', { 'data-model': m.name, 'data-version': String(v.version) },
            el('th', { scope: 'row' }, m.name), el('td', {}, String(v.version)),
            el('td', {}, v.state ? v.state.toLowerCase() : 'not served'),
            el('td', {}, e ? String(e.labelled) : '0'), el('td', {}, e ? String(e.window) : '0'),
            el('td', {}, fixed(e && e.accuracy)), el('td', {}, fixed(e && e.auc)),
            el('td', {}, fixed(e && e.log_loss))));
        }
      }
      $('online-evaluation').tBodies[0].replaceChildren(...rows);
    } catch (err) { /* shown by the next refresh */ }
  }
  setInterval(() => { if (!document.hidden) loadModels(); }, 10000);

  loadModels();
  loadDeadLetters();
  connect();
})();
