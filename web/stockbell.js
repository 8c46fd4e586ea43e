// <stockbell-notify>: the back-in-stock widget (README "The widget"); how to embed, theme and translate it is
// in web/README.md. The build appends this file to Emscripten's loader (--extern-post-js), so
// StockbellCore(options) resolves to the core compiled to WebAssembly. Rules and error messages
// come from that core (or from the server's answer), never from this file.
if (typeof StockbellWidget == 'object' && StockbellWidget.amd) define.amd = StockbellWidget.amd;
if (typeof module !== 'undefined') module.exports = StockbellCore;  // Node: the tests load the factory

(function () {
  'use strict';
  if (typeof customElements == 'undefined' || customElements.get('stockbell-notify')) return;

  // The widget's own words. Pages override any of them (see web/README.md); `errors` replaces the
  // core's message for one code, e.g. {"errors": {"too_long": "Max. {limit} Zeichen."}}.
  var STRINGS = {
    button: 'Notify me when available',
    intro: "Get an email when {item} is back in stock.",
    item: 'this item',
    label: 'Email address',
    submit: 'Notify me',
    cancel: 'Cancel',
    sending: 'Sending…',
    done: "You're on the list. We'll email you when it's back in stock.",
    already: "You're already on the list for this item. We'll email you when it's back.",
    network: "We couldn't reach the store. Check your connection and try again.",
    honeypot: 'Leave this field empty',
    pending: 'Check your inbox to confirm your request. We sent a link to {email}.',
    errors: {}
  };

  var CSS =
    ':host{display:block;--sb-a:var(--stockbell-accent,#1d4ed8);--sb-g:var(--stockbell-gap,.5rem);' +
    'font-family:var(--stockbell-font,inherit);color:var(--stockbell-text,inherit)}' +
    '[hidden]{display:none!important}p{margin:0}' +
    'button,input{font:inherit;font-size:var(--stockbell-font-size,1em);box-sizing:border-box;' +
    'min-height:2.75em;padding:.5em 1em;border-radius:var(--stockbell-radius,6px)}' +
    'button{cursor:pointer;border:2px solid var(--sb-a);background:var(--sb-a);' +
    'color:var(--stockbell-accent-text,#fff);font-weight:600}' +
    'button:hover{filter:brightness(1.12)}#cancel{background:transparent;color:var(--sb-a)}' +
    ':focus-visible{outline:3px solid var(--stockbell-focus,var(--sb-a));outline-offset:2px}' +
    'form{display:grid;gap:var(--sb-g);max-width:var(--stockbell-max-width,26rem)}label{font-weight:600}' +
    'input{width:100%;border:1px solid var(--stockbell-border,#6b7280);' +
    'background:var(--stockbell-field-bg,#fff);color:var(--stockbell-field-text,#111827)}' +
    'input[aria-invalid=true]{border:2px solid var(--stockbell-error,#b91c1c)}' +
    '#err,.error #status{color:var(--stockbell-error,#b91c1c)}' +
    '.done #status{color:var(--stockbell-success,#166534);font-weight:600}' +
    '#status{margin-top:var(--sb-g)}#status:empty{margin:0}#status:focus{outline:0}' +
    '.row{display:flex;flex-wrap:wrap;gap:var(--sb-g)}[aria-disabled=true]{cursor:progress}' +
    '.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}';

  var HTML =
    '<div id="w" part="widget" hidden>' +
    '<button id="open" part="button" type="button"></button>' +
    '<form id="form" part="form" novalidate hidden>' +
    '<p id="intro" part="intro"></p>' +
    '<label id="label" part="label" for="email"></label>' +
    '<input id="email" part="input" type="email" name="email" autocomplete="email" required ' +
    'spellcheck="false" autocapitalize="off">' +
    '<p id="err" part="error" aria-live="polite"></p>' +
    '<div class="hp" aria-hidden="true"><label><span id="hpl"></span>' +
    '<input id="hp" name="website" tabindex="-1" autocomplete="off"></label></div>' +
    '<div class="row"><button id="send" part="submit" type="submit"></button>' +
    '<button id="cancel" part="cancel" type="button"></button></div>' +
    '</form>' +
    '<p id="status" part="status" role="status" tabindex="-1"></p>' +
    '</div>';

  // The script tag configures every element: data-key (publishable key), data-api (API origin;
  // default the script's own), data-strings (JSON). The .wasm is fetched from next to the script.
  var script = document.currentScript || document.querySelector('script[src*="stockbell.js"]');
  var src = (script && script.src) || location.href;
  var config = (script && script.dataset) || {};
  var api = (config.api || new URL(src).origin).replace(/\/+$/, '');
  var version = typeof StockbellWidget == 'object' ? StockbellWidget.version : '';
  var wasmUrl = new URL('stockbell.wasm?v=' + version, src).href;
  var scriptStrings = parseJson(config.strings);
  var core;  // Promise of the core module, or of null when it can't load (the server validates)
  if (!config.key) console.warn('stockbell: the script tag has no data-key="pk_..."');

  function parseJson(text) {
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function loadCore() {
    if (!core) {
      try {  // throws at once where WebAssembly is off (e.g. iOS Lockdown Mode)
        core = StockbellCore({locateFile: function () { return wasmUrl; }})
          .catch(function () { return null; });
      } catch (e) {
        core = Promise.resolve(null);
      }
    }
    return core;
  }

  // The core's verdict on a body, in the server's words; null when the core is not there in time.
  function validate(body) {
    var late = new Promise(function (resolve) { setTimeout(resolve, 4000, null); });
    return Promise.race([loadCore(), late]).then(function (m) {
      try {
        return m && parseJson(m.validateBackInStock(JSON.stringify(body)));
      } catch (e) {
        return null;
      }
    });
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] != null ? values[name] : all;
    });
  }

  function request(path, init) {
    init.headers = Object.assign({Authorization: 'Bearer ' + (config.key || '')}, init.headers);
    init.credentials = 'omit';
    return fetch(api + '/api/v1/' + path, init).then(function (res) {
      return res.json().then(function (json) {
        if (typeof json.status == 'string') json.requestStatus = json.status;  // waiting, pending
        json.status = res.status;
        return json;
      });
    });
  }

  class StockbellNotify extends HTMLElement {
    static get observedAttributes() {
      return ['product-id', 'variant-id', 'available', 'product-title', 'variant-title'];
    }

    constructor() {
      super();
      var root = this.attachShadow({mode: 'open'});
      root.innerHTML = '<style>' + CSS + '</style>' + HTML;  // constants only: never page data
      var $ = (this.$ = function (id) { return root.getElementById(id); });
      this._gen = 0;
      $('open').onclick = this._open.bind(this);
      $('cancel').onclick = this._cancel.bind(this);
      $('form').onsubmit = this._submit.bind(this);
      $('form').onkeydown = function (e) {
        if (e.key === 'Escape') this._cancel();
      }.bind(this);
    }

    // Per-element overrides of the strings, same shape as data-strings.
    get strings() { return this._strings; }
    set strings(value) {
      this._strings = value;
      this._texts();
    }

    connectedCallback() { this._schedule(); }

    attributeChangedCallback(name, before, now) {
      if (before === now) return;  // frameworks re-set attributes: keep the shopper's form
      if (/title/.test(name)) this._texts();
      else this._schedule();
    }

    _t() {
      var out = {errors: {}};
      [STRINGS, scriptStrings, window.StockbellStrings, this._strings].forEach(function (layer) {
        if (!layer || typeof layer != 'object') return;
        for (var k in layer) if (k !== 'errors') out[k] = layer[k];
        Object.assign(out.errors, layer.errors);
      });
      return out;
    }

    _texts() {
      var t = this._t(), $ = this.$;
      var item = [this.getAttribute('product-title'), this.getAttribute('variant-title')]
        .filter(Boolean).join(' – ');
      $('open').textContent = t.button;
      $('intro').textContent = fill(t.intro, {item: item || t.item});
      $('label').textContent = t.label;
      $('send').textContent = t.submit;
      $('cancel').textContent = t.cancel;
      $('hpl').textContent = t.honeypot;
    }

    _emit(type, detail) {
      this.dispatchEvent(new CustomEvent('stockbell:' + type,
                                         {bubbles: true, composed: true, detail: detail}));
    }

    _target() {
      var t = {productId: this.getAttribute('product-id') || ''};
      var variant = this.getAttribute('variant-id');
      if (variant) t.variantId = variant;
      return t;
    }

    // Attribute changes arrive one by one (product-id, then variant-id): evaluate once after them.
    _schedule() {
      var gen = ++this._gen;
      Promise.resolve().then(function () {
        if (gen === this._gen && this.isConnected) this._evaluate(gen);
      }.bind(this));
    }

    _evaluate(gen) {
      var target = this._target(), known = this.getAttribute('available');
      this._texts();
      this._show(false);
      if (!target.productId) return;
      if (known === 'true' || known === 'false') {
        return this._ready(gen, target, {inStock: known === 'true', known: true});
      }
      request('storefront/availability?' + new URLSearchParams(target), {})
        .then(function (res) {
          if (!res.success) throw res;
          this._ready(gen, target, res);
        }.bind(this))
        .catch(function (e) {
          if (gen !== this._gen) return;
          var message = e.error || this._t().network;
          console.warn('stockbell: availability check failed: ' + message);
          this._emit('error', {code: e.code || 'network', message: message, status: e.status || 0});
        }.bind(this));
    }

    _ready(gen, target, a) {
      if (gen !== this._gen) return;  // the shopper picked another variant meanwhile
      this._show(a.known && !a.inStock);
      this._emit('ready', Object.assign({inStock: !!a.inStock, known: !!a.known}, target));
    }

    // Sold out: the button, or the form when it was open for the previous variant.
    _show(soldOut) {
      var $ = this.$;
      $('w').hidden = !soldOut;
      if (soldOut) loadCore();
      this._say('', '');
      this._fieldError('');
      this._view($('form').hidden ? 'button' : 'form');
    }

    _view(name) {
      this.$('open').hidden = name !== 'button';
      this.$('form').hidden = name !== 'form';
    }

    _say(state, text) {
      this.$('w').className = state;
      this.$('status').textContent = text;
    }

    _fieldError(message) {
      var input = this.$('email');
      this.$('err').textContent = message;
      if (message) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'err');
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }

    _open() {
      this._view('form');
      this.$('email').focus();
    }

    _cancel() {
      if (this._busy) return;
      this._view('button');
      this._say('', '');
      this._fieldError('');
      this.$('open').focus();
    }

    // `pending`: the store asks the shopper to confirm the address first (double opt-in).
    _done(created, pending, email) {
      var t = this._t();
      this._view('done');
      this._say('done', pending ? fill(t.pending, {email: email}) : created ? t.done : t.already);
      this.$('status').focus();
    }

    // An error envelope (README "Errors"), from the core or the server. The e-mail's problem goes under
    // the input; anything else (or an error without details) into the status.
    _fail(body, status) {
      var t = this._t(), details = body.details || [];
      var field = details.filter(function (d) { return d.field === 'customer.email'; })[0];
      var other = details.filter(function (d) { return d !== field; })[0] || (field ? null : body);
      var say = function (d, fallback) {
        return t.errors[d.code] ? fill(t.errors[d.code], d) : fallback;
      };
      var fieldText = field ? say(field, field.message) : '';
      var statusText = other ? say(other, body.error || t.network) : '';
      this._fieldError(fieldText);
      this._say(other ? 'error' : 'invalid', statusText);
      if (field) this.$('email').focus();
      var first = field || other;
      this._emit('error', {code: first.code || 'network', message: fieldText || statusText,
                           status: status || 0});
    }

    async _submit(e) {
      e.preventDefault();
      if (this._busy) return;
      var gen = this._gen, $ = this.$, t = this._t();
      this._fieldError('');
      this._say('', '');
      if ($('hp').value) return this._done(true);  // a bot: pretend, send nothing
      var body = this._target();
      var titles = {productTitle: 'product-title', variantTitle: 'variant-title'};
      for (var k in titles) if (this.getAttribute(titles[k])) body[k] = this.getAttribute(titles[k]);
      body.customer = {email: $('email').value};

      this._busy = true;
      $('send').setAttribute('aria-disabled', 'true');
      try {
        var verdict = await validate(body);
        if (gen !== this._gen) return;
        if (verdict && !verdict.ok) return this._fail(verdict.error, verdict.status);
        this._emit('submit', this._target());
        this._say('sending', t.sending);
        var res;
        try {
          res = await request('back-in-stock', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(body)
          });
        } catch (err) {
          res = {error: t.network, code: 'network', status: 0};
        }
        if (res.success) {
          this._emit('success', {requestId: res.requestId, subscriberId: res.subscriberId,
                                 created: res.created, requestStatus: res.requestStatus});
        }
        if (gen !== this._gen) return;
        if (res.success) this._done(res.created, res.requestStatus === 'pending', body.customer.email);
        else this._fail(res, res.status);
      } finally {
        this._busy = false;
        $('send').removeAttribute('aria-disabled');
      }
    }
  }

  customElements.define('stockbell-notify', StockbellNotify);
})();
