// Charts that fit their column and follow the page's theme.
//
// Every chart of the book is drawn by vega-embed (see tightrope/charts.py). This script stands in
// front of vegaEmbed and, before a chart is drawn:
// - fits it to the width of its figure: the plot areas are made narrower (or, up to a point, wider)
//   until the whole chart, labels and legends included, fits; chart text is never scaled down;
// - on a narrow screen, puts legends under the plot, stacks side-by-side panels and wraps long labels;
// - never truncates an axis or legend label, a title or a key: text that is too long is wrapped;
// - in dark mode, merges the book's dark chart theme and swaps the fixed colours for their dark ones.
// A chart is drawn again when its column changes width (a phone turned, a dropdown opened) or the
// reader switches between light and dark.
(function () {
  "use strict";
  var embed = window.vegaEmbed;
  if (!embed) return;

  var NARROW = 600;      // below this column width (px) legends go under the plot and panels stack
  var MIN_PLOT = 90;     // no plot area narrower than this (px)
  var MAX_GROWTH = 1.3;  // a plot may grow up to this factor to fill a wide column
  var GUTTER = 80;       // about what a y axis with its labels and title takes beside the plot (px)
  var FALLBACK_FONT = "system-ui, sans-serif";
  var font = FALLBACK_FONT;
  var context = document.createElement("canvas").getContext("2d");

  function textWidth(text, size, weight) {
    context.font = (weight || "normal") + " " + size + "px " + font;
    return context.measureText(String(text)).width;
  }

  // The words of `text` in lines no wider than `width` px; a word longer than that keeps a line of
  // its own (never cut). One line stays a string, several become an array (Vega's multi-line text).
  function wrap(text, width, size, weight) {
    if (text === null || text === undefined) return text;
    if (Array.isArray(text)) {
      return [].concat.apply([], text.map(function (t) { return [].concat(wrap(t, width, size, weight)); }));
    }
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && textWidth(next, size || 12, weight) > width) { lines.push(line); line = word; } else { line = next; }
    });
    if (line || !lines.length) lines.push(line);
    return lines.length > 1 ? lines : lines[0];
  }
  // Registered with Vega through vega-embed's option of that name.
  var FUNCTIONS = {trWrap: function (text, width, size) { return wrap(text, width, size); }};

  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  function isObject(value) { return value && typeof value === "object" && !Array.isArray(value); }
  function merge(target, source) {
    Object.keys(source || {}).forEach(function (key) {
      if (isObject(source[key]) && isObject(target[key])) merge(target[key], source[key]);
      else target[key] = clone(source[key]);
    });
    return target;
  }
  function dark() { return document.documentElement.dataset.theme === "dark"; }

  // Every view of a spec (layers, concatenations, facets) with its parent.
  // A view without data of its own shows its nearest ancestor's (passed on as `data`).
  function eachView(spec, visit, parent, data) {
    data = spec.data || data;
    visit(spec, parent, data);
    ["layer", "hconcat", "vconcat", "concat"].forEach(function (key) {
      (spec[key] || []).forEach(function (child) { eachView(child, visit, spec, data); });
    });
    if (isObject(spec.spec)) eachView(spec.spec, visit, spec, data);
  }

  // Fixed colours (text, rules, map fills, hollow marks) swapped for their dark-page equivalents;
  // the data itself is left alone.
  function recolour(node, map) {
    if (Array.isArray(node)) {
      node.forEach(function (item, i) {
        if (typeof item === "string" && map[item.toLowerCase()]) node[i] = map[item.toLowerCase()];
        else if (item && typeof item === "object") recolour(item, map);
      });
    } else if (isObject(node)) {
      Object.keys(node).forEach(function (key) {
        if (key === "datasets" || key === "data" || key === "values") return;
        var value = node[key];
        if (typeof value === "string" && map[value.toLowerCase()]) node[key] = map[value.toLowerCase()];
        else if (value && typeof value === "object") recolour(value, map);
      });
    }
  }

  var LEGEND_CHANNELS = ["color", "fill", "stroke", "shape", "size", "opacity", "strokeDash", "strokeWidth"];

  function markType(view) { return isObject(view.mark) ? view.mark.type : view.mark; }

  function rows(spec, data) {
    var name = data && data.name;
    if (name && spec.datasets && spec.datasets[name]) return spec.datasets[name];
    return (data && data.values) || [];
  }

  // The chart as it should be drawn in a column `width` px wide.
  function adapt(original, width, options) {
    var spec = clone(original);
    var config = spec.config = spec.config || {};
    // `width` is the room text may take (a little less than the column when a first layout overflowed).
    var narrow = (options.column || width) < NARROW;
    var minText = options.minText || 12;
    font = config.font || FALLBACK_FONT;
    if (options.dark) {
      recolour(spec, options.recolour || {});
      merge(config, options.darkConfig || {});
    }
    var axisConfig = config.axis || {}, legendConfig = config.legend || {};
    var labelSize = Math.max(axisConfig.labelFontSize || minText, minText);
    var legendSize = Math.max(legendConfig.labelFontSize || minText, minText);
    var budget = narrow ? Math.max(80, Math.round(width * 0.34)) : Infinity;
    // On a narrow screen the legends under the plot go one under another, not side by side.
    if (narrow) {
      config.legend = legendConfig = merge(config.legend || {}, {
        layout: {bottom: {anchor: "start", direction: "vertical", margin: 10}}});
    }

    // Side-by-side panels stack on a narrow screen; facets go one per row.
    eachView(spec, function (view) {
      if (!narrow) return;
      if (view.hconcat) { view.vconcat = view.hconcat; delete view.hconcat; }
      if (view.concat) view.columns = 1;
      if (isObject(view.facet) && view.facet.column && !view.facet.row) {
        view.facet = view.facet.column;
        view.columns = 1;
      } else if (view.facet && view.facet.field) {
        view.columns = 1;
      }
    });

    eachView(spec, function (view, parent, data) {
      var encoding = view.encoding || {};
      // Axis titles wrap: along the plot for x, along its height for y.
      ["x", "y"].forEach(function (channel) {
        var enc = encoding[channel];
        if (!isObject(enc) || enc.axis === null) return;
        var holder = isObject(enc.axis) && typeof enc.axis.title === "string" ? enc.axis : enc;
        if (typeof holder.title !== "string") return;
        var room = channel === "x" ? Math.max(120, Math.round(width * 0.72))
                                   : (typeof view.height === "number" ? Math.max(100, view.height) : 280);
        holder.title = wrap(holder.title, room, Math.max(axisConfig.titleFontSize || 13, minText), "bold");
      });
      // Discrete axes (the long names of sites, sources, periods) wrap their labels.
      ["x", "y"].forEach(function (channel) {
        var enc = encoding[channel];
        if (!isObject(enc) || enc.axis === null || !(enc.type === "nominal" || enc.type === "ordinal")) return;
        var axis = enc.axis = isObject(enc.axis) ? enc.axis : {};
        if (axis.labelExpr) return;
        var limit = axis.labelLimit || axisConfig.labelLimit || 180;
        if (channel === "y") limit = Math.min(limit, budget);
        axis.labelExpr = "trWrap(datum.label, " + Math.round(limit) + ", " + labelSize + ")";
        axis.labelLimit = 0;
        if (axis.labelFontSize && axis.labelFontSize < minText) axis.labelFontSize = minText;
      });
      // Legends: wrapped labels, and under the plot in one column on a narrow screen.
      LEGEND_CHANNELS.forEach(function (channel) {
        var enc = encoding[channel];
        if (!isObject(enc) || enc.legend === null || !enc.field && !enc.condition) return;
        if (!enc.field) return;
        var legend = enc.legend = isObject(enc.legend) ? enc.legend : {};
        var limit = legend.labelLimit || legendConfig.labelLimit || 160;
        if (narrow) {
          limit = Math.min(limit, width - 60);
          legend.orient = "bottom";
          legend.direction = "vertical";
          legend.titleOrient = "top";
          delete legend.columns;
          legend.titleLimit = width - 20;
        }
        var legendTitle = typeof legend.title === "string" ? legend.title : enc.title;
        if (typeof legendTitle === "string") {
          legend.title = wrap(legendTitle, Math.max(120, width - 40), Math.max(legendConfig.titleFontSize || 13, minText), "bold");
          legend.titleLimit = 0;
        }
        if (!legend.labelExpr) {
          legend.labelExpr = "trWrap(datum.label, " + Math.round(limit) + ", " + legendSize + ")";
          legend.labelLimit = 0;
        }
      });
      // A key (lines of text listed one under another) wraps to the column; its rows grow to fit.
      var textEnc = encoding.text;
      if (markType(view) === "text" && isObject(textEnc) && textEnc.field && isObject(encoding.y) &&
          encoding.y.axis === null && (encoding.y.type === "ordinal" || encoding.y.type === "nominal") &&
          isObject(encoding.x) && "value" in encoding.x) {
        var size = Math.max((isObject(view.mark) && view.mark.fontSize) || minText, minText);
        var room = width - 24 - (encoding.x.value || 0);
        var lines = 1;
        rows(spec, data).forEach(function (row) {
          var wrapped = wrap(row[textEnc.field], room, size);
          if (Array.isArray(wrapped)) lines = Math.max(lines, wrapped.length);
        });
        if (lines > 1) {
          view.transform = (view.transform || []).concat([{
            calculate: "trWrap(datum[" + JSON.stringify(textEnc.field) + "], " + Math.round(room) + ", " + size + ")",
            as: "__tr_wrapped"}]);
          encoding.text = merge(clone(textEnc), {field: "__tr_wrapped"});
          if (typeof view.height === "number") view.height = Math.round(view.height * lines * 1.05);
        }
      }
    });

    // A read-out drawn at a fixed place in the plot (a text mark with a fixed x) wraps on a narrow screen.
    if (narrow) eachView(spec, function (view) {
      var encoding = view.encoding || {}, mark = view.mark;
      if (markType(view) !== "text" || !isObject(mark) || typeof mark.x !== "number" || encoding.x) return;
      var textEnc = encoding.text;
      if (!isObject(textEnc) || !textEnc.field) return;
      var size = Math.max(mark.fontSize || minText, minText);
      var room = Math.max(100, width - GUTTER - mark.x);
      view.transform = (view.transform || []).concat([{
        calculate: "trWrap(datum[" + JSON.stringify(textEnc.field) + "], " + Math.round(room) + ", " + size + ")",
        as: "__tr_wrapped"}]);
      encoding.text = merge(clone(textEnc), {field: "__tr_wrapped"});
      mark.lineHeight = mark.lineHeight || Math.round(size * 1.25);
      if (!mark.baseline) mark.baseline = "top";
      if (typeof mark.y === "number" && mark.baseline === "top") mark.y = Math.max(0, mark.y - Math.round(size / 2));
    });

    // Titles and subtitles wrap to the column instead of widening the chart.
    eachView(spec, function (view) {
      if (!view.title) return;
      var title = isObject(view.title) ? view.title : {text: view.title};
      var titleConfig = config.title || {};
      var room = width - 12;
      title.text = wrap(title.text, room, title.fontSize || titleConfig.fontSize || 16, "bold");
      if (title.subtitle) {
        title.subtitle = wrap(title.subtitle, room, title.subtitleFontSize || titleConfig.subtitleFontSize || minText);
      }
      view.title = title;
    });

    // Views sized by the theme's default width get it written down, so that they can be resized.
    var continuous = (config.view || {}).continuousWidth || 400;
    eachView(spec, function (view, parent) {
      if (parent && parent.layer || view.layer || typeof view.width === "number") return;
      if (view.hconcat || view.vconcat || view.concat || view.spec || view.facet || view.repeat) return;
      var x = (view.encoding || {}).x;
      if (isObject(x) && (x.type === "nominal" || x.type === "ordinal")) return;
      if (!view.mark) return;
      view.width = continuous;
    });
    return spec;
  }

  // Plot widths multiplied by `scale` (never below MIN_PLOT).
  function scaled(spec, scale) {
    var out = clone(spec);
    eachView(out, function (view) {
      if (typeof view.width === "number") view.width = Math.max(MIN_PLOT, Math.round(view.width * scale));
    });
    return out;
  }

  function smallestWidth(spec) {
    var smallest = Infinity;
    eachView(spec, function (view) { if (typeof view.width === "number") smallest = Math.min(smallest, view.width); });
    return smallest;
  }

  // How wide the chart is drawn (px): drawn once out of sight, outside any figure.
  function measure(spec) {
    var trial = document.createElement("div");
    trial.setAttribute("aria-hidden", "true");
    trial.style.cssText = "position:absolute;left:-20000px;top:0;visibility:hidden;width:4000px";
    document.body.appendChild(trial);
    var done = function (result) {
      var svg = trial.querySelector("svg");
      var width = svg ? parseFloat(svg.getAttribute("width")) : 0;
      if (result) result.finalize();
      trial.remove();
      return width;
    };
    return embed(trial, spec, {renderer: "svg", actions: false, tooltip: false, expressionFunctions: FUNCTIONS})
      .then(done, function (error) { done(null); throw error; });
  }

  // The plot-width scale at which the chart is as wide as `target` px, found from two or three
  // trial layouts (the width of labels and legends does not scale with the plots). Resolves to
  // [spec, the width it is drawn at].
  function fit(spec, target) {
    if (smallestWidth(spec) === Infinity) return measure(spec).then(function (w) { return [spec, w]; });
    var lowest = MIN_PLOT / smallestWidth(spec);
    return measure(spec).then(function (natural) {
      if (Math.abs(natural - target) < 2) return [spec, natural];
      var trials = [[1, natural]];
      function next() {
        var a = trials[trials.length - 1], b = trials.length > 1 ? trials[trials.length - 2] : [0, natural * 0.15];
        var slope = (a[1] - b[1]) / (a[0] - b[0]) || natural;
        var scale = a[0] + (target - 1 - a[1]) / slope;
        scale = Math.min(MAX_GROWTH, Math.max(lowest, scale));
        if (Math.abs(scale - a[0]) < 0.005 || trials.length >= 4) {
          var fitting = trials.filter(function (t) { return t[1] <= target; })
            .sort(function (p, q) { return q[0] - p[0]; });
          var best = fitting[0] || trials.slice().sort(function (p, q) { return p[1] - q[1]; })[0];
          return [scaled(spec, best[0]), best[1]];
        }
        var candidate = scaled(spec, scale);
        return measure(candidate).then(function (drawn) {
          trials.push([scale, drawn]);
          if (drawn <= target && target - drawn < 6) return [candidate, drawn];
          return next();
        });
      }
      return next();
    });
  }

  // The chart prepared for a column `width` px wide and fitted to it. When the narrowest plots still
  // leave it too wide (text that does not scale with the plots: a key, a read-out, a legend), it is
  // prepared again with that much less room for text, up to twice.
  function prepare(chart, width, settings, isDark) {
    var target = Math.min(width, 2000);
    function attempt(room, tries) {
      var prepared = adapt(chart.spec, room, {
        dark: isDark, darkConfig: settings.dark, recolour: settings.recolour, minText: settings.minText,
        column: width});
      return fit(prepared, target).then(function (result) {
        var over = result[1] - target;
        if (over <= 0.5 || tries >= 2 || room - over < 160) return result[0];
        return attempt(room - Math.ceil(over) - 4, tries + 1);
      }, function () { return prepared; });
    }
    return attempt(width, 0);
  }

  // Interval brushes carry no label; hide them from screen readers (by name, whatever the layout).
  function hideBrushes(vg) {
    (function walk(node) {
      (node.marks || []).forEach(function (mark) {
        if (/_brush(_bg)?$/.test(mark.name || "")) mark.aria = false;
        walk(mark);
      });
    })(vg);
    return vg;
  }

  function columnWidth(element) {
    var figure = element.closest("figure") || element.parentElement;
    for (var node = figure; node; node = node.parentElement) {
      if (node.clientWidth > 0) {
        var style = getComputedStyle(node);
        return node.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
      }
    }
    return window.innerWidth;
  }

  var charts = [];
  // How many charts are being fitted or wait to be (read by the browser tests before they measure).
  var pending = 0;
  function busy(change) {
    pending += change;
    document.documentElement.dataset.trChartsPending = String(pending);
  }

  function draw(chart) {
    var width = Math.floor(columnWidth(chart.element));
    var isDark = dark();
    if (chart.result && Math.abs(width - chart.width) < 4 && isDark === chart.dark) return chart.promise;
    chart.width = width;
    chart.dark = isDark;
    var run = chart.run = (chart.run || 0) + 1;
    var settings = chart.options.tightrope || {};
    var options = Object.assign({}, chart.options);
    delete options.tightrope;
    if (options.patch) options.patch = hideBrushes;
    if (isDark) options.tooltip = {theme: "dark"};
    options.expressionFunctions = Object.assign({}, options.expressionFunctions, FUNCTIONS);
    busy(1);
    chart.promise = prepare(chart, width, settings, isDark)
      .then(function (spec) {
        if (run !== chart.run) return chart.result;
        if (chart.result) chart.result.finalize();
        return embed(chart.element, spec, options).then(function (result) {
          chart.result = result;
          var figure = chart.element.closest("figure");
          if (figure) figure.dataset.trFitted = String(width);
          return result;
        });
      })
      .finally(function () { busy(-1); });
    return chart.promise;
  }

  window.vegaEmbed = function (element, spec, options) {
    element = typeof element === "string" ? document.querySelector(element) : element;
    if (!element || !isObject(spec) || !/vega-lite/.test(spec.$schema || "") ||
        !(options && options.tightrope)) {
      return embed.apply(this, arguments);
    }
    var chart = {element: element, spec: spec, options: options};
    charts.push(chart);
    var figure = element.closest("figure") || element.parentElement;
    if (window.ResizeObserver && figure) {
      var timer = null;
      new ResizeObserver(function () {
        if (timer === null) busy(1); else clearTimeout(timer);
        timer = setTimeout(function () {
          timer = null;
          busy(-1);
          if (chart.result) draw(chart);
        }, 150);
      }).observe(figure);
    }
    return draw(chart);
  };
  Object.keys(embed).forEach(function (key) { window.vegaEmbed[key] = embed[key]; });

  new MutationObserver(function () {
    charts.forEach(function (chart) { if (chart.result && chart.dark !== dark()) draw(chart); });
  }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
})();
