// The compiled addon; a clear error names the packages when it was not built.
try {
  module.exports = require('./build/Release/pocketsphinx.node');
} catch (err) {
  module.exports = { loadError: err };
}
