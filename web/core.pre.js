// Prelude of stockbell-core.js (Emscripten --extern-pre-js). An AMD loader on the page (RequireJS,
// as Magento stores have) is hidden from the loader's UMD footer, whose anonymous define() would
// break the store's next require(); web/core.post.js puts it back.
var StockbellAmd = typeof define == 'function' && define.amd;
if (StockbellAmd) define.amd = false;
