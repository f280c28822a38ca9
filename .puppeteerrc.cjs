/* global module */
/**
 * memlab's heap analysis (checks/heap/) depends on puppeteer, which would download a browser on install;
 * nothing here drives a browser, and the install must work offline with only the npm registry.
 */
module.exports = { skipDownload: true };
