'use strict';
// The counter console: zh-CN by default, English at a click; live state by server-sent events.
(() => {
  const T = {
    'zh-CN': { title: '柜台控制台', signout: '退出', signin: '员工登录', staffId: '工号', pin: 'PIN 码',
      signinBtn: '登录', terminal: '终端', calls: '求助呼叫', button: '按钮', place: '位置', level: '级别',
      waited: '等待', owner: '负责人', actions: '操作', tools: '设备', printerTest: '打印测试卡', selftest: '自检',
      ack: '接单', resolve: '完成', hubUp: '已连接中心', hubDown: '未连接中心', since: '自', backlog: '待发事件',
      oldest: '最早', newCall: '新的求助呼叫', none: '无', lang: 'English', ok: '完成', failed: '失败',
      seconds: '秒', minutes: '分', audit: '今日操作记录', time: '时间', who: '人员', what: '操作', subject: '对象',
      door: '渠道' },
    'en': { title: 'Counter console', signout: 'Sign out', signin: 'Staff sign-in', staffId: 'Staff id', pin: 'PIN',
      signinBtn: 'Sign in', terminal: 'Terminal', calls: 'Assistance calls', button: 'Button', place: 'Place',
      level: 'Level', waited: 'Waited', owner: 'Owner', actions: 'Actions', tools: 'Devices',
      printerTest: 'Print test card', selftest: 'Self-test', ack: 'Acknowledge', resolve: 'Resolve',
      hubUp: 'connected to the hub', hubDown: 'not connected to the hub', since: 'since', backlog: 'events waiting',
      oldest: 'oldest', newCall: 'New assistance call', none: 'none', lang: '中文', ok: 'done', failed: 'failed',
      seconds: 's', minutes: 'min', audit: "Today's audit trail", time: 'Time', who: 'Who', what: 'What',
      subject: 'Subject', door: 'Door' }
  };
  let lang = 'zh-CN', me = null, state = null, source = null, known = new Set(), zone = 'Asia/Shanghai';
  const $ = (id) => document.getElementById(id);
  const t = (k) => T[lang][k] || k;

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
    const j = await r.json();
    if (r.status === 401 && me) { signedOut(); }
    return j;
  }

  function beep() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const o = ctx.createOscillator(); const g = ctx.createGain();
      o.frequency.value = 880; o.connect(g); g.connect(ctx.destination);
      g.gain.setValueAtTime(0.3, ctx.currentTime); o.start(); o.stop(ctx.currentTime + 0.4);
    } catch (e) { /* no audio: the banner still shows */ }
  }

  function waited(ms) {
    const s = Math.floor(ms / 1000);
    return s < 60 ? s + ' ' + t('seconds') : Math.floor(s / 60) + ' ' + t('minutes') + ' ' + (s % 60) + ' ' + t('seconds');
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString(lang, { timeZone: zone }) : '';
  }

  function render() {
    if (!state || !me) { return; }
    zone = state.timeZone || zone;
    const hub = state.hub || {};
    const term = $('terminal');
    term.textContent = '';
    const p = document.createElement('p');
    p.className = hub.connected ? 'good' : 'bad';
    p.textContent = (hub.connected ? t('hubUp') : t('hubDown')) + ' (' + t('since') + ' ' + time(hub.since) + ') · '
      + t('backlog') + ': ' + (state.outbox ? state.outbox.backlog : 0);
    term.appendChild(p);
    const ul = document.createElement('ul');
    (state.devices || []).forEach((d) => {
      const li = document.createElement('li');
      li.textContent = d.device + ': ' + d.state + (d.reason ? ' / ' + d.reason : '') + (d.message ? ' - ' + d.message : '');
      ul.appendChild(li);
    });
    term.appendChild(ul);
    $('calls-section').hidden = !state.calls;
    const tbody = document.querySelector('#calls tbody');
    tbody.textContent = '';
    const calls = state.calls || [];
    const fresh = calls.filter((c) => !known.has(c.callId));
    calls.forEach((c) => {
      const tr = document.createElement('tr');
      tr.id = 'call-' + c.callId;
      tr.dataset.button = c.button.id;
      const raised = Date.parse(c.raisedAt);
      [c.button.id, c.button.location, c.level, waited(Date.now() - raised), c.owner || '-'].forEach((v, i) => {
        const td = document.createElement('td'); td.textContent = v;
        if (i === 3) { td.className = 'waited'; td.dataset.raised = raised; }
        if (i === 4) { td.className = 'owner'; }
        tr.appendChild(td);
      });
      const td = document.createElement('td');
      ['ack', 'resolve'].forEach((a) => {
        const b = document.createElement('button');
        b.type = 'button'; b.textContent = t(a); b.className = a;
        b.addEventListener('click', () => command(a === 'ack' ? 'call-ack' : 'call-resolve', { callId: c.callId }));
        td.appendChild(b);
      });
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    if (fresh.length && known.size + fresh.length > 0 && state.seen) {
      $('announce').textContent = t('newCall') + ': ' + fresh.map((c) => c.button.location).join(', ');
      $('announce').hidden = false;
      beep();
    }
    const audit = document.querySelector('#audit tbody');
    audit.textContent = '';
    (state.audit || []).forEach((a) => {
      const tr = document.createElement('tr');
      [time(a.at), a.staffId, a.action, a.subject, a.door].forEach((v) => {
        const td = document.createElement('td'); td.textContent = v || ''; tr.appendChild(td);
      });
      audit.appendChild(tr);
    });
    known = new Set(calls.map((c) => c.callId));
    state.seen = true;
    if (!calls.length) { $('announce').hidden = true; }
  }

  setInterval(() => {
    document.querySelectorAll('td.waited').forEach((td) => { td.textContent = waited(Date.now() - Number(td.dataset.raised)); });
  }, 1000);

  async function command(name, args) {
    const r = await post('/api/command/' + name, args);
    $('action-result').textContent = name + ': ' + (r.ok ? t('ok') : t('failed') + ' - ' + (r.error ? r.error.message : ''));
    return r;
  }

  function listen() {
    if (source) { source.close(); }
    source = new EventSource('/api/events');
    source.addEventListener('state', (e) => { const seen = state && state.seen; state = JSON.parse(e.data); state.seen = seen; render(); });
  }

  function signedIn(j) {
    me = j;
    $('who').textContent = j.staff.id + ' ' + j.staff.name + ' (' + j.staff.role + ')';
    $('signin-view').hidden = true; $('main-view').hidden = false; $('signout').hidden = false;
    $('printer-test').hidden = !j.may.includes('printer-test');
    $('selftest').hidden = !j.may.includes('diagnose');
    listen();
  }

  function signedOut() {
    me = null; state = null; known = new Set();
    if (source) { source.close(); source = null; }
    $('who').textContent = '';
    $('signin-view').hidden = false; $('main-view').hidden = true; $('signout').hidden = true;
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
    $('printer-test').addEventListener('click', () => command('printer-test', {}));
    $('selftest').addEventListener('click', () => command('diagnose', {}));
    const r = await fetch('/api/me', { credentials: 'same-origin' });
    if (r.ok) { signedIn(await r.json()); }
    applyLang();
  });
})();
