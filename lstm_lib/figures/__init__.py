"""Figures and widgets of the course, drawn by code from the library's numbers.

These modules import matplotlib (and ipywidgets for the live explorers) and the
library; the library never imports them.

========================  =================================================  ========
module                    what it draws                                       chapters
========================  =================================================  ========
``plotting``              the course's palette and figure style               all
``activation_explorer``   sigmoid and tanh with their slopes at one point     2
``diagram``               the LSTM cell diagram, stage by stage               4, 5
``gate_explorer``         one LSTM unit driven by its four pre-activations    4
========================  =================================================  ========
"""
