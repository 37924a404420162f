// plotly.js with only the trace types pkoanalysis draws. Keep TRACES in build.js in step with
// the go.<Trace>(...) calls in missions/charts.py and risks/charts.py (a test checks it).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/histogram'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/waterfall'),
]);

module.exports = Plotly;
