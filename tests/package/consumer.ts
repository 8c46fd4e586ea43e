// A storefront developer's TypeScript using @stockbell/widget, compiled by tests/package with
// `tsc --noEmit --strict`: the element is typed through HTMLElementTagNameMap, its events' detail
// through the event maps, and the globals through Window. Lines marked @ts-expect-error must fail.
import type {
  StockbellErrorDetail, StockbellNotifyAttributes, StockbellNotifyElement, StockbellStrings,
  StockbellSuccessDetail,
} from '@stockbell/widget';

window.StockbellConfig = {key: 'pk_test', api: 'https://stockbell.example'};
window.StockbellStrings = {button: 'Tell me', de: {button: 'Sag Bescheid'}, errors: {invalid_email: 'Nope'}};

const created: StockbellNotifyElement = document.createElement('stockbell-notify');
const found: StockbellNotifyElement | null = document.querySelector('stockbell-notify');
created.setAttribute('product-id', 'SKU-1');
const strings: StockbellStrings | undefined = created.strings;
created.strings = {submit: 'Go', fr: {submit: 'Allez'}};

created.addEventListener('stockbell:ready', (e) => {
  const inStock: boolean = e.detail.inStock;
  const variant: string | undefined = e.detail.variantId;
  console.log(inStock, variant, e.detail.productId.toUpperCase());
});
created.addEventListener('stockbell:success', (e) => {
  const detail: StockbellSuccessDetail = e.detail;
  if (detail.status === 'pending') console.log('confirm by e-mail', detail.requestId);
  const place: number | undefined = detail.position;
  console.log(place);
});
document.addEventListener('stockbell:error', (e) => {
  const detail: StockbellErrorDetail = e.detail;
  if (detail.code === 'origin_not_allowed') console.error(detail.message, detail.status + 1);
});
window.addEventListener('stockbell:submit', (e) => console.log(e.detail.productId));
created.addEventListener('click', (e) => console.log(e.clientX));

const attributes: StockbellNotifyAttributes = {'product-id': 'SKU-1', mode: 'dialog', lang: 'de'};
// @ts-expect-error: mode is inline or dialog
const wrong: StockbellNotifyAttributes = {'product-id': 'SKU-1', mode: 'popup'};
created.addEventListener('stockbell:ready', (e) => {
  // @ts-expect-error: the ready detail has no requestId
  console.log(e.detail.requestId);
});

export {found, strings, attributes, wrong};
