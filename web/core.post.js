// Epilogue of stockbell-core.js (Emscripten --extern-post-js): see web/core.pre.js. The page's
// widget (web/stockbell.js) calls the global StockbellCore factory; Node (the tests) requires it.
if (StockbellAmd) define.amd = StockbellAmd;
if (typeof module !== 'undefined') module.exports = StockbellCore;
