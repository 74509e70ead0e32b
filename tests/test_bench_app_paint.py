"""bench/app_paint.py's summary of a side-by-side first-paint run (the run itself: `python -m bench --app`)."""

from __future__ import annotations

from bench import app_paint


def test_summary_and_best_warm_per_library() -> None:
    t = {"load_before": 1.0, "load_after": 2.0}
    for lib, chart in (("vega-lite", (4.0, 2.0, 3.0)), ("plotly", (6.0, 4.0, 5.0))):
        for name, seconds in zip(("cold", "warm1", "warm2"), chart, strict=True):
            t[f"{lib}_{name}_heading_s"] = 1.0
            t[f"{lib}_{name}_chart_s"] = seconds
            t[f"{lib}_{name}_js_mb"] = 3.5 if lib == "vega-lite" else 7.1
    assert app_paint.LIBRARIES[0] == "vega-lite"  # the default (kg/settings.py) is measured first
    assert app_paint.best_warm(t) == 2.0 and app_paint.best_warm(t, "plotly") == 4.0
    lines = app_paint.summary(t)
    assert lines[0].startswith("vega-lite  warm chart  2.00 s best,  2.50 s median (2 visits")
    assert "cold chart  4.00 s" in lines[0] and "3.5 MB of JavaScript" in lines[0]
    assert lines[2] == "vega-lite / plotly warm chart (medians): 0.56x"
    assert lines[3] == "load average 1.0 -> 2.0"
    assert set(app_paint.CHART_ITEM) == set(app_paint.LIBRARIES)


def test_a_returning_reader_is_reported_beside_the_first_visit() -> None:
    t = {"load_before": 0.5, "load_after": 0.7}
    for lib in app_paint.LIBRARIES:
        for name, chart, net in (("warm1", 2.0, 3.5), ("returning1", 1.3, 0.0), ("returning2", 1.1, 0.0)):
            t[f"{lib}_{name}_heading_s"] = 0.8
            t[f"{lib}_{name}_chart_s"] = chart
            t[f"{lib}_{name}_js_mb"] = 3.5
            t[f"{lib}_{name}_net_js_mb"] = net
    assert app_paint.best_returning(t) == 1.1 and app_paint.best_warm(t) == 2.0  # not mixed up
    assert app_paint.best_returning({"load_before": 0.0}) is None
    lines = app_paint.summary(t)
    assert lines[2] == ("vega-lite  returning reader (browser cache) chart  1.10 s best,  1.20 s median (2 visits; "
                        "heading 0.80 s);  0.0 MB of JavaScript over the network")
    assert lines[4] == "vega-lite / plotly warm chart (medians): 1.00x"
