// The connected-tenants page: reads api/status every 10 s and draws one card per tenant and the sinks.
// Everything from the server goes in through textContent: names and messages carry tenants' data.
'use strict';

const REFRESH_MS = 10000;
const STATUS_WORDS = { healthy: 'Healthy', warning: 'Needs attention', error: 'Failing', paused: 'Paused' };
// Badge colour of a state; the badge text is the state itself, so colour is never the only signal.
const STATE_COLOUR = { running: 'healthy', delivering: 'healthy', 'backing-off': 'warning', error: 'error',
  failing: 'error', refused: 'error', paused: 'paused', starting: 'neutral', idle: 'neutral' };

// ?status=<url> points the page at a fixture (see src/test/resources/static-fixtures); same origin only,
// so a crafted link cannot make the page show another server's made-up status.
function statusUrl() {
  const asked = new URLSearchParams(location.search).get('status') || 'api/status';
  const url = new URL(asked, location.href);
  return url.origin === location.origin ? url.href : 'api/status';
}

function lookup(map, key, fallback) {
  return Object.hasOwn(map, key) ? map[key] : fallback;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function badge(colour, text, className) {
  const b = el('span', 'badge badge-' + colour + ' ' + className, text);
  b.dataset.status = colour;
  return b;
}

function statusClass(status) {
  return lookup(STATUS_WORDS, status, null) ? status : 'neutral';
}

function statusBadge(status, className) {
  return badge(statusClass(status), lookup(STATUS_WORDS, status, status || 'unknown'), className);
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  const [big, bigUnit, small, smallUnit] = s < 86400 ? [Math.floor(s / 3600), ' h', Math.floor((s % 3600) / 60), ' min']
    : [Math.floor(s / 86400), ' d', Math.floor((s % 86400) / 3600), ' h'];
  return big + bigUnit + (small ? ' ' + small + smallUnit : '');
}

// Relative to the server's generatedAt, so a browser with a wrong clock still reads right.
function timeElement(iso, now) {
  const t = Date.parse(iso);
  const seconds = (now - t) / 1000;
  const text = isNaN(t) ? iso : Math.abs(seconds) < 30 ? 'just now'
    : seconds > 0 ? duration(seconds) + ' ago' : 'in ' + duration(-seconds);
  const e = el('time', null, text);
  e.dateTime = iso;
  e.title = iso;
  return e;
}

function cell(content, className) {
  const td = el('td', className);
  if (content === null || content === undefined || content === '') td.textContent = '—';
  else td.append(content);
  return td;
}

function count(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en');
}

function backfill(b, now) {
  if (!b) return null;
  const box = el('div', 'backfill');
  const bar = el('progress');
  bar.max = 100;
  bar.value = b.percent || 0;
  bar.setAttribute('aria-label', 'backfill progress');
  const text = el('span', 'backfill-text', (b.percent || 0).toFixed(1) + ' % · ' + b.windowsDone + '/' + b.windowsTotal
    + ' windows');
  if (b.eta) text.append(' · done ', timeElement(b.eta, now));
  box.append(bar, text);
  return box;
}

function counts(c) {
  const box = el('div', 'counts');
  for (const [key, label] of [['blobsCollected', 'blobs'], ['recordsStored', 'records'],
    ['quarantined', 'quarantined'], ['throttled', 'throttled']]) {
    if (c[key] === null || c[key] === undefined) continue;
    const notable = (key === 'quarantined' || key === 'throttled') && c[key] > 0;
    const s = el('span', notable ? 'count notable' : 'count', count(c[key]) + ' ' + label);
    s.dataset.count = key;
    box.append(s);
  }
  return box;
}

function newest(c, now) {
  const td = cell(c.newestEvent && timeElement(c.newestEvent, now), 'component-newest');
  if (c.lastSuccess) {
    const polled = el('small', null, 'polled OK ');
    polled.append(timeElement(c.lastSuccess, now));
    td.append(polled);
  }
  return td;
}

const KIND_LABEL = {'content-type': 'content type', 'delayed-feed': 'delayed feed', 'graph': 'Microsoft Graph'};

// The components this connection does not collect, with what each would need: reported, not assumed.
function componentsOff(off) {
  const box = el('p', 'components-off');
  box.append(el('span', null, 'Not collected here: '));
  off.forEach((c, i) => {
    const item = el('span', 'component-off', c.name);
    item.dataset.component = c.name;
    item.title = 'needs ' + c.permissions;
    box.append(i ? ', ' : '', item, el('small', null, ' (needs ' + c.permissions + ')'));
  });
  return box;
}

// The governance actions allowed here (o365.tenants[i].governance): none by default; dry runs only when so set.
function governanceLine(g) {
  const box = el('p', 'governance');
  if (!g.actions || !g.actions.length) {
    box.append(el('span', null, 'Governance actions: off.'));
    return box;
  }
  box.append(el('span', null, 'Governance actions: '));
  g.actions.forEach((a, i) => {
    const item = el('span', 'governance-action', a.name);
    item.dataset.action = a.name;
    item.title = 'needs ' + a.permissions;
    box.append(i ? ', ' : '', item);
  });
  if (g.dryRunOnly) box.append(' ', el('strong', 'governance-dry-run', '(dry run only: nothing is changed)'));
  return box;
}

function componentRow(c, now) {
  const tr = el('tr', 'component status-' + statusClass(c.status));
  tr.dataset.component = c.name;
  tr.dataset.kind = c.kind;
  const name = el('td', 'component-name', c.name);
  name.append(el('small', null, KIND_LABEL[c.kind] || c.kind));
  if (c.node) name.append(el('small', 'component-node', 'on node ' + c.node));
  const message = el('td', 'message-cell');
  if (c.errorCode) message.append(el('code', 'component-error-code', c.errorCode), ' ');
  message.append(el('span', 'component-message', c.message || ''));
  // a Graph component: what it holds now, and the permissions to grant when Microsoft refused it
  if (c.summary) message.append(el('div', 'component-summary', c.summary));
  if (c.permissions && c.errorCode === 'permission') {
    const grant = el('div', 'component-permissions', 'Grant: ');
    grant.append(el('strong', null, c.permissions));
    message.append(grant);
  }
  tr.append(name,
    cell(badge(lookup(STATE_COLOUR, c.state, 'neutral'), (c.state || 'unknown').replace('-', ' '), 'component-state')),
    message,
    newest(c, now),
    cell(c.lagSeconds === null || c.lagSeconds === undefined ? null : duration(c.lagSeconds), 'component-lag'),
    cell(c.settledUntil && timeElement(c.settledUntil, now), 'component-settled'),
    cell(backfill(c.backfill, now), 'component-backfill'),
    cell(counts(c), 'component-counts'));
  return tr;
}

function tenantCard(t, now) {
  const card = el('section', 'tenant');
  card.dataset.tenant = t.name;
  card.dataset.status = t.status;
  const head = el('header', 'tenant-head');
  head.append(el('h2', 'tenant-name', t.name), statusBadge(t.status, 'tenant-status'));
  const id = el('p', 'tenant-id', 'tenant ' + (t.tenantId || '?') + (t.cloud ? ' · ' + t.cloud + ' cloud' : ''));
  const table = el('table', 'components');
  const headRow = el('tr');
  for (const h of ['Component', 'State', 'What it means', 'Newest event', 'Lag', 'Settled until', 'Backfill', 'Counts']) {
    const th = el('th', null, h);
    th.scope = 'col';
    headRow.append(th);
  }
  table.createTHead().append(headRow);
  const body = table.createTBody();
  for (const c of t.components || []) body.append(componentRow(c, now));
  card.append(head, id, el('p', 'tenant-message', t.message || ''), table);
  if (t.componentsOff && t.componentsOff.length) card.append(componentsOff(t.componentsOff));
  if (t.governance) card.append(governanceLine(t.governance));
  if (t.gaps && t.gaps.length) card.append(gapList(t.gaps));
  return card;
}

// Data that can no longer be collected (table gap): shown so that a hole in the audit trail is never silent.
// A gap the audit search filled later stays listed, marked filled.
function gapList(gaps) {
  const box = el('div', 'gaps');
  const open = gaps.filter(g => !g.filledAt).length;
  box.append(el('h3', 'gaps-title', open + (open === 1 ? ' gap' : ' gaps')
      + ': data that can no longer be collected' + (open < gaps.length ? ' (' + (gaps.length - open)
      + ' filled by audit search)' : '')));
  const list = el('ul', 'gap-list');
  for (const g of gaps) {
    const what = g.feed + ' ' + g.from + (g.to !== g.from ? ' .. ' + g.to : '')
        + (g.contentId ? ' · blob ' + g.contentId : '') + ': ' + g.reason
        + (g.filledAt ? ' · filled ' + g.filledAt + ' by ' + g.filledBy : '');
    list.append(el('li', g.filledAt ? 'gap gap-filled' : 'gap', what));
  }
  box.append(list);
  return box;
}

function sinkRow(s, where) {
  const tr = el('tr', 'sink status-' + statusClass(s.status));
  tr.dataset.sink = s.name;
  const name = el('td', 'sink-name', s.name);
  name.append(el('small', null, s.type));
  if (where && where.node) name.append(el('small', 'sink-node', 'on node ' + where.node));
  tr.append(name, cell(statusBadge(s.status, 'sink-status')),
    cell(badge(lookup(STATE_COLOUR, s.state, 'neutral'), s.state || 'unknown', 'sink-state')),
    cell(count(s.delivered), 'num'), cell(count(s.setAside), 'num' + (s.setAside > 0 ? ' notable' : '')),
    cell(count(s.lagRecords), 'num'), cell(s.lagSeconds == null ? null : duration(s.lagSeconds), 'num'),
    cell(count(s.failures), 'num'), cell(s.message, 'sink-message'));
  return tr;
}

// Which node answered; in cluster mode the nodes sharing the jobs (each poll, feed and sink names its own).
function nodeLine(status) {
  if (!status.node) return '';
  if (!status.clustered) return 'node ' + status.node;
  const nodes = (status.nodes || []).map(n => n.name + (n.alive ? '' : ' (not checking in)'));
  return 'node ' + status.node + ' · cluster of ' + nodes.length + ': ' + nodes.join(', ');
}

function render(status) {
  const now = Date.parse(status.generatedAt) || Date.now();
  document.getElementById('node').textContent = nodeLine(status);
  const tenants = (status.tenants || []).map(t => tenantCard(t, now));
  if (tenants.length === 0) tenants.push(el('p', 'empty', 'No tenant is configured.'));
  document.getElementById('tenants').replaceChildren(...tenants);
  const sinks = (status.sinks || []).map(s => sinkRow(s, (status.sinkNodes || {})[s.name]));
  if (sinks.length === 0) {
    const row = el('tr');
    const td = el('td', 'empty', 'No sink is configured: records are only stored in the database.');
    td.colSpan = 9;
    row.append(td);
    sinks.push(row);
  }
  document.querySelector('#sinks tbody').replaceChildren(...sinks);
}

function showError(problem, loginNeeded) {
  const banner = document.getElementById('error-banner');
  banner.replaceChildren('status unavailable: ' + problem);
  if (loginNeeded) {
    const a = el('a', null, 'log in again');
    a.href = 'login';
    banner.append(' — ', a);
  } else {
    banner.append(' — retrying every ' + REFRESH_MS / 1000 + ' s; the data below may be old.');
  }
  banner.hidden = false;
  document.body.classList.add('stale');
  const updated = document.getElementById('updated');
  if (updated.textContent === 'loading…') updated.textContent = 'no data yet';
}

async function refresh() {
  try {
    // X-Requested-With makes Spring Security answer 401 rather than a login page or a Basic prompt;
    // a redirect (to the login page) is not followed but read as "session ended".
    const res = await fetch(statusUrl(), { credentials: 'same-origin', redirect: 'manual',
      headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' } });
    if (res.type === 'opaqueredirect' || res.status === 401) {
      showError(res.status ? 'HTTP ' + res.status : 'the session has ended', true);
      return;
    }
    if (!res.ok) {
      showError('HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''), false);
      return;
    }
    render(await res.json());
    document.getElementById('updated').textContent = 'updated '
      + new Date().toLocaleTimeString('en-GB', { hour12: false });
    document.getElementById('error-banner').hidden = true;
    document.body.classList.remove('stale');
  } catch (e) {
    showError(e instanceof SyntaxError ? 'the answer was not JSON' : 'the connector did not answer (' + e.message + ')',
      false);
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
