// Seismo's dashboard: one series live (server-sent events from api/stream), the anomaly feed, the most anomalous
// series and the model releases (polled from the JSON API). Paths are relative, so the page works behind a prefix.
'use strict';

const MAX_POINTS = 300;            // as many as the server keeps per watched series
const FEED_EVERY_MS = 3000;
const TOP_EVERY_MS = 5000;
const MODELS_EVERY_MS = 10000;

const el = id => document.getElementById(id);
const chartBox = el('chart');
const status = text => { el('status').textContent = text; };

// Columns of the chart, in uPlot's layout: x (seconds), then one array per drawn series.
const cols = { t: [], value: [], expected: [], lower: [], upper: [], anomaly: [], score: [], alarm: [] };
let valuePlot = null;
let errorPlot = null;
let redrawPending = false;

function chooseSeries() {
  const fromUrl = new URLSearchParams(location.search).get('series');
  if (fromUrl) {
    return Promise.resolve(fromUrl);
  }
  // No choice yet: the most anomalous series, else the first one.
  return getJson('api/anomalies/top?limit=1')
    .then(top => top.series.length ? top.series[0].series : getJson('api/series?limit=1')
      .then(page => page.series.length ? page.series[0].series : null))
    .catch(() => null);
}

function getJson(path) {
  return fetch(path, { headers: { Accept: 'application/json' } }).then(r => {
    if (!r.ok) {
      throw new Error(path + ' answered ' + r.status);
    }
    return r.json();
  });
}

function width() {
  return Math.max(320, chartBox.clientWidth || 800);
}

function makePlots() {
  const sync = uPlot.sync('seismo');
  const cursor = { sync: { key: sync.key } };
  valuePlot = new uPlot({
    width: width(), height: 300, cursor,
    scales: { x: { time: true } },
    series: [
      {},
      { label: 'value', stroke: '#1d232a', width: 1.5 },
      { label: 'expected', stroke: '#1565c0', width: 1, dash: [6, 4] },
      { label: 'lower', stroke: 'rgba(21,101,192,0.35)', width: 1 },
      { label: 'upper', stroke: 'rgba(21,101,192,0.35)', width: 1 },
      { label: 'anomalous', stroke: '#c62828', fill: '#c62828', width: 0, points: { show: true, size: 9, fill: '#c62828' }, paths: () => null },
    ],
    bands: [{ series: [4, 3], fill: 'rgba(21,101,192,0.10)' }],
    axes: [{}, { label: 'value' }],
    hooks: { draw: [() => { chartBox.dataset.drawn = String(cols.t.length); }] },
  }, [cols.t, cols.value, cols.expected, cols.lower, cols.upper, cols.anomaly], chartBox);
  const errorBox = document.createElement('div');
  errorBox.id = 'error-chart';
  chartBox.after(errorBox);
  errorPlot = new uPlot({
    width: width(), height: 150, cursor,
    series: [
      {},
      { label: 'score', stroke: '#6a1b9a', width: 1.5 },
      { label: 'alarm (0.5)', stroke: '#c62828', width: 1, dash: [4, 4] },
    ],
    scales: { x: { time: true }, y: { range: [0, 1] } },
    axes: [{}, { label: 'score' }],
  }, [cols.t, cols.score, cols.alarm], errorBox);
  window.addEventListener('resize', () => {
    valuePlot.setSize({ width: width(), height: 300 });
    errorPlot.setSize({ width: width(), height: 150 });
  });
}

function clear() {
  Object.values(cols).forEach(a => { a.length = 0; });
}

function append(p) {
  const t = p.t / 1000;
  const n = cols.t.length;
  if (n > 0 && t <= cols.t[n - 1]) {
    return;   // already drawn (a point that also came in the history)
  }
  cols.t.push(t);
  cols.value.push(p.value);
  cols.expected.push(p.expected);
  cols.lower.push(p.lower);
  cols.upper.push(p.upper);
  cols.anomaly.push(p.anomalous ? p.value : null);
  cols.score.push(p.score);
  cols.alarm.push(0.5);
  if (cols.t.length > MAX_POINTS) {
    Object.values(cols).forEach(a => a.shift());
  }
}

function redraw() {
  if (redrawPending) {
    return;
  }
  redrawPending = true;
  requestAnimationFrame(() => {
    redrawPending = false;
    valuePlot.setData([cols.t, cols.value, cols.expected, cols.lower, cols.upper, cols.anomaly]);
    errorPlot.setData([cols.t, cols.score, cols.alarm]);
    chartBox.dataset.points = String(cols.t.length);
  });
}

function showNow(p) {
  const fmt = x => (x === null || x === undefined) ? '–' : Number(x).toFixed(3);
  el('now').textContent = new Date(p.t).toISOString() + '  value ' + fmt(p.value) + '  expected ' + fmt(p.expected)
    + '  band [' + fmt(p.lower) + ', ' + fmt(p.upper) + ']  score ' + fmt(p.score)
    + (p.anomalous ? '  ANOMALOUS (' + String(p.reason || '').toLowerCase().replace('_', ' ') + ')' : '') + (p.inEpisode ? '  (episode open)' : '');
}

function watch(series) {
  el('series-name').textContent = series;
  el('series-input').value = series;
  chartBox.dataset.series = series;
  const source = new EventSource('api/stream?series=' + encodeURIComponent(series));
  source.addEventListener('history', e => {
    const h = JSON.parse(e.data);
    clear();
    h.points.forEach(append);
    if (h.points.length) {
      showNow(h.points[h.points.length - 1]);
    }
    redraw();
    status(h.local ? 'live' : 'live — this instance does not own ' + series + '; its readings are judged elsewhere');
  });
  source.addEventListener('point', e => {
    const p = JSON.parse(e.data);
    append(p);
    showNow(p);
    redraw();
  });
  source.addEventListener('anomaly', () => { refreshFeed(); refreshTop(); });
  source.addEventListener('problem', e => status(JSON.parse(e.data).error));
  // A refused stream (503: the server streams to its most clients already) is closed for good; anything else retries.
  source.onerror = () => status(source.readyState === EventSource.CLOSED
    ? 'the server refused the stream (it may be serving its most viewers); reload to try again' : 'reconnecting…');
  source.onopen = () => status('live');
}

function seriesLink(id) {
  const a = document.createElement('a');
  a.href = '?series=' + encodeURIComponent(id);
  a.textContent = id;
  return a;
}

function refreshFeed() {
  return getJson('api/anomalies?limit=50').then(list => {
    const items = list.anomalies.map(a => {
      const li = document.createElement('li');
      li.className = a.kind;
      li.dataset.series = a.series;
      li.dataset.kind = a.kind;
      li.dataset.timestamp = a.timestamp;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = a.kind.toLowerCase() + ' ';
      li.append(kind, seriesLink(a.series), ' ' + a.timestamp.replace('T', ' ').replace('Z', ' UTC')
        + ' — ' + a.severity.toLowerCase() + ', observed ' + a.observed.toFixed(2) + ' (expected ' + a.expected.toFixed(2)
        + '), score ' + a.score.toFixed(3)
        + (a.reason && a.reason !== 'NONE' ? ', ' + a.reason.toLowerCase().replace('_', ' ') : ''));
      return li;
    });
    el('feed').replaceChildren(...items);
    el('feed').dataset.count = String(items.length);
  }).catch(e => status(e.message));
}

function refreshTop() {
  return getJson('api/anomalies/top?limit=10').then(list => {
    el('top').replaceChildren(...list.series.map(s => {
      const li = document.createElement('li');
      li.dataset.series = s.series;
      li.append(seriesLink(s.series), ' — ' + s.events + (s.events === 1 ? ' event' : ' events') + ', peak score '
        + s.peakScore.toFixed(3) + ', last ' + s.lastKind.toLowerCase());
      return li;
    }));
  }).catch(e => status(e.message));
}

function refreshModels() {
  return getJson('api/models').then(list => {
    const rows = list.releases.slice().reverse().map(m => {
      const tr = document.createElement('tr');
      if (m.inForce) {
        tr.className = 'in-force';
      }
      [m.version, m.origin.toLowerCase(), m.createdAt.replace('T', ' ').replace('Z', ' UTC'),
        m.cell + ' ' + m.layers + '×' + m.hiddenSize, m.training.validationLoss.toFixed(4), m.inForce ? 'in force' : '']
        .forEach(v => { const td = document.createElement('td'); td.textContent = v; tr.append(td); });
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 6;
      td.textContent = 'no release yet: the baseline forecaster is in force';
      tr.append(td);
      rows.push(tr);
    }
    el('models').tBodies[0].replaceChildren(...rows);
  }).catch(e => status(e.message));
}

function fillSeriesList() {
  getJson('api/series?limit=1000').then(page => {
    el('series-list').replaceChildren(...page.series.map(s => {
      const o = document.createElement('option');
      o.value = s.series;
      return o;
    }));
  }).catch(() => { /* the detector may not be ready yet */ });
}

el('pick').addEventListener('submit', e => {
  e.preventDefault();
  const id = el('series-input').value.trim();
  if (id) {
    location.search = '?series=' + encodeURIComponent(id);
  }
});

makePlots();
fillSeriesList();
refreshFeed();
refreshTop();
refreshModels();
setInterval(refreshFeed, FEED_EVERY_MS);
setInterval(refreshTop, TOP_EVERY_MS);
setInterval(refreshModels, MODELS_EVERY_MS);
chooseSeries().then(series => {
  if (series) {
    watch(series);
  } else {
    status('no series yet: choose one when readings arrive');
  }
});
