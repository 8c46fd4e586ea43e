// placeholder
if (typeof module !== 'undefined' && module.exports) module.exports = StockbellCore;
