"""Figures and widgets of the course, drawn by code from the library's numbers.

These modules import matplotlib (and ipywidgets for the live explorers) and the
library; the library never imports them.

- ``plotting`` (every chapter): the course's colour-blind-safe palette and figure style;
- ``activation_explorer`` (chapter 2): sigmoid and tanh with their slopes at one point;
- ``diagram`` (chapters 4, 5): the LSTM cell diagram, stage by stage;
- ``gate_explorer`` (chapter 4): one LSTM unit driven by its four pre-activations;
- ``glue`` (every chapter): MyST-NB's glue in the book build, a quiet stand-in elsewhere.
"""
