// <stockbell-notify>: the back-in-stock widget (README "The widget"); how to embed, theme and
// translate it is in web/README.md.
//
// This file is the loader a page includes with one script tag: it defines the element and renders
// everything a shopper sees (button, inline form, dialog, states), so the page pays only for this
// (~5 KB on the wire). The heavy part, the core compiled to WebAssembly (stockbell-core.js + .wasm,
// which validates a request with the server's own rules and words), loads when the shopper opens
// the form or when the browser is idle, whichever comes first. Words come from the core's message
// table (core/i18n/messages.json): the words of the button and the form in every language are
// built in, all the others are one small file per language, i18n/<lang>.json, fetched when the
// button shows and only for the page's language. The console's lines for developers
// (core/i18n/console.json) are fetched only when something is wrong. web/build.mjs fills in
// __STOCKBELL_BUILD__ (the content hashes that version the URLs, and the built-in words) and
// minifies this file.
(() => {
  'use strict';
  if (typeof customElements == 'undefined' || customElements.get('stockbell-notify')) return;

  // {core, wasm, console, languages: {en: hash, ...}, form: {en: {button, label, ...}, de: ...}}
  const BUILD = __STOCKBELL_BUILD__;
  // Configured by the script tag's data-* (data-key, data-api, data-strings), or, when the file
  // comes from the npm package inside a bundle, by window.StockbellConfig {key, api, assets}.
  const script = [document.currentScript, document.querySelector('script[src*="stockbell.js"]')]
    .filter((s) => s && /\/stockbell(\.min)?\.js(\?|$)/.test(s.src))[0];
  const config = Object.assign({}, script && script.dataset, window.StockbellConfig);
  const api = (config.api || new URL(script ? script.src : location.href).origin).replace(/\/+$/, '');
  // The core and the language files are fetched from next to the loader (or `assets`).
  const src = config.assets || (script ? script.src : api + '/widget/');
  const key = config.key || '';
  const shownKey = key.slice(0, 11) + '…';
  const fileUrl = (file, version) => new URL(file + '?v=' + version, src).href;
  const parseJson = (text) => { try { return text ? JSON.parse(text) : null; } catch (e) { return null; } };
  const scriptStrings = parseJson(config.strings);
  const fill = (text, values) => String(text).replace(/\{(\w+)\}/g, (all, name) =>
    values && values[name] != null ? values[name] : all);

  // ---- developer diagnostics: one console line with the fix, once per page and problem --------
  // The lines are fetched the first time one is needed (a page without problems never pays for
  // them); `line` names one of core/i18n/console.json, `values` fill it.
  const told = {};
  let lines;
  function diagnose(element, code, values, status, warn, line) {
    lines = lines || fetch(fileUrl('console.json', BUILD.console)).then((res) => res.json())
      .catch(() => ({}));
    lines.then((text) => {
      values.fix = fill(text.fix, {origin: location.origin});
      values.origin = location.origin;
      values.key = shownKey;
      const message = fill(text[line || code] || code, values);
      element._emit('error', {code, message, status: status || 0});
      if (told[code + message]) return;
      told[code + message] = 1;
      (warn ? console.warn : console.error)('stockbell: ' + message);
    });
  }

  // ---- the page's language: one file each, fetched once; English when it fails -----------------
  const languages = {}, loaded = {};
  function language(lang) {
    if (!languages[lang]) {
      languages[lang] = fetch(fileUrl('i18n/' + lang + '.json', BUILD.languages[lang]))
        .then((res) => res.ok ? res.text() : Promise.reject(res.status))
        .then((text) => (loaded[lang] = Object.assign(JSON.parse(text), {text})))
        .catch(() => {
          delete languages[lang];  // asked again next time
          return lang === 'en' ? null : language('en');
        });
    }
    return languages[lang];
  }

  // ---- the core: loaded on the first open or idle moment; null when it can't load ------------
  let core;
  function loadCore() {
    if (!core) {
      core = new Promise((resolve) => {
        const tag = document.createElement('script');
        tag.src = fileUrl('stockbell-core.js', BUILD.core);
        tag.async = true;
        tag.onerror = () => resolve(null);
        tag.onload = () => {
          try {  // throws at once where WebAssembly is off (e.g. iOS Lockdown Mode)
            resolve(window.StockbellCore({locateFile: () => fileUrl('stockbell-core.wasm', BUILD.wasm)})
              .catch(() => null));
          } catch (e) {
            resolve(null);
          }
        };
        document.head.appendChild(tag);
      });
    }
    return core;
  }
  const whenIdle = (fn) => (window.requestIdleCallback || setTimeout)(fn, {timeout: 4000});
  const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // The core's verdict on a body in the page's language; null when the core is not there in time
  // (then the server validates).
  function validate(body, lang) {
    const late = new Promise((resolve) => setTimeout(resolve, 4000, null));
    return Promise.race([loadCore(), late]).then((m) => {
      try {
        return m && parseJson(m.validateBackInStock(JSON.stringify(body), lang.text));
      } catch (e) {
        return null;
      }
    });
  }

  function request(path, init) {
    init.headers = Object.assign({Authorization: 'Bearer ' + key}, init.headers);
    init.credentials = 'omit';
    return fetch(api + '/api/v1/' + path, init).then((res) => res.json().then((json) => {
      json.http = res.status;
      return json;
    }));
  }

  // A fetch that threw: the shopper's connection, or a browser refusing the answer. The API's
  // server serves the widget files to every origin, so if it answers for one of them, it refused
  // this page's origin (CORS), which the browser hides from scripts.
  function refusedOrigin() {
    return fetch(api + '/widget/stockbell.js', {method: 'HEAD', cache: 'no-store', credentials: 'omit'})
      .then(() => true, () => false);
  }

  // ---- looks --------------------------------------------------------------------------------
  // Each colour is --stockbell-<name> when the page sets it, else the theme's (light, or dark when
  // the shopper prefers it and the element is not theme="light").
  const DARK = '--bg:#1f2937;--fg:#f9fafb;--mut:#d1d5db;--line:#9ca3af;--err:#fca5a5;--ok:#86efac;' +
    '--acc:#93c5fd;--acct:#111827}';
  const CSS =
    ':host{display:block;font-family:var(--stockbell-font,inherit);color:var(--stockbell-text,inherit);' +
    '--bg:#fff;--fg:#111827;--mut:#4b5563;--line:#6b7280;--err:#b91c1c;' +
    '--ok:#166534;--acc:#1d4ed8;--acct:#fff}:host([theme=dark]){' + DARK +
    '@media (prefers-color-scheme:dark){:host(:not([theme=light])){' + DARK + '}' +
    '*{--a:var(--stockbell-accent,var(--acc));--b:var(--stockbell-border,var(--line));' +
    '--r:var(--stockbell-radius,6px);box-sizing:border-box}' +
    '[hidden]{display:none!important}p,h2{margin:0}#w{margin:var(--stockbell-margin,1rem 0)}' +
    'button,input{font:inherit;font-size:var(--stockbell-font-size,1em)}' +
    'button{min-height:2.75em;padding:.5em 1.1em;border-radius:var(--r);' +
    'cursor:pointer;border:2px solid var(--a);background:var(--a);font-weight:600;' +
    'color:var(--stockbell-accent-text,var(--acct));display:inline-flex;align-items:center;gap:.5em}' +
    'button:hover{filter:brightness(1.1)}#cancel,#x{background:0 0;color:inherit;border-color:var(--b)}' +
    ':focus-visible{outline:3px solid var(--stockbell-focus,var(--a));outline-offset:2px}' +
    '#panel{display:grid;gap:var(--stockbell-gap,.75rem);max-width:var(--stockbell-max-width,28rem)}' +
    'form{display:grid;gap:.5rem}label{font-weight:600}' +
    '#email{width:100%;min-height:2.75em;padding:.5em .75em;border-radius:var(--r);' +
    'border:1px solid var(--b);background:var(--stockbell-field-bg,var(--bg));' +
    'color:var(--stockbell-field-text,var(--fg))}' +
    '[aria-invalid=true]{border:2px solid var(--stockbell-error,var(--err))!important}' +
    '#err,.error #status{color:var(--stockbell-error,var(--err))}#err:empty,#msg:empty{display:none}' +
    '#cl{display:flex;gap:.5em;font-weight:400;font-size:.9em}' +
    '#consent{margin:.2em 0 0;width:1.1em;height:1.1em;accent-color:var(--a)}' +
    '.row{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.25rem}' +
    '#status{display:flex;gap:.6em;overflow-wrap:anywhere}#status:focus{outline:0}' +
    '.done #status{color:var(--stockbell-success,var(--ok));font-weight:600}' +
    '#mark{flex:none;width:1.5em;height:1.5em}#w:not(.done) #mark{display:none}' +
    '.spin{width:1em;height:1em;border:2px solid;border-right-color:transparent;border-radius:50%;' +
    'animation:r .8s linear infinite;display:none}.busy .spin{display:block}' +
    '.busy #panel button,.busy input{opacity:.7;cursor:progress}@keyframes r{to{transform:rotate(1turn)}}' +
    '@media (prefers-reduced-motion:reduce){.spin{animation-duration:3s}}' +
    'dialog{border:0;padding:0;border-radius:var(--stockbell-dialog-radius,12px);' +
    'width:min(32rem,100vw - 2rem);color:var(--stockbell-dialog-text,var(--fg));' +
    'background:var(--stockbell-dialog-bg,var(--bg));box-shadow:0 10px 40px #0006}' +
    'dialog::backdrop{background:var(--stockbell-backdrop,#111827a0)}' +
    '#box{padding:1.25rem}#box,#prod p{display:grid;gap:var(--stockbell-gap,.75rem)}#prod p{gap:0}' +
    '.head,#prod{display:flex;align-items:center;gap:.75rem}h2{font-size:1.2em;flex:1}' +
    '#x{min-height:2.5em;padding:0 .8em}#img{width:4rem;height:4rem;object-fit:cover;border-radius:8px}' +
    '#vt,#so{color:var(--stockbell-muted,var(--mut))}' +
    '.hp{position:absolute;left:-1e4px;width:1px;height:1px;overflow:hidden}';

  const MARK = '<svg id="mark" part="mark" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" ' +
    'cy="12" r="11" fill="currentColor"/><path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke-width="3" ' +
    'stroke="var(--stockbell-mark-check,var(--bg))"/></svg>';
  const HTML =
    '<div id="w" part="widget" hidden>' +
    '<button id="open" part="button" type="button"></button>' +
    '<dialog id="dlg" part="dialog" aria-labelledby="title"><div id="box">' +
    '<div class="head"><h2 id="title" part="title"></h2>' +
    '<button id="x" part="close" type="button"></button></div>' +
    '<div id="prod" part="product"><img id="img" part="image" alt="" hidden>' +
    '<p><b id="pt"></b><span id="vt"></span><span id="so"></span></p></div>' +
    '</div></dialog>' +
    '<div id="panel" part="panel">' +
    '<form id="form" part="form" novalidate hidden>' +
    '<p id="intro" part="intro"></p>' +
    '<label id="label" part="label" for="email"></label>' +
    '<input id="email" part="input" type="email" name="email" autocomplete="email" required ' +
    'spellcheck="false" autocapitalize="off">' +
    '<p id="err" part="error"></p>' +
    '<label id="cl" part="consent" hidden><input id="consent" type="checkbox" required>' +
    '<span id="ct"></span></label>' +
    '<div class="hp" aria-hidden="true"><label><span id="hpl"></span>' +
    '<input id="hp" name="website" tabindex="-1" autocomplete="off"></label></div>' +
    '<div class="row"><button id="send" part="submit" type="submit">' +
    '<span class="spin" part="spinner"></span><span id="sendt"></span></button>' +
    '<button id="cancel" part="cancel" type="button"></button></div>' +
    '</form>' +
    '<div id="status" part="status" role="status" tabindex="-1">' + MARK + '<span id="msg"></span></div>' +
    '</div></div>';

  class StockbellNotify extends HTMLElement {
    static get observedAttributes() {
      return ['product-id', 'variant-id', 'available', 'product-title', 'variant-title', 'image',
              'mode', 'lang', 'consent'];
    }

    constructor() {
      super();
      const root = this.attachShadow({mode: 'open'});
      root.innerHTML = '<style>' + CSS + '</style>' + HTML;  // constants only: never page data
      const $ = (this.$ = (id) => root.getElementById(id));
      this._gen = 0;
      this._lang = {widget: {}};
      $('open').onclick = () => this._open();
      $('cancel').onclick = $('x').onclick = () => this._close();
      $('form').onsubmit = (e) => this._submit(e);
      $('form').onkeydown = (e) => { if (e.key === 'Escape' && !this._modal()) this._close(); };
      const dialog = $('dlg');
      dialog.oncancel = (e) => { e.preventDefault(); this._close(); };  // Escape
      dialog.onclick = (e) => { if (e.target === dialog) this._close(); };  // the backdrop
      dialog.onkeydown = (e) => {  // Tab and Shift+Tab go round inside the dialog
        if (e.key !== 'Tab') return;
        const list = ['x', 'email', 'consent', 'send', 'cancel'].map($).filter((el) => el.offsetParent);
        const next = list.indexOf(root.activeElement) + (e.shiftKey ? -1 : 1);
        if (next < 0 || next >= list.length) {
          e.preventDefault();
          list[(next + list.length) % list.length].focus();
        }
      };
      $('email').oninput = () => this._fieldError('');
    }

    // Per-element overrides of the words, same shape as data-strings.
    get strings() { return this._strings; }
    set strings(value) {
      this._strings = value;
      this._texts();
    }

    connectedCallback() { this._schedule(); }

    attributeChangedCallback(name, before, now) {
      if (before === now) return;  // frameworks re-set attributes: keep the shopper's form
      if (/title|image|consent/.test(name)) this._texts();
      else if (name === 'mode') this._place();
      else this._schedule();
    }

    // The words: the language's table < data-strings < window.StockbellStrings < .strings; each
    // layer may also hold per-language words under the language's code ({"de": {...}}).
    _t() {
      const out = {errors: {}}, lang = this._code;
      const add = (layer) => {
        if (!layer || typeof layer != 'object') return;
        for (const k in layer) if (typeof layer[k] == 'string') out[k] = layer[k];
        Object.assign(out.errors, layer.errors);
      };
      add(BUILD.form[lang]);  // built in: the button and the form never wait for a file
      add(this._lang.widget);
      [scriptStrings, window.StockbellStrings, this._strings].forEach((layer) => {
        add(layer);
        add(layer && layer[lang]);
      });
      return out;
    }

    _texts() {
      const t = this._t(), $ = this.$, title = this.getAttribute('product-title') || '';
      $('open').textContent = t.button;
      if (!t.label) return;  // no words at all: only the button is shown
      const variant = this.getAttribute('variant-title') || '', image = this.getAttribute('image');
      const item = [title, variant].filter(Boolean).join(' – ') || t.item;
      $('intro').textContent = t.intro ? fill(t.intro, {item}) : '';
      $('label').textContent = t.label;
      $('email').placeholder = t.emailPlaceholder || '';
      $('sendt').textContent = this._busy ? t.sending : this._failed ? t.retry : t.submit;
      $('cancel').textContent = t.cancel;
      $('x').textContent = '×';
      $('x').setAttribute('aria-label', t.close);
      $('title').textContent = t.dialogTitle;
      $('pt').textContent = title;
      $('vt').textContent = variant;
      $('so').textContent = t.soldOut;
      $('img').hidden = !image;
      if (image) $('img').src = image;
      $('cl').hidden = !this.hasAttribute('consent');
      $('ct').textContent = t.consent || '';
      $('hpl').textContent = t.honeypot || '';
    }

    _emit(type, detail) {
      this.dispatchEvent(new CustomEvent('stockbell:' + type, {bubbles: true, composed: true, detail}));
    }

    _target() {
      const t = {productId: this.getAttribute('product-id') || ''};
      const variant = this.getAttribute('variant-id');
      if (variant) t.variantId = variant;
      return t;
    }

    _modal() { return this.getAttribute('mode') === 'dialog'; }

    // The panel (form and status) lives in the dialog or right under the button.
    _place() {
      const $ = this.$, modal = this._modal();
      if ($('dlg').open && !modal) $('dlg').close();
      (modal ? $('box') : $('w')).append($('panel'));
      if (modal) $('open').setAttribute('aria-haspopup', 'dialog');
      else $('open').removeAttribute('aria-haspopup');
    }

    // Attribute changes arrive one by one (product-id, then variant-id): evaluate once after them.
    _schedule() {
      const gen = ++this._gen;
      clearTimeout(this._retry);
      Promise.resolve().then(() => {
        if (gen === this._gen && this.isConnected) this._evaluate(gen, 0);
      });
    }

    async _evaluate(gen, attempt) {
      const target = this._target(), known = this.getAttribute('available');
      // The page's tag as written (de-AT): also the language of the shopper's e-mail.
      this._tag = (this.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
      const tag = (this._tag || 'en').toLowerCase().split(/[-_]/)[0];
      this._code = BUILD.languages[tag] ? tag : 'en';
      if (!attempt) {
        this._place();
        this._show(false);
      }
      if (!key) return diagnose(this, 'missing_key', {});
      if (/^sk_/.test(key)) return diagnose(this, 'secret_key', {});
      if (!target.productId) return diagnose(this, 'missing_product_id', {});
      let answer;
      if (known === 'true' || known === 'false') {
        answer = {inStock: known === 'true', known: true};
      } else {
        try {
          answer = await request('storefront/availability?' + new URLSearchParams(target), {});
        } catch (e) {
          answer = {http: 0, code: navigator.onLine === false ? 'offline' : 'network'};
          if (answer.code === 'network' && await refusedOrigin()) answer = {http: 403, cors: 1};
        }
      }
      if (gen !== this._gen) return;  // the shopper picked another variant meanwhile
      this._lang = loaded[this._code] || {widget: {}};
      if (answer.http === 401) {
        return diagnose(this, 'invalid_key', {}, 401);
      }
      if (answer.http === 403) {
        return diagnose(this, 'origin_not_allowed', {}, 403, 0,
                        answer.cors ? 'origin_not_allowed_cors' : 0);
      }
      if (!answer.success && !('inStock' in answer)) {
        // Down, throttled or offline: try again later, sooner when the connection comes back.
        const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
        diagnose(this, 'availability_failed', {api, seconds: Math.round(delay / 1000),
          what: answer.http ? 'HTTP ' + answer.http + ' ' + (answer.code || '') : answer.code},
          answer.http, 1);
        const again = () => {
          removeEventListener('online', again);
          clearTimeout(this._retry);
          if (gen === this._gen && this.isConnected) this._evaluate(gen, attempt + 1);
        };
        this._retry = setTimeout(again, delay);
        addEventListener('online', again);
        return;
      }
      this._texts();
      this._show(answer.known && !answer.inStock);
      this._emit('ready', Object.assign({inStock: !!answer.inStock, known: !!answer.known}, target));
    }

    // Sold out: the button, or the form when it was open for the previous variant.
    _show(soldOut) {
      const $ = this.$;
      $('w').hidden = !soldOut;
      // The words at once (small, and the form needs them), the core when the browser is idle.
      if (soldOut) language(this._code) && whenIdle(() => this._load());
      this._say('', '');
      this._fieldError('');
      if (!soldOut && $('dlg').open) $('dlg').close();
      this._view($('form').hidden ? 'button' : 'form');
    }

    _view(name) {
      this.$('open').hidden = name !== 'button' && !this._modal();
      this.$('form').hidden = name !== 'form';
    }

    _say(state, text) {
      this.$('w').className = state;
      this.$('msg').textContent = text;
    }

    _fieldError(message) {
      const input = this.$('email');
      this.$('err').textContent = message;
      if (message) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'err');
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }

    // The core, and the words of the page's language when it is not English.
    _load() {
      loadCore();
      return language(this._code).then((lang) => {
        if (lang && lang !== this._lang) {
          this._lang = lang;
          this._texts();
        }
        return lang;
      });
    }

    // The language's file: the form is built in, but the consent's words and everything said
    // after sending are in it. Waits at most 3 s; false (and a console line) if it never came.
    async _words() {
      if (await Promise.race([this._load(), later(3000)])) return true;
      diagnose(this, 'words_unavailable', {url: fileUrl('i18n/', '')});
    }

    async _open() {
      const $ = this.$;
      const words = this._words();
      // A click before the file came (the moment the button showed) opens the form at once,
      // unless the consent's words are needed.
      if (this.hasAttribute('consent') && !(await words)) return;
      this._failed = false;
      this._say('', '');
      this._texts();
      this._view('form');
      if (this._modal() && !$('dlg').open) $('dlg').showModal();
      $('email').focus();
    }

    _close() {
      if (this._busy) return;
      const $ = this.$;
      if ($('dlg').open) $('dlg').close();
      this._view('button');
      this._say('', '');
      this._fieldError('');
      $('open').focus();
    }

    _done(text) {
      this._view('done');
      this._say('done', text);
      this.$('status').focus();
    }

    // A field problem in the page's language: the core's words already are; the server's are
    // English, so they are worded again from the language's table by code.
    _fieldText(d, t) {
      const template = t.errors[d.code] || (!d.worded && (this._lang.field || {})[d.code]);
      return template ? fill(template, d) : d.message;
    }

    // An error envelope (README "Errors"), from the core or the server. The e-mail's problem goes
    // under the input; anything else is the store's problem or the server's: the shopper gets
    // plain words, the developer the server's in the console.
    _fail(body, status, worded) {
      const t = this._t(), details = body.details || [];
      const field = details.filter((d) => d.field === 'customer.email')[0];
      if (field) {
        const text = this._fieldText(Object.assign({worded}, field), t);
        this._fieldError(text);
        this._say('invalid', '');
        this.$('email').focus();
        return this._emit('error', {code: field.code, message: text, status: status || 0});
      }
      const code = body.code;
      // No answer: the connection; 429: later; 5xx and 408: the server's trouble; any other 4xx:
      // the store's setup (the developer reads why on the console).
      const say = !status ? code : status === 429 ? 'rateLimited' :
        status >= 500 || status === 408 ? 'serverError' : 'unavailable';
      const text = t.errors[code] ? fill(t.errors[code], body) : t[say];
      if (say === 'unavailable') {
        diagnose(this, (details[0] || body).code, {status, code, error: body.error}, status, 0,
                 'refused');
      } else {
        this._emit('error', {code, message: text, status: status || 0});
      }
      this._failed = true;
      this._texts();
      this._say('error', text);
    }

    async _submit(e) {
      e.preventDefault();
      if (this._busy) return;
      const gen = this._gen, $ = this.$, email = $('email').value.trim();
      this._fieldError('');
      this._say('', '');
      if (!(await this._words())) return;
      if ($('hp').value) return this._done(this._t().done);  // a bot: pretend, send nothing
      const consent = !$('cl').hidden;
      if (consent && !$('consent').reportValidity()) return;
      const body = this._target();
      const titles = {productTitle: 'product-title', variantTitle: 'variant-title'};
      for (const k in titles) if (this.getAttribute(titles[k])) body[k] = this.getAttribute(titles[k]);
      body.customer = {email};
      body.locale = this._tag;

      this._hold(true);
      try {
        let verdict = await validate(body, this._lang);
        // A page's odd `lang` must not cost the shopper the request: when the core refuses it, or
        // is not there to say, the request goes without (the store's default language).
        if (!verdict || !verdict.ok && (verdict.error.details || []).some((d) => d.field == 'locale')) {
          delete body.locale;
          verdict = verdict && await validate(body, this._lang);
        }
        if (gen !== this._gen) return;
        if (verdict && !verdict.ok) return this._fail(verdict.error, verdict.status, !!this._lang.text);
        this._emit('submit', this._target());
        this.$('msg').textContent = this._t().busy;
        // The words the shopper agreed to, recorded with the request.
        if (consent) body.consentText = $('ct').textContent;
        let res;
        try {
          res = await request('back-in-stock', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(body)
          });
        } catch (err) {
          res = {code: navigator.onLine === false ? 'offline' : 'network', http: 0};
        }
        if (res.success) {
          this._emit('success', {requestId: res.requestId, subscriberId: res.subscriberId,
                                 status: res.status, position: res.position});
        }
        if (gen !== this._gen) return;
        const t = this._t();
        if (!res.success) return this._fail(res, res.http);
        // The same words whether the shopper was already waiting or not: publishable keys don't
        // tell (README "Keys").
        let text = fill(res.status === 'pending' ? t.pending : t.doneTo, {email});
        if (res.position) text += ' ' + fill(t.position, res);
        this._failed = false;
        this._done(text);
      } finally {
        this._hold(false);
      }
    }

    // Sending: a spinner, the controls disabled (the focus stays where it is).
    _hold(busy) {
      const $ = this.$;
      this._busy = busy;
      $('w').classList.toggle('busy', busy);
      $('form').setAttribute('aria-busy', busy);
      for (const id of ['send', 'cancel', 'x']) $(id).setAttribute('aria-disabled', busy);
      $('email').readOnly = $('consent').disabled = busy;
      this._texts();
    }
  }

  customElements.define('stockbell-notify', StockbellNotify);
})();
