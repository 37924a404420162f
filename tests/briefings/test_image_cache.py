"""Chart images are cached under the figure's content: a re-export draws no unchanged chart."""

import plotly.graph_objects as go

from briefings import charts


def test_an_unchanged_figure_is_drawn_once_and_a_changed_one_again(monkeypatch):
    drawn = []
    monkeypatch.setattr(charts, "draw_png", lambda fig, width, height: drawn.append((width, height)) or b"png")
    def build(y):  # as a briefing builds its figures afresh for each export
        return go.Figure(go.Bar(x=["a", "b"], y=y))

    figure = build([1, 2])
    assert charts.figure_png(figure, height=300) == charts.figure_png(build([1, 2]), height=300) == b"png"
    assert len(drawn) == 1
    charts.figure_png(figure, height=400)                               # another size
    charts.figure_png(build([1, 3]), height=300)  # other data
    assert len(drawn) == 3
