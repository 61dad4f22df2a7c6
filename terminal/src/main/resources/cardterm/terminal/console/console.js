'use strict';
// The counter console: zh-CN by default, English at a click; live state by server-sent events.
// Pages (#overview, #jobs, #new-job, #devices) are views of one document: the call banner shows on all.
(() => {
  const T = {
    'zh-CN': { title: '柜台控制台', signout: '退出', signin: '员工登录', staffId: '工号', pin: 'PIN 码',
      signinBtn: '登录', terminal: '终端', calls: '求助呼叫', button: '按钮', place: '位置', level: '级别',
      waited: '等待', owner: '负责人', actions: '操作', tools: '设备', printerTest: '打印测试卡', selftest: '自检',
      ack: '接单', resolve: '完成', hubUp: '已连接中心', hubDown: '未连接中心', since: '自', backlog: '待发事件',
      oldest: '最早一条已等待', newCall: '新的求助呼叫', none: '无', lang: 'English', ok: '完成', failed: '失败',
      seconds: '秒', minutes: '分', hours: '小时', audit: '今日操作记录', time: '时间', who: '人员', what: '操作',
      subject: '对象', door: '渠道', skip: '跳到主要内容', pages: '页面', overview: '总览', jobs: '制卡任务',
      newJob: '新建制卡', noCalls: '没有求助呼叫', running: '正在制卡', queue: '排队中', order: '顺序',
      jobId: '任务号', citizen: '持卡人', accepted: '受理时间', queueEmpty: '没有排队的任务', face: '卡面预览',
      recent: '最近完成', outcome: '结果', reason: '原因与处理', took: '用时', ended: '结束时间',
      formHint: '填写全部信息后提交；有错误时会一次性在对应项旁边列出。', citizenData: '持卡人信息', name: '姓名',
      idNumber: '公民身份号码', gender: '性别', choose: '请选择', male: '男', female: '女', ethnicity: '民族代码',
      photo: '照片（JPEG 或 PNG）', cardData: '卡片信息', cardNumber: '卡号', issueDate: '发卡日期',
      expiryDate: '有效期至', optOut: '持卡人不要公交优惠（默认符合条件即开通）', submitJob: '提交制卡', clear: '清空',
      upload: '从任务文件提交', jobFile: '任务文件（JSON）', supplies: '耗材', elderly: '长者优先',
      cancel: '取消', showFace: '看卡面', noRunning: '当前没有正在制作的卡', elapsed: '已用', promised: '承诺',
      overrun: '已超时', completed: '成功', jobFailed: '未完成', cardRejected: '卡片已退到废卡盒',
      lastJob: '上一张卡的步骤', mistakes: '处需要修改，见各项旁的说明', jobAccepted: '已受理，排队位置',
      notJson: '文件不是有效的 JSON 任务', cards: '卡片', ribbon: '色带', rejectBox: '废卡盒', left: '剩余',
      printsLeft: '面', rejectedTotal: '累计废卡', levelOk: '充足', levelLow: '快用完了，请准备补充',
      levelEmpty: '已用完，请补充', levelUnknown: '尚未读取', boxFull: '已满：请清空后再制卡', boxRoom: '还有空位', missing: '必填', hubDoor: '中心', consoleDoor: '柜台',
      selftestPassed: '自检通过', selftestFailed: '自检发现问题', cancelled: '已取消', signedOutMsg: '登录已过期，请重新登录',
      deviceNames: { printer: '制卡打印机', 'reader.card': '芯片读写器', 'reader.sam': '安全模块（SAM）',
        cardface: '卡面字体', gpio: '呼叫按钮接口', audit: '操作记录', call: '呼叫按钮', lamp: '指示灯', buzzer: '蜂鸣器' },
      states: { ONLINE: '正常', DEGRADED: '需要处理', OFFLINE: '离线', UNKNOWN: '状态未知' },
      reasons: { OK: '', SUPPLY_LOW: '耗材快用完了：请准备补充', SUPPLY_EMPTY: '耗材用完了：请补充后再制卡',
        MAINTENANCE_DUE: '需要保养（如清洁）：请按说明清洁', COVER_OPEN: '机盖打开：请关好机盖',
        JAM: '卡片卡住：请打开机盖取出卡片', DEVICE_ERROR: '设备报错：请重启设备，仍不行请联系技术人员',
        STUCK: '设备没有响应：请联系技术人员', SESSION_TAKEN_OVER: '另一台终端用了同一编号：请联系技术人员',
        INTEGRITY_BROKEN: '数据校验失败：请联系技术人员', COMMUNICATION_ERROR: '通信出错：请检查连接线',
        LINK_DOWN: '连接断开：请检查连接线和电源', GONE: '设备未连接：请检查连接线',
        SERVICE_DOWN: '读卡服务未运行：请重启终端，仍不行请联系技术人员',
        CONFIGURATION_ERROR: '配置有误：请联系技术人员', INITIALIZING: '正在启动' },
      steps: { 'printer-check': '检查打印机', 'card-feed': '进卡', chip: '写芯片并校验', record: '写入', print: '打印卡面',
        eject: '出卡', reject: '退卡到废卡盒', cancel: '取消请求' },
      codes: { CANCELLED: '已被取消', INTERRUPTED: '断电或重启中断：卡片已退到废卡盒，请重新提交',
        FEEDER_EMPTY: '没有空白卡：请放入卡片后重新提交', NO_CARD: '没有卡片：请放入卡片后重新提交',
        JAM: '卡片卡住：请取出卡片后重新提交', COVER_OPEN: '机盖打开：请关好后重新提交',
        RIBBON_ENDED: '色带用完：请更换色带后重新提交', NO_RIBBON: '没有色带：请装入色带后重新提交',
        REJECT_BOX_FULL: '废卡盒满了：请清空后重新提交', HEAD_TEMP: '打印头过热：请稍等几分钟后重新提交',
        PRINTER_TIMEOUT: '打印机没有响应：请检查打印机后重新提交', PRINTER_UNAVAILABLE: '打印机未连接：请检查连接线',
        PRINTER_NOT_READY: '打印机未就绪：请看设备页的提示', PRINTER_ERROR: '打印机出错：请重新提交，仍不行请联系技术人员',
        CARD_ALREADY_ISSUED: '这张卡已经制过：请换一张空白卡', CARD_WRITE_FAILED: '写芯片失败：请换一张卡重新提交',
        CARD_VERIFY_FAILED: '芯片校验不一致：请换一张卡重新提交', CARD_REMOVED: '卡片被移开：请重新提交',
        CARD_AUTH_FAILED: '芯片认证失败：请换一张卡，仍不行请联系技术人员', CARD_AUTH_BLOCKED: '卡片已锁定：请换一张卡',
        CARD_UNSUPPORTED: '不支持这种卡：请换一张本市空白卡', READER_UNAVAILABLE: '读写器未连接：请检查连接线',
        SAM_FAILED: '安全模块出错：请联系技术人员', CARD_FACE_UNAVAILABLE: '无法生成卡面：请联系技术人员',
        CARD_FACE_FAILED: '卡面生成失败：请联系技术人员', INTERNAL_ERROR: '终端内部错误：请联系技术人员' },
      otherCode: '出错：请重新提交，仍不行请联系技术人员' },
    'en': { title: 'Counter console', signout: 'Sign out', signin: 'Staff sign-in', staffId: 'Staff id', pin: 'PIN',
      signinBtn: 'Sign in', terminal: 'Terminal', calls: 'Assistance calls', button: 'Button', place: 'Place',
      level: 'Level', waited: 'Waited', owner: 'Owner', actions: 'Actions', tools: 'Devices',
      printerTest: 'Print test card', selftest: 'Self-test', ack: 'Acknowledge', resolve: 'Resolve',
      hubUp: 'connected to the hub', hubDown: 'not connected to the hub', since: 'since', backlog: 'events waiting',
      oldest: 'oldest waiting for', newCall: 'New assistance call', none: 'none', lang: '中文', ok: 'done',
      failed: 'failed', seconds: 's', minutes: 'min', hours: 'h', audit: "Today's audit trail", time: 'Time',
      who: 'Who', what: 'What', subject: 'Subject', door: 'Door', skip: 'Skip to the main content', pages: 'Pages',
      overview: 'Overview', jobs: 'Jobs', newJob: 'New job', noCalls: 'No assistance calls', running: 'Being made now',
      queue: 'Waiting', order: 'Order', jobId: 'Job id', citizen: 'Card holder', accepted: 'Accepted',
      queueEmpty: 'No jobs waiting', face: 'Card face', recent: 'Recently ended', outcome: 'Outcome',
      reason: 'Reason and what to do', took: 'Took', ended: 'Ended',
      formHint: 'Fill in every field and submit; any mistakes are all listed at once, beside their fields.',
      citizenData: 'Card holder', name: 'Name', idNumber: 'ID number', gender: 'Gender', choose: 'Choose',
      male: 'Male', female: 'Female', ethnicity: 'Ethnicity code', photo: 'Photo (JPEG or PNG)', cardData: 'Card',
      cardNumber: 'Card number', issueDate: 'Issue date', expiryDate: 'Valid until',
      optOut: 'The holder declines the transit concession (on by default when eligible)', submitJob: 'Submit job',
      clear: 'Clear', upload: 'Submit a job file', jobFile: 'Job file (JSON)', supplies: 'Supplies',
      elderly: 'Elderly first', cancel: 'Cancel', showFace: 'Card face', noRunning: 'No card is being made now',
      elapsed: 'elapsed', promised: 'promised', overrun: 'overrun', completed: 'completed', jobFailed: 'not completed',
      cardRejected: 'the card went to the reject box', lastJob: 'Steps of the last card',
      mistakes: 'mistakes to correct, see beside each field', jobAccepted: 'Accepted, place in the queue',
      notJson: 'The file is not a valid JSON job', cards: 'Cards', ribbon: 'Ribbon', rejectBox: 'Reject box',
      left: 'left', printsLeft: 'prints', rejectedTotal: 'rejected in total', levelOk: 'enough',
      levelLow: 'running low: have more ready', levelEmpty: 'empty: refill it', levelUnknown: 'not read yet', boxFull: 'full: empty it before the next card', boxRoom: 'has room',
      missing: 'required', hubDoor: 'hub', consoleDoor: 'counter', selftestPassed: 'Self-test passed',
      selftestFailed: 'Self-test found problems', cancelled: 'cancelled', signedOutMsg: 'Your session ended: sign in again',
      deviceNames: { printer: 'Card printer', 'reader.card': 'Chip encoder', 'reader.sam': 'Security module (SAM)',
        cardface: 'Card face font', gpio: 'Call button board', audit: 'Audit trail', call: 'Call button', lamp: 'lamp',
        buzzer: 'buzzer' },
      states: { ONLINE: 'working', DEGRADED: 'needs attention', OFFLINE: 'offline', UNKNOWN: 'state unknown' },
      reasons: { OK: '', SUPPLY_LOW: 'a supply is running low: have more ready',
        SUPPLY_EMPTY: 'a supply ran out: refill it before the next card', MAINTENANCE_DUE: 'maintenance due (cleaning): follow the guide',
        COVER_OPEN: 'the cover is open: close it', JAM: 'a card is stuck: open the cover and take it out',
        DEVICE_ERROR: 'the device reports an error: restart it; if it stays, call a technician',
        STUCK: 'the device does not answer: call a technician',
        SESSION_TAKEN_OVER: 'another terminal uses this id: call a technician',
        INTEGRITY_BROKEN: 'a data check failed: call a technician', COMMUNICATION_ERROR: 'garbled link: check the cable',
        LINK_DOWN: 'the link is down: check the cable and power', GONE: 'not connected: check the cable',
        SERVICE_DOWN: 'the card reader service is not running: restart the terminal; if it stays, call a technician',
        CONFIGURATION_ERROR: 'set up wrongly: call a technician', INITIALIZING: 'starting' },
      steps: { 'printer-check': 'Printer check', 'card-feed': 'Card in', chip: 'Chip written and checked',
        record: 'Write', print: 'Face printed', eject: 'Card out', reject: 'Card to the reject box', cancel: 'Cancel asked' },
      codes: { CANCELLED: 'cancelled', INTERRUPTED: 'a power cut or restart stopped it: the card was rejected; submit again',
        FEEDER_EMPTY: 'no blank cards: load cards and submit again', NO_CARD: 'no card: load cards and submit again',
        JAM: 'a card got stuck: take it out and submit again', COVER_OPEN: 'the cover was open: close it and submit again',
        RIBBON_ENDED: 'the ribbon ran out: change it and submit again', NO_RIBBON: 'no ribbon: load one and submit again',
        REJECT_BOX_FULL: 'the reject box is full: empty it and submit again',
        HEAD_TEMP: 'the print head is too hot: wait a few minutes and submit again',
        PRINTER_TIMEOUT: 'the printer did not answer: check it and submit again',
        PRINTER_UNAVAILABLE: 'the printer is not connected: check the cable',
        PRINTER_NOT_READY: 'the printer was not ready: see the Devices page',
        PRINTER_ERROR: 'the printer failed: submit again; if it stays, call a technician',
        CARD_ALREADY_ISSUED: 'this card was made before: use a blank card',
        CARD_WRITE_FAILED: 'the chip could not be written: use another card and submit again',
        CARD_VERIFY_FAILED: 'the chip read back different: use another card and submit again',
        CARD_REMOVED: 'the card was taken away: submit again',
        CARD_AUTH_FAILED: 'the chip refused the key: use another card; if it stays, call a technician',
        CARD_AUTH_BLOCKED: 'the card is blocked: use another card',
        CARD_UNSUPPORTED: 'this card is not supported: use a blank city card',
        READER_UNAVAILABLE: 'the encoder is not connected: check the cable',
        SAM_FAILED: 'the security module failed: call a technician',
        CARD_FACE_UNAVAILABLE: 'no card face can be drawn: call a technician',
        CARD_FACE_FAILED: 'the card face failed: call a technician',
        INTERNAL_ERROR: 'an error in the terminal: call a technician' },
      otherCode: 'failed: submit again; if it stays, call a technician' }
  };
  const VIEWS = ['overview', 'jobs', 'new-job', 'devices'];
  let lang = 'zh-CN', me = null, state = null, source = null, known = new Set(), zone = 'Asia/Shanghai';
  let view = 'overview', faceJob = null, lastProblems = [];
  const $ = (id) => document.getElementById(id);
  const t = (k) => (T[lang][k] !== undefined ? T[lang][k] : k);
  const sub = (group, k) => (T[lang][group] && T[lang][group][k] !== undefined ? T[lang][group][k] : null);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) { e.textContent = text; } if (cls) { e.className = cls; } return e; };

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    document.querySelectorAll('[data-t-label]').forEach((e) => { e.setAttribute('aria-label', t(e.dataset.tLabel)); });
    $('lang').textContent = t('lang');
    $('lang').lang = lang === 'en' ? 'zh-CN' : 'en';
    $('face').alt = t('face');
    render();
    showProblems(lastProblems);
  }

  async function post(path, body) {
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
      headers: Object.assign({ 'Content-Type': 'application/json' }, me ? { 'X-CSRF-Token': me.csrf } : {}),
      body: JSON.stringify(body || {}) });
    const j = await r.json();
    if (r.status === 401 && me) { signedOut(t('signedOutMsg')); }
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
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) { return s + ' ' + t('seconds'); }
    if (s < 3600) { return Math.floor(s / 60) + ' ' + t('minutes') + ' ' + (s % 60) + ' ' + t('seconds'); }
    return Math.floor(s / 3600) + ' ' + t('hours') + ' ' + Math.floor((s % 3600) / 60) + ' ' + t('minutes');
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString(lang, { timeZone: zone }) : '';
  }

  function counting(node, fromIso) {
    node.classList.add('counting');
    node.dataset.from = Date.parse(fromIso);
    node.textContent = waited(Date.now() - Number(node.dataset.from));
    return node;
  }

  // ---- pages
  function show(name) {
    if (!VIEWS.includes(name)) { name = 'overview'; }
    if (me && !allowedViews().includes(name)) { name = 'overview'; }
    view = name;
    VIEWS.forEach((v) => { $('view-' + v).hidden = v !== name; });
    document.querySelectorAll('#nav a').forEach((a) => {
      if (a.dataset.view === name) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
    });
  }

  function allowedViews() {
    return me && me.staff.role === 'technician' ? ['overview', 'jobs', 'devices'] : VIEWS;
  }

  // ---- rendering
  function render() {
    if (!state || !me) { return; }
    zone = state.timeZone || zone;
    renderTerminal();
    renderCalls();
    renderAudit();
    renderJobs();
    renderDevices();
    state.seen = true;
  }

  function renderTerminal() {
    const hub = state.hub || {};
    const term = $('terminal');
    term.textContent = '';
    const p = el('p', (hub.connected ? t('hubUp') : t('hubDown')) + ' (' + t('since') + ' ' + time(hub.since) + ')',
      hub.connected ? 'good' : 'bad');
    p.id = 'hub-state';
    term.appendChild(p);
    const o = el('p', t('backlog') + ': ' + (state.outbox ? state.outbox.backlog : 0));
    o.id = 'backlog';
    if (state.outbox && state.outbox.oldest) {
      o.appendChild(document.createTextNode(' · ' + t('oldest') + ' '));
      o.appendChild(counting(el('span'), state.outbox.oldest));
    }
    term.appendChild(o);
    const trouble = (state.devices || []).filter((d) => d.state !== 'ONLINE');
    const ul = el('ul');
    trouble.forEach((d) => ul.appendChild(deviceItem(d)));
    if (trouble.length) { term.appendChild(ul); }
  }

  function deviceName(id) {
    const known = sub('deviceNames', id);
    if (known) { return known; }
    const part = /^(.*)\.(lamp|buzzer)$/.exec(id);
    if (part) { return deviceName(part[1]) + ' ' + sub('deviceNames', part[2]); }
    const call = /^call-(\d+)$/.exec(id);
    return call ? sub('deviceNames', 'call') + ' ' + call[1] : id;
  }

  function deviceItem(d) {
    const li = el('li', '', d.state === 'ONLINE' ? '' : 'bad');
    li.dataset.device = d.device;
    const name = deviceName(d.device);
    const words = sub('reasons', d.reason);
    li.textContent = name + ' (' + d.device + '): ' + (sub('states', d.state) || d.state)
      + (words ? ' - ' + words : '') + (d.message && d.state !== 'ONLINE' ? ' [' + d.message + ']' : '');
    return li;
  }

  function renderCalls() {
    $('calls-section').hidden = !state.calls;
    const tbody = document.querySelector('#calls tbody');
    tbody.textContent = '';
    const calls = state.calls || [];
    const fresh = calls.filter((c) => !known.has(c.callId));
    calls.forEach((c) => {
      const tr = el('tr');
      tr.id = 'call-' + c.callId;
      tr.dataset.button = c.button.id;
      [c.button.id, c.button.location, c.level].forEach((v) => tr.appendChild(el('td', v)));
      tr.appendChild(counting(el('td', '', 'waited'), c.raisedAt));
      tr.appendChild(el('td', c.owner || '-', 'owner'));
      const td = el('td');
      ['ack', 'resolve'].forEach((a) => {
        const b = el('button', t(a), a);
        b.type = 'button';
        b.addEventListener('click', () => command(a === 'ack' ? 'call-ack' : 'call-resolve', { callId: c.callId }));
        td.appendChild(b);
      });
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    $('no-calls').hidden = calls.length > 0;
    if (fresh.length && state.seen) {
      $('announce').textContent = t('newCall') + ': ' + fresh.map((c) => c.button.location).join(', ');
      $('announce').hidden = false;
      beep();
    }
    known = new Set(calls.map((c) => c.callId));
    if (!calls.length) { $('announce').hidden = true; }
  }

  function renderAudit() {
    const audit = document.querySelector('#audit tbody');
    audit.textContent = '';
    (state.audit || []).forEach((a) => {
      const tr = el('tr');
      [time(a.at), a.staffId, a.action, a.subject, a.door].forEach((v) => tr.appendChild(el('td', v || '')));
      audit.appendChild(tr);
    });
  }

  function stepList(steps, running) {
    const ol = el('ol', undefined, 'steps');
    ol.id = running ? 'running-steps' : 'last-steps';
    (steps || []).forEach((s) => {
      const li = el('li', undefined, s.end ? 'done' : 'active');
      li.dataset.step = s.step;
      const took = s.end ? ((Date.parse(s.end) - Date.parse(s.start)) / 1000).toFixed(1) + ' ' + t('seconds') : '…';
      li.textContent = (sub('steps', s.step) || s.step) + (s.detail ? ' ' + s.detail : '') + ' · ' + time(s.start) + ' · ' + took;
      ol.appendChild(li);
    });
    return ol;
  }

  function canCancel() { return me && me.may.includes('cancel'); }
  function seesFaces() { return me && me.staff.role !== 'technician'; }

  function jobButtons(td, jobId) {
    if (seesFaces()) {
      const f = el('button', t('showFace'), 'secondary face');
      f.type = 'button';
      f.addEventListener('click', () => { faceJob = jobId; renderFace(); });
      td.appendChild(f);
    }
    if (canCancel()) {
      const c = el('button', t('cancel'), 'cancel');
      c.type = 'button';
      c.addEventListener('click', () => command('cancel', { jobId }));
      td.appendChild(c);
    }
  }

  function renderJobs() {
    const jobs = state.jobs || { queue: [], recent: [] };
    const promised = jobs.promisedMs || 0;
    const run = $('running');
    run.textContent = '';
    if (jobs.running) {
      const r = jobs.running;
      run.dataset.job = r.jobId;
      const head = el('p');
      head.appendChild(el('strong', r.jobId));
      if (r.elderly) { head.appendChild(el('span', t('elderly'), 'badge')); }
      if (r.nameMasked) { head.appendChild(document.createTextNode(' ' + r.nameMasked)); }
      run.appendChild(head);
      const e = el('p');
      e.id = 'elapsed';
      e.dataset.promised = promised;
      e.appendChild(document.createTextNode(t('elapsed') + ' '));
      e.appendChild(counting(el('span'), r.startedAt || r.acceptedAt));
      e.appendChild(document.createTextNode(' / ' + t('promised') + ' ' + waited(promised)));
      const over = el('span', ' ' + t('overrun'), 'overrun overrun-mark');
      over.hidden = Date.now() - Date.parse(r.startedAt || r.acceptedAt) <= promised;
      e.appendChild(over);
      run.appendChild(e);
      run.appendChild(stepList(r.steps, true));
      const td = el('p');
      jobButtons(td, r.jobId);
      run.appendChild(td);
    } else {
      delete run.dataset.job;
      run.appendChild(el('p', t('noRunning'), 'quiet'));
      const last = (jobs.recent || [])[0];
      if (last && last.steps) {
        run.appendChild(el('p', t('lastJob') + ' (' + last.jobId + ')'));
        run.appendChild(stepList(last.steps, false));
      }
    }
    const q = document.querySelector('#queue tbody');
    q.textContent = '';
    (jobs.queue || []).forEach((j, i) => {
      const tr = el('tr', undefined, j.elderly ? 'elderly' : '');
      tr.dataset.job = j.jobId;
      tr.appendChild(el('td', String(i + 1)));
      const id = el('td', j.jobId);
      if (j.elderly) { id.appendChild(el('span', t('elderly'), 'badge')); }
      tr.appendChild(id);
      tr.appendChild(el('td', j.nameMasked || '-'));
      tr.appendChild(el('td', time(j.acceptedAt)));
      const td = el('td');
      jobButtons(td, j.jobId);
      tr.appendChild(td);
      q.appendChild(tr);
    });
    $('queue-empty').hidden = (jobs.queue || []).length > 0;
    const rb = document.querySelector('#recent tbody');
    rb.textContent = '';
    (jobs.recent || []).forEach((j) => {
      const tr = el('tr');
      tr.dataset.job = j.jobId;
      tr.dataset.outcome = j.completed ? 'completed' : (j.code || 'failed');
      tr.appendChild(el('td', j.jobId));
      tr.appendChild(el('td', j.completed ? t('completed') : t('jobFailed'), j.completed ? 'good' : 'bad'));
      let words = '';
      if (!j.completed) {
        words = sub('codes', j.code) || t('otherCode');
        if (j.cardRejected && j.code !== 'INTERRUPTED') { words += ' (' + t('cardRejected') + ')'; }
      }
      tr.appendChild(el('td', words));
      tr.appendChild(el('td', waited(j.ms)));
      tr.appendChild(el('td', time(j.endedAt)));
      rb.appendChild(tr);
    });
    const stillThere = faceJob && ((jobs.running && jobs.running.jobId === faceJob)
      || (jobs.queue || []).some((j) => j.jobId === faceJob));
    if (faceJob && !stillThere) { faceJob = null; renderFace(); }
  }

  function renderFace() {
    const img = $('face');
    if (!faceJob) {
      $('face-section').hidden = true;
      img.removeAttribute('src');
      return;
    }
    img.alt = t('face') + ' ' + faceJob;
    img.src = '/api/jobs/' + encodeURIComponent(faceJob) + '/face.png';
    $('face-section').hidden = false;
  }

  function renderDevices() {
    const ul = $('devices');
    ul.textContent = '';
    (state.devices || []).forEach((d) => ul.appendChild(deviceItem(d)));
    const s = $('supplies');
    s.textContent = '';
    const levels = { ok: 'levelOk', low: 'levelLow', empty: 'levelEmpty', unknown: 'levelUnknown' };
    (state.supplies || []).forEach((x) => {
      const li = el('li', undefined, x.level === 'empty' ? 'bad' : '');
      li.dataset.supply = x.supply;
      li.textContent = t(x.supply === 'cards' ? 'cards' : 'ribbon') + ': ' + t(levels[x.level] || 'levelUnknown')
        + (x.left !== undefined ? ' (' + t('left') + ' ' + x.left + ' ' + t('printsLeft') + (x.detail ? ', ' + x.detail : '') + ')' : '');
      s.appendChild(li);
    });
    const box = (state.devices || []).some((d) => /REJECT_BOX_FULL|reject box/i.test(d.message || ''));
    const li = el('li', t('rejectBox') + ': ' + t(box ? 'boxFull' : 'boxRoom')
      + (state.rejectedCards !== undefined ? ' (' + t('rejectedTotal') + ' ' + state.rejectedCards + ')' : ''), box ? 'bad' : '');
    li.dataset.supply = 'reject-box';
    s.appendChild(li);
  }

  setInterval(() => {
    document.querySelectorAll('.counting').forEach((n) => { n.textContent = waited(Date.now() - Number(n.dataset.from)); });
    const e = $('elapsed');
    if (e && state && state.jobs && state.jobs.running) {
      const r = state.jobs.running;
      e.querySelector('.overrun-mark').hidden = Date.now() - Date.parse(r.startedAt || r.acceptedAt) <= Number(e.dataset.promised);
    }
  }, 1000);

  async function command(name, args) {
    const r = await post('/api/command/' + name, args);
    const target = view === 'new-job' ? $('job-result') : $('action-result');
    if (view !== 'devices' && view !== 'new-job') {
      $('action-result').textContent = '';
    }
    const msg = name + ': ' + (r.ok ? t('ok') : t('failed') + ' - ' + (r.error ? r.error.message : ''));
    target.textContent = msg;
    if (view === 'overview' || view === 'jobs') { flash(msg); }
    return r;
  }

  function flash(msg) {
    let f = $('flash');
    if (!f) {
      f = el('p'); f.id = 'flash'; f.setAttribute('role', 'status');
      $('main-view').insertBefore(f, $('main-view').firstChild);
    }
    f.textContent = msg;
  }

  // ---- the job form
  function newJobId() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return 'J-' + d.getFullYear() + p(d.getMonth() + 1) + p(d.getDate()) + '-' + p(d.getHours()) + p(d.getMinutes())
      + p(d.getSeconds()) + '-' + Math.floor(Math.random() * 1000).toString().padStart(3, '0');
  }

  function today(plusYears) {
    const d = new Date();
    const s = d.toLocaleDateString('sv-SE', { timeZone: zone });
    return plusYears ? (Number(s.slice(0, 4)) + plusYears) + s.slice(4) : s;
  }

  function resetForm() {
    $('job-form').reset();
    $('f-jobId').value = newJobId();
    $('f-issueDate').value = today(0);
    $('f-expiryDate').value = today(10);
    $('f-ethnicity').value = '1';
    showProblems([]);
  }

  function readFile(file, asText) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result);
      r.onerror = () => reject(r.error);
      if (asText) { r.readAsText(file); } else { r.readAsDataURL(file); }
    });
  }

  async function formJob() {
    const v = (id) => $(id).value.trim();
    const put = (o, k, x) => { if (x !== '') { o[k] = x; } };
    const job = { citizen: {}, card: {} };
    put(job, 'jobId', v('f-jobId'));
    put(job.citizen, 'name', v('f-name'));
    put(job.citizen, 'idNumber', v('f-idNumber').toUpperCase());
    put(job.citizen, 'gender', v('f-gender'));
    const eth = v('f-ethnicity');
    put(job.citizen, 'ethnicity', /^\d{1,3}$/.test(eth) ? Number(eth) : eth);
    put(job.card, 'cardNumber', v('f-cardNumber'));
    put(job.card, 'issueDate', v('f-issueDate'));
    put(job.card, 'expiryDate', v('f-expiryDate'));
    if ($('f-optout').checked) { job.transitConcession = false; }
    const photo = $('f-photo').files[0];
    if (photo) {
      const url = await readFile(photo, false);
      job.photo = String(url).replace(/^data:[^,]*,/, '');
    }
    return job;
  }

  const FIELD_OF = { 'citizen.birthDate': 'citizen.idNumber', staffId: null };

  // the terminal's checks speak English: the common ones in plain Chinese, the rest as they are
  const ZH_PROBLEMS = [
    [/^missing$/, '必填'],
    [/^check character does not match/, '校验位不对：号码可能有一位输错了，请核对证件'],
    [/^must be 17 digits and a check digit or X/, '应为 17 位数字加 1 位校验码（数字或 X）'],
    [/^birth date inside the number/, '号码中的出生日期不对，请核对证件'],
    [/^must be 9 upper-case letters or digits/, '应为 9 位大写字母或数字'],
    [/^must be a real date/, '请填写正确的日期'],
    [/^must be after the issue date/, '有效期应晚于发卡日期'],
    [/^is before the citizen's birth date/, '不能早于出生日期'],
    [/^must be a whole number 1\.\.56/, '应为 1 到 56 的民族代码'],
    [/^cannot be encoded in GBK/, '含有芯片无法存储的字：请按证件上的规范字填写'],
    [/^(is neither JPEG nor PNG|must be a JPEG or PNG image)/, '照片应为 JPEG 或 PNG 图片'],
    [/^is larger than/, '照片太大，请换一张较小的'],
    [/^must be 1-64 letters/, '任务号只能用字母、数字和 . _ : -，最长 64 位'],
  ];

  function problemWords(p) {
    if (lang !== 'zh-CN') { return p.message; }
    const hit = ZH_PROBLEMS.find(([re]) => re.test(p.message));
    return hit ? hit[1] + (hit[0].source === '^missing$' ? '' : '（' + p.message + '）') : p.message;
  }

  function showProblems(problems) {
    lastProblems = problems || [];
    document.querySelectorAll('#job-form .field-error').forEach((e) => { e.textContent = ''; });
    document.querySelectorAll('#job-form [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const summary = $('job-form-summary');
    summary.textContent = '';
    if (!lastProblems.length) { return; }
    const unplaced = [];
    lastProblems.forEach((p) => {
      let field = Object.prototype.hasOwnProperty.call(FIELD_OF, p.field) ? FIELD_OF[p.field] : p.field;
      let slot = field ? document.getElementById('e-' + field) : null;
      if (!slot && field && field.startsWith('citizen.')) { slot = null; }
      if (slot) {
        slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + problemWords(p);
        const input = document.querySelector('#job-form [data-field="' + field + '"]') || (field === 'photo' ? $('f-photo') : null);
        if (input) { input.setAttribute('aria-invalid', 'true'); }
      } else {
        unplaced.push((p.field ? p.field + ': ' : '') + problemWords(p));
      }
    });
    summary.appendChild(el('span', lastProblems.length + ' ' + t('mistakes')));
    if (unplaced.length) {
      const ul = el('ul');
      unplaced.forEach((u) => ul.appendChild(el('li', u)));
      summary.appendChild(ul);
    }
  }

  async function submitJob(job, resultNode) {
    const r = await post('/api/command/issue', job);
    if (r.ok) {
      resultNode.textContent = t('jobAccepted') + ': ' + r.result.queued + ' (' + r.result.jobId + ')';
      return r;
    }
    resultNode.textContent = t('failed') + ' - ' + (r.error ? r.error.message : '');
    return r;
  }

  // ---- live updates and sign-in
  function listen() {
    if (source) { source.close(); }
    source = new EventSource('/api/events');
    source.addEventListener('state', (e) => { const seen = state && state.seen; state = JSON.parse(e.data); state.seen = seen; render(); });
  }

  function signedIn(j) {
    me = j;
    $('who').textContent = j.staff.id + ' ' + j.staff.name + ' (' + j.staff.role + ')';
    $('signin-view').hidden = true; $('main-view').hidden = false; $('signout').hidden = false; $('nav').hidden = false;
    $('printer-test').hidden = !j.may.includes('printer-test');
    $('selftest').hidden = !j.may.includes('diagnose');
    document.querySelectorAll('#nav a').forEach((a) => { a.parentElement.hidden = !allowedViews().includes(a.dataset.view); });
    resetForm();
    show((location.hash || '#overview').slice(1));
    listen();
  }

  function signedOut(why) {
    me = null; state = null; known = new Set(); faceJob = null;
    if (source) { source.close(); source = null; }
    $('who').textContent = '';
    $('signin-view').hidden = false; $('main-view').hidden = true; $('signout').hidden = true; $('nav').hidden = true;
    $('announce').hidden = true;
    $('signin-error').textContent = why || '';
    history.replaceState(null, '', location.pathname); // the next one to sign in starts at the overview
    show('overview');
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('lang').addEventListener('click', () => { lang = lang === 'zh-CN' ? 'en' : 'zh-CN'; applyLang(); });
    window.addEventListener('hashchange', () => show(location.hash.slice(1)));
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
    $('selftest').addEventListener('click', async () => {
      const r = await command('diagnose', {});
      const ul = $('selftest-result');
      ul.textContent = '';
      if (r.ok && r.result) {
        ul.appendChild(el('li', r.result.passed === false ? t('selftestFailed') : t('selftestPassed'), r.result.passed === false ? 'bad' : 'good'));
        (r.result.checks || []).forEach((c) => ul.appendChild(el('li', c.check + ': ' + (c.passed ? t('ok') : t('failed'))
          + (c.detail ? ' - ' + c.detail : '') + (c.hint ? ' → ' + c.hint : ''), c.passed ? '' : 'bad')));
      }
    });
    $('job-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      $('job-submit').disabled = true;
      try {
        const r = await submitJob(await formJob(), $('job-result'));
        if (r.ok) { resetForm(); $('job-result').textContent = t('jobAccepted') + ': ' + r.result.queued + ' (' + r.result.jobId + ')'; }
        else { showProblems(r.error && r.error.problems && r.error.problems.length ? r.error.problems : []); if (lastProblems.length) { $('job-form-summary').focus(); } }
      } finally { $('job-submit').disabled = false; }
    });
    $('job-reset').addEventListener('click', (e) => { e.preventDefault(); resetForm(); $('job-result').textContent = ''; });
    $('job-file').addEventListener('change', async () => {
      const f = $('job-file').files[0];
      const list = $('upload-problems');
      list.textContent = '';
      if (!f) { return; }
      let job;
      try { job = JSON.parse(await readFile(f, true)); } catch (x) { $('upload-result').textContent = t('notJson'); return; }
      const r = await submitJob(job, $('upload-result'));
      if (!r.ok && r.error && r.error.problems) {
        r.error.problems.forEach((p) => list.appendChild(el('li', (p.field ? p.field + ': ' : '') + problemWords(p))));
      }
      $('job-file').value = '';
    });
    $('job-form-summary').tabIndex = -1;
    const r = await fetch('/api/me', { credentials: 'same-origin' });
    if (r.ok) { signedIn(await r.json()); }
    applyLang();
  });
})();
