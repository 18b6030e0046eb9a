// Klinika's small amount of behaviour: CSRF for htmx, the "/" search shortcut, the mobile menu
// and auto-submitting selects. Everything works without it, only slower.
(function () {
  'use strict';

  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.content] = token.content;
    }
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    // The page's own search box if it has one, else the top bar's.
    var boxes = document.querySelectorAll('[data-search-shortcut]');
    var search = boxes[boxes.length - 1];
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-autosubmit]')) {
      event.target.form.submit();
    }
  });

  // Charts: a canvas with data-chart, data-labels and data-values separated by "|" (no inline scripts).
  document.addEventListener('DOMContentLoaded', function () {
    if (typeof Chart === 'undefined') {
      return;
    }
    var accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#0f766e';
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      // A second series (data-values2, data-label2) is drawn beside the first, with a legend.
      var datasets = [{ label: canvas.dataset.label, data: canvas.dataset.values.split('|').map(Number), backgroundColor: accent }];
      if (canvas.dataset.values2) {
        datasets.push({ label: canvas.dataset.label2, data: canvas.dataset.values2.split('|').map(Number), backgroundColor: '#f59e0b' });
      }
      new Chart(canvas, {
        type: canvas.dataset.chart,
        data: { labels: canvas.dataset.labels.split('|'), datasets: datasets },
        // Bars lie along y unless data-axis="x" stands them up (months along the bottom).
        options: { indexAxis: canvas.dataset.axis || 'y', animation: false, plugins: { legend: { display: datasets.length > 1 } },
          scales: canvas.dataset.axis === 'x' ? { y: { beginAtZero: true, ticks: { precision: 0 } } }
            : { x: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    });
  });

  // The day grid: rows and blocks are placed from data attributes (no inline styles under the CSP).
  function placeGrid(grid) {
    grid.style.setProperty('--rows', grid.dataset.rows);
    grid.style.setProperty('--columns', grid.dataset.columns);
    grid.querySelectorAll('[data-row]').forEach(function (cell) {
      cell.style.gridRow = cell.dataset.row + ' / span ' + (cell.dataset.span || 1);
    });
  }

  // Live: the branch's server-sent events say "changed"; the grid is fetched again and swapped in.
  function listen(grid) {
    if (!grid.dataset.events || typeof EventSource === 'undefined') {
      return;
    }
    var source = new EventSource(grid.dataset.events);
    source.addEventListener('changed', function () {
      fetch(window.location.href, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('day-grid');
          var current = document.getElementById('day-grid');
          if (fresh && current) {
            fresh.dataset.events = '';
            current.replaceWith(fresh);
            placeGrid(fresh);
            fresh.dataset.live = 'true';
          }
        });
    });
    window.addEventListener('beforeunload', function () { source.close(); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.day-grid').forEach(function (grid) {
      placeGrid(grid);
      listen(grid);
    });
  });

  // Live task counters in the top bar: the server says {"open": n, "overdue": m} whenever tasks change.
  document.addEventListener('DOMContentLoaded', function () {
    var counter = document.getElementById('task-counter');
    if (!counter || !counter.dataset.events || typeof EventSource === 'undefined') {
      return;
    }
    // One stream for the top bar (counters and the caller pop-up): browsers allow six connections.
    var source = new EventSource(counter.dataset.events);
    window.klinikaLive = source;
    source.addEventListener('ready', function () {
      var popup = document.getElementById('caller-popup');
      if (popup) {
        popup.dataset.live = 'true';
      }
    });
    source.addEventListener('counters', function (event) {
      var counts = JSON.parse(event.data);
      counter.querySelector('span').textContent = counts.open;
      var strong = counter.querySelector('strong');
      if (counts.overdue > 0) {
        if (!strong) {
          strong = document.createElement('strong');
          counter.appendChild(strong);
        }
        strong.textContent = '!' + counts.overdue;
        counter.classList.add('overdue');
      } else {
        if (strong) {
          strong.remove();
        }
        counter.classList.remove('overdue');
      }
      counter.dataset.live = 'true';
    });
    window.addEventListener('beforeunload', function () { source.close(); });
  });

  // The caller pop-up: the server sends the caller's card when a call rings in the login's branches.
  document.addEventListener('DOMContentLoaded', function () {
    var popup = document.getElementById('caller-popup');
    var source = window.klinikaLive;
    if (!popup || !source) {
      return;
    }
    var text = function (tag, value, className) {
      var element = document.createElement(tag);
      element.textContent = value;
      if (className) {
        element.className = className;
      }
      return element;
    };
    source.addEventListener('call', function (event) {
      var card = JSON.parse(event.data);
      popup.replaceChildren();
      popup.appendChild(text('p', popup.dataset.title, 'muted small'));
      popup.appendChild(text('strong', card.name || popup.dataset.unknown, 'caller-name'));
      popup.appendChild(text('div', card.number, 'caller-number'));
      if (card.upcoming && card.upcoming.length) {
        popup.appendChild(text('div', popup.dataset.upcoming + ' ' + card.upcoming.join('; '), 'small'));
      }
      if (card.last) {
        popup.appendChild(text('div', popup.dataset.last + ' ' + card.last, 'small'));
      }
      if (card.openTasks > 0) {
        popup.appendChild(text('div', popup.dataset.tasks + ' ' + card.openTasks, 'small'));
      }
      if (!card.patientId) {
        // A stranger: the quick lead form (the call has already made the lead; this names it).
        var form = document.createElement('form');
        form.method = 'post';
        form.action = '/leads';
        form.className = 'stack caller-lead';
        var token = document.querySelector('meta[name="_csrf"]');
        var hidden = function (name, value) {
          var input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.appendChild(input);
        };
        if (token) {
          hidden('_csrf', token.content);
        }
        hidden('call', card.call);
        hidden('phone', card.number);
        var field = function (name, label) {
          var input = document.createElement('input');
          input.name = name;
          input.maxLength = name === 'name' ? 200 : 2000;
          input.placeholder = label;
          input.setAttribute('aria-label', label);
          form.appendChild(input);
        };
        field('name', popup.dataset.leadName);
        field('interest', popup.dataset.leadInterest);
        var save = document.createElement('button');
        save.type = 'submit';
        save.className = 'button small primary';
        save.textContent = popup.dataset.leadSave;
        form.appendChild(save);
        popup.appendChild(form);
      }
      var actions = document.createElement('div');
      actions.className = 'actions';
      var open = document.createElement('a');
      open.className = card.patientId ? 'button small primary' : 'button small';
      open.textContent = card.patientId ? popup.dataset.open : popup.dataset['new'];
      // A stranger's call is an inquiry: the quick lead form (or the lead the call already made).
      open.href = card.patientId ? '/patients/' + card.patientId
        : '/leads/new?call=' + encodeURIComponent(card.call) + '&phone=' + encodeURIComponent(card.number);
      actions.appendChild(open);
      var close = document.createElement('button');
      close.type = 'button';
      close.className = 'button small';
      close.textContent = popup.dataset.close;
      close.addEventListener('click', function () { popup.hidden = true; });
      actions.appendChild(close);
      popup.appendChild(actions);
      popup.hidden = false;
    });
  });

  // A link to a part of a page inside a closed <details> (#lost-form, #cancel) opens it.
  document.addEventListener('DOMContentLoaded', function () {
    var id = window.location.hash ? window.location.hash.substring(1) : '';
    var element = id ? document.getElementById(id) : null;
    var details = element && (element.tagName === 'DETAILS' ? element : element.closest('details'));
    if (details) {
      details.open = true;
      details.scrollIntoView();
    }
  });

  // Boards (leads, tasks): drag a card ([data-card]) to a column. A column with data-drop-post takes
  // the card by a POST (the column's data-drop-field and the card's version); one with data-drop-open
  // opens a page that asks for more (a lost reason, a task's outcome). "{id}" is the card's id.
  document.addEventListener('DOMContentLoaded', function () {
    var boards = document.querySelectorAll('[data-kanban]');
    if (!boards.length || typeof fetch === 'undefined') {
      return;
    }
    var dragged = null;
    // A board that changed elsewhere (a new lead, a move on another screen) redraws in place,
    // unless a card is being dragged.
    var lead = document.getElementById('lead-board');
    if (lead && window.klinikaLive && typeof DOMParser !== 'undefined') {
      window.klinikaLive.addEventListener('leads', function () {
        if (dragged) {
          return;
        }
        fetch(window.location.href, { credentials: 'same-origin' }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          if (!html || dragged) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          var board = fresh.getElementById('lead-board');
          var current = document.getElementById('lead-board');
          if (board && current) {
            current.replaceChildren.apply(current, Array.prototype.slice.call(board.childNodes));
          }
          var late = fresh.getElementById('late-leads');
          var shown = document.getElementById('late-leads');
          if (shown) {
            shown.replaceWith(late || document.createElement('span'));
          } else if (late) {
            document.querySelector('.page-head h1').after(late);
          }
        });
      });
    }
    var target = function (event) {
      var column = event.target.closest && event.target.closest('[data-column]');
      if (!dragged || !column || column.dataset.column === dragged.dataset.column) {
        return null;
      }
      return column.dataset.dropPost || column.dataset.dropOpen ? column : null;
    };
    Array.prototype.forEach.call(boards, function (board) {
      board.addEventListener('dragstart', function (event) {
        dragged = event.target.closest && event.target.closest('[data-card]');
        if (dragged) {
          event.dataTransfer.setData('text/plain', dragged.dataset.card);
          event.dataTransfer.effectAllowed = 'move';
        }
      });
      board.addEventListener('dragover', function (event) {
        if (target(event)) {
          event.preventDefault();
        }
      });
      board.addEventListener('drop', function (event) {
        var column = target(event);
        if (!column) {
          return;
        }
        event.preventDefault();
        var card = dragged;
        dragged = null;
        if (column.dataset.dropOpen) {
          window.location.href = column.dataset.dropOpen.replace('{id}', card.dataset.card);
          return;
        }
        var token = document.querySelector('meta[name="_csrf"]');
        var header = document.querySelector('meta[name="_csrf_header"]');
        var headers = { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' };
        if (token && header) {
          headers[header.content] = token.content;
        }
        var body = 'version=' + encodeURIComponent(card.dataset.version) + '&back=board'
          + (column.dataset.dropField ? '&' + column.dataset.dropField : '');
        fetch(column.dataset.dropPost.replace('{id}', card.dataset.card), {
          method: 'POST', headers: headers, credentials: 'same-origin', body: body
        }).then(function (response) {
          var json = (response.headers.get('Content-Type') || '').indexOf('json') >= 0;
          if (response.ok || !json) {
            window.location.reload();
            return null;
          }
          return response.json().then(function (problem) { window.alert(problem.detail || response.status); });
        });
      });
    });
  });

  document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-print]')) {
      window.print();
      return;
    }
    var toggle = event.target.closest && event.target.closest('.nav-toggle');
    if (!toggle) {
      return;
    }
    var open = document.body.classList.toggle('nav-open');
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
})();
