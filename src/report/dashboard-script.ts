/**
 * The class dashboard's script, run by the instructor's browser. It reads the JSON that
 * renderDashboard embeds and builds the student table, the heatmap and the detail panel.
 * Every piece of student text goes in with textContent or a property (title, href built
 * with encodeURIComponent), never as markup. So do its words, which the data carries in the
 * page's language (`labels`): `fillIn` puts numbers and names in them as plain text.
 */
export const DASHBOARD_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var checks = data.checks;
  var texts = data.texts;
  var students = data.students;
  var L = data.labels;
  var STATUS = { p: 'passed', f: 'failed', s: 'skipped', e: 'error' };
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  var state = { key: '', dir: 1, query: '', status: '', section: '' };
  var shown = [];
  var current = -1;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function text(ref) { return ref >= 0 ? texts[ref] : ''; }
  function fillIn(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }
  function statusLabel(status) { return Object.prototype.hasOwnProperty.call(L.rowStatus, status) ? L.rowStatus[status] : status; }
  function checkLabel(code) { return L.checkStatus[STATUS[code]]; }
  function num(n) { return String(Math.round(n * 100) / 100); }
  function label(s) { return s.label !== undefined ? s.label : s.username; }
  function reportHref(s, ext) { return 'students/' + encodeURIComponent(s.username) + '.' + ext; }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  function scoreText(s) { return s.score === null ? '' : num(s.score) + ' / ' + num(s.max); }
  function ratio(cell) {
    if (cell[2] > 0) return cell[1] / cell[2];
    return cell[0] === 'p' ? 1 : 0;
  }
  function cellClass(cell) {
    if (!cell) return 'c-none';
    if (cell[0] === 's') return 'c-skip';
    var r = ratio(cell);
    return r >= 1 ? 'c-pass' : r > 0 ? 'c-part' : 'c-fail';
  }

  var COLUMNS = {
    username: { text: true, get: function (s) { return s.username; } },
    name: { text: true, get: function (s) { return s.name; } },
    section: { text: true, get: function (s) { return s.section; } },
    status: { text: true, get: function (s) { return s.status; } },
    score: { get: function (s) { return s.score; } },
    percent: { get: function (s) { return s.percent; } },
    late: { get: function (s) { return s.late_ms; } },
    commit: { text: true, get: function (s) { return s.commit; } },
  };
  function absent(v) { return v === null || v === undefined || v === ''; }
  function compare(a, b) {
    var column = COLUMNS[state.key];
    if (column) {
      var x = column.get(a), y = column.get(b);
      if (absent(x) !== absent(y)) return absent(x) ? 1 : -1;
      if (!absent(x)) {
        var c = column.text ? collator.compare(x, y) : x - y;
        if (c !== 0) return c * state.dir;
      }
    }
    return a.index - b.index;
  }
  function visible(s) {
    if (state.status === 'late') { if (!(s.late_ms > 0)) return false; }
    else if (state.status && s.status !== state.status) return false;
    if (state.section && s.section !== state.section) return false;
    if (!state.query) return true;
    return (s.username + '\\n' + s.name + '\\n' + s.section).toLocaleLowerCase().indexOf(state.query) >= 0;
  }

  function studentRow(s, i) {
    var tr = el('tr');
    tr.dataset.i = String(i);
    tr.dataset.username = s.username;
    var user = el('td');
    var button = el('button', 'link', label(s));
    button.type = 'button';
    user.appendChild(button);
    tr.appendChild(user);
    tr.appendChild(el('td', 'name', s.name));
    tr.appendChild(el('td', 'section', s.section));
    var status = el('td');
    var badge = el('span', 'badge st-' + s.status, statusLabel(s.status));
    if (s.reason) badge.title = s.reason;
    status.appendChild(badge);
    if (s.late) {
      status.appendChild(document.createTextNode(' '));
      status.appendChild(el('span', 'badge st-late', L.late));
    }
    tr.appendChild(status);
    tr.appendChild(el('td', 'num score', scoreText(s)));
    var pct = el('td', 'num');
    if (s.percent !== null) {
      var wrap = el('span', 'pct');
      var track = el('span', 'track');
      var fill = el('span', 'fill' + (s.passed ? '' : s.percent < 50 ? ' low' : ' mid'));
      fill.style.width = Math.max(0, Math.min(100, s.percent)) + '%';
      track.appendChild(fill);
      wrap.appendChild(track);
      wrap.appendChild(el('span', '', Math.round(s.percent * 10) / 10 + '%'));
      pct.appendChild(wrap);
    }
    tr.appendChild(pct);
    tr.appendChild(el('td', 'num', s.late));
    var commit = el('td', 'mono', s.commit ? s.commit.slice(0, 7) : '');
    if (s.commit) commit.title = s.commit;
    tr.appendChild(commit);
    var reports = el('td', 'reports');
    ['md', 'json'].forEach(function (ext) {
      var a = el('a', '', ext === 'md' ? L.report : 'json');
      a.href = reportHref(s, ext);
      reports.appendChild(a);
    });
    tr.appendChild(reports);
    return tr;
  }

  function heatRow(s, i) {
    var tr = el('tr');
    tr.dataset.i = String(i);
    tr.dataset.username = s.username;
    var head = el('th');
    var button = el('button', 'link', label(s));
    button.type = 'button';
    head.appendChild(button);
    tr.appendChild(head);
    checks.forEach(function (check, j) {
      var cell = s.checks[j];
      var td = el('td', 'cell ' + cellClass(cell));
      td.title = label(s) + ' \\u00b7 ' + check.name + ': ' +
        (cell ? checkLabel(cell[0]) + ', ' + num(cell[1]) + '/' + num(cell[2]) : L.notRun);
      tr.appendChild(td);
    });
    return tr;
  }

  var rowCache = students.map(studentRow);
  var heatCache = students.map(heatRow);

  // As in summary.md: passed / (passed + failed) over the graded students; skipped and errors do not count.
  function passRates(list) {
    var row = el('tr');
    row.appendChild(el('th', 'muted', L.passRate));
    checks.forEach(function (check, j) {
      var passed = 0, failed = 0;
      list.forEach(function (i) {
        var cell = students[i].checks[j];
        if (students[i].percent === null || !cell) return;
        if (cell[0] === 'p') passed += 1;
        else if (cell[0] === 'f') failed += 1;
      });
      var ran = passed + failed;
      var td = el('td', '', ran ? Math.round((100 * passed) / ran) + '%' : '');
      td.title = check.name + ': ' + fillIn(L.passRateTitle, { passed: passed, ran: ran });
      row.appendChild(td);
    });
    $('heat-rates').replaceChildren(row);
  }

  function render() {
    shown = students.map(function (s, i) { return i; })
      .filter(function (i) { return visible(students[i]); })
      .sort(function (a, b) { return compare(students[a], students[b]); });
    var rows = document.createDocumentFragment();
    var heat = document.createDocumentFragment();
    shown.forEach(function (i) { rows.appendChild(rowCache[i]); heat.appendChild(heatCache[i]); });
    $('rows').replaceChildren(rows);
    $('heat-rows').replaceChildren(heat);
    passRates(shown);
    $('no-rows').hidden = shown.length > 0;
    $('shown').textContent = shown.length === students.length
      ? fillIn(L.shownAll, { count: students.length })
      : fillIn(L.shownSome, { shown: shown.length, total: students.length });
    document.querySelectorAll('th.sortable').forEach(function (th) {
      th.setAttribute('aria-sort', th.dataset.key !== state.key ? 'none' : state.dir > 0 ? 'ascending' : 'descending');
    });
  }

  function fact(list, name, value) {
    if (absent(value)) return;
    list.appendChild(el('dt', '', name));
    list.appendChild(el('dd', '', value));
  }

  function openDetail(i) {
    var s = students[i];
    current = i;
    $('d-title').textContent = label(s);
    $('d-name').textContent = s.name;
    var facts = $('d-facts');
    facts.replaceChildren();
    var F = L.fact;
    fact(facts, F.status, statusLabel(s.status) + (s.percent !== null ? ' \\u00b7 ' + (s.passed ? L.passed : L.notPassed) : ''));
    fact(facts, F.score, s.score === null ? '' : scoreText(s) + (s.percent !== null ? ' (' + num(s.percent) + '%)' : ''));
    fact(facts, F.why, s.reason);
    fact(facts, F.section, s.section);
    fact(facts, F.email, s.email);
    fact(facts, F.repository, s.repository);
    fact(facts, F.commit, s.commit);
    fact(facts, F.committed, s.committed_at ? when(s.committed_at) : '');
    fact(facts, F.pushed, s.pushed_at ? when(s.pushed_at) : '');
    fact(facts, F.deadlineBy, s.deadline_basis);
    fact(facts, F.late, s.late ? fillIn(L.lateAfter, { late: s.late }) : '');
    var links = $('d-links');
    links.replaceChildren();
    [['md', L.fullReport], ['json', 'JSON']].forEach(function (pair) {
      var a = el('a', '', pair[1]);
      a.href = reportHref(s, pair[0]);
      links.appendChild(a);
      links.appendChild(document.createTextNode(' '));
    });
    var body = $('d-checks');
    body.replaceChildren();
    checks.forEach(function (check, j) {
      var cell = s.checks[j];
      if (!cell) return;
      var tr = el('tr');
      var name = el('td', '', check.name);
      name.appendChild(el('span', 'id mono', check.id));
      tr.appendChild(name);
      var status = el('td');
      status.appendChild(el('span', 'badge st-' + STATUS[cell[0]], checkLabel(cell[0])));
      tr.appendChild(status);
      tr.appendChild(el('td', 'num', num(cell[1]) + ' / ' + num(cell[2])));
      var message = el('td', 'msg', text(cell[3]));
      if (cell[4] >= 0 && ratio(cell) < 1) message.appendChild(el('p', 'feedback', text(cell[4])));
      tr.appendChild(message);
      body.appendChild(tr);
    });
    $('d-no-checks').hidden = body.children.length > 0;
    var at = shown.indexOf(i);
    $('d-prev').disabled = at <= 0;
    $('d-next').disabled = at < 0 || at >= shown.length - 1;
    var dialog = $('detail');
    if (!dialog.open) dialog.showModal();
  }

  function step(by) {
    var at = shown.indexOf(current);
    var next = shown[at + by];
    if (at >= 0 && next !== undefined) openDetail(next);
  }

  function onRowClick(event) {
    if (event.target.closest('a')) return;
    var tr = event.target.closest('tr[data-i]');
    if (tr) openDetail(Number(tr.dataset.i));
  }

  $('rows').addEventListener('click', onRowClick);
  $('heat-rows').addEventListener('click', onRowClick);
  $('d-close').addEventListener('click', function () { $('detail').close(); });
  $('d-prev').addEventListener('click', function () { step(-1); });
  $('d-next').addEventListener('click', function () { step(1); });
  $('detail').addEventListener('click', function (event) { if (event.target === $('detail')) $('detail').close(); });
  document.querySelectorAll('th.sortable').forEach(function (th) {
    th.addEventListener('click', function () {
      if (state.key === th.dataset.key) state.dir = -state.dir;
      else { state.key = th.dataset.key; state.dir = 1; }
      render();
    });
  });
  $('filter').addEventListener('input', function (event) {
    state.query = event.target.value.trim().toLocaleLowerCase();
    render();
  });
  $('status').addEventListener('change', function (event) { state.status = event.target.value; render(); });

  var sections = Array.from(new Set(students.map(function (s) { return s.section; }).filter(Boolean))).sort(collator.compare);
  var sectionSelect = $('section');
  sections.forEach(function (name) {
    var option = el('option', '', name);
    option.value = name;
    sectionSelect.appendChild(option);
  });
  sectionSelect.hidden = sections.length === 0;
  sectionSelect.addEventListener('change', function (event) { state.section = event.target.value; render(); });

  var heatHead = $('heat-head');
  checks.forEach(function (check) {
    var th = el('th', 'col');
    th.title = check.name + ' (' + fillIn(L.checkPoints, { points: num(check.max) }) + ')';
    th.appendChild(el('span', '', check.id));
    heatHead.appendChild(th);
  });

  document.querySelectorAll('time[datetime]').forEach(function (t) {
    t.title = t.getAttribute('datetime');
    t.textContent = when(t.getAttribute('datetime'));
  });

  render();
})();
`;
