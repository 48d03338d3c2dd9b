// Linked into the single-threaded engine's glue (CMakeLists.txt, --pre-js): the instantiation of
// an engine split in two wasm modules (scripts/split-engine.mjs, then scripts/profile-engine.mjs).
// It runs inside the factory, where `Module` is the object the caller passed.
//
// nnplay.wasm, the primary, imports one placeholder function per table slot of the code that
// moved to nnplay-extra.wasm; instantiating the secondary writes the real functions into those
// slots. So whatever instantiates the primary (the caller's instantiateWasm, or the glue's own
// from Module.wasmBinary) gets the placeholders here, and the module gains:
//   Module.nnplayExtraPart       'none' (an engine in one piece), 'missing' or 'loaded'
//   Module.nnplayLoadExtra(b)    instantiates the secondary from its bytes or compiled module;
//                                a Promise (synchronous, and returning nothing, with sync: true).
// When to load it is the library's decision (web/lib/memory.ts), with one fallback: a placeholder
// that runs while the secondary is missing calls Module.nnplayLoadExtraNow() (which the library
// sets: it loads the secondary synchronously, web/lib/wasm-loader.ts) and then the real function
// in its slot, so a call the split did not foresee is slower once, never wrong. Without that
// hook, or if it fails, the placeholder throws: a missing part is an error, never wrong results.
(function () {
  var given = Module['instantiateWasm'];
  var primary = null;
  Module['nnplayExtraPart'] = 'none';
  function placeholder(name) {
    return function () {
      var load = Module['nnplayLoadExtraNow'];
      if (Module['nnplayExtraPart'] === 'missing' && load) load();
      // The slot holds the real function once the secondary is in (a cached reference to this
      // placeholder, as Embind's table mirror keeps, lands here and goes on to it).
      if (Module['nnplayExtraPart'] === 'loaded') return wasmTable.get(Number(name)).apply(null, arguments);
      throw new Error('nnplay: this call needs the engine\'s second part (nnplay-extra.wasm: the code typical dense ' +
        'programs do not run, among it the conv, pooling, recurrent, embedding, batch-normalization and autoencoder ' +
        'layers and the data-set generators and readers), which has ' +
        'not loaded: await nn.ready() ' +
        '(or any asynchronous nnplay call) first (table slot ' + name + ')');
    };
  }
  Module['instantiateWasm'] = function (imports, receive) {
    imports['placeholder'] = new Proxy({}, { get: function (_, name) { return placeholder(String(name)); } });
    function received(instance, module) {
      primary = instance;
      var split = WebAssembly.Module.imports(module).some(function (i) { return i.module === 'placeholder'; });
      Module['nnplayExtraPart'] = split ? 'missing' : 'none';
      receive(instance, module);
    }
    if (given) return given(imports, received);
    // A failure aborts the module (its promise rejects), as the glue's own instantiation does.
    WebAssembly.instantiate(Module['wasmBinary'], imports).then(function (r) { received(r.instance, r.module); }, function (e) { abort(e); });
    return {};
  };
  Module['nnplayLoadExtra'] = function (bytes, sync) {
    if (!primary) throw new Error('nnplay: the engine\'s second part can only load after its first');
    var imports = { 'primary': primary.exports };
    function done() { Module['nnplayExtraPart'] = 'loaded'; }
    if (Module['nnplayExtraPart'] !== 'missing') return sync ? undefined : Promise.resolve();
    if (sync) {
      new WebAssembly.Instance(bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes), imports);
      done();
      return undefined;
    }
    return WebAssembly.instantiate(bytes, imports).then(done);
  };
})();
