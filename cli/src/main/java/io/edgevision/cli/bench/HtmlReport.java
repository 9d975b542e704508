package io.edgevision.cli.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link BenchReport} as one self-contained HTML page: a comparison table of the cells, a
 * latency CDF per cell and per-stage p50 bars, all as inline SVG and CSS. Nothing is fetched (no
 * scripts, fonts or styles from a network), so the file opens on an offline bench machine and can
 * be attached to a ticket. Pure; thread-safe.
 *
 * <p>Why inline SVG rather than a charting library: the charts are two simple kinds (a step line
 * and stacked bars), SVG text is deterministic and testable as text, and it adds no dependency to
 * the CLI's class path (a library such as XChart would bring Java2D rendering and its own SVG/PDF
 * exporters for ~100 lines of drawing).
 *
 * <p>The only script is a few lines that count the charts the browser actually laid out and record
 * the count in the {@code data-charts-rendered} attribute of {@code <html>} (the headless-browser
 * test reads it).
 */
public final class HtmlReport {
  /**
   * The stacked stages: disjoint parts of a call (a detector cell's decode and suppress are parts
   * of its postprocess, so they are not stacked again; crop and classifier follow the detector).
   */
  private static final String[] STAGES = {
    "waiting", "preprocess", "inference", "postprocess", "crop", "classifier"
  };

  private static final String[] STAGE_COLOURS = {
    "#bbbbbb", "#4e79a7", "#f28e2b", "#59a14f", "#edc948", "#b07aa1"
  };
  private static final String[] LINE_COLOURS = {
    "#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#76b7b2", "#edc948", "#9c755f"
  };

  private HtmlReport() {}

  /**
   * @param report what to render
   * @param comparison a comparison against an earlier report to show as well, or null
   * @return the whole HTML document
   */
  public static String render(BenchReport report, Comparison.@Nullable Result comparison) {
    StringBuilder h = new StringBuilder(16_384);
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>EdgeVision bench ")
        .append(esc(report.createdUtc()))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}")
        .append(
            "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}.wide{overflow-x:auto}th{background:#f3f3f3}")
        .append(
            "td.l,th.l{text-align:left}.regression{background:#fdd}.improvement{background:#dfd}")
        .append(
            ".charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:12px;max-width:380px}")
        .append("svg text{font-size:11px;font-family:sans-serif}\n</style></head><body>\n");
    h.append("<h1>EdgeVision bench</h1>\n<p>")
        .append(esc(report.createdUtc()))
        .append(" · ")
        .append(esc(report.host().os()))
        .append(" ")
        .append(esc(report.host().arch()))
        .append(" · ")
        .append(report.host().cpus())
        .append(" CPUs · Java ")
        .append(esc(report.host().java()))
        .append(" · load average at start ")
        .append(fmt(report.host().loadAverage(), 2))
        .append("<br>")
        .append("warm-up ")
        .append(report.settings().warmup())
        .append(", runs ")
        .append(report.settings().runs());
    if (report.settings().durationSeconds() > 0) {
      h.append(" (or ").append(fmt(report.settings().durationSeconds(), 1)).append(" s)");
    }
    h.append(" per cell · frames: ")
        .append(esc(report.settings().frames()))
        .append(" (")
        .append(report.settings().frameCount())
        .append(") · policy ")
        .append(esc(report.settings().policy()))
        .append(" · schema ")
        .append(BenchReport.SCHEMA)
        .append(" v")
        .append(report.schemaVersion())
        .append("</p>\n");
    table(h, report);
    if (comparison != null) {
      comparisonTable(h, comparison);
    }
    h.append("<h2>Latency CDF per cell</h2>\n<div class=\"charts\">\n");
    for (int i = 0; i < report.cells().size(); i++) {
      cdf(h, i, report.cells().get(i));
    }
    h.append("</div>\n<h2>Stage breakdown (p50 per stage, ms)</h2>\n");
    stageBars(h, report.cells());
    ColdStartResult cold = report.coldStart();
    if (cold != null) {
      h.append("<h2>Cold start</h2>\n<p>")
          .append(cold.pairs())
          .append(" interleaved pairs: <code>detect</code> ")
          .append(fmt(cold.detectMedianMs(), 0))
          .append(" ms, bare ONNX Runtime JVM (one inference) ")
          .append(fmt(cold.bareMedianMs(), 0))
          .append(" ms; detect ÷ bare, median of pairs <b>")
          .append(fmt(cold.ratio(), 2))
          .append("×</b> (95 % CI ")
          .append(fmt(cold.ratioCi()[0], 2))
          .append(" – ")
          .append(fmt(cold.ratioCi()[1], 2))
          .append(")");
      if (cold.cpuRatio() > 0) {
        h.append("; CPU time ")
            .append(fmt(cold.detectCpuMedianMs(), 0))
            .append(" ms against ")
            .append(fmt(cold.bareCpuMedianMs(), 0))
            .append(" ms, <b>")
            .append(fmt(cold.cpuRatio(), 2))
            .append("×</b> (95 % CI ")
            .append(fmt(cold.cpuRatioCi()[0], 2))
            .append(" – ")
            .append(fmt(cold.cpuRatioCi()[1], 2))
            .append(")");
      }
      h.append("</p>\n");
    }
    h.append(
            "<script>(function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(s){")
        .append(
            "var b=s.getBoundingClientRect();if(b.width>0&&b.height>0&&s.querySelector('path,rect')){n++;}});")
        .append(
            "document.documentElement.setAttribute('data-charts-rendered',String(n));})();</script>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, BenchReport report) {
    h.append(
        "<h2>Cells</h2>\n<div class=\"wide\"><table id=\"cells\"><tr><th>#</th><th class=\"l\">model</th><th class=\"l\">provider"
            + "</th><th>size</th><th>threads</th><th>batch</th><th>budget ms</th><th>contend</th><th>tiles</th>"
            + "<th>tile px</th><th class=\"l\">tiling (last call)</th><th>p50 ms</th>"
            + "<th>p50 95% CI</th><th>p90 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>p50 ÷ cell 1</th><th>paired ÷ cell 1</th><th>paired ÷ model's cell</th><th>frames/s</th>"
            + "<th>budget miss</th><th>p99 done+cancelled ms</th><th class=\"l\">outcomes</th><th>peak RSS MiB</th>"
            + "<th>peak heap MiB</th></tr>\n");
    double ref = report.cells().isEmpty() ? 0 : report.cells().get(0).total().p50Ms();
    for (int i = 0; i < report.cells().size(); i++) {
      CellResult c = report.cells().get(i);
      BenchCell k = c.cell();
      h.append("<tr><td>")
          .append(i + 1)
          .append("</td><td class=\"l\">")
          .append(esc(k.model()))
          .append("</td><td class=\"l\">")
          .append(esc(k.provider()))
          .append(" → ")
          .append(esc(c.selectedProvider()))
          .append("</td><td>")
          .append(esc(k.frameSize()))
          .append("</td><td>")
          .append(k.threads())
          .append("</td><td>")
          .append(k.batch())
          .append("</td><td>")
          .append(k.budgetMs() == null ? "–" : k.budgetMs())
          .append("</td><td>")
          .append(k.contend())
          .append("</td><td>")
          .append(k.tiles() == null ? "–" : esc(k.tiles()))
          .append("</td><td>")
          .append(k.tileSize() == null ? (k.tiles() == null ? "–" : "model") : k.tileSize())
          .append("</td><td class=\"l\">")
          .append(tiling(c.detector()))
          .append("</td><td>")
          .append(fmt(c.total().p50Ms(), 3))
          .append("</td><td>")
          .append(fmt(c.totalP50CiMs()[0], 3))
          .append(" – ")
          .append(fmt(c.totalP50CiMs()[1], 3))
          .append("</td><td>")
          .append(fmt(c.total().p90Ms(), 3))
          .append("</td><td>")
          .append(fmt(c.total().p95Ms(), 3))
          .append("</td><td>")
          .append(fmt(c.total().p99Ms(), 3))
          .append("</td><td>")
          .append(fmt(c.total().maxMs(), 3))
          .append("</td><td>")
          .append(ref > 0 ? fmt(c.total().p50Ms() / ref, 3) + "×" : "–")
          .append("</td><td>")
          .append(paired(c.pairedRatioToFirst()))
          .append("</td><td>")
          .append(paired(c.pairedRatioToModelFirst()))
          .append("</td><td>")
          .append(fmt(c.throughputFps(), 1))
          .append("</td><td>")
          .append(c.budgetMissRate() == null ? "–" : fmt(c.budgetMissRate() * 100, 1) + " %")
          .append("</td><td>")
          .append(c.budgetP99Ms() == null ? "–" : fmt(c.budgetP99Ms(), 3))
          .append("</td><td class=\"l\">");
      c.outcomes().entrySet().stream()
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> h.append(esc(e.getKey())).append('=').append(e.getValue()).append(' '));
      h.append("</td><td>")
          .append(c.peakRssBytes() < 0 ? "–" : fmt(c.peakRssBytes() / 1048576.0, 0))
          .append("</td><td>")
          .append(fmt(c.peakHeapBytes() / 1048576.0, 0))
          .append("</td></tr>\n");
    }
    h.append("</table></div>\n");
  }

  /** A paired ratio of an interleaved run as "m× (lo – hi)", or "–". */
  static String paired(double @Nullable [] r) {
    return r == null ? "–" : fmt(r[0], 3) + "× (" + fmt(r[1], 3) + " – " + fmt(r[2], 3) + ")";
  }

  /** One line on what the detector ran: tiles, their size, full frame, lights; "–" otherwise. */
  static String tiling(@Nullable DetectorSummary d) {
    if (d == null) {
      return "–";
    }
    StringBuilder sb = new StringBuilder();
    if (d.slicedCalls() == 0) {
      sb.append("full frame");
    } else {
      sb.append(
              d.tilesMin() == d.tilesMax() ? "" + d.tilesMax() : d.tilesMin() + "–" + d.tilesMax())
          .append(" × ")
          .append(d.tileWidth())
          .append('×')
          .append(d.tileHeight())
          .append(" px")
          .append(d.fullFrame() ? " + full frame" : "")
          .append(d.batched() ? ", one batch" : ", one by one");
    }
    if (d.budgetLimitedCalls() > 0) {
      sb.append(", ").append(d.budgetLimitedCalls()).append(" budget-limited");
    }
    sb.append(", ").append(d.lights()).append(d.lights() == 1 ? " light" : " lights");
    return esc(sb.toString());
  }

  private static void comparisonTable(StringBuilder h, Comparison.Result cmp) {
    h.append(
        "<h2>Against the baseline report</h2>\n<table id=\"comparison\"><tr><th class=\"l\">verdict</th>"
            + "<th class=\"l\">metric</th><th>old</th><th>new</th><th>change</th><th>noise threshold</th>"
            + "<th class=\"l\">cell</th></tr>\n");
    for (Comparison.Row r : cmp.rows()) {
      String v = r.verdict().name().toLowerCase(Locale.ROOT);
      boolean rate = r.metric().equals(Comparison.MISS_RATE);
      h.append("<tr class=\"")
          .append(v.replace('_', '-'))
          .append("\"><td class=\"l\">")
          .append(v)
          .append("</td><td class=\"l\">")
          .append(esc(r.metric()))
          .append("</td><td>")
          .append(fmt(r.oldValue(), 4))
          .append("</td><td>")
          .append(fmt(r.newValue(), 4))
          .append("</td><td>")
          .append(rate ? fmt(r.change(), 3) : fmt(r.change() * 100, 1) + " %")
          .append("</td><td>")
          .append(rate ? fmt(r.threshold(), 3) : fmt(r.threshold() * 100, 1) + " %")
          .append("</td><td class=\"l\">")
          .append(esc(r.cell()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void cdf(StringBuilder h, int index, CellResult c) {
    int w = 380;
    int ht = 240;
    int left = 46;
    int right = 22;
    int top = 12;
    int bottom = 34;
    List<double[]> pts = c.cdf();
    double maxMs = pts.isEmpty() ? 1 : Math.max(pts.get(pts.size() - 1)[0], 1e-3);
    double minMs = pts.isEmpty() ? 0 : pts.get(0)[0];
    double lo = Math.max(0, minMs - (maxMs - minMs) * 0.05);
    double span = Math.max(maxMs - lo, 1e-3);
    double pw = w - left - right;
    double ph = ht - top - bottom;
    h.append("<figure><svg class=\"chart cdf\" data-cell=\"")
        .append(index + 1)
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(ht)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
    h.append("<rect x=\"")
        .append(left)
        .append("\" y=\"")
        .append(top)
        .append("\" width=\"")
        .append(fmt(pw, 1))
        .append("\" height=\"")
        .append(fmt(ph, 1))
        .append("\" fill=\"#fafafa\" stroke=\"#999\"/>");
    for (int t = 0; t <= 4; t++) {
      double f = t / 4.0;
      double y = top + ph * (1 - f);
      double x = left + pw * f;
      h.append("<text x=\"")
          .append(left - 4)
          .append("\" y=\"")
          .append(fmt(y + 4, 1))
          .append("\" text-anchor=\"end\">")
          .append(fmt(f, 2))
          .append("</text>");
      h.append("<text x=\"")
          .append(fmt(x, 1))
          .append("\" y=\"")
          .append(ht - bottom + 14)
          .append("\" text-anchor=\"middle\">")
          .append(fmt(lo + span * f, span < 1 ? 3 : 1))
          .append("</text>");
    }
    h.append("<text x=\"")
        .append(left + (int) pw / 2)
        .append("\" y=\"")
        .append(ht - 4)
        .append("\" text-anchor=\"middle\">latency ms</text>");
    if (!pts.isEmpty()) {
      StringBuilder d = new StringBuilder();
      double prevY = top + ph;
      for (int i = 0; i < pts.size(); i++) {
        double x = left + pw * (pts.get(i)[0] - lo) / span;
        double y = top + ph * (1 - pts.get(i)[1]);
        if (i == 0) {
          d.append('M').append(fmt(x, 1)).append(' ').append(fmt(prevY, 1));
        }
        d.append(" L")
            .append(fmt(x, 1))
            .append(' ')
            .append(fmt(prevY, 1))
            .append(" L")
            .append(fmt(x, 1))
            .append(' ')
            .append(fmt(y, 1));
        prevY = y;
      }
      h.append("<path d=\"")
          .append(d)
          .append("\" fill=\"none\" stroke=\"")
          .append(LINE_COLOURS[index % LINE_COLOURS.length])
          .append("\" stroke-width=\"1.8\"/>");
      Long budget = c.cell().budgetMs();
      if (budget != null && budget >= lo && budget <= lo + span) {
        double x = left + pw * (budget - lo) / span;
        h.append("<line x1=\"")
            .append(fmt(x, 1))
            .append("\" x2=\"")
            .append(fmt(x, 1))
            .append("\" y1=\"")
            .append(top)
            .append("\" y2=\"")
            .append(fmt(top + ph, 1))
            .append("\" stroke=\"#d00\" stroke-dasharray=\"4 3\"/>");
      }
    }
    h.append("</svg><figcaption>")
        .append(index + 1)
        .append(". ")
        .append(esc(c.cell().key()))
        .append(" — p50 ")
        .append(fmt(c.total().p50Ms(), 3))
        .append(" ms, p99 ")
        .append(fmt(c.total().p99Ms(), 3))
        .append(" ms</figcaption></figure>\n");
  }

  private static void stageBars(StringBuilder h, List<CellResult> cells) {
    int rowH = 22;
    int left = 40;
    int w = 760;
    int ht = 40 + rowH * cells.size();
    double max = 1e-6;
    for (CellResult c : cells) {
      double sum = 0;
      for (String s : STAGES) {
        LatencySummary l = c.stages().get(s);
        sum += l == null ? 0 : l.p50Ms();
      }
      max = Math.max(max, sum);
    }
    double pw = w - left - 90;
    h.append("<svg class=\"chart stages\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(ht)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
    for (int i = 0; i < cells.size(); i++) {
      CellResult c = cells.get(i);
      double x = left;
      int y = 6 + i * rowH;
      h.append("<text x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(y + 14)
          .append("\" text-anchor=\"end\">")
          .append(i + 1)
          .append("</text>");
      for (int s = 0; s < STAGES.length; s++) {
        LatencySummary l = c.stages().get(STAGES[s]);
        double v = l == null ? 0 : l.p50Ms();
        double bw = pw * v / max;
        if (bw > 0) {
          h.append("<rect x=\"")
              .append(fmt(x, 1))
              .append("\" y=\"")
              .append(y)
              .append("\" width=\"")
              .append(fmt(bw, 1))
              .append("\" height=\"")
              .append(rowH - 6)
              .append("\" fill=\"")
              .append(STAGE_COLOURS[s])
              .append("\"><title>")
              .append(STAGES[s])
              .append(' ')
              .append(fmt(v, 3))
              .append(" ms</title></rect>");
        }
        x += bw;
      }
      h.append("<text x=\"")
          .append(fmt(x + 4, 1))
          .append("\" y=\"")
          .append(y + 14)
          .append("\">")
          .append(fmt(x - left > 0 ? (x - left) * max / pw : 0, 3))
          .append(" ms</text>");
    }
    int ly = ht - 16;
    for (int s = 0; s < STAGES.length; s++) {
      int lx = left + s * 115;
      h.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"")
          .append(ly - 9)
          .append("\" width=\"10\" height=\"10\" fill=\"")
          .append(STAGE_COLOURS[s])
          .append("\"/><text x=\"")
          .append(lx + 14)
          .append("\" y=\"")
          .append(ly)
          .append("\">")
          .append(STAGES[s])
          .append("</text>");
    }
    h.append("</svg>\n");
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
