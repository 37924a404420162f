// Builds ../../static/vendor/plotly-pko.min.js (and copies the Spanish locale) from the pinned
// plotly.js in package-lock.json. Run through build.sh; the output is committed, so the app
// never needs node at run time.
'use strict';

const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const vendor = path.resolve(__dirname, '../../static/vendor');
const plotly = path.dirname(require.resolve('plotly.js/package.json'));
const version = require('plotly.js/package.json').version;
// The banner names the traces index.js registers (scatter comes with the core).
const traces = ['scatter'].concat(Array.from(
    fs.readFileSync(path.join(__dirname, 'index.js'), 'utf8').matchAll(/require\('plotly\.js\/lib\/(\w+)'\)/g),
    (m) => m[1]).filter((name) => name !== 'core'));

// Only map traces (maplibre) need this stylesheet; we draw none, so it resolves to nothing.
const noMaplibreCss = {
    name: 'no-maplibre-css',
    setup(build) {
        build.onResolve({filter: /maplibre-gl\.css$/}, () => ({path: 'maplibre-css', namespace: 'empty'}));
        build.onLoad({filter: /.*/, namespace: 'empty'}, () => ({contents: '', loader: 'js'}));
    },
};

esbuild.build({
    entryPoints: [path.join(__dirname, 'index.js')],
    outfile: path.join(vendor, 'plotly-pko.min.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    // The same settings as plotly.js's own esbuild-config.js.
    define: {global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false'},
    alias: {stream: 'stream-browserify'},
    plugins: [noMaplibreCss],
    banner: {js: `/* plotly.js v${version} (MIT), partial bundle for pkoanalysis: ${traces.join(', ')}. ` +
                 'Built by tools/plotly-bundle/build.sh */'},
    legalComments: 'none',
    logLevel: 'info',
}).then(() => {
    fs.copyFileSync(path.join(plotly, 'dist', 'plotly-locale-es.js'), path.join(vendor, 'plotly-locale-es.js'));
    console.log(`plotly.js ${version}: wrote plotly-pko.min.js and plotly-locale-es.js to ${vendor}`);
}).catch(() => process.exit(1));
