#!/usr/bin/env python3
"""Draws docs/grafana/chime-dashboard.json's panels from a real Prometheus, as a page to screenshot.

Grafana is not packaged for Debian, so this stands in for it: every panel's PromQL is sent
unchanged (with $instance as .*) to a Prometheus that scraped Chime, and the answers are drawn
on the dashboard's own grid. Usage:

  python3 docs/grafana/picture.py --prometheus http://127.0.0.1:9090 --start <unix> --end <unix> \
      --series out.json --html out.html
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --window-size=1600,1200 --screenshot=docs/screenshots/grafana-dashboard.png out.html
"""
import argparse
import html
import json
import math
import os
import urllib.parse
import urllib.request

COLOURS = ["#73bf69", "#f2495c", "#5794f2", "#ff9830", "#b877d9", "#fade2a", "#8ab8ff"]
UNIT_SUFFIX = {"s": " s", "ops": "/s", "percentunit": ""}


def query_range(prom, expr, start, end, step):
    params = urllib.parse.urlencode(
        {"query": expr.replace("$instance", ".*"), "start": start, "end": end, "step": step})
    with urllib.request.urlopen(prom + "/api/v1/query_range?" + params, timeout=30) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise SystemExit("Prometheus refused %r: %s" % (expr, body))
    return body["data"]["result"]


def legend(fmt, labels):
    text = fmt
    for key, value in labels.items():
        text = text.replace("{{%s}}" % key, value)
    return text.replace("{{instance}}", labels.get("instance", ""))


def fetch(dashboard, prom, start, end, step):
    panels = []
    for panel in dashboard["panels"]:
        lines = []
        for target in panel["targets"]:
            for series in query_range(prom, target["expr"], start, end, step):
                points = [(float(t), float(v)) for t, v in series["values"]
                          if v not in ("NaN", "+Inf", "-Inf")]
                lines.append({"name": legend(target["legendFormat"], series["metric"]),
                              "expr": target["expr"], "points": points})
        panels.append({"title": panel["title"], "type": panel["type"], "gridPos": panel["gridPos"],
                       "unit": panel["fieldConfig"]["defaults"].get("unit", "short"),
                       "series": lines})
    return panels


def fmt(value, unit):
    if unit == "percentunit":
        return "%.1f %%" % (value * 100)
    if unit == "s" and value < 1:
        return "%.0f ms" % (value * 1000) if value >= 0.01 else "%.1f ms" % (value * 1000)
    magnitude = abs(value)
    text = ("%.0f" % value) if magnitude >= 100 or value == int(value) else ("%.2f" % value)
    return text + UNIT_SUFFIX.get(unit, "")


def svg_timeseries(panel, width, height, start, end):
    left, right, top, bottom = 56, 10, 8, 46
    w, h = width - left - right, height - top - bottom
    values = [v for s in panel["series"] for _, v in s["points"]]
    top_value = max(values) if values else 1
    top_value = top_value * 1.1 if top_value > 0 else 1
    out = ['<svg width="%d" height="%d">' % (width, height)]
    for i in range(5):
        y = top + h - h * i / 4
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#2c3235"/>'
                   % (left, left + w, y, y))
        out.append('<text x="%d" y="%.1f" class="axis" text-anchor="end">%s</text>'
                   % (left - 6, y + 4, html.escape(fmt(top_value * i / 4, panel["unit"]))))
    for i in range(6):
        t = start + (end - start) * i / 5
        x = left + w * i / 5
        label = "%d:%02d" % divmod(int(t - start), 60)
        out.append('<text x="%.1f" y="%d" class="axis" text-anchor="middle">+%s</text>'
                   % (x, top + h + 14, label))
    for index, series in enumerate(panel["series"]):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join("%.1f,%.1f" % (left + w * (t - start) / (end - start),
                                       top + h - h * v / top_value)
                        for t, v in series["points"])
        if path:
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.6" points="%s"/>'
                       % (colour, path))
    out.append("</svg>")
    keys = "".join('<span class="key"><i style="background:%s"></i>%s</span>'
                   % (COLOURS[i % len(COLOURS)], html.escape(s["name"]))
                   for i, s in enumerate(panel["series"]))
    return "".join(out) + '<div class="legend">%s</div>' % keys


def stat(panel):
    last = [s["points"][-1][1] for s in panel["series"] if s["points"]]
    text = fmt(last[0], panel["unit"]) if last else "No data"
    return '<div class="stat">%s</div>' % html.escape(text)


def page(panels, start, end, note):
    column, row = 1560 / 24, 30
    blocks = []
    for panel in panels:
        g = panel["gridPos"]
        width, height = g["w"] * column - 8, g["h"] * row - 8
        body = (stat(panel) if panel["type"] == "stat"
                else svg_timeseries(panel, int(width - 16), int(height - 40), start, end))
        blocks.append('<div class="panel" style="left:%.0fpx;top:%.0fpx;width:%.0fpx;height:%.0fpx">'
                      '<div class="title">%s</div>%s</div>'
                      % (20 + g["x"] * column, 84 + g["y"] * row, width, height,
                         html.escape(panel["title"]), body))
    return ("<!doctype html><meta charset=utf-8><style>"
            "body{margin:0;background:#111217;color:#ccccdc;font:12px Inter,Helvetica,Arial,sans-serif}"
            ".panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;"
            "padding:6px 8px;box-sizing:border-box;overflow:hidden}"
            ".title{font-weight:500;font-size:13px;margin-bottom:4px;color:#d8d9da}"
            ".axis{fill:#8e8e8e;font-size:10px}.legend{margin-top:-18px}"
            ".key{margin-right:12px;white-space:nowrap}.key i{display:inline-block;width:14px;"
            "height:4px;margin-right:5px;vertical-align:middle}"
            ".stat{font-size:44px;color:#73bf69;text-align:center;margin-top:14px}"
            "h1{font-size:18px;font-weight:500;margin:0;position:absolute;left:20px;top:14px}"
            ".note{position:absolute;left:20px;top:40px;right:20px;color:#8e8e8e}</style>"
            "<h1>Chime</h1><div class=note>%s</div>%s" % (html.escape(note), "".join(blocks)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prometheus", default="http://127.0.0.1:9090")
    parser.add_argument("--dashboard",
                        default=os.path.join(os.path.dirname(__file__), "chime-dashboard.json"))
    parser.add_argument("--start", type=float)
    parser.add_argument("--end", type=float)
    parser.add_argument("--step", default="2")
    parser.add_argument("--series", help="write the answers here (or read them, without --start)")
    parser.add_argument("--html", required=True)
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    if args.start is not None:
        with open(args.dashboard) as f:
            panels = fetch(json.load(f), args.prometheus, args.start, args.end, args.step)
        data = {"start": args.start, "end": args.end, "panels": panels}
        if args.series:
            with open(args.series, "w") as f:
                json.dump(data, f)
    else:
        with open(args.series) as f:
            data = json.load(f)
    with open(args.html, "w") as f:
        f.write(page(data["panels"], data["start"], data["end"], args.note))


if __name__ == "__main__":
    main()
