// The merchant's dashboard (README "Dashboard"): a single page over the public API, signed in
// with the session cookie a `stockbell dashboard-url` link set. Every change sends the session's
// CSRF token (X-CSRF-Token). Every text from the data is set with textContent, never as HTML.
// The words come from core/i18n/messages.json ("dashboard"), bundled as text.js by build.mjs.
'use strict';
(function () {
  const TEXT = window.STOCKBELL_TEXT || {};
  const PAGE_SIZE = 25;
  let csrf = null;
  const charts = [];

  function t(key, values) {
    let s = TEXT[key] !== undefined ? TEXT[key] : key;
    for (const [k, v] of Object.entries(values || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  }

  // el('td', {class: 'num'}, 'text', child...): children are nodes or text (never HTML).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'on') for (const [type, fn] of Object.entries(v)) node.addEventListener(type, fn);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = csrf || '';
      if (body !== undefined) headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) throw new SignedOut();
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error((data.error) || res.statusText);
      err.details = data.details || [];
      throw err;
    }
    return data;
  }

  function say(message, bad) {
    const status = document.getElementById('status');
    status.textContent = message || '';
    status.classList.toggle('bad', !!bad);
  }

  function when(iso) {
    if (!iso) return t('none');
    const d = new Date(iso);
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function waitedFor(iso) {
    if (!iso) return '';
    const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
    return days >= 1 ? days + ' d' : '< 1 d';
  }

  function target(item) {
    const title = item.productTitle || item.productId;
    const variant = item.variantId !== item.productId ? (item.variantTitle || item.variantId) : '';
    return { title, variant };
  }

  function table(columns, rows, emptyText) {
    if (!rows.length) return el('p', { class: 'empty' }, emptyText);
    return el('table', { class: 'stack' },
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      el('tbody', {}, rows.map((row) => el('tr', {}, columns.map((c) =>
        el('td', { class: c.num ? 'num' : null, 'data-label': c.label }, el('div', { class: 'v' }, c.cell(row))))))));
  }

  function pager(pagination, go) {
    if (!pagination || pagination.total <= pagination.limit) return null;
    const from = pagination.total ? pagination.offset + 1 : 0;
    const to = pagination.offset + pagination.count;
    return el('div', { class: 'pager' },
      el('button', { type: 'button', class: 'secondary', disabled: pagination.offset === 0,
        on: { click: () => go(Math.max(0, pagination.offset - pagination.limit)) } }, t('previous')),
      el('span', {}, t('page_of', { from, to, total: pagination.total })),
      el('button', { type: 'button', class: 'secondary', disabled: !pagination.hasMore,
        on: { click: () => go(pagination.offset + pagination.limit) } }, t('next')));
  }

  // ---- charts (uPlot, served by stockbell: no CDN) ----------------------------------------------
  function chartBox(label) {
    return el('div', { class: 'chart', role: 'img', 'aria-label': label });
  }

  function mountChart(box, options, data) {
    const width = Math.max(280, box.clientWidth || 320);
    const plot = new window.uPlot(Object.assign({ width, height: 240 }, options), data, box);
    charts.push({ plot, box });
  }

  window.addEventListener('resize', () => {
    for (const { plot, box } of charts) plot.setSize({ width: Math.max(280, box.clientWidth), height: 240 });
  });

  // Counts are whole numbers: no 2.5 on an axis.
  const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

  function timelineChart(box, series) {
    const xs = series.map((d) => Date.parse(d.date + 'T12:00:00Z') / 1000);
    mountChart(box, {
      scales: { x: { time: true } },
      axes: [{}, { size: 48, incrs: COUNT_INCRS }],
      series: [{},
        { label: t('series_requested'), stroke: '#1f5fbf', width: 2, fill: 'rgba(31,95,191,0.08)' },
        { label: t('series_notified'), stroke: '#15803d', width: 2 }],
    }, [xs, series.map((d) => d.requested), series.map((d) => d.notified)]);
  }

  function demandChart(box, items) {
    const top = items.slice(0, 10);
    const names = top.map((i) => { const { title, variant } = target(i); return variant ? title + ' ' + variant : title; });
    // As many characters as a bar's slot holds (~8.5 px each): a short stem at 375 px.
    const label = (u, i) => {
      const chars = Math.max(3, Math.floor(u.width / Math.max(1, top.length) / 8.5) - 1);
      return names[i].length > chars ? names[i].slice(0, chars - 1) + '…' : names[i];
    };
    mountChart(box, {
      scales: { x: { time: false, range: [-0.5, top.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{ values: (u, splits) => splits.map((v) => (Number.isInteger(v) && names[v] !== undefined ? label(u, v) : '')),
               splits: () => top.map((_, i) => i), rotate: 0, size: 40 }, { size: 48, incrs: COUNT_INCRS }],
      legend: { show: false },
      series: [{}, { label: t('col_waiting'), fill: '#1f5fbf', stroke: '#1f5fbf',
        paths: window.uPlot.paths.bars({ size: [0.6, 80] }), points: { show: false } }],
    }, [top.map((_, i) => i), top.map((i) => i.waiting)]);
  }

  // ---- pages --------------------------------------------------------------------------------
  function stockBadge(stock) { return el('span', { class: 'badge ' + stock }, t('stock_' + stock)); }

  function demandTable(items) {
    return table([
      { label: t('col_product'), cell: (i) => { const { title } = target(i); return [el('div', {}, title), el('div', { class: 'sub' }, i.productId)]; } },
      { label: t('col_variant'), cell: (i) => (i.variantId !== i.productId ? [el('div', {}, i.variantTitle || i.variantId), el('div', { class: 'sub' }, i.variantId)] : t('none')) },
      { label: t('col_waiting'), num: true, cell: (i) => i.waiting },
      { label: t('col_oldest'), cell: (i) => [el('div', {}, when(i.oldestWaitingAt)), el('div', { class: 'sub' }, waitedFor(i.oldestWaitingAt))] },
      { label: t('col_stock'), cell: (i) => stockBadge(i.stock) },
      { label: t('col_notified_30'), num: true, cell: (i) => i.notifiedLast30Days },
    ], items, t('empty_waiting'));
  }

  async function overview(root) {
    const [demand, timeline] = await Promise.all([
      api('GET', '/api/v1/stats/demand?limit=5'), api('GET', '/api/v1/stats/timeline?days=30')]);
    const series = timeline.timeline.series;
    const sum = (k) => series.reduce((a, d) => a + d[k], 0);
    root.append(el('h1', {}, t('nav_overview')),
      el('div', { class: 'cards' },
        el('div', { class: 'card' }, el('div', { class: 'figure', id: 'waiting-now' }, demand.waitingTotal), el('div', { class: 'label' }, t('waiting_now'))),
        el('div', { class: 'card' }, el('div', { class: 'figure' }, sum('requested')), el('div', { class: 'label' }, t('requested_30'))),
        el('div', { class: 'card' }, el('div', { class: 'figure' }, sum('notified')), el('div', { class: 'label' }, t('notified_30')))));
    const box = chartBox(t('per_day'));
    root.append(el('div', { class: 'two' },
      el('section', { class: 'panel', 'aria-labelledby': 'per-day' }, el('h2', { id: 'per-day' }, t('per_day')),
        el('p', { class: 'hint' }, t('per_day_hint', { zone: timeline.timeline.timeZone })), box),
      el('section', { class: 'panel', 'aria-labelledby': 'top' }, el('h2', { id: 'top' }, t('top_products')),
        demand.demand.length ? el('ol', {}, demand.demand.map((i) => { const { title, variant } = target(i);
          return el('li', {}, title, variant ? ' · ' + variant : '', ' — ', el('strong', {}, i.waiting)); }))
          : el('p', { class: 'empty' }, t('empty_waiting')))));
    timelineChart(box, series);
  }

  async function demandPage(root, offset) {
    const data = await api('GET', '/api/v1/stats/demand?limit=' + PAGE_SIZE + '&offset=' + (offset || 0));
    root.append(el('h1', {}, t('restock_first')),
      el('div', { class: 'toolbar' }, el('a', { class: 'button secondary', href: '/api/v1/stats/demand?format=csv', download: 'demand.csv' }, t('export_csv'))));
    if (data.demand.length) {
      const box = chartBox(t('restock_first'));
      root.append(el('section', { class: 'panel' }, box));
      demandChart(box, data.demand);
    }
    root.append(el('section', { class: 'panel' }, demandTable(data.demand),
      pager(data.pagination, (o) => show('demand', { offset: o }))));
  }

  const STATUSES = ['pending', 'waiting', 'notified', 'cancelled', 'expired', 'purchased'];

  async function requestsPage(root, state) {
    state = state || {};
    const params = new URLSearchParams();
    const q = (state.q || '').trim();
    if (q) params.set(q.includes('@') ? 'email' : 'productId', q);
    if (state.status) params.set('status', state.status);
    const list = new URLSearchParams(params);
    list.set('limit', PAGE_SIZE); list.set('offset', state.offset || 0);
    const data = await api('GET', '/api/v1/back-in-stock?' + list);
    const csv = new URLSearchParams(params); csv.set('format', 'csv');
    const search = el('input', { id: 'q', name: 'q', type: 'search', value: q, autocomplete: 'off' });
    const status = el('select', { id: 'status-filter', name: 'status' },
      el('option', { value: '' }, t('status_any')),
      STATUSES.map((s) => el('option', { value: s, selected: s === state.status }, s)));
    root.append(el('h1', {}, t('nav_requests')),
      el('form', { class: 'toolbar', role: 'search', on: { submit: (e) => { e.preventDefault(); show('requests', { q: search.value, status: status.value }); } } },
        el('label', { for: 'q' }, t('search_label'), search),
        el('label', { for: 'status-filter' }, t('status_label'), status),
        el('button', { type: 'submit' }, t('search')),
        el('a', { class: 'button secondary', href: '/api/v1/back-in-stock?' + csv, download: 'requests.csv' }, t('export_csv'))),
      el('section', { class: 'panel' }, table([
        { label: t('col_email'), cell: (r) => r.email },
        { label: t('col_product'), cell: (r) => [el('div', {}, r.productTitle || r.productId), el('div', { class: 'sub' }, r.variantId !== r.productId ? r.productId + ' · ' + (r.variantTitle || r.variantId) : r.productId)] },
        { label: t('col_status'), cell: (r) => el('span', { class: 'badge ' + r.status }, r.status) },
        { label: t('col_created'), cell: (r) => when(r.createdAt) },
        { label: t('col_actions'), cell: (r) => (r.status === 'waiting' || r.status === 'pending'
          ? el('button', { type: 'button', class: 'secondary', 'data-request': r.id,
            'aria-label': t('cancel') + ': ' + r.email + ', ' + (r.productTitle || r.productId),
            on: { click: () => cancel(r, state) } }, t('cancel')) : '') },
      ], data.requests, t('empty_requests')), pager(data.pagination, (o) => show('requests', Object.assign({}, state, { offset: o })))));
  }

  async function cancel(r, state) {
    if (!window.confirm(t('cancel_confirm', { email: r.email, product: r.productTitle || r.productId }))) return;
    try {
      await api('DELETE', '/api/v1/back-in-stock/' + encodeURIComponent(r.id));
      await show('requests', state);
      say(t('cancelled_done'));
    } catch (e) { handle(e); }
  }

  async function deliveriesPage(root) {
    const hooks = await api('GET', '/api/v1/webhooks');
    root.append(el('h1', {}, t('nav_deliveries')), el('h2', {}, t('webhooks')));
    if (!hooks.webhooks.length) root.append(el('section', { class: 'panel' }, el('p', { class: 'empty' }, t('no_webhooks'))));
    for (const hook of hooks.webhooks) {
      const data = await api('GET', '/api/v1/webhooks/' + encodeURIComponent(hook.id) + '/deliveries?limit=10');
      root.append(el('section', { class: 'panel' }, el('h2', {}, t('deliveries_of', { url: hook.url })), table([
        { label: t('col_event'), cell: (d) => d.eventType },
        { label: t('col_status'), cell: (d) => el('span', { class: 'badge ' + d.status }, d.status) },
        { label: t('col_attempts'), num: true, cell: (d) => d.attempts },
        { label: t('col_last_error'), cell: (d) => { const last = d.attemptLog[d.attemptLog.length - 1]; return last ? (last.error || (last.statusCode ? 'HTTP ' + last.statusCode : t('none'))) : t('none'); } },
        { label: t('col_actions'), cell: (d) => (d.status === 'delivered' ? '' : el('button', { type: 'button', class: 'secondary',
          on: { click: async () => { try { await api('POST', '/api/v1/webhooks/' + encodeURIComponent(hook.id) + '/deliveries/' + encodeURIComponent(d.id) + '/retry'); say(t('retry_done')); } catch (e) { handle(e); } } } }, t('retry'))) },
      ], data.deliveries, t('no_deliveries'))));
    }
    // The seam for shopper e-mails (issue 11): listed here once the server sends them.
    root.append(el('h2', {}, t('email_deliveries')), el('section', { class: 'panel' }, el('p', { class: 'empty' }, t('email_deliveries_later'))));
  }

  async function settingsPage(root) {
    const { settings } = await api('GET', '/api/v1/settings');
    const fields = [
      ['storeName', t('settings_store_name'), 'text', settings.storeName || ''],
      ['timeZone', t('settings_time_zone'), 'text', settings.timeZone, t('settings_time_zone_hint')],
      ['requestTtlDays', t('settings_ttl'), 'number', settings.requestTtlDays],
      ['attributionWindowDays', t('settings_attribution'), 'number', settings.attributionWindowDays],
    ];
    const inputs = {};
    const errors = {};
    const form = el('form', { class: 'settings', novalidate: true, on: { submit: async (e) => {
      e.preventDefault();
      for (const k of Object.keys(errors)) errors[k].textContent = '';
      const body = {};
      for (const [k, , type] of fields) body[k] = type === 'number' ? Number(inputs[k].value) : (inputs[k].value.trim() || null);
      try {
        await api('PATCH', '/api/v1/settings', body);
        say(t('settings_saved'));
        refreshStore();
      } catch (err) {
        if (err instanceof SignedOut) return handle(err);
        say(err.message, true);
        for (const d of err.details || []) if (errors[d.field]) { errors[d.field].textContent = d.message; inputs[d.field].setAttribute('aria-invalid', 'true'); }
      }
    } } },
    fields.map(([k, label, type, value, hint]) => {
      inputs[k] = el('input', { id: 'set-' + k, name: k, type, value, 'aria-describedby': 'err-' + k + (hint ? ' hint-' + k : '') });
      errors[k] = el('span', { class: 'error', id: 'err-' + k });
      return el('label', { for: 'set-' + k }, label, inputs[k], hint ? el('span', { class: 'hint', id: 'hint-' + k }, hint) : null, errors[k]);
    }), el('div', {}, el('button', { type: 'submit' }, t('settings_save'))));
    root.append(el('h1', {}, t('nav_settings')), el('section', { class: 'panel' }, el('h2', {}, t('settings_store')), form),
      // The seam for e-mail templates (issue 11): their editor and live preview go here.
      el('section', { class: 'panel' }, el('h2', {}, t('settings_templates')), el('p', { class: 'empty' }, t('settings_templates_later'))));
  }

  const PAGES = { overview, demand: (root, s) => demandPage(root, s && s.offset), requests: requestsPage, deliveries: deliveriesPage, settings: settingsPage };

  function signedOut() {
    document.getElementById('nav').hidden = true;
    document.getElementById('sign-out').hidden = true;
    document.getElementById('store').textContent = '';
    const page = document.getElementById('page');
    page.replaceChildren(el('h1', {}, t('signed_out_title')), el('p', {}, t('signed_out_text')),
      el('p', {}, el('code', {}, t('signed_out_command', { base: location.origin }))));
  }

  function handle(e) {
    if (e instanceof SignedOut) return signedOut();
    say(t('load_failed', { message: e.message }), true);
  }

  async function show(name, state) {
    if (!PAGES[name]) name = 'overview';
    for (const a of document.querySelectorAll('#nav a')) {
      if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    const page = document.getElementById('page');
    charts.splice(0).forEach(({ plot }) => plot.destroy());
    const fresh = el('div', { 'aria-busy': 'true' });
    say(t('loading'));
    try {
      await PAGES[name](fresh, state);
      page.replaceChildren(fresh);
      // uPlot measured an unattached box: size the charts now that they are on the page.
      for (const { plot, box } of charts) plot.setSize({ width: Math.max(280, box.clientWidth), height: 240 });
      fresh.removeAttribute('aria-busy');
      say('');
      document.title = t('nav_' + name) + ' · ' + t('title');
    } catch (e) { handle(e); }
  }

  async function refreshStore() {
    const s = await api('GET', '/api/v1/session');
    csrf = s.session.csrfToken;
    document.getElementById('store').textContent = s.session.store || '';
  }

  async function start() {
    document.title = t('title');
    for (const a of document.querySelectorAll('#nav a')) a.textContent = t('nav_' + a.dataset.page);
    document.getElementById('nav').setAttribute('aria-label', t('nav_label'));
    const out = document.getElementById('sign-out');
    out.textContent = t('sign_out');
    try { await refreshStore(); } catch (e) { return handle(e); }
    document.getElementById('nav').hidden = false;
    out.hidden = false;
    out.addEventListener('click', async () => {
      try { await api('DELETE', '/api/v1/session'); } catch (e) { /* ended already */ }
      csrf = null;
      signedOut();
    });
    window.addEventListener('hashchange', () => { show(location.hash.slice(1)); document.getElementById('main').focus(); });
    show(location.hash.slice(1));
  }

  start();
})();
