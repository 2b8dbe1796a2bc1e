"""lstm_lib: small, exact, fast NumPy RNN/GRU/LSTM cells and layers for the course.

Shapes use the letters N (batch), T (time), I (input features), H (hidden units).
"""

__version__ = "0.1.0"
