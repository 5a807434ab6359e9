"""The shared drawing kit. Import each widget from its own module (keeps start-up lazy):

* ``pixel_canvas.PixelCanvas`` — half-block heat maps and scenes (points, lines, arrows, labels, cursor)
* ``line_plot.LinePlot`` — curves through one private plotext figure, throttled redraws
* ``bar_chart.BarChart`` — labelled bars with readable values, signed axis
* ``network_diagram.NetworkDiagram`` — layered networks, signed weighted edges
* ``grid_view.GridView`` — cells with colour and text (mazes, boards, pixel matrices)
* ``tree_diagram.TreeDiagram`` — decision and game trees (top-down or outline)
* ``metrics_bar.MetricsBar``, ``param_panel.ParamPanel``, ``explainer.Explainer`` — the screen furniture
* ``drawing`` — cached styles and colour helpers the widgets share
"""
