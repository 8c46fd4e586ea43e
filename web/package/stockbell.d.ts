// Types of @stockbell/widget: the <stockbell-notify> element, its attributes, its words and the
// detail of every stockbell:* event (web/README.md describes each). Importing the package defines
// the element as a side effect; it exports no values.

/** The attributes of `<stockbell-notify>`. */
export interface StockbellNotifyAttributes {
  /** The product's id as the store pushes it to `/api/v1/products` (required). */
  'product-id': string;
  /** The variant's id; default: the product itself. */
  'variant-id'?: string;
  /** Shown in the form and stored as snapshots with the request. */
  'product-title'?: string;
  'variant-title'?: string;
  /** An image URL shown in the dialog. */
  image?: string;
  /** `"false"` shows the button at once; `"true"` shows nothing; absent: the widget asks the server. */
  available?: 'true' | 'false';
  /** `inline` (default): the form opens under the button; `dialog`: in a modal dialog. */
  mode?: 'inline' | 'dialog';
  /** The language (`de`, `fr-CH`, ...); default: the nearest `lang` up to `<html lang>`, else English. */
  lang?: string;
  /** Present: a consent checkbox the shopper must tick; its text is stored with the request. */
  consent?: '' | boolean;
  /** Pins the colours; default: the shopper's `prefers-color-scheme`. */
  theme?: 'light' | 'dark';
}

/** The widget's words; any subset. `{item}`, `{email}`, `{position}` are filled in. */
export interface StockbellWords {
  button?: string; intro?: string; item?: string; label?: string; submit?: string;
  cancel?: string; sending?: string; done?: string; already?: string; network?: string;
  honeypot?: string; pending?: string; doneTo?: string; position?: string; consent?: string;
  offline?: string; retry?: string; rateLimited?: string; serverError?: string;
  unavailable?: string; close?: string; dialogTitle?: string; soldOut?: string;
  emailPlaceholder?: string; busy?: string;
  /** Replaces a message by its error code, e.g. `{invalid_email: "..."}`; `{limit}` is filled in. */
  errors?: Record<string, string>;
}

/** Overrides: words for every language, and words for one language under its code. */
export interface StockbellStrings extends StockbellWords {
  en?: StockbellWords; de?: StockbellWords; fr?: StockbellWords; es?: StockbellWords;
}

/** Configuration when the loader is bundled instead of included with a script tag. */
export interface StockbellConfig {
  /** A publishable key (`pk_...`). Never a secret key. */
  key: string;
  /** The Stockbell server's origin. */
  api?: string;
  /** Where `stockbell-core.js`, `.wasm` and `i18n/` are served; default `<api>/widget/`. */
  assets?: string;
  /** JSON text of StockbellStrings, as `data-strings` on the script tag. */
  strings?: string;
}

export interface StockbellTarget {
  productId: string;
  /** Only when the element has a `variant-id`. */
  variantId?: string;
}

export interface StockbellReadyDetail extends StockbellTarget {
  inStock: boolean;
  /** false: the catalog does not know the target (nothing is shown). */
  known: boolean;
}

export type StockbellSubmitDetail = StockbellTarget;

export interface StockbellSuccessDetail {
  requestId: string;
  subscriberId: string;
  /** `pending`: the shopper must confirm the address (double opt-in). */
  status: 'waiting' | 'pending';
  /** The shopper's place in line, when the server tells it. */
  position?: number;
}

/** Developer problems (the widget stays hidden or says "not available" to shoppers). */
export type StockbellDiagnosticCode =
  | 'missing_key' | 'secret_key' | 'missing_product_id' | 'invalid_key' | 'origin_not_allowed'
  | 'availability_failed' | 'words_unavailable';
/** Shopper-side problems of a submission. */
export type StockbellSubmitErrorCode =
  | 'network' | 'offline' | 'rate_limited' | 'internal' | 'unavailable' | 'request_timeout'
  | 'invalid_email' | 'empty' | 'required' | 'too_long' | 'control_character'
  | 'invisible_character' | 'validation_failed' | 'unauthorized' | 'forbidden' | 'not_found';

export interface StockbellErrorDetail {
  /** A code of StockbellDiagnosticCode or StockbellSubmitErrorCode, or another server code. */
  code: StockbellDiagnosticCode | StockbellSubmitErrorCode | (string & {});
  /** For a developer problem the console line; otherwise what the shopper was shown. */
  message: string;
  /** The HTTP status, 0 when none. */
  status: number;
}

export interface StockbellEventMap {
  'stockbell:ready': CustomEvent<StockbellReadyDetail>;
  'stockbell:submit': CustomEvent<StockbellSubmitDetail>;
  'stockbell:success': CustomEvent<StockbellSuccessDetail>;
  'stockbell:error': CustomEvent<StockbellErrorDetail>;
}

export interface StockbellNotifyElement extends HTMLElement {
  /** Per-element words; later layers win: built in < data-strings < window.StockbellStrings < this. */
  strings: StockbellStrings | undefined;
  addEventListener<K extends keyof StockbellEventMap>(
    type: K, listener: (this: StockbellNotifyElement, ev: StockbellEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K, listener: (this: StockbellNotifyElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject,
                   options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'stockbell-notify': StockbellNotifyElement;
  }
  // The events bubble and cross shadow roots: listeners on document or window get them too.
  interface DocumentEventMap extends StockbellEventMap {}
  interface WindowEventMap extends StockbellEventMap {}
  interface Window {
    StockbellStrings?: StockbellStrings;
    StockbellConfig?: StockbellConfig;
  }
}
