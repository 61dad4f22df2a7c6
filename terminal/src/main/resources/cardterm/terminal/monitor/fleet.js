/* The technicians' fleet page: every terminal of every site, problems first; one terminal's
   devices, supplies, backlog and recent events. Live by server-sent events; zh-CN and English. */
(() => {
  'use strict';
  const T = {
    'zh-CN': { title: '终端巡检', skip: '跳到主要内容', signout: '退出', signin: '技术员登录', staffId: '工号', pin: 'PIN 码',
      signinBtn: '登录', lang: 'English', fleet: '全部终端', site: '网点', allSites: '全部网点', problemFilter: '问题',
      pAll: '全部终端', pAny: '有问题的', pOffline: '离线', pSupply: '耗材不足', pBacklog: '事件积压', pConflict: '终端号重复',
      terminal: '终端', link: '连接', worst: '最严重的问题', backlog: '积压', dupCol: '终端号重复', devices: '设备',
      device: '设备', state: '状态', reason: '原因', message: '说明', supplies: '耗材', problems: '问题', events: '最近事件',
      time: '时间', seq: '序号', type: '类型', eventSummary: '摘要', closeDetail: '返回列表', online: '在线', offline: '离线',
      unknown: '未知', since: '自', none: '无', allWell: '正常', dup: '重复！', waiting: '条待发，最早一条已等待',
      summary: (s, m) => '共 ' + s.terminals + ' 台终端，' + s.withProblems + ' 台有问题，' + s.offline + ' 台离线；显示 ' + m + ' 台',
      more: (n, m) => '只列出前 ' + n + ' 台（共 ' + m + ' 台符合）：请按网点或问题筛选',
      lost: '与消息服务器的连接已断开，正在重连：', noEvents: '打开此终端后还没有收到事件', notWatching: '同时查看的终端太多，暂不显示事件',
      seconds: '秒', minutes: '分', hours: '小时', days: '天', signedOutMsg: '已退出登录，请重新登录', left: '剩余' },
    'en': { title: 'Fleet', skip: 'Skip to main content', signout: 'Sign out', signin: 'Technician sign-in', staffId: 'Staff id',
      pin: 'PIN', signinBtn: 'Sign in', lang: '中文', fleet: 'All terminals', site: 'Site', allSites: 'All sites',
      problemFilter: 'Problem', pAll: 'All terminals', pAny: 'With a problem', pOffline: 'Offline', pSupply: 'Supplies short',
      pBacklog: 'Events waiting', pConflict: 'Id used twice', terminal: 'Terminal', link: 'Link', worst: 'Worst problem',
      backlog: 'Backlog', dupCol: 'Id used twice', devices: 'Devices', device: 'Device', state: 'State', reason: 'Reason',
      message: 'Message', supplies: 'Supplies', problems: 'Problems', events: 'Recent events', time: 'Time', seq: 'Seq',
      type: 'Type', eventSummary: 'Summary', closeDetail: 'Back to the list', online: 'online', offline: 'offline',
      unknown: 'unknown', since: 'since', none: 'none', allWell: 'all well', dup: 'TWICE!', waiting: 'waiting, the oldest for',
      summary: (s, m) => s.terminals + ' terminals, ' + s.withProblems + ' with problems, ' + s.offline + ' offline; showing ' + m,
      more: (n, m) => 'Only the first ' + n + ' of ' + m + ' are listed: filter by site or problem',
      lost: 'The link to the broker is lost; reconnecting: ', noEvents: 'No event since this terminal was opened',
      notWatching: 'Too many terminals are open at once: events are not shown', seconds: 's', minutes: 'min', hours: 'h',
      days: 'd', signedOutMsg: 'Signed out: please sign in again', left: 'left' },
  };
  const REASONS = {
    'zh-CN': { SUPPLY_LOW: '耗材不足', SUPPLY_EMPTY: '耗材用完', MAINTENANCE_DUE: '需要保养', COVER_OPEN: '机盖打开',
      JAM: '卡片堵塞', DEVICE_ERROR: '设备故障', STUCK: '设备卡住', SESSION_TAKEN_OVER: '会话被占用',
      INTEGRITY_BROKEN: '完整性受损', COMMUNICATION_ERROR: '通信错误', LINK_DOWN: '连接断开', GONE: '设备不见了',
      SERVICE_DOWN: '服务停止', CONFIGURATION_ERROR: '配置错误', INITIALIZING: '正在启动', OK: '正常' },
    'en': { SUPPLY_LOW: 'supply low', SUPPLY_EMPTY: 'supply empty', MAINTENANCE_DUE: 'maintenance due',
      COVER_OPEN: 'cover open', JAM: 'card jam', DEVICE_ERROR: 'device error', STUCK: 'stuck',
      SESSION_TAKEN_OVER: 'session taken over', INTEGRITY_BROKEN: 'integrity broken',
      COMMUNICATION_ERROR: 'communication error', LINK_DOWN: 'link down', GONE: 'gone', SERVICE_DOWN: 'service down',
      CONFIGURATION_ERROR: 'configuration error', INITIALIZING: 'starting', OK: 'ok' },
  };
  let lang = 'zh-CN', me = null, data = null, source = null, selected = null;
  const $ = (id) => document.getElementById(id);
  const t = (k) => (T[lang][k] !== undefined ? T[lang][k] : k);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined && text !== null) { e.textContent = text; } if (cls) { e.className = cls; } return e; };
  const reason = (r) => (REASONS[lang][r] || r);

  function age(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 120) { return s + ' ' + t('seconds'); }
    if (s < 7200) { return Math.floor(s / 60) + ' ' + t('minutes'); }
    if (s < 172800) { return Math.floor(s / 3600) + ' ' + t('hours'); }
    return Math.floor(s / 86400) + ' ' + t('days');
  }

  function time(iso) {
    if (!iso) { return ''; }
    return new Date(iso).toLocaleString(lang, { timeZone: (data && data.zone) || undefined, hour12: false,
      month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /** A problem as FleetView words it, in plain words. */
  function plain(p) {
    if (!p) { return t('allWell'); }
    const zh = lang === 'zh-CN';
    let m;
    if (p === 'OFFLINE') { return zh ? '离线：终端没有连接' : 'Offline: the terminal is not connected'; }
    if (p === 'no state published') { return zh ? '从未上线（没有状态消息）' : 'Never seen online (no state published)'; }
    if (p === 'no health published') { return zh ? '在线，但没有健康报告' : 'Online, but no health report'; }
    if ((m = /^ID CLAIMED TWICE: (.*)$/.exec(p))) {
      return (zh ? '终端号被两台机器同时使用（可能是复制的 SD 卡）：' : 'This terminal id is used by two machines (a copied SD card?): ') + m[1];
    }
    if ((m = /^backlog (\d+) waiting (\d+) min$/.exec(p))) {
      return zh ? m[1] + ' 条事件积压，最早一条已等待 ' + m[2] + ' 分钟' : m[1] + ' events waiting, the oldest for ' + m[2] + ' min';
    }
    if ((m = /^(\S+) (low|empty)$/.exec(p))) {
      return zh ? '耗材 ' + m[1] + (m[2] === 'low' ? ' 不足' : ' 用完') : 'Supply ' + m[1] + ' ' + m[2];
    }
    if ((m = /^(\S+) ([A-Z]+)\/([A-Z_]+)(?: \((.*)\))?$/.exec(p))) {
      return (zh ? '设备 ' + m[1] + '：' : 'Device ' + m[1] + ': ') + reason(m[3]) + (m[4] ? ' (' + m[4] + ')' : '');
    }
    return p;
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang').textContent = t('lang');
    $('lang').lang = lang === 'en' ? 'zh-CN' : 'en';
    render();
  }

  async function post(path, body) {
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
      headers: Object.assign({ 'Content-Type': 'application/json' }, me ? { 'X-CSRF-Token': me.csrf } : {}),
      body: JSON.stringify(body || {}) });
    return r.json();
  }

  function linkText(r) {
    if (r.online === null || r.online === undefined) { return el('span', t('unknown'), 'offline'); }
    const s = el('span', (r.online ? t('online') : t('offline')), r.online ? 'online' : 'offline');
    if (r.since) {
      s.textContent += ' ' + t('since') + ' ' + time(r.since) + ' (' + age(Date.now() - Date.parse(r.since)) + ')';
    }
    return s;
  }

  function render() {
    if (!data) { return; }
    $('lost').hidden = !data.lost;
    $('lost').textContent = data.lost ? t('lost') + data.lost : '';
    const siteSel = $('site');
    const want = siteSel.value;
    const have = Array.from(siteSel.options).slice(1).map((o) => o.value).join('\n');
    if (have !== data.sites.join('\n')) {
      while (siteSel.options.length > 1) { siteSel.remove(1); }
      data.sites.forEach((s) => { const o = el('option', s); o.value = s; siteSel.appendChild(o); });
      siteSel.value = data.sites.includes(want) ? want : '';
    }
    $('summary').textContent = T[lang].summary(data.summary, data.matching);
    $('more').textContent = data.matching > data.rows.length ? T[lang].more(data.rows.length, data.matching) : '';
    const body = $('fleet').tBodies[0];
    body.textContent = '';
    data.rows.forEach((r) => {
      const tr = el('tr', undefined, r.problem ? 'problem' : '');
      tr.dataset.terminal = r.terminal;
      tr.dataset.site = r.site;
      if (selected && selected.site === r.site && selected.terminal === r.terminal) { tr.classList.add('selected'); }
      tr.appendChild(el('td', r.site));
      const open = el('button', r.terminal);
      open.type = 'button';
      open.className = 'open';
      open.setAttribute('aria-label', t('terminal') + ' ' + r.terminal);
      open.addEventListener('click', () => select(r.site, r.terminal));
      const td = el('td'); td.appendChild(open); tr.appendChild(td);
      const link = el('td'); link.appendChild(linkText(r)); tr.appendChild(link);
      tr.appendChild(el('td', plain(r.problem) + (r.problems > 1 ? ' (+' + (r.problems - 1) + ')' : ''), r.problem ? 'bad' : 'good'));
      tr.appendChild(el('td', r.backlog === null ? '-' : r.backlog + (r.oldestAgeMs > 0 ? ' (' + age(r.oldestAgeMs) + ')' : '')));
      const dup = el('td');
      if (r.duplicate) { dup.appendChild(el('span', t('dup'), 'dup')); }
      tr.appendChild(dup);
      body.appendChild(tr);
    });
    renderDetail();
  }

  function renderDetail() {
    const s = data.selected;
    $('detail').hidden = !selected;
    if (!selected) { return; }
    $('detail-h').textContent = t('terminal') + ' ' + selected.terminal + ' · ' + selected.site;
    const lt = $('detail-link'); lt.textContent = '';
    const devs = $('devices').tBodies[0]; devs.textContent = '';
    const sup = $('supplies'); sup.textContent = '';
    const probs = $('detail-problems'); probs.textContent = '';
    const evs = $('events').tBodies[0]; evs.textContent = '';
    if (!s) { return; }
    lt.appendChild(linkText(s));
    if (s.version) { lt.appendChild(el('span', ' · ' + s.version, 'quiet')); }
    Object.keys(s.devices).forEach((id) => {
      const d = s.devices[id];
      const tr = el('tr', undefined, d.state === 'ONLINE' ? '' : 'problem');
      tr.appendChild(el('td', id));
      tr.appendChild(el('td', d.state, d.state === 'ONLINE' ? 'good' : 'bad'));
      tr.appendChild(el('td', reason(d.reason)));
      tr.appendChild(el('td', d.message));
      devs.appendChild(tr);
    });
    if (!s.supplies.length) { sup.appendChild(el('li', t('none'))); }
    s.supplies.forEach((x) => sup.appendChild(el('li', x.device + ' ' + x.supply + ': ' + x.level
      + (x.left !== undefined ? ' (' + x.left + ' ' + t('left') + ')' : ''), x.level === 'low' || x.level === 'empty' ? 'bad' : '')));
    $('detail-backlog').textContent = s.backlog === null ? '-'
      : s.backlog + (s.oldestAgeMs > 0 ? ' ' + t('waiting') + ' ' + age(s.oldestAgeMs) : '');
    if (!s.problems.length) { probs.appendChild(el('li', t('allWell'), 'good')); }
    s.problems.forEach((p) => probs.appendChild(el('li', plain(p), 'bad')));
    $('events-note').textContent = !s.watching ? t('notWatching') : (s.events.length ? '' : t('noEvents'));
    s.events.forEach((e) => {
      const tr = el('tr');
      tr.appendChild(el('td', time(e.ts)));
      tr.appendChild(el('td', e.seq >= 0 ? String(e.seq) : ''));
      tr.appendChild(el('td', e.type));
      tr.appendChild(el('td', e.summary));
      evs.appendChild(tr);
    });
  }

  function select(site, terminal) {
    selected = site ? { site, terminal } : null;
    listen();
    if (selected) { $('detail').hidden = false; $('detail').focus(); }
    else { $('detail').hidden = true; }
  }

  function listen() {
    if (source) { source.close(); }
    const q = new URLSearchParams();
    if ($('site').value) { q.set('site', $('site').value); }
    if ($('problem').value) { q.set('problem', $('problem').value); }
    if (selected) { q.set('tsite', selected.site); q.set('terminal', selected.terminal); }
    const src = new EventSource('/api/events?' + q.toString());
    source = src;
    src.addEventListener('state', (e) => { if (source === src) { data = JSON.parse(e.data); render(); } });
    src.addEventListener('error', async () => {
      if (source !== src || src.readyState !== EventSource.CLOSED) { return; }
      const r = await fetch('/api/me', { credentials: 'same-origin' });
      if (r.status === 401) { signedOut(t('signedOutMsg')); }
    });
  }

  function signedIn(j) {
    me = j;
    $('who').textContent = j.staff.id + ' ' + j.staff.name + ' (' + j.staff.role + ')';
    $('signin-view').hidden = true; $('main-view').hidden = false; $('signout').hidden = false;
    listen();
  }

  function signedOut(why) {
    me = null; data = null; selected = null;
    if (source) { source.close(); source = null; }
    $('who').textContent = '';
    $('signin-view').hidden = false; $('main-view').hidden = true; $('signout').hidden = true;
    $('signin-error').textContent = why || '';
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('lang').addEventListener('click', () => { lang = lang === 'zh-CN' ? 'en' : 'zh-CN'; applyLang(); });
    $('signin-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const j = await post('/api/signin', { staffId: $('staffId').value, pin: $('pin').value });
      $('pin').value = '';
      if (j.ok === false) { $('signin-error').textContent = j.error.message; return; }
      $('signin-error').textContent = '';
      signedIn(j);
    });
    $('signout').addEventListener('click', async () => { await post('/api/signout'); signedOut(); });
    $('site').addEventListener('change', listen);
    $('problem').addEventListener('change', listen);
    $('close-detail').addEventListener('click', () => select(null));
    const r = await fetch('/api/me', { credentials: 'same-origin' });
    if (r.ok) { signedIn(await r.json()); }
    applyLang();
  });
})();
