// Sources import `./x.cjs` for a CommonJS module written as `x.cts` (Node and the
// bundler see the compiled name). When no `.cjs` file exists, try the `.cts` source;
// everything else (node_modules' own `.cjs` files included) resolves as usual.
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    if (!request.endsWith(".cjs")) throw error;
    return options.defaultResolver(request.replace(/\.cjs$/, ".cts"), options);
  }
};
